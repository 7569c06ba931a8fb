"""The Surgery tab's frame: the panel's two columns side by side when the tab is wide enough for
both, else one under the other; it scrolls up and down, never sideways, so nothing is cut."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QBoxLayout, QFrame, QScrollArea, QWidget


class SurgeryScroll(QScrollArea):
    def __init__(self, panel: QWidget, parent=None) -> None:
        super().__init__(parent, widgetResizable=True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        panel.layout().setContentsMargins(0, 0, 0, 0)
        self.setWidget(panel)
        panel.installEventFilter(self)  # its columns grow when a layer fills them (the channel list)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            QTimer.singleShot(0, self, self.fit)
        return False

    def fit(self) -> None:
        """Side by side only when both columns get their minimum width (a scroll bar may take some)."""
        layout: QBoxLayout = self.widget().layout()
        margins = layout.contentsMargins()
        need = sum(layout.itemAt(i).minimumSize().width() for i in range(layout.count()))
        need += layout.spacing() * (layout.count() - 1) + margins.left() + margins.right()
        room = self.width() - self.verticalScrollBar().sizeHint().width()
        direction = QBoxLayout.Direction.LeftToRight if need <= room else QBoxLayout.Direction.TopToBottom
        if layout.direction() != direction:
            layout.setDirection(direction)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.fit()

    def changeEvent(self, event) -> None:  # noqa: N802 - bigger type (presenter view) needs more room
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            QTimer.singleShot(0, self, self.fit)  # once every widget inside has its new font
