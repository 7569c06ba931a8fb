"""Input and output of the convolution lab: two linked pictures side by side, the output in the
input's coordinates (each output pixel sits over the centre of the window it came from)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from cnnexplorer.core.conv.kernels import zero_centred
from cnnexplorer.core.conv.lab import LabResult, LabSettings
from cnnexplorer.core.conv.placement import OutputPlacement, output_placement
from cnnexplorer.core.conv.readouts import hover_text
from cnnexplorer.core.display.colormap import display_levels, is_signed, to_bytes
from cnnexplorer.core.i18n import tr
from cnnexplorer.gui.common.colour_bar import ColourBarView
from cnnexplorer.gui.common.picture_view import PictureView
from cnnexplorer.gui.common.plots import DIVERGING_MAP, GRAY_MAP
from cnnexplorer.gui.common.stage import lesson_picture


class ConvViews(QWidget):
    """``draw`` shows a lab result; ``output_clicked(oy, ox)`` and ``hovered(text)`` report the mouse."""

    output_clicked = Signal(int, int)
    hovered = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("ConvViews")
        self.input_view = lesson_picture(PictureView(tr("input"), pixel_grid=True))
        self.input_view.setObjectName("ConvInput")
        self.output_view = lesson_picture(PictureView(tr("output"), DIVERGING_MAP, pixel_grid=True))
        self.output_view.setObjectName("ConvOutput")
        self.output_view.link_to(self.input_view)
        # The bar stands beside the pictures, not in one: both views are the same size, so the
        # output, zoomed and panned with the input, keeps square pixels.
        self.bar_view = ColourBarView(DIVERGING_MAP)
        self.colour_bar = self.bar_view.bar
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.input_view, 1)
        layout.addWidget(self.output_view, 1)
        layout.addWidget(self.bar_view)
        self.taps = pg.ScatterPlotItem(pxMode=False, symbol="s", size=0.9, brush=None)
        self.input_view.add_item(self.taps)
        self.marker = pg.ScatterPlotItem(pxMode=False, symbol="s", brush=None, pen=pg.mkPen("#ffd400", width=2))
        self.output_view.add_item(self.marker)
        self.absolute = False
        self.result: LabResult | None = None
        self.placement: OutputPlacement | None = None
        for view in (self.input_view, self.output_view):
            view.set_readout(self.value_text)
            view.readout.connect(self.hovered)
        self.output_view.clicked.connect(lambda _tile, oy, ox: self.output_clicked.emit(oy, ox))

    def link_to(self, other: ConvViews) -> None:
        """Zoom and pan with ``other``'s pictures (a second kernel on the same frame)."""
        self.input_view.link_to(other.input_view)
        self.output_view.link_to(other.input_view)

    def draw(self, result: LabResult, settings: LabSettings) -> None:
        self.result = result
        source = result.input
        out = result.output
        shown = np.abs(out) if self.absolute else out
        signed = is_signed(shown) and zero_centred(settings.kernel)
        levels = display_levels(shown, signed)
        if shown.ndim == 3:
            self.output_view.set_colour_map(None)
        else:
            colour_map = DIVERGING_MAP if signed else GRAY_MAP
            self.output_view.set_colour_map(colour_map)
            self.colour_bar.setColorMap(colour_map)
            self.colour_bar.setLevels(levels)
        self.bar_view.setVisible(shown.ndim == 2)
        self.placement = placement = output_placement(settings, source.shape, out.shape)
        self.input_view.show_image(source, (0, 255))
        # As bytes: pyqtgraph would rescale floats at every repaint in a loop of small steps.
        self.output_view.show_image(to_bytes(shown, levels), (0, 255),
                                    rect=QRectF(placement.x, placement.y, placement.width, placement.height))

    def mark(self, oy: int, ox: int, rows: np.ndarray, cols: np.ndarray) -> None:
        """Outline output pixel (oy, ox) and the input taps (rows × cols) that made it."""
        x, y = self.placement.centre_of(oy, ox)
        self.marker.setData([x], [y], size=max(self.placement.pixel_size))
        h, w = self.result.input.shape[:2]
        ys, xs = np.meshgrid(rows, cols, indexing="ij")
        inside = (ys >= 0) & (ys < h) & (xs >= 0) & (xs < w)
        pens = [pg.mkPen("#ffd400" if ok else "#ff4d4d", width=2) for ok in inside.ravel()]
        self.taps.setData(xs.ravel() + 0.5, ys.ravel() + 0.5, pen=pens)

    def value_text(self, x: float, y: float) -> str:
        return hover_text(self.result, self.placement, x, y) if self.result is not None else ""
