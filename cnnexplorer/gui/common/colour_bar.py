"""A colour bar: the colour map's gradient in a frame beside an axis of the values it spans.

pyqtgraph's ``ColorBarItem`` is a whole plot (four axes, a plot-options form and a view menu, built
even when never used): about 10 ms to build, and every window has four. This is a gradient, a
frame and one axis: about a quarter of that. It does what the app asks of a bar: show a colour map
and the levels it is drawn between."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF

AXIS_WIDTH = 45  # px: room for values like "-1e+03" (as pyqtgraph's bar gives its axis)
_RAMP = np.arange(256, dtype=np.uint8)[:, None]  # one column, low values in the first row (at the bottom)


class ColourBar(pg.GraphicsLayout):
    """``colour_map``'s gradient, ``width`` px wide, beside an axis of the values from
    :meth:`setLevels` (default 0…1)."""

    def __init__(self, colour_map: pg.ColorMap | None = None, width: int = 14) -> None:
        super().__init__()
        self.setContentsMargins(0, 0, 0, 0)
        self.box = pg.ViewBox(border=pg.mkPen(pg.getConfigOption("foreground")), enableMouse=False,
                              enableMenu=False, defaultPadding=0.0)
        self.gradient = pg.ImageItem(axisOrder="row-major")
        self.box.addItem(self.gradient)
        self.axis = pg.AxisItem("right", linkView=self.box)
        self.axis.setWidth(AXIS_WIDTH)
        self.addItem(self.box, row=0, col=0)
        self.addItem(self.axis, row=0, col=1)
        self.layout.setColumnFixedWidth(0, width)
        self.layout.setHorizontalSpacing(0)
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
