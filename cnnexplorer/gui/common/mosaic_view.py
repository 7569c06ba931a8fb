"""One image widget for every picture of maps, tiles or kernels in the app (compare pyqtgraph's
``ImageView``): a view box that keeps the aspect, one ``ImageItem``, an optional colour bar and
title, and hover/click mapped back to (tile, row, column) through the mosaic's :class:`Grid`."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Signal

from cnnexplorer.core.display.colormap import to_bytes
from cnnexplorer.core.display.mosaic import Grid, normalise_each, tile, tile_rgb
from cnnexplorer.gui.common.picture_menu import PictureMenu
from cnnexplorer.gui.common.plots import configure_pyqtgraph


class MosaicView(PictureMenu, pg.GraphicsLayoutWidget):
    """Show an image with :meth:`show_image`, or a stack of maps/colour tiles laid out on a grid with
    :meth:`show_maps` / :meth:`show_tiles`. ``hovered`` and ``clicked`` carry (tile, row, column)
    of the point under the mouse (tile 0 for a plain image); ``left`` fires when it leaves the image.

    The view fits the picture when its shape changes, not on every frame (so a user's zoom holds).
    """

    hovered = Signal(int, int, int)
    clicked = Signal(int, int, int)
    left = Signal()

    def __init__(self, title: str = "", colour_map: pg.ColorMap | None = None, colour_bar: bool = False,
                 parent=None) -> None:
        configure_pyqtgraph()
        super().__init__(parent)
        # pyqtgraph binds its layout's clear() onto the instance; that would remove the view itself
        # (every later picture then black), so ours below must be the one called.
        del self.clear
        if title:
            self.title = self.addLabel(title, row=0, col=0, colspan=2)
        self.box = self.addViewBox(row=1, col=0, lockAspect=True, invertY=True, enableMenu=False)
        self.image = pg.ImageItem()
        self.box.addItem(self.image)
        self.bar: pg.ColorBarItem | None = None
        if colour_bar:
            # Not linked to the image (the image holds bytes): its owner sets the values' levels.
            self.bar = pg.ColorBarItem(colorMap=colour_map, interactive=False, width=12)
            self.addItem(self.bar, row=1, col=1)
        if colour_map is not None:
            self.image.setColorMap(colour_map)
        self.grid: Grid | None = None
        self._fitted: tuple | None = None
        self.scene().sigMouseMoved.connect(self._on_moved)
        self.scene().sigMouseClicked.connect(self._on_clicked)

    def sizeHint(self) -> QSize:  # noqa: N802 - a picture asks for little and takes the room it is given
        return QSize(240, 180)

    # -- showing ----------------------------------------------------------------------------------
    def show_image(self, image: np.ndarray, levels: tuple[float, float] = (0, 1), grid: Grid | None = None) -> None:
        """A 2-D (through the colour map) or RGB image, with fixed ``levels`` (never auto: a NaN
        must not reach pyqtgraph's range code). Anything but bytes becomes bytes here, in one numpy
        pass: pyqtgraph rescales other data in a Python loop at every repaint, and each step of it
        waits for the GIL while a worker runs Python."""
        if image.dtype != np.uint8:
            image, levels = to_bytes(image, levels), (0, 255)
        self.grid = grid or Grid(1, 1, image.shape[0], image.shape[1], 0, 1)
        self.image.setImage(image, levels=levels, autoLevels=False)
        if self._fitted != image.shape[:2]:
            self._fitted = image.shape[:2]
            self.box.autoRange(padding=0.02)

    def show_maps(self, maps: np.ndarray, cols: int | None = None, gap: int = 1, scaled: bool = False) -> Grid:
        """The N maps of an (H, W, N) stack side by side, each scaled on its own unless ``scaled``."""
        mosaic, grid = tile(maps if scaled else normalise_each(maps), cols=cols, gap=gap, fill=0.0)
        self.show_image(mosaic, (0, 1), grid)
        return grid

    def show_tiles(self, images: np.ndarray, cols: int | None = None, gap: int = 2) -> Grid:
        """N colour images, (N, H, W, 3) in 0…1, on one grid with white gaps."""
        mosaic, grid = tile_rgb(images, cols=cols, gap=gap)
        self.show_image(mosaic, (0, 1), grid)
        return grid

    def set_colour_map(self, colour_map: pg.ColorMap) -> None:
        self.image.setColorMap(colour_map)
        if self.bar is not None:
            self.bar.setColorMap(colour_map)

    def clear(self) -> None:
        self.image.clear()
        self.grid, self._fitted = None, None

    # -- pointing -----------------------------------------------------------------------------------
    def locate(self, scene_pos) -> tuple[int, int, int] | None:
        """(tile, row, column) under a scene point, or None off the picture or on a gap."""
        if self.grid is None or not self.box.sceneBoundingRect().contains(scene_pos):
            return None
        point = self.box.mapSceneToView(scene_pos)
        if not (math.isfinite(point.x()) and math.isfinite(point.y())):
            return None
        return self.grid.locate(point.y(), point.x())

    def _on_moved(self, scene_pos) -> None:
        hit = self.locate(scene_pos)
        if hit is None:
            self.left.emit()
        else:
            self.hovered.emit(*hit)

    def _on_clicked(self, event) -> None:
        hit = self.locate(event.scenePos())
        if hit is not None:
            self.clicked.emit(*hit)
