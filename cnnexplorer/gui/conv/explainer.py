"""Step-through explainer: the products and the sum behind one output pixel of the lab."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontInfo, QFontMetrics
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
from cnnexplorer.core.i18n import tr
from cnnexplorer.core.conv.readouts import explanation_lines, tap_texts

SWEEP = 8  # play sweeps an 8×8 patch of output pixels
SMALLEST_SHARE = 0.8  # the table's font shrinks to fit its cells whole, to 80 % of the panel's at most
CELL_PAD = 8  # pixels around a cell's text
PADDING_BRUSH, INPUT_BRUSH = QBrush(QColor("#f4b6b0")), QBrush()


class ExplainerPanel(QWidget):
    """Shows an :class:`OutputExplanation`; asks for another pixel with ``pixel_requested``."""

    pixel_requested = Signal(int, int)
    channel_changed = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("ExplainerPanel")
        self.title = QLabel(tr("Click an output pixel to see how it is made. Arrow keys move the window."))
        self.title.setWordWrap(True)
        self.channel = QComboBox(toolTip=tr("Channel explained in R, G, B mode"))
        self.channel.addItems(["R", "G", "B"])
        self.play_button = QPushButton(tr("Play"), checkable=True, toolTip=tr("Slide the window across a small patch"))
        self.table = QTableWidget(objectName="ExplainerTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)  # read-only: a typed key edits nothing
        for header in (self.table.horizontalHeader(), self.table.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            header.setMinimumSectionSize(1)
        for policy in (self.table.setHorizontalScrollBarPolicy, self.table.setVerticalScrollBarPolicy):
            policy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the font fits the cells instead
        self.table.setWordWrap(False)
        self.table.installEventFilter(self)
        self.sum_label = QLabel(objectName="ExplainerSum", wordWrap=True)
        side = QVBoxLayout()
        buttons = QHBoxLayout()
        buttons.addWidget(self.channel)
        buttons.addWidget(self.play_button)
        buttons.addStretch(1)
        side.addLayout(buttons)
        side.addWidget(self.sum_label)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.table, 3)
        body.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(body, 1)
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
        self.pixel = (oy, ox)
        conv = explanation.conv
        cell_text = tap_texts(conv)
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
                item.setToolTip(tr("padding: outside the input") if padding else "")
        self.fit_font()
        self.sum_label.setText("\n".join(explanation_lines(oy, ox, explanation)))
        self.title.setText(tr("Output ({oy}, {ox}) from input rows {top}…{bottom}, columns {left}…{right}"
                              " (red: padding)", oy=oy, ox=ox, top=conv.rows[0], bottom=conv.rows[-1],
                              left=conv.cols[0], right=conv.cols[-1]))

    def fit_font(self) -> None:
        """The largest font (up to the panel's) at which every cell and header shows whole."""
        table = self.table
        texts = [[table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())]
                 for r in range(table.rowCount())]
        if not texts or not texts[0]:
            return
        font = QFont(self.font())
        size = QFontInfo(font).pointSizeF()  # resolved: presenter view sets sizes in pixels
        smallest = size * SMALLEST_SHARE  # legible from the back still: below it a cut cell is reported
        while True:
            font.setPointSizeF(size)
            metrics = QFontMetrics(font)
            header_w = max(metrics.horizontalAdvance(table.verticalHeaderItem(r).text())
                           for r in range(len(texts))) + 2 * CELL_PAD
            cell_w = max(metrics.horizontalAdvance(line) for row in texts for text in row
                         for line in text.split("\n")) + CELL_PAD
            cell_h = max(text.count("\n") + 1 for row in texts for text in row) * metrics.height() + 4
            width = header_w + cell_w * len(texts[0]) + 2 * table.frameWidth()
            height = metrics.height() + 6 + cell_h * len(texts) + 2 * table.frameWidth()
            if size <= smallest or (width <= table.width() and height <= table.height()):
                break
            size = max(smallest, size - 0.5)
        if table.font() != font:
            table.setFont(font)
            table.horizontalHeader().setFont(font)
            table.verticalHeader().setFont(font)
        table.verticalHeader().setFixedWidth(header_w)
        table.setMinimumSize(60, 60)  # the font fits whatever room the table is given

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - the table resized: fit its font again
        if watched is self.table and event.type() == QEvent.Type.Resize:
            self.fit_font()
        return False

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
