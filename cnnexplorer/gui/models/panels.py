"""Small panels of the model explorer: live top-5, and the first conv layer's learned filters."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cnnexplorer.core.display.mosaic import kernel_tiles
from cnnexplorer.core.models.graph import first_conv
from cnnexplorer.gui.common.picture_view import PictureView
from cnnexplorer.gui.common.stage import lesson_picture


class Predictions(QWidget):
    """The top five classes with probability bars, and a line saying why there are none."""

    def __init__(self, rows: int = 5, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("Predictions")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.names = [QLabel() for _ in range(rows)]
        self.bars = [QProgressBar(maximum=1000, textVisible=True) for _ in range(rows)]
        self.note = QLabel(objectName="PredictionsNote", wordWrap=True)
        for i, (name, bar) in enumerate(zip(self.names, self.bars)):
            name.setMinimumWidth(150)
            grid.addWidget(name, i, 0)
            grid.addWidget(bar, i, 1)
        grid.addWidget(self.note, rows, 0, 1, 2)

    def clear(self, why: str = "") -> None:
        """No predictions on screen (a new model, or one with no class scores), and why."""
        self.show_top([])
        self.note.setText(why)
        self.note.setVisible(bool(why))

    def show_top(self, top: list[tuple[str, float]]) -> None:
        for i, (name, bar) in enumerate(zip(self.names, self.bars)):
            label, value, text = (top[i][0], int(round(top[i][1] * 1000)), f"{top[i][1]:.1%}") if i < len(top) else ("", 0, "")
            # Only what changed: a repaint per label and bar every frame is most of this panel's cost.
            if name.text() != label:
                name.setText(label)
            if bar.value() != value:
                bar.setValue(value)
            if bar.format() != text:
                bar.setFormat(text)

    def texts(self) -> list[str]:
        return [n.text() for n in self.names if n.text()]


class FirstLayerFilters(QWidget):
    """The first conv layer's kernels as RGB tiles; one can be sent to the convolution lab."""

    send_kernel = Signal(object)  # (kh, kw) kernel

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("FirstLayerFilters")
        self.view = lesson_picture(PictureView())
        self.view.setToolTip("Click a filter to pick it")
        self.filter_index = QSpinBox(prefix="filter ")
        self.mode = QComboBox(toolTip="How the RGB kernel becomes one 2-D kernel")
        self.mode.addItems(["summed over RGB", "R only", "G only", "B only"])
        self.send_button = QPushButton("Send to convolution lab")
        self.info = QLabel(wordWrap=True)  # a long line must not widen the explorer
        row = QHBoxLayout()
        for widget in (self.filter_index, self.mode, self.send_button):
            row.addWidget(widget)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        self.kernels: np.ndarray | None = None
        self.send_button.clicked.connect(lambda: self.send_kernel.emit(self.chosen_kernel()))
        self.view.clicked.connect(lambda index, _y, _x: self.filter_index.setValue(index))

    def set_model(self, model, random_weights: bool = False) -> None:
        layer = first_conv(model) if model is not None else None
        if layer is None:
            self.kernels = None
            self.view.clear()
            self.info.setText("This model has no convolution layer.")
            self.send_button.setEnabled(False)
            return
        self.kernels = np.asarray(layer.get_weights()[0], np.float32)  # (kh, kw, C_in, F)
        kh, kw, channels, count = self.kernels.shape
        origin = ("RANDOM initial weights, not learned: load trained weights to see learned filters"
                  if random_weights else "learned from data")
        self.info.setText(f"{layer.name}: {count} filters of {kh}×{kw}×{channels}, {origin}. "
                          "Pick one and send it to the convolution lab to run it on the live frame.")
        self.filter_index.setMaximum(count - 1)
        self.send_button.setEnabled(True)
        self.view.show_tiles(kernel_tiles(self.kernels), gap=1)

    def chosen_kernel(self) -> np.ndarray:
        k = self.kernels[..., self.filter_index.value()]
        mode = self.mode.currentIndex()
        if mode == 0 or k.shape[2] == 1:
            return k.sum(axis=2)
        return k[..., mode - 1]
