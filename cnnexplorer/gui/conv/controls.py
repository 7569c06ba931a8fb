"""Controls of the convolution lab: stride, padding, dilation, border, channels, bias, activation, pooling."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QSpinBox, QWidget

from cnnexplorer.core.conv.ops import BORDERS
from cnnexplorer.core.conv.lab import ACTIVATIONS, CHANNEL_MODES, PADDINGS, LabSettings

CHANNEL_LABELS = {"gray": "gray (1 channel)", "rgb": "R, G, B separately", "summed": "one filter over RGB"}


def _pair_row(first: QWidget, second: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(first)
    row.addWidget(second)
    return row


class ConvControls(QWidget):
    """Edits everything in :class:`LabSettings` but the kernel; ``changed`` fires on any edit."""

    changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("ConvControls")
        self.stride_y = QSpinBox(minimum=1, maximum=16, prefix="y ", toolTip="Vertical stride")
        self.stride_x = QSpinBox(minimum=1, maximum=16, prefix="x ", toolTip="Horizontal stride")
        self.padding = QComboBox(toolTip="valid: no padding · same: output ⌈n/s⌉ · full: k_eff−1 · explicit")
        self.padding.addItems(list(PADDINGS))
        self.padding.setCurrentText("same")
        self.pad_y = QSpinBox(minimum=0, maximum=32, value=1, prefix="y ", toolTip="Explicit padding rows")
        self.pad_x = QSpinBox(minimum=0, maximum=32, value=1, prefix="x ", toolTip="Explicit padding columns")
        self.dilation_y = QSpinBox(minimum=1, maximum=8, prefix="y ", toolTip="Gap between kernel rows")
        self.dilation_x = QSpinBox(minimum=1, maximum=8, prefix="x ", toolTip="Gap between kernel columns")
        self.border = QComboBox(toolTip="What padded pixels hold")
        self.border.addItems(list(BORDERS))
        self.channels = QComboBox()
        for mode in CHANNEL_MODES:
            self.channels.addItem(CHANNEL_LABELS[mode], mode)
        self.bias = QDoubleSpinBox(minimum=-1000, maximum=1000, decimals=2, singleStep=1.0, toolTip="Added after the sum")
        self.activation = QComboBox()
        self.activation.addItems(list(ACTIVATIONS))
        self.pool = QComboBox(toolTip="Pooling after the activation")
        self.pool.addItems(["none", "max", "avg"])
        self.pool_size = QSpinBox(minimum=1, maximum=8, value=2, prefix="size ")
        self.pool_stride = QSpinBox(minimum=1, maximum=8, value=2, prefix="stride ")

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Stride", _pair_row(self.stride_y, self.stride_x))
        padding_row = QHBoxLayout()
        for widget in (self.padding, self.pad_y, self.pad_x):
            padding_row.addWidget(widget)
        form.addRow("Padding", padding_row)
        form.addRow("Dilation", _pair_row(self.dilation_y, self.dilation_x))
        form.addRow("Border", self.border)
        form.addRow("Channels", self.channels)
        form.addRow("Bias", self.bias)
        form.addRow("Activation", self.activation)
        pool_row = QHBoxLayout()
        for widget in (self.pool, self.pool_size, self.pool_stride):
            pool_row.addWidget(widget)
        form.addRow("Pooling", pool_row)

        for spin in (self.stride_y, self.stride_x, self.pad_y, self.pad_x, self.dilation_y, self.dilation_x,
                     self.pool_size, self.pool_stride):
            spin.valueChanged.connect(self._emit)
        self.bias.valueChanged.connect(self._emit)
        for combo in (self.padding, self.border, self.channels, self.activation, self.pool):
            combo.currentIndexChanged.connect(self._emit)
        self._emit()

    def _emit(self, *_) -> None:
        explicit = self.padding.currentText() == "explicit"
        self.pad_y.setEnabled(explicit)
        self.pad_x.setEnabled(explicit)
        pooled = self.pool.currentText() != "none"
        self.pool_size.setEnabled(pooled)
        self.pool_stride.setEnabled(pooled)
        self.changed.emit()

    def settings(self, kernel: np.ndarray) -> LabSettings:
        return LabSettings(
            kernel=kernel,
            stride=(self.stride_y.value(), self.stride_x.value()),
            padding=self.padding.currentText(),
            pad_amount=(self.pad_y.value(), self.pad_x.value()),
            dilation=(self.dilation_y.value(), self.dilation_x.value()),
            border=self.border.currentText(),
            channels=self.channels.currentData(),
            bias=self.bias.value(),
            activation=self.activation.currentText(),
            pool=self.pool.currentText(),
            pool_size=self.pool_size.value(),
            pool_stride=self.pool_stride.value(),
        )
