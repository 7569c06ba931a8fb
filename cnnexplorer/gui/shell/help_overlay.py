"""The help overlay (F1 or ?): every shortcut of the window, in presenter-size type, over the
window until a key or a click closes it."""

from __future__ import annotations

import re
from html import escape

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from cnnexplorer.gui.shell.presenter_look import BASE_TEXT_PX

HELP_TEXT_PX = 2 * BASE_TEXT_PX  # presenter size ×2, whatever the view
_MNEMONIC = re.compile(r"\(&\w\)|&(?=\S)")  # "파일(&F)" as Korean menus write it, or "&File"


def plain_text(action_text: str) -> str:
    """A menu entry's text without its mnemonic and its trailing "…"."""
    return _MNEMONIC.sub("", action_text).strip().rstrip("…")


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    """(keys, what) for every action that has a shortcut, in menu order, without duplicates."""
    rows, seen = [], set()
    for action in actions:
        keys = " / ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
        what = plain_text(action.text())
        if keys and (keys, what) not in seen:
            seen.add((keys, what))
            rows.append((keys, what))
    return rows


class HelpOverlay(QFrame):
    """Covers its parent window; fill it with :meth:`show_for`."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("HelpOverlay")
        self.setStyleSheet("#HelpOverlay { background: rgba(0, 0, 0, 225); }"
                           f" QLabel {{ color: white; font-size: {HELP_TEXT_PX}px; }}")
        self.columns = [QLabel(textFormat=Qt.TextFormat.RichText) for _ in range(2)]
        layout = QHBoxLayout(self)
        layout.setContentsMargins(40, 30, 40, 30)
        for column in self.columns:
            column.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            layout.addWidget(column, 1)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.hide()

    def show_for(self, actions: list[QAction]) -> None:
        rows = shortcut_rows(actions)
        half = (len(rows) + 1) // 2
        for column, part in zip(self.columns, (rows[:half], rows[half:])):
            cells = "".join(f"<tr><td><b style='color:#ffd400'>{escape(keys)}</b></td><td>{escape(what)}</td></tr>"
                            for keys, what in part)
            html = f"<table cellspacing=6>{cells}</table>"
            column.setText(html)
        self.show()  # covers the window from showEvent on
        self.raise_()
        self.setFocus()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - any key closes it
        self.hide()

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self.hide()

    def showEvent(self, event) -> None:  # noqa: N802 - follows the window's size while shown (also after a restore)
        self.parentWidget().installEventFilter(self)
        self.setGeometry(self.parentWidget().rect())
        super().showEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802
        self.parentWidget().removeEventFilter(self)
        super().hideEvent(event)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self.parentWidget().rect())
        return False
