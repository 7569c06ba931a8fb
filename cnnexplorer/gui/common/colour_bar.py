"""A colour bar: the colour map's gradient in a frame beside an axis of the values it spans.

pyqtgraph's ``ColorBarItem`` is a whole plot (four axes, a plot-options form and a view menu, built
even when never used): about 10 ms to build, and every window has four. This is a gradient, a
frame and one axis: about a quarter of that. It does what the app asks of a bar: show a colour map
and the levels it is drawn between."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Signal
from PySide6.QtGui import QFontMetricsF

BAR_MARGINS_PX = 11  # a bar view's frame and layout margins about its bar
WIDEST_VALUE = "-0.025"  # the axis has room for a value this wide in its tick font (45 px at 9 pt)
_RAMP = np.arange(256, dtype=np.uint8)[:, None]  # one column, low values in the first row (at the bottom)


class ValuesAxis(pg.AxisItem):
    """An axis of fixed width (the picture beside it never shifts as the values change) that widens
    with its tick font: pyqtgraph leaves out every number that does not fit, so a bar in presenter
    view's bigger type would show "0" alone."""

    width_fitted = Signal()  # the axis took the width its tick font asks for

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._fit_width()

    def setTickFont(self, font) -> None:  # noqa: N802 - pyqtgraph's name
        super().setTickFont(font)
        self._fit_width()

    def tick_metrics(self) -> QFontMetricsF:
        """The metrics of the numbers' font (the axis's own while no tick font is set)."""
        return QFontMetricsF(self.style["tickFont"] or self.font())

    def _fit_width(self) -> None:
        offset = max(0, self.style["tickLength"]) + self.style["tickTextOffset"][0]
        self.setWidth(math.ceil(self.tick_metrics().horizontalAdvance(WIDEST_VALUE) + offset + 1))
        self.width_fitted.emit()


class ColourBar(pg.GraphicsLayout):
    """``colour_map``'s gradient, ``width`` px wide, beside an axis of the values from
    :meth:`setLevels` (default 0…1)."""

    def __init__(self, colour_map: pg.ColorMap | None = None, width: int = 14) -> None:
        super().__init__()
        self.box = pg.ViewBox(border=pg.mkPen(pg.getConfigOption("foreground")), enableMouse=False,
                              enableMenu=False, defaultPadding=0.0)
        self.gradient = pg.ImageItem(axisOrder="row-major")
        self.box.addItem(self.gradient)
        self.axis = ValuesAxis("right", linkView=self.box)
        self.addItem(self.box, row=0, col=0)
        self.addItem(self.axis, row=0, col=1)
        self.layout.setColumnFixedWidth(0, width)
        self.bar_width = width
        self.layout.setHorizontalSpacing(0)
        self._make_room_for_end_values()
        self.axis.width_fitted.connect(self._make_room_for_end_values)
        self._levels = (0.0, 1.0)
        if colour_map is not None:
            self.setColorMap(colour_map)
        self.setLevels(self._levels)

    def setColorMap(self, colour_map: pg.ColorMap) -> None:  # noqa: N802 - pyqtgraph's name, as ColorBarItem
        self.gradient.setImage(_RAMP, lut=colour_map.getLookupTable(nPts=256, alpha=False), levels=(0, 255),
                               autoLevels=False)

    def setLevels(self, levels: tuple[float, float]) -> None:  # noqa: N802
        low, high = float(levels[0]), float(levels[1])
        self._levels = (low, high)
        span = high - low if high > low else 1.0  # one value: a unit-high bar from it
        self.gradient.setRect(QRectF(0.0, low, 1.0, span))
        self.box.setRange(xRange=(0.0, 1.0), yRange=(low, low + span), padding=0.0)

    def levels(self) -> tuple[float, float]:
        return self._levels

    def _make_room_for_end_values(self) -> None:
        """The numbers at the ends stand half a line past the gradient: room for them above and
        below, so that a view's edge never cuts them."""
        half_line = math.ceil(self.axis.tick_metrics().height() / 2)
        self.setContentsMargins(0, half_line, 0, half_line)

    def width_needed(self) -> int:
        """The gradient and the axis side by side, in px."""
        return self.bar_width + int(self.axis.fixedWidth)


class ColourBarView(pg.GraphicsLayoutWidget):
    """A colour bar standing on its own beside pictures (not in one): as wide as the bar and its axis
    need, wider with presenter view's bigger type."""

    def __init__(self, colour_map: pg.ColorMap | None = None, parent=None) -> None:
        super().__init__(parent)
        self.bar = ColourBar(colour_map)
        self.addItem(self.bar)
        self._fit_width()
        self.bar.axis.width_fitted.connect(self._fit_width)

    def _fit_width(self) -> None:
        self.setFixedWidth(self.bar.width_needed() + BAR_MARGINS_PX)
