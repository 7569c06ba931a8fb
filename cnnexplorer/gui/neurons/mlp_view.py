"""A small MLP on a 2-D toy problem: forward values, one backprop step with its chain-rule terms,
training with the loss curve and the decision region redrawn as it learns."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cnnexplorer.core.i18n import tr
from cnnexplorer.gui.common.plots import configure_pyqtgraph
from cnnexplorer.gui.common.settings_strip import SettingsStrip, beside_strip
from cnnexplorer.gui.common.stage import lesson_picture
from cnnexplorer.core.neurons.mlp import Grads, accuracy, backward, forward, init_layers, output_over_plane, step
from cnnexplorer.core.neurons.readouts import chain_rule_lines
from cnnexplorer.core.neurons.toy_data import PROBLEMS, make
from cnnexplorer.core.neurons.training_run import TrainingRun
from cnnexplorer.gui.neurons.labels import ACTIVATION_LABELS, PROBLEM_LABELS, fill
from cnnexplorer.gui.neurons.network_drawing import NetworkDrawing
from cnnexplorer.gui.neurons.stepper import Stepper

EXTENT = 1.8
GRID = np.linspace(-EXTENT, EXTENT, 121)


class MlpView(QWidget):
    def __init__(self, parent=None) -> None:
        configure_pyqtgraph()
        super().__init__(parent)
        self.setObjectName("MlpView")
        self.problem = QComboBox()
        fill(self.problem, PROBLEMS, PROBLEM_LABELS)
        self.hidden = QSpinBox(minimum=1, maximum=32, value=6)
        self.layers_count = QSpinBox(minimum=1, maximum=3, value=1)
        self.activation = QComboBox()
        fill(self.activation, ("tanh", "sigmoid", "relu"), ACTIVATION_LABELS)
        self.lr = QDoubleSpinBox(minimum=0.001, maximum=10, value=0.5, decimals=3, singleStep=0.1)
        self.sample = QSpinBox(minimum=0, maximum=199, prefix=tr("sample "),
                               toolTip=tr("The sample shown on the nodes"))
        self.step_button = QPushButton(tr("Backprop one step"))
        self.train_button = QPushButton(tr("Train"), checkable=True)
        self.reset_button = QPushButton(tr("Reset"))
        self.status = QLabel(objectName="MlpStatus")
        self.chain = QLabel(objectName="MlpChain", wordWrap=True)
        self.chain.setStyleSheet("font-family: monospace;")
        self.network = NetworkDrawing()

        plots = pg.GraphicsLayoutWidget()
        self.region_plot = plots.addPlot(row=0, col=0, title=tr("decision region"))
        self.region_plot.setAspectLocked(True)
        self.region = pg.ImageItem(colorMap=pg.colormap.get("CET-D1"))
        self.region_plot.addItem(self.region)
        self.points = pg.ScatterPlotItem(size=7, pen=pg.mkPen("w", width=0.8))
        self.picked = pg.ScatterPlotItem(size=16, brush=None, pen=pg.mkPen("#ffd400", width=3))
        self.region_plot.addItem(self.points)
        self.region_plot.addItem(self.picked)
        self.loss_plot = plots.addPlot(row=1, col=0, title=tr("loss"))
        self.loss_plot.setLabel(axis="bottom", text=tr("updates"))
        self.loss_plot.getAxis("bottom").enableAutoSIPrefix(False)
        self.loss_plot.setLimits(xMin=0)
        self.loss_curve = self.loss_plot.plot(pen=pg.mkPen("#b2182b", width=2))

        # The problem and the network's shape are set before talking; stepping and training are live.
        setup = QWidget()
        form = QFormLayout(setup)
        form.addRow(tr("Problem"), self.problem)
        form.addRow(tr("Hidden layers"), self.layers_count)
        form.addRow(tr("Neurons per layer"), self.hidden)
        form.addRow(tr("Activation"), self.activation)
        form.addRow(tr("Learning rate"), self.lr)
        self.strip = SettingsStrip(setup, tr("Network"))
        live = QHBoxLayout()
        for widget in (self.sample, self.step_button, self.train_button, self.reset_button):
            live.addWidget(widget)
        live.addStretch(1)
        pictures = QHBoxLayout()
        pictures.addWidget(lesson_picture(self.network), 3)
        pictures.addWidget(lesson_picture(plots), 2)
        stage = QVBoxLayout()
        stage.addLayout(live)
        stage.addLayout(pictures, 1)
        stage.addWidget(self.chain)
        stage.addWidget(self.status)
        beside_strip(self.strip, stage, self)

        self.stepper = Stepper(steps_per_tick=10, parent=self)
        self.stepper.updated.connect(self._on_trained)
        self.stepper.finished.connect(lambda: self.train_button.setChecked(False))
        self.step_button.clicked.connect(self.backprop_once)
        self.train_button.toggled.connect(self._on_train_toggled)
        self.reset_button.clicked.connect(self.reset)
        for widget in (self.problem, self.activation):
            widget.currentIndexChanged.connect(self.reset)
        for spin in (self.hidden, self.layers_count):
            spin.valueChanged.connect(self.reset)
        self.sample.valueChanged.connect(lambda *_: self.redraw())
        self.reset()

    def reset(self, *_) -> None:
        self.stepper.stop()
        self.x, self.y = make(self.problem.currentData(), n=200, seed=0)
        sizes = [2] + [self.hidden.value()] * self.layers_count.value() + [1]
        self.layers = init_layers(sizes, self.activation.currentData(), "sigmoid", "glorot", seed=1)
        self.run = TrainingRun("mlp", self.layers, self.x, self.y, self.lr.value())
        self.run.record()  # the loss before any update is the first point, not "nan"
        self.grads: Grads | None = None
        self.points.setData(self.x[:, 0], self.x[:, 1],
                            brush=[pg.mkBrush("#b2182b" if v else "#2166ac") for v in self.y[:, 0]])
        self.loss_curve.setData([0], self.run.history)
        self.chain.setText(
            tr("“Backprop one step” shows ∂L/∂a · ∂a/∂z · ∂z/∂w for the picked sample."))
        self.redraw()

    def backprop_once(self) -> None:
        """One gradient step on the whole set, showing the chain-rule terms that made it."""
        trace = forward(self.x, self.layers)
        self.grads = backward(trace, self.y, "bce")
        i = self.sample.value()
        self.chain.setText("\n".join(chain_rule_lines(self.grads, i)))
        self.network.draw(self.layers, trace, i, self.grads)
        step(self.layers, self.grads, self.lr.value())
        self.run.record()
        self._draw_region()
        self._update_status()

    def _on_train_toggled(self, training: bool) -> None:
        if training:
            self.run.lr = self.lr.value()
            self.stepper.runs = [self.run]
            self.stepper.resume(3000)
            self.train_button.setText(tr("Stop"))
        else:
            self.stepper.stop()
            self.train_button.setText(tr("Train"))

    def _on_trained(self) -> None:
        history = self.run.history
        self.loss_curve.setData(np.arange(len(history)), history)
        if self.stepper.done_steps % 50 == 0 or not self.stepper.running:
            self.redraw()

    def redraw(self) -> None:
        trace = forward(self.x, self.layers)
        self.network.draw(self.layers, trace, self.sample.value(), self.grads)
        x, y = self.x[self.sample.value()]
        self.picked.setData([x], [y])
        self._draw_region()
        self._update_status()

    def _draw_region(self) -> None:
        self.region.setImage(output_over_plane(self.layers, GRID), levels=(0, 1))
        self.region.setRect(-EXTENT, -EXTENT, 2 * EXTENT, 2 * EXTENT)

    def _update_status(self) -> None:
        self.status.setText(tr("loss {loss} · accuracy {accuracy} · {updates} updates",
                               loss=format(self.run.history[-1], ".4f"),
                               accuracy=format(accuracy(self.layers, self.x, self.y), ".1%"),
                               updates=len(self.run.history) - 1))
