"""Controls of the convolution lab: stride, padding, dilation, border, channels, bias, activation, pooling."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QSpinBox, QWidget

from cnnexplorer.core.conv.ops import BORDERS
from cnnexplorer.core.conv.lab import ACTIVATIONS, CHANNEL_MODES, PADDINGS, LabSettings
from cnnexplorer.core.i18n import N_, tr

# What each box shows; the English key stays the item's data (the lab's settings, scene files).
CHANNEL_LABELS = {"gray": N_("gray (1 channel)"), "rgb": N_("R, G, B separately"),
                  "summed": N_("one filter over RGB")}
PADDING_LABELS = {"valid": N_("valid"), "same": N_("same"), "full": N_("full"), "explicit": N_("explicit")}
BORDER_LABELS = {"zero": N_("zero"), "reflect": N_("reflect"), "replicate": N_("replicate")}
ACTIVATION_LABELS = {"none": N_("none"), "relu": N_("relu"), "sigmoid": N_("sigmoid"), "tanh": N_("tanh"),
                     "abs": N_("abs")}
POOL_LABELS = {"none": N_("none"), "max": N_("max"), "avg": N_("avg")}


def _fill(combo: QComboBox, keys, labels: dict[str, str]) -> None:
    """One item per key: its label in the current language, the key as its data."""
    for key in keys:
        combo.addItem(tr(labels.get(key, key)), key)


def _select(combo: QComboBox, key: str) -> None:
    combo.setCurrentIndex(combo.findData(key))


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
        self.stride_y = QSpinBox(minimum=1, maximum=16, prefix="y ", toolTip=tr("Vertical stride"))
        self.stride_x = QSpinBox(minimum=1, maximum=16, prefix="x ", toolTip=tr("Horizontal stride"))
        self.padding = QComboBox(
            toolTip=tr("valid: no padding · same: output ⌈n/s⌉ · full: k_eff−1 · explicit"))
        _fill(self.padding, PADDINGS, PADDING_LABELS)
        _select(self.padding, "same")
        self.pad_y = QSpinBox(minimum=0, maximum=32, value=1, prefix="y ", toolTip=tr("Explicit padding rows"))
        self.pad_x = QSpinBox(minimum=0, maximum=32, value=1, prefix="x ", toolTip=tr("Explicit padding columns"))
        self.dilation_y = QSpinBox(minimum=1, maximum=8, prefix="y ", toolTip=tr("Gap between kernel rows"))
        self.dilation_x = QSpinBox(minimum=1, maximum=8, prefix="x ", toolTip=tr("Gap between kernel columns"))
        self.border = QComboBox(toolTip=tr("What padded pixels hold"))
        _fill(self.border, BORDERS, BORDER_LABELS)
        self.channels = QComboBox()
        _fill(self.channels, CHANNEL_MODES, CHANNEL_LABELS)
        self.bias = QDoubleSpinBox(minimum=-1000, maximum=1000, decimals=2, singleStep=1.0,
                                   toolTip=tr("Added after the sum"))
        self.activation = QComboBox()
        _fill(self.activation, ACTIVATIONS, ACTIVATION_LABELS)
        self.pool = QComboBox(toolTip=tr("Pooling after the activation"))
        _fill(self.pool, POOL_LABELS, POOL_LABELS)
        self.pool_size = QSpinBox(minimum=1, maximum=8, value=2, prefix=tr("size "))
        self.pool_stride = QSpinBox(minimum=1, maximum=8, value=2, prefix=tr("stride "))

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(tr("Stride"), _pair_row(self.stride_y, self.stride_x))
        padding_row = QHBoxLayout()
        for widget in (self.padding, self.pad_y, self.pad_x):
            padding_row.addWidget(widget)
        form.addRow(tr("Padding"), padding_row)
        form.addRow(tr("Dilation"), _pair_row(self.dilation_y, self.dilation_x))
        form.addRow(tr("Border"), self.border)
        form.addRow(tr("Channels"), self.channels)
        form.addRow(tr("Bias"), self.bias)
        form.addRow(tr("Activation"), self.activation)
        pool_row = QHBoxLayout()
        for widget in (self.pool, self.pool_size, self.pool_stride):
            pool_row.addWidget(widget)
        form.addRow(tr("Pooling"), pool_row)

        for spin in (self.stride_y, self.stride_x, self.pad_y, self.pad_x, self.dilation_y, self.dilation_x,
                     self.pool_size, self.pool_stride):
            spin.valueChanged.connect(self._emit)
        self.bias.valueChanged.connect(self._emit)
        for combo in (self.padding, self.border, self.channels, self.activation, self.pool):
            combo.currentIndexChanged.connect(self._emit)
        self._emit()

    def _emit(self, *_) -> None:
        explicit = self.padding.currentData() == "explicit"
        self.pad_y.setEnabled(explicit)
        self.pad_x.setEnabled(explicit)
        pooled = self.pool.currentData() != "none"
        self.pool_size.setEnabled(pooled)
        self.pool_stride.setEnabled(pooled)
        self.changed.emit()

    def settings(self, kernel: np.ndarray) -> LabSettings:
        return LabSettings(
            kernel=kernel,
            stride=(self.stride_y.value(), self.stride_x.value()),
            padding=self.padding.currentData(),
            pad_amount=(self.pad_y.value(), self.pad_x.value()),
            dilation=(self.dilation_y.value(), self.dilation_x.value()),
            border=self.border.currentData(),
            channels=self.channels.currentData(),
            bias=self.bias.value(),
            activation=self.activation.currentData(),
            pool=self.pool.currentData(),
            pool_size=self.pool_size.value(),
            pool_stride=self.pool_stride.value(),
        )
