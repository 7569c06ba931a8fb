"""Status-bar HUD: which pipeline runs, its frames per second and its milliseconds per stage."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel

from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.core.infra.timing import STAGES, PipelineTimer, TimingSnapshot
from cnnexplorer.gui.common.live_dock import pipeline_name
from cnnexplorer.gui.common.translated import follow_language

STAGE_NAMES = {"capture": N_("capture"), "process": N_("process"), "forward": N_("forward"), "draw": N_("draw")}


def format_snapshot(snapshot: TimingSnapshot) -> str:
    """E.g. ``model explorer 12.3 fps · forward 31.0 ms · draw 2.1 ms``."""
    rate = f"{snapshot.fps:4.1f} fps"  # padded to 4: the label keeps its width between 9.9 and 10.0
    parts = [f"{pipeline_name(snapshot.pipeline)} {rate}" if snapshot.pipeline else rate]
    names = [s for s in STAGES if s in snapshot.stages_ms]
    names += sorted(set(snapshot.stages_ms) - set(STAGES))
    parts += [f"{tr(STAGE_NAMES.get(name, name))} {snapshot.stages_ms[name]:.1f} ms" for name in names]
    return " · ".join(parts)


class TimingHud(QLabel):
    """Polls a :class:`PipelineTimer` a few times a second (cheaper than a signal per frame)."""

    def __init__(self, timer: PipelineTimer, interval_ms: int = 250, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("TimingHud")
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setToolTip(tr("Frames per second and milliseconds per stage of the panel that showed a result last"))
        self.timer = timer
        self._poll = QTimer(self, interval=interval_ms)
        self._poll.timeout.connect(self.refresh)
        self._poll.start()
        self.refresh()
        follow_language(self, self.refresh)

    def refresh(self, *_) -> None:
        self.setText(format_snapshot(self.timer.snapshot()))
