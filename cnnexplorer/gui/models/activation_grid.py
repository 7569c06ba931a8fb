"""Every channel of one layer as one mosaic image; hover for values, click for a big view."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

import cnnexplorer.gui  # noqa: F401  (row-major image axes)
from cnnexplorer.core.display.mosaic import Grid, normalise_each, tile
from cnnexplorer.gui.conv.views import DIVERGING_MAP

COLOUR_MAPS = {"gray": pg.ColorMap([0.0, 1.0], [(0, 0, 0), (255, 255, 255)]), "viridis": pg.colormap.get("viridis"),
               "inferno": pg.colormap.get("inferno"), "diverging": DIVERGING_MAP}


def as_maps(activation: np.ndarray) -> np.ndarray:
    """(H, W, C) stays; a vector (C,) becomes C one-pixel maps; (H, W) one map."""
    if activation.ndim == 3:
        return activation
    if activation.ndim == 2:
        return activation[..., None]
    flat = activation.reshape(-1)
    side = math.ceil(math.sqrt(flat.size))
    padded = np.zeros(side * side, np.float32)
    padded[: flat.size] = flat
    return padded.reshape(side, side, 1)


def bar_levels(low: float, high: float, current: tuple[float, float] | None = None) -> tuple[float, float]:
    """Colour-bar levels for data in [low, high]: ``current`` while the data stay inside it and
    fill most of it (a live map flickers a little; the bar holds still), else the range widened to a
    step of a 1-2-5 series (a tenth of the range or more)."""
    if current is not None and current[0] <= low and high <= current[1] and high - low >= 0.6 * (current[1] - current[0]):
        return current
    span = high - low
    if not span > 0:
        return low, low + max(abs(low) * 1e-3, 1e-6)
    step = 10.0 ** math.floor(math.log10(span / 10))
    step *= next(m for m in (1, 2, 5, 10) if m * step >= span / 10)
    return math.floor(low / step) * step, math.ceil(high / step) * step


class ActivationGrid(QWidget):
    channel_clicked = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("ActivationGrid")
        self.normalise = QComboBox(toolTip="Scale each channel alone, or all channels together")
        self.normalise.addItems(["per channel", "shared"])
        self.colours = QComboBox()
        self.colours.addItems(list(COLOUR_MAPS))
        self.colours.setCurrentText("viridis")
        self.sort = QCheckBox("sort by mean activation")
        self.info = QLabel(objectName="GridInfo")
        self.readout = QLabel(objectName="GridReadout")
        self.view = pg.GraphicsLayoutWidget()
        self.grid_box = self.view.addViewBox(row=0, col=0, lockAspect=True, invertY=True, enableMenu=False)
        self.zoom_box = self.view.addViewBox(row=0, col=1, lockAspect=True, invertY=True, enableMenu=False)
        self.view.ci.layout.setColumnStretchFactor(0, 3)
        self.view.ci.layout.setColumnStretchFactor(1, 2)
        self.mosaic_item = pg.ImageItem()
        self.zoom_item = pg.ImageItem()
        self.grid_box.addItem(self.mosaic_item)
        self.zoom_box.addItem(self.zoom_item)
        self.colour_bar = pg.ColorBarItem(colorMap=COLOUR_MAPS["viridis"], interactive=False, width=12)
        self.view.addItem(self.colour_bar, row=0, col=2)
        self.colour_bar.setImageItem(self.zoom_item)
        controls = QHBoxLayout()
        for widget in (self.normalise, self.colours, self.sort):
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(self.info)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.readout)
        self.maps: np.ndarray | None = None
        self.order: np.ndarray | None = None
        self.grid: Grid | None = None
        self.selected = 0
        self._fitted = None
        self._zoom_fitted = None
        self._bar_levels = None
        self._cmap = None
        for combo in (self.normalise, self.colours):
            combo.currentIndexChanged.connect(self._redraw)
        self.sort.toggled.connect(self._redraw)
        self.view.scene().sigMouseMoved.connect(self._on_moved)
        self.view.scene().sigMouseClicked.connect(self._on_clicked)

    def show_activation(self, activation: np.ndarray, shape_text: str = "") -> None:
        self.maps = as_maps(np.asarray(activation, np.float32))
        self.info.setText(f"{self.maps.shape[2]} channels · {shape_text}")
        self._redraw()

    def clear(self, message: str = "") -> None:
        self.maps = None
        self.mosaic_item.clear()
        self.zoom_item.clear()
        self.info.setText(message)

    def _redraw(self, *_) -> None:
        if self.maps is None:
            return
        maps = self.maps
        if self.sort.isChecked():
            self.order = np.argsort(maps.mean(axis=(0, 1)))[::-1]
            ordered = maps[..., self.order]
        else:
            self.order, ordered = np.arange(maps.shape[2]), maps
        if self.normalise.currentText() == "per channel":
            scaled = normalise_each(ordered)
        else:
            low, high = float(ordered.min()), float(ordered.max())
            scaled = (ordered - low) / ((high - low) or 1.0)
        mosaic, self.grid = tile(scaled, gap=1, fill=0.0)
        cmap = COLOUR_MAPS[self.colours.currentText()]
        if cmap is not self._cmap:
            self._cmap = cmap
            self.mosaic_item.setColorMap(cmap)
            self.colour_bar.setColorMap(cmap)
        # uint8 through the colour map's lookup table: pyqtgraph's cheapest drawing path.
        self.mosaic_item.setImage(cv2.convertScaleAbs(mosaic, alpha=255.0), levels=(0, 255), autoLevels=False)
        if self._fitted != mosaic.shape:
            self._fitted = mosaic.shape
            self.grid_box.autoRange(padding=0.01)
        self._show_channel(min(self.selected, maps.shape[2] - 1))

    def _show_channel(self, channel: int) -> None:
        self.selected = channel
        plane = self.maps[..., channel]
        levels = bar_levels(float(plane.min()), float(plane.max()), self._bar_levels)
        self.zoom_item.setImage(plane, autoLevels=False, levels=levels)
        if levels != self._bar_levels:  # a new scale redraws the bar's axis: only when it changes
            self._bar_levels = levels
            self.colour_bar.setLevels(levels)
        if self._zoom_fitted != plane.shape:
            self._zoom_fitted = plane.shape
            self.zoom_box.autoRange(padding=0.02)

    def _locate(self, scene_pos):
        if self.grid is None or not self.grid_box.sceneBoundingRect().contains(scene_pos):
            return None
        point = self.grid_box.mapSceneToView(scene_pos)
        hit = self.grid.locate(point.y(), point.x())
        if hit is None:
            return None
        tile_index, y, x = hit
        return int(self.order[tile_index]), y, x

    def _on_moved(self, scene_pos) -> None:
        hit = self._locate(scene_pos)
        if hit is not None:
            channel, y, x = hit
            self.readout.setText(f"channel {channel} · ({y}, {x}) = {self.maps[y, x, channel]:.4g}")

    def _on_clicked(self, event) -> None:
        hit = self._locate(event.scenePos())
        if hit is not None:
            self._show_channel(hit[0])
            self.channel_clicked.emit(hit[0])
