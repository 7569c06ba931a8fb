"""Small widgets of the Attribution panel: a class picker typed from the class names, and a relay
that carries pictures from a task thread to the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QCompleter, QLineEdit

from cnnexplorer.core.i18n import tr


class ClassPicker(QLineEdit):
    """Type a class name (completed from the model's names) to pin it; empty means the top class.

    ``pinned_changed`` carries the class index, or ``None`` for "follow the top class"."""

    pinned_changed = Signal(object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("ClassPicker")
        self.setPlaceholderText(tr("top-1 class (type a class name to pin it)"))
        self.setClearButtonEnabled(True)
        self.names: list[str] = []
        self.pinned: int | None = None
        self._completer = QCompleter([], self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompleter(self._completer)
        self._completer.activated.connect(self.choose)
        self.editingFinished.connect(lambda: self.choose(self.text()))
        self.textChanged.connect(self._on_text_changed)

    def set_names(self, names: list[str] | None) -> None:
        self.names = list(names or [])
        self._completer.model().setStringList(self.names)
        self.setEnabled(bool(self.names))
        self.clear()

    def pin(self, index: int | None) -> None:
        self.setText(self.names[index] if index is not None and 0 <= index < len(self.names) else "")
        self.choose(self.text())

    def choose(self, text: str) -> None:
        """Pin the class named ``text`` (any case); an unknown or empty name follows the top class."""
        text = text.strip()
        index = self.names.index(text) if text in self.names else None
        if text and index is None:  # a name typed in another case
            index = next((i for i, n in enumerate(self.names) if n.lower() == text.lower()), None)
        self._set_pinned(index)

    def _on_text_changed(self, text: str) -> None:
        if not text:
            self._set_pinned(None)

    def _set_pinned(self, index: int | None) -> None:
        if index != self.pinned:
            self.pinned = index
            self.pinned_changed.emit(index)


class PictureRelay(QObject):
    """``picture(kind, array)`` emitted on a task thread comes out as ``shown(kind, array)`` on the GUI
    thread, until :meth:`mute`: a task that was replaced may still send, and none of it is shown."""

    picture = Signal(str, object)
    shown = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.muted = False
        self.picture.connect(self._forward)  # queued: this relay lives on the GUI thread

    def mute(self) -> None:
        self.muted = True

    @Slot(str, object)
    def _forward(self, kind: str, payload) -> None:
        if not self.muted:
            self.shown.emit(kind, payload)
