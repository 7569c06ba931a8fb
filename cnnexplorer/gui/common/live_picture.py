"""A map redrawn on every live frame, painted straight onto a widget: the explorer's activation mosaic
and the channel it shows large.

A pyqtgraph view (:class:`~cnnexplorer.gui.common.picture_view.PictureView`) repaints through a
graphics scene: bounding rects, items and transforms, much of it in Python, on every frame. On a
two-core laptop that time is taken from the forward pass. This widget does what those views were
asked for here: a 2-D map through a colour table, in the screen's pixel format and drawn
nearest-pixel, fitted with its aspect kept, an optional colour bar beside it; the wheel zooms about
the mouse, a drag pans a zoomed picture, a double click fits it again; hover and click report (tile,
row, column); the right-click picture menu."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRect, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QRegion
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget

from cnnexplorer.core.display.colormap import to_bytes
from cnnexplorer.core.display.mosaic import Grid
from cnnexplorer.core.display.screen_pixels import bgra_pixels, is_opaque, premultiplied_table
from cnnexplorer.core.i18n import tr
from cnnexplorer.gui.common.colour_bar import ColourBarView
from cnnexplorer.gui.common.picture_menu import PictureMenu
from cnnexplorer.gui.common.plots import FIT_PADDING, GRAY_MAP

MOST_PX_PER_PIXEL = 64  # zooming in stops where one pixel is this wide (unless it fits wider)
WHEEL_STEP = 1.25  # zoom per notch of the wheel


def _edge(centre: float, scale: float, size: int, room: float) -> float:
    """Where the picture's edge goes on one axis: its point ``centre`` in the middle of the ``room``,
    but never a blank strip along an edge the picture could fill (a smaller picture is centred)."""
    extent = size * scale
    if extent <= room:
        return (room - extent) / 2
    return min(0.0, max(room - extent, room / 2 - centre * scale))


class LivePicture(PictureMenu, QWidget):
    """Show a 2-D map with :meth:`show_image` through the colour table of :meth:`set_lookup_table` or
    :meth:`set_colour_map`. ``hovered`` and ``clicked`` carry (tile, row, column) of the map pixel
    under the mouse (tile 0 for a plain map, else of the ``grid`` it was shown with); ``hovered``
    fires again when a new map comes under a still mouse. With ``colour_bar``, :attr:`bar` stands at
    the right (its owner sets its levels) and is saved and copied with the picture."""

    hovered = Signal(int, int, int)
    clicked = Signal(int, int, int)

    def __init__(self, colour_map: pg.ColorMap | None = None, colour_bar: bool = False, parent=None,
                 **properties) -> None:
        super().__init__(parent, **properties)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # it paints every pixel itself
        self.setMouseTracking(True)
        self.background = pg.mkColor(pg.getConfigOption("background"))
        self.image: np.ndarray | None = None  # the map's bytes, as shown
        self.grid: Grid | None = None
        self.qimage: QImage | None = None  # the map in the screen's format, as last drawn
        self._converted: tuple[int, np.ndarray] | None = None  # (decimation step, the QImage's memory)
        self._table: np.ndarray | None = None  # the colour table as screen words
        self._opaque = True
        self._zoom: tuple[float, float, float] | None = None  # (px per pixel, the centre's x, y); None: fitted
        self._press: tuple[QPointF, float, float, float] | None = None  # where a drag started, and the zoom
        self._dragged = False
        self._mouse: QPointF | None = None
        self._bar_view = ColourBarView(colour_map) if colour_bar else None
        self.bar = self._bar_view.bar if colour_bar else None
        if colour_bar:
            layout = QHBoxLayout(self)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.addStretch(1)
            layout.addWidget(self._bar_view)
        self.set_colour_map(colour_map or GRAY_MAP)

    def sizeHint(self) -> QSize:  # noqa: N802 - a picture asks for little and takes the room it is given
        return QSize(240, 180)

    # -- showing ----------------------------------------------------------------------------------
    def show_image(self, values: np.ndarray, levels: tuple[float, float] = (0, 255), grid: Grid | None = None) -> None:
        """A 2-D map from ``levels[0]`` to ``levels[1]`` (bytes at 0…255 are drawn as they are), laid
        out on ``grid`` (a mosaic: drawn smaller, its tiles stay apart)."""
        if values.ndim != 2 or values.size == 0:
            raise ValueError(tr("A live picture shows one non-empty 2-D map, not an array of shape {shape}.",
                                shape=values.shape))
        grid = grid or Grid(1, 1, *values.shape, 0, 1)
        if grid.shape != values.shape:
            raise ValueError(tr("A mosaic laid out {layout} cannot be shown as a map of {shape}.",
                                layout=grid.shape, shape=values.shape))
        if values.dtype != np.uint8 or tuple(levels) != (0, 255):
            values = to_bytes(values, levels)
        if self.image is None or self.image.shape != values.shape:
            self._zoom = None  # another layout: the whole of it, fitted
        self.image, self.grid, self._converted = values, grid, None
        self.update()
        if self._mouse is not None:  # new values under a still mouse
            self._hover(self._mouse)

    def set_lookup_table(self, table: np.ndarray) -> None:
        """The colours of bytes 0…255: a (256, 3) RGB or (256, 4) RGBA byte table."""
        self._table = premultiplied_table(table)
        self._opaque = is_opaque(table)
        self._converted = None
        self.update()

    def set_colour_map(self, colour_map: pg.ColorMap) -> None:
        self.set_lookup_table(colour_map.getLookupTable(nPts=256, alpha=False))
        if self.bar is not None:
            self.bar.setColorMap(colour_map)

    def clear(self) -> None:
        self.image = self.grid = self.qimage = self._converted = self._zoom = None
        self.update()

    def fit(self) -> None:
        """The whole picture in view again."""
        self._zoom = None
        self.update()

    # -- where the picture is ---------------------------------------------------------------------
    def _room(self) -> QSize:
        """The size of the picture's part of the widget (left of the bar)."""
        bar = self._bar_view.width() if self._bar_view is not None else 0
        return QSize(max(1, self.width() - bar), max(1, self.height()))

    def _fit_scale(self) -> float:
        height, width = self.image.shape
        room = self._room()
        return min(room.width() / width, room.height() / height) / (1 + 2 * FIT_PADDING)

    def _placement(self) -> tuple[float, float, float]:
        """(screen px per map pixel, left, top): where the map is drawn now."""
        height, width = self.image.shape
        room, fit = self._room(), self._fit_scale()
        scale, x, y = (fit, width / 2, height / 2) if self._zoom is None else self._zoom
        scale = max(scale, fit)
        return scale, _edge(x, scale, width, room.width()), _edge(y, scale, height, room.height())

    def image_point(self, pos: QPointF) -> QPointF | None:
        """The map point (x, y in map pixels) under widget point ``pos``; None with no map."""
        if self.image is None:
            return None
        scale, left, top = self._placement()
        return QPointF((pos.x() - left) / scale, (pos.y() - top) / scale)

    def widget_point(self, x: float, y: float) -> QPointF | None:
        """The widget point where map point (x, y) is drawn; None with no map."""
        if self.image is None:
            return None
        scale, left, top = self._placement()
        return QPointF(left + x * scale, top + y * scale)

    def pixel_on_screen(self) -> float:
        """How many screen pixels one map pixel is wide now (0 with no map)."""
        return self._placement()[0] if self.image is not None else 0.0

    def _zoom_to(self, scale: float, anchor: QPointF, point: QPointF) -> None:
        """Map point ``point`` drawn at widget point ``anchor``, ``scale`` px a pixel (clamped to
        between the fitted size and the cap; kept as the view shows it)."""
        fit = self._fit_scale()
        scale = min(max(scale, fit), max(fit, MOST_PX_PER_PIXEL))
        if scale <= fit:
            self._zoom = None
        else:
            height, width = self.image.shape
            room = self._room()
            left = _edge(point.x() + (room.width() / 2 - anchor.x()) / scale, scale, width, room.width())
            top = _edge(point.y() + (room.height() / 2 - anchor.y()) / scale, scale, height, room.height())
            self._zoom = (scale, (room.width() / 2 - left) / scale, (room.height() / 2 - top) / scale)
        self.update()

    def resizeEvent(self, event) -> None:  # noqa: N802 - grown past the zoom: fitted again
        super().resizeEvent(event)
        if self._zoom is not None and self._zoom[0] <= self._fit_scale():
            self._zoom = None

    # -- painting -----------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        if self.image is None:
            painter.fillRect(event.rect(), self.background)
        else:
            scale, left, top = self._placement()
            height, width = self.image.shape
            # on whole screen pixels: a pixel the picture's edge only crosses would be left unpainted
            x, y = round(left), round(top)
            drawn = QRect(x, y, round(left + width * scale) - x, round(top + height * scale) - y)
            # an opaque picture covers what is under it: the background only around it
            around = QRegion(event.rect()) - QRegion(drawn) if self._opaque else QRegion(event.rect())
            for rect in around:
                painter.fillRect(rect, self.background)
            painter.drawImage(drawn, self._screen_image(scale))
        painter.end()

    def _screen_image(self, scale: float) -> QImage:
        """The map in the screen's format; drawn smaller than its size, only the pixels the screen
        shows (one in ``step``, every line between tiles kept), converted again when the step changes."""
        step = max(1, int(1.0 / (scale * self.devicePixelRatioF())))
        if self._converted is None or self._converted[0] != step:
            image = self.image[np.ix_(*self.grid.every(step))] if step > 1 else self.image
            pixels = bgra_pixels(image, self._table)
            self._converted = (step, pixels)
            self.qimage = QImage(pixels.data, pixels.shape[1], pixels.shape[0], pixels.strides[0],
                                 QImage.Format.Format_RGB32 if self._opaque
                                 else QImage.Format.Format_ARGB32_Premultiplied)
        return self.qimage

    # -- pointing -----------------------------------------------------------------------------------
    def locate(self, pos: QPointF) -> tuple[int, int, int] | None:
        """(tile, row, column) of the map pixel under widget point ``pos``, or None off it or on a gap."""
        point = self.image_point(pos)
        if point is None or not (math.isfinite(point.x()) and math.isfinite(point.y())):
            return None
        return self.grid.locate(point.y(), point.x())

    def _hover(self, pos: QPointF) -> None:
        hit = self.locate(pos)
        if hit is not None:
            self.hovered.emit(*hit)

    def mousePressEvent(self, event) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton or self.image is None:
            super().mousePressEvent(event)
            return
        self._press = (event.position(), *self._placement())
        self._dragged = False
        event.accept()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        pos = event.position()
        self._mouse = QPointF(pos)
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            start, scale, left, top = self._press
            moved = pos - start
            self._dragged = self._dragged or moved.manhattanLength() >= QApplication.startDragDistance()
            if self._dragged and self._zoom is not None:  # pan: the point grabbed stays under the mouse
                self._zoom_to(scale, pos, QPointF((start.x() - left) / scale, (start.y() - top) / scale))
            return
        self._hover(pos)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            super().mouseReleaseEvent(event)
            return
        if not self._dragged:
            hit = self.locate(event.position())
            if hit is not None:
                self.clicked.emit(*hit)
        self._press = None
        event.accept()

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self.fit()
            event.accept()
        else:
            super().mouseDoubleClickEvent(event)

    def wheelEvent(self, event) -> None:  # noqa: N802
        point = self.image_point(event.position())
        if point is None:
            event.ignore()  # nothing to zoom: a scroll area around may scroll
            return
        notches = event.angleDelta().y() / 120
        self._zoom_to(self._placement()[0] * WHEEL_STEP ** notches, event.position(), point)
        event.accept()

    def leaveEvent(self, event) -> None:  # noqa: N802
        self._mouse = None
        super().leaveEvent(event)
