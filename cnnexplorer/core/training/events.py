"""What a fit reports while it runs: one :class:`TrainEvent` per batch and per epoch, and a buffer
that hands them from the training thread to a reader that takes them at its own pace."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from enum import StrEnum

import numpy as np


class TrainEventKind(StrEnum):
    """A batch or an epoch ended. A ``str``: ``TrainEventKind.BATCH == "batch"`` holds."""

    BATCH = "batch"
    EPOCH = "epoch"


@dataclass
class TrainEvent:
    kind: TrainEventKind
    epoch: int  # batch events: 0-based epoch in progress; epoch events: 1-based epoch just ended
    batch: int  # 1-based batch within the epoch (epoch events: the last one)
    batches: int  # batches per epoch
    logs: dict
    samples_per_s: float
    eta_s: float
    filters: np.ndarray | None = None  # first conv kernels after this epoch
    probe: np.ndarray | None = None  # the probe image's activation after this epoch

    @property
    def progress(self) -> float:
        """Epochs done so far, fractional: where this event sits on a curve's x axis."""
        if self.kind == TrainEventKind.EPOCH:
            return float(self.epoch)
        return self.epoch + self.batch / max(self.batches, 1)


class EventBuffer:
    """Events put by the training thread, taken in bulk by another: the fit never waits for its
    reader, and the reader (a GUI timer, say) decides how often to look."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._events: list[TrainEvent] = []

    def put(self, event: TrainEvent) -> None:
        with self._lock:
            self._events.append(event)

    def take(self) -> list[TrainEvent]:
        """Everything put since the last call, oldest first."""
        with self._lock:
            events, self._events = self._events, []
        return events
