"""Per-stage timings and frame rate for the status-bar HUD, fed by whichever pipeline runs."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

STAGES = ("capture", "process", "draw")


@dataclass(frozen=True)
class TimingSnapshot:
    fps: float
    stages_ms: dict[str, float]
    pipeline: str


class PipelineTimer:
    """Exponentially smoothed stage times (ms) and frames per second.

    A pipeline calls :meth:`record` for each stage it ran and :meth:`frame_done` once per shown
    frame. Figures not refreshed for ``expire_s`` drop out, so the HUD shows only what is running.
    """

    def __init__(self, smoothing: float = 0.2, expire_s: float = 2.0) -> None:
        self.smoothing = smoothing
        self.expire_s = expire_s
        self._lock = threading.Lock()
        self._stages: dict[str, tuple[float, float]] = {}  # name -> (ms, last update)
        self._interval: float | None = None
        self._last_frame: float | None = None
        self._pipeline = ""

    def record(self, stage: str, ms: float, pipeline: str | None = None) -> None:
        now = time.perf_counter()
        with self._lock:
            previous = self._stages.get(stage)
            fresh = previous is None or now - previous[1] > self.expire_s
            value = ms if fresh else previous[0] + self.smoothing * (ms - previous[0])
            self._stages[stage] = (value, now)
            if pipeline:
                self._pipeline = pipeline

    def frame_done(self) -> None:
        now = time.perf_counter()
        with self._lock:
            if self._last_frame is not None:
                dt = now - self._last_frame
                if self._interval is None or dt > self.expire_s:
                    self._interval = dt
                else:
                    self._interval += self.smoothing * (dt - self._interval)
            self._last_frame = now

    def snapshot(self) -> TimingSnapshot:
        now = time.perf_counter()
        with self._lock:
            stages = {name: ms for name, (ms, t) in self._stages.items() if now - t <= self.expire_s}
            live = self._last_frame is not None and now - self._last_frame <= self.expire_s
            fps = 1.0 / self._interval if live and self._interval else 0.0
            return TimingSnapshot(fps, stages, self._pipeline)


class Stopwatch:
    """``with Stopwatch() as sw: …`` then ``sw.ms``."""

    def __enter__(self) -> Stopwatch:
        self._start = time.perf_counter()
        self.ms = 0.0
        return self

    def __exit__(self, *exc) -> None:
        self.ms = (time.perf_counter() - self._start) * 1000.0
