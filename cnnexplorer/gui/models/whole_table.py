"""A read-only table that asks for the room of every column (and, when small, every row) at its
current font, so no cell or header is cut: presenter view's bigger type makes it ask for more."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QSizePolicy, QTableWidget


class WholeTable(QTableWidget):
    """``all_rows``: the table is as tall as all its rows (a short table); else it scrolls up and down."""

    def __init__(self, columns: list[str], all_rows: bool = True, **properties) -> None:
        super().__init__(0, len(columns), **properties)
        self.all_rows = all_rows
        self.setHorizontalHeaderLabels(columns)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)  # read-only: a typed key edits nothing
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        if all_rows:
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.model().rowsInserted.connect(self.updateGeometry)
        self.model().rowsRemoved.connect(self.updateGeometry)
        self.model().dataChanged.connect(self.updateGeometry)

    def sizeHint(self) -> QSize:  # noqa: N802
        header = self.horizontalHeader()
        width = sum(max(header.sectionSizeHint(c), self.sizeHintForColumn(c)) for c in range(self.columnCount()))
        frame = 2 * self.frameWidth()
        if not self.all_rows:
            width += self.verticalScrollBar().sizeHint().width()
            return QSize(width + frame, super().sizeHint().height())
        rows = max(sum(max(self.sizeHintForRow(r), 0) for r in range(self.rowCount())), self.verticalHeader().length())
        return QSize(width + frame, header.sizeHint().height() + rows + frame)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = self.sizeHint()
        if not self.all_rows:
            return QSize(hint.width(), super().minimumSizeHint().height())
        return hint

    def changeEvent(self, event) -> None:  # noqa: N802 - a new font asks for new room
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()
