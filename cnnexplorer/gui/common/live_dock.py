"""A dock that recomputes on the newest frame, but only while someone can see it."""

from __future__ import annotations

from PySide6.QtWidgets import QDockWidget

from cnnexplorer.core.frames.pump import Frame
from cnnexplorer.gui.source.controller import SourceController


class LiveFrameDock(QDockWidget):
    """Calls :meth:`recompute` when a frame arrives (if :meth:`wants_frame`) and whenever the dock
    comes into view; :attr:`frame` is the controller's current (possibly frozen) frame."""

    def __init__(self, title: str, controller: SourceController, parent=None) -> None:
        super().__init__(title, parent)
        self.controller = controller

    @property
    def frame(self) -> Frame | None:
        return self.controller.current

    def follow_frames(self) -> None:
        """Start listening; call at the end of ``__init__``, once :meth:`recompute` can run."""
        self.visibilityChanged.connect(lambda visible: visible and self.recompute())
        self.controller.frame_changed.connect(self._on_frame_changed)

    def wants_frame(self) -> bool:
        return self.isVisible()

    def _on_frame_changed(self, _frame: Frame) -> None:
        if self.wants_frame():
            self.recompute()

    def recompute(self, *_) -> None:
        raise NotImplementedError
