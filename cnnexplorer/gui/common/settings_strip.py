"""The side strip that holds a panel's settings beside its pictures (napari's layer controls beside
the canvas): what a lecturer sets before talking. It folds to a narrow bar with one click, and folds by
itself in presenter view, so the pictures take the room."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QSizePolicy, QToolButton, QVBoxLayout, QWidget

FOLD_KEY = "F7"  # presenter view: open or fold the strip of the panel on stage


class SettingsStrip(QWidget):
    """Holds ``content`` in a column that scrolls up and down (never sideways: its width is the
    content's) and folds to a bar. ``folded_changed(folded)`` fires on a change."""

    folded_changed = Signal(bool)

    def __init__(self, content: QWidget, title: str = "Settings", parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("SettingsStrip")
        self.content = content
        self._title = title
        self.fold_button = QToolButton(objectName="SettingsStripFold", autoRaise=True)
        self.fold_button.setCheckable(True)
        self.fold_button.setToolTip(f"Fold or open the settings ({FOLD_KEY} in presenter view)")
        self.fold_button.toggled.connect(self.set_folded)
        self.scroll = QScrollArea(objectName="SettingsStripScroll", widgetResizable=True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(content)
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.fold_button, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        column.addWidget(self.scroll, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(column)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self._folded = False
        self._show_state()
        content.installEventFilter(self)  # content that grows later (a combo filled) widens the strip

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if watched is self.content and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return False

    @property
    def folded(self) -> bool:
        return self._folded

    def set_folded(self, folded: bool) -> None:
        if folded == self._folded:
            return
        self._folded = folded
        self._show_state()
        self.folded_changed.emit(folded)

    def toggle(self) -> None:
        self.set_folded(not self._folded)

    def _show_state(self) -> None:
        self.fold_button.blockSignals(True)
        self.fold_button.setChecked(self._folded)
        self.fold_button.blockSignals(False)
        self.fold_button.setText(f"▸ {self._title}" if self._folded else f"◂ {self._title}")
        self.scroll.setVisible(not self._folded)
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 - as wide as the content (plus a scroll bar), never less
        button = self.fold_button.sizeHint()
        if self._folded:
            return QSize(button.width(), button.height())
        content = self.content.sizeHint().expandedTo(self.content.minimumSizeHint())
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        return QSize(max(content.width() + bar + 2, button.width()), content.height() + button.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = self.sizeHint()
        return QSize(hint.width(), self.fold_button.sizeHint().height())


def settings_strips(panel: QWidget) -> list[SettingsStrip]:
    return panel.findChildren(SettingsStrip)
