"""One neuron: inputs, weights, bias and activation on sliders; the sum and output written out."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from cnnexplorer.core.i18n import tr
from cnnexplorer.gui.common.plots import configure_pyqtgraph
from cnnexplorer.gui.common.stage import lesson_picture
from cnnexplorer.gui.common.value_slider import ValueSlider
from cnnexplorer.core.neurons.activation_functions import activate
from cnnexplorer.core.neurons.mlp import ACTIVATIONS, Layer, forward, output_over_plane
from cnnexplorer.core.neurons.readouts import weighted_sum
from cnnexplorer.gui.neurons.labels import ACTIVATION_LABELS, fill

PLANE = np.linspace(-2.0, 2.0, 161)
SLIDER_WIDTH = 240  # px: long enough to set a value to the hundredth by dragging


def _slider(value: float, low: float = -2.0, high: float = 2.0) -> ValueSlider:
    slider = ValueSlider(value, low, high)
    slider.slider.setMinimumWidth(SLIDER_WIDTH)
    return slider


class OneNeuronView(QWidget):
    """A neuron with 2 or 3 inputs; for 2 inputs its decision over the input plane."""

    def __init__(self, parent=None) -> None:
        configure_pyqtgraph()
        super().__init__(parent)
        self.setObjectName("OneNeuronView")
        self.inputs_count = QSpinBox(minimum=2, maximum=3, value=2, prefix=tr("inputs "))
        self.activation = QComboBox()
        fill(self.activation, ACTIVATIONS, ACTIVATION_LABELS, current="sigmoid")
        self.x = [_slider(v) for v in (1.0, 0.5, -0.5)]
        self.w = [_slider(v, -3, 3) for v in (0.8, -1.2, 0.5)]
        self.bias = _slider(0.2, -3, 3)
        self.equation = QLabel(objectName="NeuronEquation", wordWrap=True)
        self.equation.setStyleSheet("font-size: 15px;")
        self.output = QLabel(objectName="NeuronOutput")
        self.output.setStyleSheet("font-size: 18px; font-weight: bold;")

        form = QFormLayout()
        top = QHBoxLayout()
        top.addWidget(self.inputs_count)
        top.addWidget(self.activation)
        form.addRow(top)
        self._rows = []
        for i in range(3):
            form.addRow(f"x{i + 1}", self.x[i])
            form.addRow(f"w{i + 1}", self.w[i])
            self._rows.append((self.x[i], self.w[i]))
        form.addRow(tr("bias b"), self.bias)

        plots = pg.GraphicsLayoutWidget()
        self.curve_plot = plots.addPlot(row=0, col=0, title=tr("activation f(z)"))
        self.curve_plot.setLabel(axis="bottom", text="z")
        self.curve = self.curve_plot.plot(pen=pg.mkPen("#2166ac", width=2))
        self.marker = self.curve_plot.plot(symbol="o", symbolBrush="#b2182b", symbolSize=12, pen=None)
        self.plane_plot = plots.addPlot(row=0, col=1, title=tr("output over the input plane (x1, x2)"))
        self.plane_plot.setAspectLocked(True)
        self.plane_image = pg.ImageItem(colorMap=pg.colormap.get("CET-D1"))
        self.plane_image.setRect(-2, -2, 4, 4)
        self.plane_plot.addItem(self.plane_image)
        self.boundary = pg.IsocurveItem(level=0.5, pen=pg.mkPen("k", width=2))
        self.boundary.setParentItem(self.plane_image)
        self.point = pg.ScatterPlotItem(size=12, brush="#ffd400", pen="k")
        self.plane_plot.addItem(self.point)

        # The sliders are live (the lecturer moves them while talking): a column beside the plots,
        # the sum and the output written out under them.
        stage = QVBoxLayout()
        stage.addWidget(lesson_picture(plots), 1)
        stage.addWidget(self.equation)
        stage.addWidget(self.output)
        layout = QHBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(stage, 1)

        for slider in (*self.x, *self.w, self.bias):
            slider.valueChanged.connect(self.refresh)
        self.activation.currentIndexChanged.connect(self.refresh)
        self.inputs_count.valueChanged.connect(self.refresh)
        self.refresh()

    def neuron(self) -> tuple[Layer, np.ndarray]:
        n = self.inputs_count.value()
        weights = np.array([[self.w[i].value() for i in range(n)]])
        layer = Layer(weights, [self.bias.value()], self.activation.currentData())
        return layer, np.array([self.x[i].value() for i in range(n)])

    def refresh(self, *_) -> None:
        n = self.inputs_count.value()
        for i, (x, w) in enumerate(self._rows):
            for widget in (x, w):
                widget.setEnabled(i < n)
        layer, x = self.neuron()
        trace = forward(x, [layer])
        z, a = float(trace.z[0][0, 0]), float(trace.output[0, 0])
        self.equation.setText(weighted_sum(layer, x, z))
        # A formula: names and numbers, the same in every language.
        self.output.setText(f"a = {layer.activation}(z) = {a:.4f}")  # i18n: keep
        self.output_value = a
        zs = np.linspace(min(-6.0, z - 1), max(6.0, z + 1), 400)
        self.curve.setData(zs, activate(zs, layer.activation))
        self.marker.setData([z], [a])
        self.plane_plot.setVisible(n == 2)
        if n == 2:
            values = output_over_plane([layer], PLANE)
            low, high = float(values.min()), float(values.max())
            # Image rows are x2 (upwards in the plot), columns x1; the boundary is where a = ½ (or z = 0).
            self.plane_image.setImage(values, levels=(low, high if high > low else low + 1))
            self.plane_image.setRect(-2, -2, 4, 4)
            self.boundary.setData(values, level=0.5 if layer.activation in ("sigmoid", "step") else 0.0)
            self.point.setData([x[0]], [x[1]])
