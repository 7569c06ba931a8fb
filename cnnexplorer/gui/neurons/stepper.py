"""Train small numpy networks a few steps per timer tick: the window stays live and Stop is instant."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from cnnexplorer.core.neurons.mlp import Layer, backward, forward, loss_value, step


@dataclass
class Run:
    """One network being trained, with its loss history (and a validation set, if any)."""

    name: str
    layers: list[Layer]
    x: np.ndarray
    y: np.ndarray
    lr: float
    dropout: float = 0.0
    x_val: np.ndarray | None = None
    y_val: np.ndarray | None = None
    loss: str = "bce"
    history: list[float] = field(default_factory=list)
    val_history: list[float] = field(default_factory=list)
    rng: np.random.Generator = field(default_factory=lambda: np.random.default_rng(0))

    def advance(self, steps: int) -> None:
        for _ in range(steps):
            trace = forward(self.x, self.layers, dropout=self.dropout, rng=self.rng)
            step(self.layers, backward(trace, self.y, self.loss), self.lr)
        self.history.append(loss_value(forward(self.x, self.layers).output, self.y, self.loss))
        if self.x_val is not None:
            self.val_history.append(loss_value(forward(self.x_val, self.layers).output, self.y_val, self.loss))


class Stepper(QObject):
    """Advances every run ``steps_per_tick`` steps each tick until ``total_steps`` or :meth:`stop`."""

    updated = Signal()
    finished = Signal()

    def __init__(self, steps_per_tick: int = 10, interval_ms: int = 15, parent=None) -> None:
        super().__init__(parent)
        self.runs: list[Run] = []
        self.steps_per_tick = steps_per_tick
        self.total_steps = 0
        self.done_steps = 0
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self._tick)

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def start(self, runs: list[Run], total_steps: int) -> None:
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
