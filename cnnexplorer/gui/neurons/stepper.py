"""Train small numpy networks a few steps per timer tick: the window stays live and Stop is instant."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from cnnexplorer.core.neurons.training_run import TrainingRun


class Stepper(QObject):
    """Advances every run ``steps_per_tick`` steps each tick until ``total_steps`` or :meth:`stop`."""

    updated = Signal()
    finished = Signal()

    def __init__(self, steps_per_tick: int = 10, interval_ms: int = 15, parent=None) -> None:
        super().__init__(parent)
        self.runs: list[TrainingRun] = []
        self.steps_per_tick = steps_per_tick
        self.total_steps = 0
        self.done_steps = 0
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self._tick)

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def start(self, runs: list[TrainingRun], total_steps: int) -> None:
        self.runs, self.total_steps, self.done_steps = runs, total_steps, 0
        self._timer.start()

    def resume(self, total_steps: int) -> None:
        self.total_steps = self.done_steps + total_steps
        self._timer.start()

    def stop(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.finished.emit()

    def _tick(self) -> None:
        steps = min(self.steps_per_tick, self.total_steps - self.done_steps)
        for run in self.runs:
            run.advance(steps)
        self.done_steps += steps
        self.updated.emit()
        if self.done_steps >= self.total_steps:
            self.stop()
