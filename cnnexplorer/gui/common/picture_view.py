"""One picture widget for the whole app (compare pyqtgraph's ``ImageView``): a frame, a map, a mosaic
of tiles or kernels in a view box that keeps the aspect, with zoom and pan (linkable to another
view), a hover readout, an optional colour bar and title, a pixel grid when zoomed in, a message
overlay and the right-click picture menu."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QPointF, QRectF, QSize, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QLabel

from cnnexplorer.core.display.colormap import to_bytes
from cnnexplorer.core.display.mosaic import Grid, normalise_each, tile, tile_rgb
from cnnexplorer.core.display.screen_pixels import bgra_pixels, is_opaque, premultiplied_table
from cnnexplorer.core.i18n import tr
from cnnexplorer.gui.common.colour_bar import ColourBar
from cnnexplorer.gui.common.picture_menu import PictureMenu
from cnnexplorer.gui.common.plots import FIT_PADDING, configure_pyqtgraph

GRID_MIN_PX = 10  # the pixel grid shows once a pixel is this many screen pixels wide


def frame_pixel_text(frame: np.ndarray | None, x: float, y: float) -> str:
    """The readout of an RGB frame at view point (x, y): "x 12, y 40 · R 200 G 31 B 7"."""
    col, row = int(math.floor(x)), int(math.floor(y))
    if frame is None or not (0 <= row < frame.shape[0] and 0 <= col < frame.shape[1]):
        return ""
    r, g, b = (int(v) for v in frame[row, col][:3])
    return "x {x}, y {y} · R {r} G {g} B {b}".format(x=col, y=row, r=r, g=g, b=b)


class ScreenImage(pg.ImageItem):
    """pyqtgraph's image item with its picture kept in the screen's own pixel format. pyqtgraph hands
    Qt bytes through a colour table (maps) or packed RGB (frames), which Qt converts again on every
    repaint: converting once per picture makes each repaint three to four times cheaper (measured:
    0.8 ms → 0.2 ms for a mosaic drawn 580 px wide), time the live pass gets back.

    Bytes shown as they are (frames, and maps through a colour table) are converted in one native
    call (:mod:`~cnnexplorer.core.display.screen_pixels`) instead of pyqtgraph's chunked rescaling,
    which takes the interpreter lock some thirty times a frame: with a model being traced on another
    thread, each take waited, and one frame of the source view cost 150 ms of the GUI thread.

    With ``decimate`` (pictures drawn nearest-pixel), a picture drawn smaller than its size is
    converted one pixel in ``step`` (the whole image pixels per screen pixel), the ones the screen
    shows anyway: VGG16's first layer, 64 maps of 224², is 1.8k² pixels in a view 600 wide. The lines
    between a mosaic's tiles are all kept (a plain stride drops most of them). Zooming in converts
    it again, finer."""

    _table: tuple[object, np.ndarray, bool] | None = None  # (the lookup table, its screen words, opaque)
    decimate = False
    tiles: Grid | None = None  # the picture's layout: a mosaic converted smaller keeps its gaps
    _drawn_step = 1

    def viewTransformChanged(self) -> None:  # noqa: N802 - zoomed or resized: convert at the new step
        super().viewTransformChanged()
        if self.decimate and self.image is not None and self._step() != self._drawn_step:
            self._renderRequired = True
            self.update()

    def _step(self) -> int:
        """Whole image pixels per device pixel, on the coarser axis (1 when drawn at least 1:1)."""
        device = self.deviceTransform_()  # image pixels → screen pixels; None before the view shows
        if device is None:
            return 1
        ratio = self.getViewWidget().devicePixelRatioF()
        across = math.hypot(device.m11(), device.m12()) * ratio  # screen pixels per image column
        along = math.hypot(device.m21(), device.m22()) * ratio
        return max(1, int(1.0 / max(across, along, 1e-9)))

    def render(self) -> None:
        pixels = self._screen_pixels()
        if pixels is None:
            super().render()
            if self.qimage is not None and self.qimage.format() != QImage.Format.Format_ARGB32_Premultiplied:
                self.qimage = self.qimage.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
            return
        height, width = pixels.shape[:2]
        self._displayBuffer, self._processingBuffer = pixels, None  # the QImage's memory
        # An opaque picture (a frame; a map through an opaque table) is drawn without blending.
        opaque = self.image.ndim == 3 or self._table[2]
        self.qimage = QImage(pixels.data, width, height, pixels.strides[0],
                             QImage.Format.Format_RGB32 if opaque else QImage.Format.Format_ARGB32_Premultiplied)
        self._renderRequired = self._unrenderable = False

    def _screen_pixels(self) -> np.ndarray | None:
        """The picture in the screen's format where it is bytes shown as they are, else None."""
        image, lut, levels = self.image, self.lut, self.levels
        if (image is None or self.autoDownsample or self.axisOrder != "row-major"
                or (levels is not None and not (np.reshape(levels, (-1, 2)) == (0, 255)).all())):
            return None
        step = self._drawn_step = self._step() if self.decimate else 1
        if step > 1:
            tiles = self.tiles
            image = (image[np.ix_(*tiles.every(step))] if tiles is not None and tiles.shape == image.shape[:2]
                     else image[::step, ::step])
        if image.ndim != 2:
            return bgra_pixels(image)  # RGB bytes (a colour table applies to maps only); else None
        if lut is None or callable(lut):
            return None
        lut = np.asarray(lut)
        if lut.dtype != np.uint8 or lut.shape not in ((256, 3), (256, 4)):
            return None
        if self._table is None or self._table[0] is not self.lut:
            self._table = (self.lut, premultiplied_table(lut), is_opaque(lut))
        return bgra_pixels(image, self._table[1])


class PixelGrid(pg.GraphicsObject):
    """Thin lines between the pixels of its image (a child item: it lives in image pixels), drawn
    only where a pixel is big enough on screen to show them."""

    def __init__(self, image: pg.ImageItem) -> None:
        super().__init__(image)
        self._image = image
        self.pen = QPen(QColor(128, 128, 128, 170), 0)  # cosmetic: one screen pixel wide
        self.setZValue(1)

    def refresh(self) -> None:
        self.prepareGeometryChange()
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        if self._image.image is None:
            return QRectF()
        return QRectF(0, 0, self._image.width(), self._image.height())

    def paint(self, painter: QPainter, *_) -> None:
        bounds = self.boundingRect()
        device = painter.worldTransform()  # image pixels → screen pixels
        if bounds.isEmpty() or min(math.hypot(device.m11(), device.m12()),
                                   math.hypot(device.m21(), device.m22())) < GRID_MIN_PX:
            return
        inverse, invertible = device.inverted()
        if not invertible:
            return
        shown = bounds.intersected(inverse.mapRect(QRectF(painter.viewport())))
        left, right = max(0, math.floor(shown.left())), min(int(bounds.width()), math.ceil(shown.right()))
        top, bottom = max(0, math.floor(shown.top())), min(int(bounds.height()), math.ceil(shown.bottom()))
        lines = [QLineF(x, top, x, bottom) for x in range(left, right + 1)]
        lines += [QLineF(left, y, right, y) for y in range(top, bottom + 1)]
        painter.setPen(self.pen)
        painter.drawLines(lines)


class PictureView(PictureMenu, pg.GraphicsLayoutWidget):
    """Show a frame with :meth:`show_frame`, any image with :meth:`show_image`, a stack of maps or
    colour tiles on a grid with :meth:`show_maps` / :meth:`show_tiles`.

    ``hovered`` and ``clicked`` carry (tile, row, column) of the image pixel under the mouse (tile 0
    for a plain image); ``left`` fires off the image; ``readout`` carries the hover readout text
    (see :meth:`set_readout`), refreshed when the picture changes under a still mouse.
    The view fits the picture when its size changes, not on every frame (a user's zoom holds).
    """

    hovered = Signal(int, int, int)
    clicked = Signal(int, int, int)
    left = Signal()
    readout = Signal(str)

    def __init__(self, title: str = "", colour_map: pg.ColorMap | None = None, colour_bar: bool = False,
                 parent=None, *, pixel_grid: bool = False, nearest: bool = True) -> None:
        configure_pyqtgraph()
        super().__init__(parent)
        # pyqtgraph binds its layout's clear() onto the instance; that would remove the view itself
        # (every later picture then black), so ours below must be the one called.
        del self.clear
        self.setObjectName("PictureView")
        if title:
            self.title = self.addLabel(tr(title), row=0, col=0, colspan=2)  # English, or already translated
        self.box = self.addViewBox(row=1, col=0, lockAspect=True, invertY=True, enableMenu=False)
        self.image = ScreenImage()
        self.box.addItem(self.image)
        self.pixel_grid = PixelGrid(self.image) if pixel_grid else None
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, not nearest)
        self.image.decimate = nearest
        self.bar: ColourBar | None = None
        if colour_bar:
            # Not linked to the image (the image holds bytes): its owner sets the values' levels.
            self.bar = ColourBar(colour_map)
            self.addItem(self.bar, row=1, col=1)
        if colour_map is not None:
            self.image.setColorMap(colour_map)
        self.grid: Grid | None = None
        self._placed: tuple | None = None  # (the rect the image was placed over, its rows and columns)
        self._frame: np.ndarray | None = None
        self._pixel_size = 1.0
        self._greyed = False
        self._fitted: tuple | None = None
        self._fits = True  # False once linked to a view that does the fitting
        self._zoomed = False  # the user zoomed or panned: the picture no longer refits on a resize
        self.box.sigRangeChangedManually.connect(self._on_zoomed)
        self.box.sigResized.connect(self._on_resized)
        self._mouse: QPointF | None = None  # the last scene point under the mouse, while inside
        # the frame's own pixels: a low resolution drawn in blocks has ``pixel_size`` view units a pixel
        self._readout: Callable[[float, float], str] = lambda x, y: frame_pixel_text(
            self._frame, x / self._pixel_size, y / self._pixel_size)
        self._overlay = QLabel(self, objectName="PictureMessage")
        self._overlay.setStyleSheet(
            "QLabel { background: rgba(20, 20, 20, 190); color: #ffcc66; padding: 6px 10px;"
            " border-radius: 4px; font-weight: bold; }"
        )
        self._overlay.hide()
        self._overlay.move(10, 10)
        self.scene().sigMouseMoved.connect(self._on_moved)
        self.scene().sigMouseClicked.connect(self._on_clicked)

    def sizeHint(self) -> QSize:  # noqa: N802 - a picture asks for little and takes the room it is given
        return QSize(240, 180)

    # -- showing ----------------------------------------------------------------------------------
    def show_image(self, image: np.ndarray, levels: tuple[float, float] = (0, 1), grid: Grid | None = None,
                   rect: QRectF | None = None) -> None:
        """A 2-D (through the colour map) or RGB image, with fixed ``levels`` (never auto: a NaN
        must not reach pyqtgraph's range code), placed over ``rect`` in view coordinates (default:
        one unit a pixel from the origin). Anything but bytes becomes bytes here, in one numpy pass:
        pyqtgraph rescales other data in a Python loop at every repaint."""
        if image.dtype != np.uint8:
            image, levels = to_bytes(image, levels), (0, 255)
        self.grid = self.image.tiles = grid or Grid(1, 1, image.shape[0], image.shape[1], 0, 1)
        self.image.setImage(image, levels=levels, autoLevels=False)
        rect = rect if rect is not None else QRectF(0, 0, image.shape[1], image.shape[0])
        placed = (rect.getRect(), image.shape[:2])
        if placed != self._placed:  # the same place, frame after frame: the item's geometry stays
            self._placed = placed
            self.image.setRect(rect)
        if self.pixel_grid is not None:
            self.pixel_grid.refresh()
        fitted = (rect.width(), rect.height())
        if self._fitted != fitted:
            self._fitted = fitted
            if self._fits:
                self.fit()
        self.refresh_readout()

    def show_frame(self, rgb: np.ndarray, pixel_size: float = 1.0) -> None:
        """An RGB frame in bytes, each pixel ``pixel_size`` view units a side (a low resolution
        frame shown as big as the full one); greyed while :meth:`set_greyed` says so."""
        self._frame = rgb
        self._pixel_size = pixel_size
        self._draw_frame()

    @property
    def frame(self) -> np.ndarray | None:
        return self._frame

    def _draw_frame(self) -> None:
        shown = self._frame
        if self._greyed:
            gray = shown.mean(axis=2, dtype=np.float32) * 0.45 + 40
            shown = np.repeat(gray.astype(np.uint8)[:, :, None], 3, axis=2)
        size = self._pixel_size
        self.show_image(shown, (0, 255), rect=QRectF(0, 0, shown.shape[1] * size, shown.shape[0] * size))

    def show_maps(self, maps: np.ndarray, cols: int | None = None, gap: int = 1, scaled: bool = False) -> Grid:
        """The N maps of an (H, W, N) stack side by side, each scaled on its own unless ``scaled``."""
        mosaic, grid = tile(maps if scaled else normalise_each(maps), cols=cols, gap=gap, fill=0.0)
        self.show_image(mosaic, (0, 1), grid)
        return grid

    def show_tiles(self, images: np.ndarray, cols: int | None = None, gap: int = 2) -> Grid:
        """N colour images, (N, H, W, 3) in 0…1 or in bytes (cheaper: drawn as they are), on one
        grid with white gaps."""
        mosaic, grid = tile_rgb(images, cols=cols, gap=gap)
        self.show_image(mosaic, (0, 255) if mosaic.dtype == np.uint8 else (0, 1), grid)
        return grid

    def set_colour_map(self, colour_map: pg.ColorMap | None) -> None:
        """The colour map of a 2-D image (None: the image's own colours)."""
        if colour_map is None:
            self.image.setLookupTable(None)
            return
        self.image.setColorMap(colour_map)
        if self.bar is not None:
            self.bar.setColorMap(colour_map)

    def clear(self) -> None:
        self.image.clear()
        self.grid, self._fitted, self._frame, self._placed = None, None, None, None

    def fit(self) -> None:
        """Zoom so the whole picture shows (and keep it so as the view is resized)."""
        self._zoomed = False
        if self._fitted is not None:
            self.box.autoRange(items=[self.image], padding=FIT_PADDING)

    def _on_resized(self, *_) -> None:
        """The picture takes the room it is given (unless the user zoomed in)."""
        if self._fits and not self._zoomed:
            self.fit()

    def _on_zoomed(self, *_) -> None:
        self._zoomed = True

    # -- the message overlay ---------------------------------------------------------------------------
    def set_greyed(self, greyed: bool, message: str = "") -> None:
        """Dim the frame (e.g. a camera lost) and write ``message`` over it (empty: no message)."""
        self._overlay.setText(message)
        self._overlay.adjustSize()
        self._overlay.setVisible(bool(message))
        if greyed != self._greyed:
            self._greyed = greyed
            if self._frame is not None:
                self._draw_frame()

    def overlay_text(self) -> str:
        return self._overlay.text() if self._overlay.isVisible() else ""

    # -- items and links -------------------------------------------------------------------------------
    def add_item(self, item) -> None:
        """Draw ``item`` over the picture, in view coordinates (those of ``rect`` in show_image)."""
        self.box.addItem(item)

    def remove_item(self, item) -> None:
        self.box.removeItem(item)

    def link_to(self, other: PictureView) -> None:
        """Zoom and pan with ``other`` (which keeps fitting the picture; this one follows its range
        exactly: no aspect lock of its own, which would fight the other's through the links)."""
        self.box.setAspectLocked(False)
        self.box.setXLink(other.box)
        self.box.setYLink(other.box)
        self._fits = False

    def pixel_on_screen(self) -> float:
        """How many screen pixels one view unit is wide now."""
        return self.box.mapViewToScene(QPointF(1, 0)).x() - self.box.mapViewToScene(QPointF(0, 0)).x()

    # -- pointing -----------------------------------------------------------------------------------
    def set_readout(self, text_at: Callable[[float, float], str]) -> None:
        """What the hover readout says at view point (x, y) (default: a frame's pixel values)."""
        self._readout = text_at

    def pixel_text(self, x: float, y: float) -> str:
        """The hover readout at view point (x, y) (empty off the picture)."""
        return self._readout(x, y)

    def refresh_readout(self) -> None:
        """Say again what is under a still mouse (the picture or its settings changed)."""
        if self._mouse is not None:
            self._on_moved(self._mouse)

    def locate(self, scene_pos) -> tuple[int, int, int] | None:
        """(tile, row, column) of the image pixel under a scene point, or None off it or on a gap."""
        if self.grid is None or not self.box.sceneBoundingRect().contains(scene_pos):
            return None
        point = self.image.mapFromScene(scene_pos)
        if not (math.isfinite(point.x()) and math.isfinite(point.y())):
            return None
        return self.grid.locate(point.y(), point.x())

    def leaveEvent(self, event) -> None:  # noqa: N802
        self._mouse = None
        super().leaveEvent(event)

    def _on_moved(self, scene_pos) -> None:
        if not self.box.sceneBoundingRect().contains(scene_pos):
            self._mouse = None
            self.left.emit()
            return
        self._mouse = QPointF(scene_pos)
        point = self.box.mapSceneToView(scene_pos)
        if math.isfinite(point.x()) and math.isfinite(point.y()):
            self.readout.emit(self._readout(point.x(), point.y()))
        hit = self.locate(scene_pos)
        if hit is None:
            self.left.emit()
        else:
            self.hovered.emit(*hit)

    def _on_clicked(self, event) -> None:
        hit = self.locate(event.scenePos())
        if hit is not None:
            self.clicked.emit(*hit)
