"""A "FROZEN" tag in the top-right corner of a live view while the frame is held (Space)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QWidget

from cnnexplorer.core.i18n import tr

RIGHT_MARGIN = 48  # clear of the dock title bar's float and close buttons


class FrozenBadge(QLabel):
    """Sits in ``host``'s title bar (kept in its corner on resize, above its content) and shows while
    ``controller.frozen``; follows ``controller.frozen_changed``. It watches the host's events only
    while shown: a live view's repaints must not each call into Python."""

    def __init__(self, host: QWidget, controller: QObject, top: int = 0) -> None:
        super().__init__(tr("FROZEN"), host)
        self.setObjectName("FrozenBadge")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setStyleSheet(
            "QLabel { background: rgba(190, 20, 20, 220); color: white; font-weight: bold;"
            " padding: 1px 8px; border-radius: 3px; }"
        )
        self._host, self._top = host, top
        self.controller = controller
        controller.frozen_changed.connect(self.set_frozen)
        self.set_frozen(controller.frozen)

    def set_frozen(self, frozen: bool) -> None:
        self.setVisible(frozen)
        if frozen:
            self._host.installEventFilter(self)  # installing twice keeps one filter
            self._place()
        else:
            self._host.removeEventFilter(self)

    def _place(self) -> None:
        self.adjustSize()
        self.move(max(0, self._host.width() - self.width() - RIGHT_MARGIN), self._top)
        self.raise_()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if watched is self._host and event.type() in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.ChildAdded):
            if self.isVisibleTo(self._host):
                self._place()
        return False
