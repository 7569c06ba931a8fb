"""Single-key shortcuts (Space: freeze, N: next source, arrows/PageDown: next scene) must not fire
while the user is typing a number or moving inside a table or slider: the key goes to the widget."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

COMMAND_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
NAVIGATION_KEYS = {
    Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down,
    Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Home, Qt.Key.Key_End,
}


def is_text_entry(widget: QWidget | None) -> bool:
    """A widget that takes typed characters (a line edit, spin box, or editable text)."""
    if isinstance(widget, (QLineEdit, QAbstractSpinBox)):
        return not (isinstance(widget, QLineEdit) and widget.isReadOnly())
    if isinstance(widget, (QTextEdit, QPlainTextEdit)):
        return not widget.isReadOnly()
    return False


def starts_typing_in(view: QAbstractItemView) -> bool:
    """An editable table (the kernel grid) starts editing its current cell on any typed key."""
    index = view.currentIndex()
    return (bool(view.editTriggers() & QAbstractItemView.EditTrigger.AnyKeyPressed) and index.isValid()
            and bool(index.flags() & Qt.ItemFlag.ItemIsEditable))


def key_belongs_to(widget: QWidget | None, key: int, modifiers, text: str = "") -> bool:
    """Whether ``widget`` (the focus widget) should get this key rather than a window shortcut."""
    if widget is None or modifiers & COMMAND_MODIFIERS:
        return False
    if is_text_entry(widget):
        return True
    if isinstance(widget, QAbstractItemView) and text.isprintable() and text and starts_typing_in(widget):
        return True
    return key in NAVIGATION_KEYS and isinstance(widget, (QAbstractItemView, QAbstractSlider))


class TypingGuard(QObject):
    """Watches the focus widget (only it: an application-wide Python filter would run for every
    event) and accepts the ShortcutOverride of keys it uses, so Qt hands them to the widget instead
    of triggering a shortcut."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._watched: QWidget | None = None
        self._attached = False

    def attach(self) -> None:
        if not self._attached:
            self._attached = True
            QApplication.instance().focusChanged.connect(self._on_focus_changed)
            self._on_focus_changed(None, QApplication.focusWidget())

    def detach(self) -> None:
        if self._attached:
            self._attached = False
            QApplication.instance().focusChanged.disconnect(self._on_focus_changed)
            self._on_focus_changed(self._watched, None)

    def _on_focus_changed(self, _old, new) -> None:
        if self._watched is not None:
            try:
                self._watched.removeEventFilter(self)
            except RuntimeError:  # already deleted
                pass
        self._watched = new
        if new is not None:
            new.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ShortcutOverride and watched is QApplication.focusWidget():
            if key_belongs_to(watched, event.key(), event.modifiers(), event.text()):
                event.accept()
                return True
        return False
