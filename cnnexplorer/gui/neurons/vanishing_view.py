"""Vanishing gradients: per-layer gradient size against depth, activation and initialisation;
the same deep net trained with sigmoid and with ReLU; dropout against overfitting."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QPushButton, QSlider, QVBoxLayout, QWidget

from cnnexplorer.core.neurons.mlp import INITS, gradient_norms
from cnnexplorer.core.neurons.training_run import (
    DEPTH_STEPS,
    DEPTH_WIDTH,
    DROPOUT_STEPS,
    STEPS_PER_POINT,
    depth_runs,
    dropout_runs,
)
from cnnexplorer.core.i18n import tr
from cnnexplorer.gui.common.stage import lesson_picture
from cnnexplorer.gui.neurons.labels import ACTIVATION_LABELS, INIT_LABELS, fill, label
from cnnexplorer.gui.neurons.stepper import Stepper

WITHOUT_COLOUR, WITH_COLOUR = "#b2182b", "#2166ac"


class VanishingView(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("VanishingView")
        self.depth = QSlider(Qt.Orientation.Horizontal, minimum=2, maximum=30, value=10)
        self.depth_label = QLabel()
        self.activation = QComboBox()
        fill(self.activation, ("sigmoid", "tanh", "relu"), ACTIVATION_LABELS)
        self.init = QComboBox()
        fill(self.init, INITS, INIT_LABELS, current="glorot")
        self.compare_button = QPushButton(tr("Train sigmoid vs ReLU"), checkable=True)
        self.dropout_button = QPushButton(tr("Train on a small noisy set, without and with dropout 0.5"),
                                          checkable=True)
        self.summary = QLabel(objectName="VanishingSummary", wordWrap=True)
        self.outcome = QLabel(objectName="VanishingOutcome", wordWrap=True)  # how the last runs ended

        plots = pg.GraphicsLayoutWidget()
        self.bars_plot = plots.addPlot(row=0, col=0, colspan=2, title=tr("gradient size per layer (input → output)"))
        self.bars_plot.setLabel(axis="left", text=tr("log₁₀ mean |∂L/∂W|"))
        self.bars_plot.setLabel(axis="bottom", text=tr("layer"))
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.8, brush="#2166ac")
        self.bars_plot.addItem(self.bars)
        self.compare_plot = plots.addPlot(row=1, col=0, title=tr("same deep net: training loss"))
        self.compare_plot.setLabel(axis="bottom", text=tr("steps"))
        self.compare_plot.addLegend(offset=(-5, 5), brush=(0, 0, 0, 170))
        self.sigmoid_curve = self.compare_plot.plot(pen=pg.mkPen("#b2182b", width=2), name=tr("sigmoid"))
        self.relu_curve = self.compare_plot.plot(pen=pg.mkPen("#1a9850", width=2), name="ReLU")
        self.dropout_plot = plots.addPlot(row=1, col=1, title=tr("40 noisy points: train (dashed) and validation loss"))
        self.dropout_plot.setLabel(axis="bottom", text=tr("steps"))
        self.dropout_plot.addLegend(offset=(-5, 5), brush=(0, 0, 0, 170))  # top right, over a dark backing
        self.dropout_curves = {}
        legends = {"without": (tr("without dropout: train"), tr("without dropout: validation")),
                   "with": (tr("with dropout: train"), tr("with dropout: validation"))}
        for name, colour in (("without", WITHOUT_COLOUR), ("with", WITH_COLOUR)):
            train, validation = legends[name]
            self.dropout_curves[name] = (
                self.dropout_plot.plot(pen=pg.mkPen(colour, width=1, style=Qt.PenStyle.DashLine), name=train),
                self.dropout_plot.plot(pen=pg.mkPen(colour, width=2), name=validation))

        controls = QGridLayout()
        controls.addWidget(QLabel(tr("depth")), 0, 0)
        controls.addWidget(self.depth, 0, 1)
        controls.addWidget(self.depth_label, 0, 2)
        controls.addWidget(self.activation, 0, 3)
        controls.addWidget(self.init, 0, 4)
        controls.addWidget(self.compare_button, 1, 0, 1, 2)
        controls.addWidget(self.dropout_button, 1, 3, 1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(lesson_picture(plots), 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.outcome)

        self.compare = Stepper(steps_per_tick=STEPS_PER_POINT, parent=self)
        self.compare.updated.connect(self._on_compare_updated)
        self.compare.finished.connect(self._on_compare_finished)
        self.dropout = Stepper(steps_per_tick=STEPS_PER_POINT, parent=self)
        self.dropout.updated.connect(self._on_dropout_updated)
        self.dropout.finished.connect(self._on_dropout_finished)
        self.depth.valueChanged.connect(self.refresh)
        self.activation.currentIndexChanged.connect(self.refresh)
        self.init.currentIndexChanged.connect(self.refresh)
        self.compare_button.toggled.connect(self._on_compare_toggled)
        self.dropout_button.toggled.connect(self._on_dropout_toggled)
        self.refresh()

    def refresh(self, *_) -> None:
        depth = self.depth.value()
        self.depth_label.setText(tr("{count} layers", count=depth))
        activation, init = self.activation.currentData(), self.init.currentData()
        self.norms = gradient_norms(depth, DEPTH_WIDTH, activation, init=init)
        heights = np.log10(np.maximum(self.norms, 1e-30))
        self.bars.setOpts(x=np.arange(1, depth + 1), height=heights - heights.min() + 0.5, y0=heights.min() - 0.5)
        self.summary.setText(tr("{activation}, {init} initialisation: the first layer's gradient is {ratio}× the last "
                                "one's", activation=label(activation, ACTIVATION_LABELS),
                                init=label(init, INIT_LABELS), ratio=format(self.norms[0] / self.norms[-1], ".2e")))

    # -- sigmoid vs ReLU ------------------------------------------------------------------------
    def _on_compare_toggled(self, running: bool) -> None:
        if not running:
            self.compare.stop()
            return
        runs = depth_runs(self.depth.value())
        self.compare.start([runs["sigmoid"], runs["relu"]], DEPTH_STEPS)
        self._on_compare_updated()

    def _on_compare_updated(self) -> None:
        sigmoid, relu = self.compare.runs
        steps = np.arange(len(sigmoid.history)) * STEPS_PER_POINT  # the first point is before any step
        self.sigmoid_curve.setData(steps, sigmoid.history)
        self.relu_curve.setData(steps, relu.history)

    def _on_compare_finished(self) -> None:
        self.compare_button.setChecked(False)
        sigmoid, relu = self.compare.runs
        self.outcome.setText(tr(
            "{hidden} hidden layers, training loss after {steps} steps: ReLU/He {relu_start} → {relu_end} · "
            "sigmoid {sigmoid_start} → {sigmoid_end}", hidden=len(relu.layers) - 1, steps=self.compare.done_steps,
            relu_start=format(relu.history[0], ".3f"), relu_end=format(relu.history[-1], ".3f"),
            sigmoid_start=format(sigmoid.history[0], ".3f"), sigmoid_end=format(sigmoid.history[-1], ".3f")))

    # -- dropout ----------------------------------------------------------------------------------
    def _on_dropout_toggled(self, running: bool) -> None:
        if not running:
            self.dropout.stop()
            return
        runs = dropout_runs()
        self.dropout.start([runs["without"], runs["with"]], DROPOUT_STEPS)
        self._on_dropout_updated()

    def _on_dropout_updated(self) -> None:
        for run, (train_curve, val_curve) in zip(self.dropout.runs, self.dropout_curves.values()):
            steps = np.arange(len(run.history)) * STEPS_PER_POINT
            train_curve.setData(steps, run.history)
            val_curve.setData(steps, run.val_history)

    def _on_dropout_finished(self) -> None:
        self.dropout_button.setChecked(False)
        plain, dropped = self.dropout.runs
        self.outcome.setText(tr(
            "after {steps} steps, validation loss: without dropout {plain}, with dropout 0.5 {dropped} "
            "(training loss {plain_train} vs {dropped_train})", steps=self.dropout.done_steps,
            plain=format(plain.val_history[-1], ".3f"), dropped=format(dropped.val_history[-1], ".3f"),
            plain_train=format(plain.history[-1], ".3f"), dropped_train=format(dropped.history[-1], ".3f")))

    def stop(self) -> None:
        self.compare.stop()
        self.dropout.stop()
