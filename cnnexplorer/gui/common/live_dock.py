"""A dock that recomputes on the newest frame, but only while someone can see it."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QDockWidget

from cnnexplorer.core.frames.frame import Frame
from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.core.infra.timing import SOURCE
from cnnexplorer.gui.common.frozen_badge import FrozenBadge
from cnnexplorer.gui.common.live_source import LiveSource
from cnnexplorer.gui.common.stage import shown

# The HUD names a pipeline by its panel's title (lower case); the title's English key is kept here so
# the HUD speaks the current language.
_PIPELINE_TITLES: dict[str, str] = {SOURCE: N_("Source")}


def pipeline_name(pipeline: str) -> str:
    """The HUD's name for ``pipeline`` ("convolution lab") in the current language."""
    title = _PIPELINE_TITLES.get(pipeline, pipeline)
    return tr(title).lower() if title else title


class LiveFrameDock(QDockWidget):
    """Calls :meth:`recompute` when a frame arrives (if :meth:`wants_frame`) and whenever the dock
    comes into view; :attr:`frame` is the controller's current (possibly frozen) frame. ``title`` is
    the English title (it is shown translated) or one already translated.

    A panel calls :meth:`result_shown` each time it puts a result on screen: the HUD's frame rate
    is the rate of the panel in front, :attr:`results_shown` counts them and ``result_on_screen`` says so."""

    result_on_screen = Signal()

    def __init__(self, title: str, controller: LiveSource, parent=None) -> None:
        super().__init__(tr(title) if title else title, parent)
        self.controller = controller
        self.pipeline = title.lower()  # the HUD's key for this panel's results
        _PIPELINE_TITLES.setdefault(self.pipeline, title)
        self.results_shown = 0
        self.frozen_badge = FrozenBadge(self, controller)

    @property
    def frame(self) -> Frame | None:
        return self.controller.current

    def follow_frames(self) -> None:
        """Start listening; call at the end of ``__init__``, once :meth:`recompute` can run."""
        self.visibilityChanged.connect(self._on_visibility_changed)
        self.controller.frame_changed.connect(self._on_frame_changed)

    def on_screen(self) -> bool:
        """Shown and not tabbed behind another dock (such a dock still answers ``isVisible()``)."""
        return shown(self)

    def wants_frame(self) -> bool:
        return self.on_screen()

    def _on_visibility_changed(self, visible: bool) -> None:
        if visible:  # on the next turn: the panel paints first, and a scene sets it up first
            QTimer.singleShot(0, self, self._recompute_if_shown)

    def _recompute_if_shown(self) -> None:
        if self.on_screen():
            self.recompute()

    def _on_frame_changed(self, _frame: Frame) -> None:
        if self.wants_frame():
            self.recompute()

    def result_shown(self, **stages_ms: float) -> None:
        """A result is on screen; ``stages_ms`` are the milliseconds its stages took (e.g. draw=…)."""
        timer = self.controller.timer
        for stage, ms in stages_ms.items():
            timer.record(stage, ms, pipeline=self.pipeline)
        timer.frame_done(self.pipeline)
        self.results_shown += 1
        self.result_on_screen.emit()

    def recompute(self, *_) -> None:
        raise NotImplementedError
