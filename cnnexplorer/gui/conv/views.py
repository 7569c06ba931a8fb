"""Input and output of the convolution lab side by side, zoom and pan linked, output in the input's
coordinates (each output pixel sits over the centre of the window it came from)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Signal

import cnnexplorer.gui  # noqa: F401  (row-major image axes)
from cnnexplorer.core.display.colormap import DIVERGING, display_levels, is_signed
from cnnexplorer.core.conv.ops import effective_size, geometry
from cnnexplorer.core.conv.lab import LabResult, LabSettings

DIVERGING_MAP = pg.ColorMap(np.linspace(0, 1, 256), DIVERGING)
GRAY_MAP = pg.ColorMap([0.0, 1.0], [(0, 0, 0), (255, 255, 255)])


def zero_centred(kernel: np.ndarray) -> bool:
    """Kernels summing to ~0 (edges, derivatives) make outputs centred on zero: show them diverging.
    Others (blur, sharpen) give a picture: show it in gray from its minimum to its maximum."""
    return abs(float(kernel.sum())) < 0.05 * float(np.abs(kernel).sum())


def output_placement(settings: LabSettings, input_shape, output_shape) -> QRectF:
    """Where the output image lies in input pixel coordinates."""
    geo = geometry(input_shape[:2], settings.kernel.shape, stride=settings.stride, padding=settings.conv_padding,
                   dilation=settings.dilation)
    pooled = settings.pool != "none"
    pool_size = settings.pool_size if pooled else 1
    pool_stride = settings.pool_stride if pooled else 1
    corners = []
    for axis, pad in ((0, geo.pad[0]), (1, geo.pad[2])):
        step = geo.stride[axis] * pool_stride
        k_eff = effective_size(settings.kernel.shape[axis], geo.dilation[axis])
        centre = (pool_size - 1) / 2 * geo.stride[axis] - pad + (k_eff - 1) / 2
        corners.append((centre + 0.5 - step / 2, step))
    (y0, sy), (x0, sx) = corners
    return QRectF(x0, y0, output_shape[1] * sx, output_shape[0] * sy)


class ConvViews(pg.GraphicsLayoutWidget):
    """``draw`` shows a lab result; ``output_clicked(oy, ox)`` and ``hovered(text)`` report the mouse."""

    output_clicked = Signal(int, int)
    hovered = Signal(str)

    def __init__(self, parent=None) -> None:
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
        self._rect = QRectF()
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
        if shown.ndim == 3:
            self.output_image.setLookupTable(None)
            self.output_image.setImage(shown, levels=levels, autoLevels=False)
            self.colour_bar.hide()
        else:
            self.colour_bar.show()
            self.colour_bar.setColorMap(DIVERGING_MAP if signed else GRAY_MAP)
            self.output_image.setImage(shown, autoLevels=False)
            self.colour_bar.setImageItem(self.output_image)
            self.colour_bar.setLevels(levels)
        self._rect = output_placement(settings, source.shape, out.shape)
        self.output_image.setRect(self._rect)
        if self._fitted_shape != source.shape:
            self._fitted_shape = source.shape
            self.input_box.autoRange(padding=0.02)

    def output_index(self, x: float, y: float) -> tuple[int, int] | None:
        """The output pixel under input-coordinate point (x, y), if any."""
        if self.result is None or self._rect.width() <= 0:
            return None
        out = self.result.output
        ox = int(np.floor((x - self._rect.x()) / self._rect.width() * out.shape[1]))
        oy = int(np.floor((y - self._rect.y()) / self._rect.height() * out.shape[0]))
        return (oy, ox) if 0 <= oy < out.shape[0] and 0 <= ox < out.shape[1] else None

    def mark(self, oy: int, ox: int, rows: np.ndarray, cols: np.ndarray) -> None:
        """Outline output pixel (oy, ox) and the input taps (rows × cols) that made it."""
        step_x = self._rect.width() / self.result.output.shape[1]
        step_y = self._rect.height() / self.result.output.shape[0]
        self.marker.setData([self._rect.x() + (ox + 0.5) * step_x], [self._rect.y() + (oy + 0.5) * step_y],
                            size=max(step_x, step_y))
        h, w = self.result.input.shape[:2]
        ys, xs = np.meshgrid(rows, cols, indexing="ij")
        inside = (ys >= 0) & (ys < h) & (xs >= 0) & (xs < w)
        pens = [pg.mkPen("#ffd400" if ok else "#ff4d4d", width=2) for ok in inside.ravel()]
        self.taps.setData(xs.ravel() + 0.5, ys.ravel() + 0.5, pen=pens)

    def value_text(self, x: float, y: float) -> str:
        if self.result is None:
            return ""
        parts = []
        source = self.result.input
        ix, iy = int(np.floor(x)), int(np.floor(y))
        if 0 <= iy < source.shape[0] and 0 <= ix < source.shape[1]:
            parts.append(f"input ({iy}, {ix}) = {_fmt(source[iy, ix])}")
        index = self.output_index(x, y)
        if index is not None:
            parts.append(f"output {index} = {_fmt(self.result.output[index])}")
        return " · ".join(parts)

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


def _fmt(value) -> str:
    values = np.atleast_1d(value)
    return ", ".join(f"{v:.4g}" for v in values) if values.size > 1 else f"{values[0]:.4g}"
