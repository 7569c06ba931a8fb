"""Input and output of the convolution lab side by side, zoom and pan linked, output in the input's
coordinates (each output pixel sits over the centre of the window it came from)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Signal

from cnnexplorer.gui.common.picture_menu import PictureMenu
from cnnexplorer.gui.common.plots import configure_pyqtgraph
from cnnexplorer.core.conv.kernels import zero_centred
from cnnexplorer.core.conv.lab import LabResult, LabSettings
from cnnexplorer.core.conv.placement import OutputPlacement, output_placement
from cnnexplorer.core.conv.readouts import hover_text
from cnnexplorer.core.display.colormap import DIVERGING, display_levels, is_signed, to_bytes

DIVERGING_MAP = pg.ColorMap(np.linspace(0, 1, 256), DIVERGING)
GRAY_MAP = pg.ColorMap([0.0, 1.0], [(0, 0, 0), (255, 255, 255)])


class ConvViews(PictureMenu, pg.GraphicsLayoutWidget):
    """``draw`` shows a lab result; ``output_clicked(oy, ox)`` and ``hovered(text)`` report the mouse."""

    output_clicked = Signal(int, int)
    hovered = Signal(str)

    def __init__(self, parent=None) -> None:
        configure_pyqtgraph()
        super().__init__(parent)
        self.setObjectName("ConvViews")
        self.input_box = self.addViewBox(row=0, col=0, lockAspect=True, invertY=True, enableMenu=False)
        self.output_box = self.addViewBox(row=0, col=1, lockAspect=True, invertY=True, enableMenu=False)
        self.output_box.setXLink(self.input_box)
        self.output_box.setYLink(self.input_box)
        self.input_image = pg.ImageItem()
        self.output_image = pg.ImageItem()
        self.input_box.addItem(self.input_image)
        self.output_box.addItem(self.output_image)
        self.colour_bar = pg.ColorBarItem(colorMap=DIVERGING_MAP, interactive=False, width=14)
        self.addItem(self.colour_bar, row=0, col=2)
        self.taps = pg.ScatterPlotItem(pxMode=False, symbol="s", size=0.9, brush=None)
        self.input_box.addItem(self.taps)
        self.marker = pg.ScatterPlotItem(pxMode=False, symbol="s", brush=None, pen=pg.mkPen("#ffd400", width=2))
        self.output_box.addItem(self.marker)
        self.absolute = False
        self.result: LabResult | None = None
        self.placement: OutputPlacement | None = None
        self._fitted_shape = None
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.scene().sigMouseClicked.connect(self._on_mouse_clicked)

    def draw(self, result: LabResult, settings: LabSettings) -> None:
        self.result = result
        source = result.input
        self.input_image.setImage(source, levels=(0, 255), autoLevels=False)
        out = result.output
        shown = np.abs(out) if self.absolute else out
        signed = is_signed(shown) and zero_centred(settings.kernel)
        levels = display_levels(shown, signed)
        # As bytes: pyqtgraph would rescale floats at every repaint in a loop of small steps.
        if shown.ndim == 3:
            self.output_image.setLookupTable(None)
            self.colour_bar.hide()
        else:
            colour_map = DIVERGING_MAP if signed else GRAY_MAP
            self.colour_bar.show()
            self.colour_bar.setColorMap(colour_map)
            self.colour_bar.setLevels(levels)
            self.output_image.setColorMap(colour_map)
        self.output_image.setImage(to_bytes(shown, levels), levels=(0, 255), autoLevels=False)
        placement = output_placement(settings, source.shape, out.shape)
        self.placement = placement
        self.output_image.setRect(QRectF(placement.x, placement.y, placement.width, placement.height))
        if self._fitted_shape != source.shape:
            self._fitted_shape = source.shape
            self.input_box.autoRange(padding=0.02)

    def output_index(self, x: float, y: float) -> tuple[int, int] | None:
        """The output pixel under input-coordinate point (x, y), if any."""
        return self.placement.index_at(x, y) if self.placement is not None else None

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

    def _on_mouse_moved(self, scene_pos) -> None:
        for box in (self.input_box, self.output_box):
            if box.sceneBoundingRect().contains(scene_pos):
                point = box.mapSceneToView(scene_pos)
                self.hovered.emit(self.value_text(point.x(), point.y()))
                return

    def _on_mouse_clicked(self, event) -> None:
        if not self.output_box.sceneBoundingRect().contains(event.scenePos()):
            return
        point = self.output_box.mapSceneToView(event.scenePos())
        index = self.output_index(point.x(), point.y())
        if index is not None:
            self.output_clicked.emit(*index)
