"""Which panel the room is looking at: the one last brought forward (its tab, the course map, a scene,
or a click on its picture) — not the one that happens to hold the keyboard focus. F5, Ctrl+R, Ctrl+S
and Ctrl+D act on it, so a click on Freeze in the Source panel does not redirect them there."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QDockWidget, QWidget

from cnnexplorer.gui.common.stage import is_lesson_picture, shown


class RoomPanel(QObject):
    """Follows ``panels`` (name → dock); :meth:`current` is the panel on stage."""

    def __init__(self, panels: dict[str, QDockWidget], default: QDockWidget, parent=None) -> None:
        super().__init__(parent)
        self._panels = panels
        self._chosen = self._default = default

    def follow(self, dock: QDockWidget) -> None:
        """Track ``dock``: raised by its tab, or a click on one of its pictures."""
        dock.visibilityChanged.connect(lambda visible, d=dock: self._on_visibility(d, visible))
        self.watch_pictures(dock)

    def watch_pictures(self, dock: QDockWidget) -> None:
        for widget in dock.findChildren(QWidget):
            if is_lesson_picture(widget):
                target = widget.viewport() if isinstance(widget, QAbstractScrollArea) else widget
                target.installEventFilter(self)  # twice keeps one filter

    def choose(self, dock: QDockWidget) -> None:
        self._chosen = dock

    def current(self) -> QDockWidget:
        """The chosen panel while it is on screen, else the raised one of the big (bottom) area,
        else the default."""
        chosen = self._chosen
        if chosen is not None and shown(chosen):
            return chosen
        window = chosen.parentWidget()
        for dock in self._panels.values():
            if window.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea and shown(dock):
                return dock
        return self._default

    def _on_visibility(self, dock: QDockWidget, visible: bool) -> None:
        if visible and not dock.isFloating():
            self._chosen = dock

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.MouseButtonPress:
            widget = watched
            while widget is not None and not isinstance(widget, QDockWidget):
                widget = widget.parentWidget()
            if widget is not None:
                self._chosen = widget
        return False

