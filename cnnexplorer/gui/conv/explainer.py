"""Step-through explainer: the products and the sum behind one output pixel of the lab."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cnnexplorer.core.conv.lab import OutputExplanation
from cnnexplorer.core.conv.readouts import explanation_lines, tap_texts

SWEEP = 8  # play sweeps an 8×8 patch of output pixels
PADDING_BRUSH, INPUT_BRUSH = QBrush(QColor("#f4b6b0")), QBrush()


class ExplainerPanel(QWidget):
    """Shows an :class:`OutputExplanation`; asks for another pixel with ``pixel_requested``."""

    pixel_requested = Signal(int, int)
    channel_changed = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("ExplainerPanel")
        self.title = QLabel("Click an output pixel to see how it is made. Arrow keys move the window.")
        self.title.setWordWrap(True)
        self.channel = QComboBox(toolTip="Channel explained in R, G, B mode")
        self.channel.addItems(["R", "G", "B"])
        self.play_button = QPushButton("Play", checkable=True, toolTip="Slide the window across a small patch")
        self.table = QTableWidget(objectName="ExplainerTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)  # read-only: a typed key edits nothing
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.sum_label = QLabel(objectName="ExplainerSum", wordWrap=True)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.channel)
        top.addWidget(self.play_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.sum_label)
        self.pixel: tuple[int, int] | None = None
        self.output_shape: tuple[int, int] = (0, 0)
        self._sweep_origin = (0, 0)
        self._timer = QTimer(self, interval=150)
        self._timer.timeout.connect(self._step_sweep)
        self.play_button.toggled.connect(self._on_play_toggled)
        self.channel.currentIndexChanged.connect(self.channel_changed)

    def show_explanation(self, oy: int, ox: int, explanation: OutputExplanation,
                         input_shape: tuple[int, int] | None = None) -> None:
        """Fill the table in place (its items are reused frame after frame: no stale text from an
        earlier frame can stay behind); taps that read padding (outside ``input_shape``) are red."""
        moved = self.pixel != (oy, ox)
        self.pixel = (oy, ox)
        conv = explanation.conv
        cell_text = tap_texts(conv)
        reshaped = (self.table.rowCount(), self.table.columnCount()) != (len(cell_text), len(cell_text[0]))
        self.table.setRowCount(len(cell_text))
        self.table.setColumnCount(len(cell_text[0]))
        self.table.setVerticalHeaderLabels([str(r) for r in conv.rows])
        self.table.setHorizontalHeaderLabels([str(c) for c in conv.cols])
        height, width = input_shape if input_shape is not None else (np.inf, np.inf)
        for r, row in enumerate(cell_text):
            for c, text in enumerate(row):
                item = self.table.item(r, c)
                if item is None:
                    item = QTableWidgetItem()
                    self.table.setItem(r, c, item)
                item.setText(text)
                padding = not (0 <= conv.rows[r] < height and 0 <= conv.cols[c] < width)
                item.setBackground(PADDING_BRUSH if padding else INPUT_BRUSH)
                item.setToolTip("padding: outside the input" if padding else "")
        if moved or reshaped:
            self.table.resizeColumnsToContents()
        self.sum_label.setText("\n".join(explanation_lines(oy, ox, explanation)))
        self.title.setText(f"Output ({oy}, {ox}) — input rows {conv.rows.tolist()}, columns {conv.cols.tolist()}"
                           " (red: padding)")

    def step(self, dy: int, dx: int) -> None:
        if self.pixel is None:
            return
        oy = int(np.clip(self.pixel[0] + dy, 0, self.output_shape[0] - 1))
        ox = int(np.clip(self.pixel[1] + dx, 0, self.output_shape[1] - 1))
        self.pixel_requested.emit(oy, ox)

    def stop(self) -> None:
        self.play_button.setChecked(False)

    def _on_play_toggled(self, playing: bool) -> None:
        if playing:
            self._sweep_origin = self.pixel or (0, 0)
            self._sweep_index = 0
            self._timer.start()
        else:
            self._timer.stop()

    def _step_sweep(self) -> None:
        oy0, ox0 = self._sweep_origin
        self._sweep_index = (self._sweep_index + 1) % (SWEEP * SWEEP)
        oy = min(oy0 + self._sweep_index // SWEEP, self.output_shape[0] - 1)
        ox = min(ox0 + self._sweep_index % SWEEP, self.output_shape[1] - 1)
        self.pixel_requested.emit(oy, ox)
