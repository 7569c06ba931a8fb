"""A dock whose content is made the first time it comes to the front or is asked for: a panel nobody
opens costs nothing while the window opens (the training tab's plots and pictures took a quarter of
the window's build)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDockWidget, QWidget


class DockBuiltOnShow(QDockWidget):
    """Holds an empty widget until :meth:`content` is first called (coming to the front calls it);
    then the widget ``make()`` returns, for good. ``built(content)`` says when."""

    built = Signal(object)

    def __init__(self, title: str, object_name: str, make: Callable[[], QWidget]) -> None:
        super().__init__(title, objectName=object_name)
        self._make: Callable[[], QWidget] | None = make
        self._content: QWidget | None = None
        self.setWidget(QWidget())
        # a dock tabbed behind another counts as shown: its coming to the front is what says so
        self.visibilityChanged.connect(lambda on_screen: on_screen and self.content())

    @property
    def made(self) -> QWidget | None:
        """The content if it has been made, without making it."""
        return self._content

    def content(self) -> QWidget:
        if self._content is None:
            self._content = self._make()  # a failure raises here, and again on the next call
            self._make = None
            placeholder = self.widget()
            self.setWidget(self._content)
            placeholder.deleteLater()
            self.built.emit(self._content)
        return self._content


def dock_content(dock: QDockWidget) -> QWidget:
    """What ``dock`` shows: its widget, made now where the dock makes it on first show."""
    return dock.content() if isinstance(dock, DockBuiltOnShow) else dock.widget()
