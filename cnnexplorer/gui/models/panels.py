"""Small panels of the model explorer: live top-5, and the first conv layer's learned filters."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cnnexplorer.core.display.mosaic import kernel_tiles
from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.core.models.graph import first_conv
from cnnexplorer.core.models.zoo import shown_class_name
from cnnexplorer.gui.common.picture_view import PictureView
from cnnexplorer.gui.common.score_bar import ScoreBar
from cnnexplorer.gui.common.stage import lesson_picture
from cnnexplorer.gui.common.translated import follow_language


KERNEL_MODES = (N_("summed over RGB"), N_("R only"), N_("G only"), N_("B only"))


class Predictions(QWidget):
    """The top five classes with probability bars, and a line saying why there are none."""

    def __init__(self, rows: int = 5, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("Predictions")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.names = [QLabel() for _ in range(rows)]
        self.bars = [ScoreBar(maximum=1000) for _ in range(rows)]
        self.note = QLabel(objectName="PredictionsNote", wordWrap=True)
        for i, (name, bar) in enumerate(zip(self.names, self.bars)):
            name.setMinimumWidth(150)
            grid.addWidget(name, i, 0)
            grid.addWidget(bar, i, 1)
        grid.addWidget(self.note, rows, 0, 1, 2)
        self._top: list[tuple[str, float]] = []
        follow_language(self, self._on_language_changed)

    def clear(self, why: str = "") -> None:
        """No predictions on screen (a new model, or one with no class scores), and why."""
        self.show_top([])
        self.note.setText(why)
        self.note.setVisible(bool(why))

    def show_top(self, top: list[tuple[str, float]]) -> None:
        """``top`` as the model names its classes; ImageNet's are shown in the user's language, with
        the English name in the tool tip."""
        self._top = top
        for i, (name, bar) in enumerate(zip(self.names, self.bars)):
            english, value, text = (top[i][0], int(round(top[i][1] * 1000)), f"{top[i][1]:.1%}") if i < len(top) else ("", 0, "")
            label = shown_class_name(english)
            if name.text() != label:  # only what changed: a label set anew is laid out and repainted
                name.setText(label)
                name.setToolTip(english if english != label else "")
            bar.setValue(value)
            bar.setFormat(text)

    def texts(self) -> list[str]:
        return [n.text() for n in self.names if n.text()]

    def _on_language_changed(self, *_) -> None:
        self.show_top(self._top)  # ImageNet's names in the new language


class FirstLayerFilters(QWidget):
    """The first conv layer's kernels as RGB tiles; one can be sent to the convolution lab."""

    send_kernel = Signal(object)  # (kh, kw) kernel

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("FirstLayerFilters")
        self.view = lesson_picture(PictureView())
        self.view.setToolTip(tr("Click a filter to pick it"))
        self.filter_index = QSpinBox(prefix=tr("filter "))
        self.mode = QComboBox(toolTip=tr("How the RGB kernel becomes one 2-D kernel"))
        for title in KERNEL_MODES:  # by index: 0 the sum, then one input channel each
            self.mode.addItem(tr(title), title)
        self.send_button = QPushButton(tr("Send to convolution lab"))
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
            self.info.setText(tr("This model has no convolution layer."))
            self.send_button.setEnabled(False)
            return
        self.kernels = np.asarray(layer.get_weights()[0], np.float32)  # (kh, kw, C_in, F)
        kh, kw, channels, count = self.kernels.shape
        fields = {"layer": layer.name, "count": count, "shape": f"{kh}×{kw}×{channels}"}
        if random_weights:
            text = tr("{layer}: {count} filters of {shape}, RANDOM initial weights, not learned: load trained weights "
                      "to see learned filters. Pick one and send it to the convolution lab to run it on the live "
                      "frame.", **fields)
        else:
            text = tr("{layer}: {count} filters of {shape}, learned from data. Pick one and send it to the "
                      "convolution lab to run it on the live frame.", **fields)
        self.info.setText(text)
        self.filter_index.setMaximum(count - 1)
        self.send_button.setEnabled(True)
        self.view.show_tiles(kernel_tiles(self.kernels), gap=1)

    def chosen_kernel(self) -> np.ndarray:
        k = self.kernels[..., self.filter_index.value()]
        mode = self.mode.currentIndex()
        if mode == 0 or k.shape[2] == 1:
            return k.sum(axis=2)
        return k[..., mode - 1]
