"""Per-stage timings and frame rates for the status-bar HUD, kept per pipeline.

Each pipeline (the source, and every panel that shows results) reports its own frames and stage
times, so the HUD can say truthfully which pipeline runs at what rate: the camera's 30 fps is not
the model explorer's 12.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from cnnexplorer.core.i18n import N_

STAGES = (N_("capture"), N_("process"), N_("forward"), N_("draw"))
"""Stages in the order the HUD lists them; any other stage name follows, sorted. Keys: shown through tr()."""

SOURCE = "source"
"""The pipeline that shows camera/file frames; the HUD falls back to it when no panel delivers."""


@dataclass(frozen=True)
class TimingSnapshot:
    """What the HUD shows: one pipeline's rate and its fresh stage times."""

    fps: float
    stages_ms: dict[str, float]
    pipeline: str


@dataclass
class _Pipeline:
    stages: dict[str, tuple[float, float]] = field(default_factory=dict)  # name -> (ms, last update)
    interval: float | None = None  # smoothed seconds between frames
    last_frame: float | None = None


class PipelineTimer:
    """Exponentially smoothed stage times (ms) and frames per second, per pipeline.

    A pipeline calls :meth:`record` for each stage it ran and :meth:`frame_done` once per result it
    shows. :meth:`snapshot` reports the panel pipeline (any but ``"source"``) that showed a frame
    most recently, or the source when no panel has for ``expire_s``. Figures not refreshed for
    ``expire_s`` drop out, so the HUD shows only what is running. Thread-safe.

    Parameters
    ----------
    smoothing
        Weight of the newest sample in the moving averages (1.0: no smoothing).
    expire_s
        Seconds after which a stage time, a frame rate or a panel stops counting as live.
    clock
        Seconds from an arbitrary origin; tests pass a fake one.
    """

    def __init__(
        self, smoothing: float = 0.2, expire_s: float = 2.0, clock: Callable[[], float] = time.perf_counter
    ) -> None:
        self.smoothing = smoothing
        self.expire_s = expire_s
        self._clock = clock
        self._lock = threading.Lock()
        self._pipelines: dict[str, _Pipeline] = {}
        self._current = SOURCE  # where record() without a pipeline goes

    def record(self, stage: str, ms: float, pipeline: str | None = None) -> None:
        """Fold ``ms`` into ``stage`` of ``pipeline``; without one, of the pipeline last named."""
        now = self._clock()
        with self._lock:
            if pipeline:
                self._current = pipeline
            stages = self._pipeline(self._current).stages
            previous = stages.get(stage)
            fresh = previous is None or now - previous[1] > self.expire_s
            value = ms if fresh else previous[0] + self.smoothing * (ms - previous[0])
            stages[stage] = (value, now)

    def frame_done(self, pipeline: str) -> None:
        """``pipeline`` has just shown a result: update its frame rate and make it the current one."""
        now = self._clock()
        with self._lock:
            self._current = pipeline
            state = self._pipeline(pipeline)
            if state.last_frame is not None:
                dt = now - state.last_frame
                if state.interval is None or dt > self.expire_s:
                    state.interval = dt
                else:
                    state.interval += self.smoothing * (dt - state.interval)
            state.last_frame = now

    def fps(self, pipeline: str) -> float:
        """The smoothed frame rate of ``pipeline``; 0.0 if it has not shown two frames lately."""
        now = self._clock()
        with self._lock:
            return self._fps(self._pipelines.get(pipeline), now)

    def snapshot(self) -> TimingSnapshot:
        now = self._clock()
        with self._lock:
            name = self._showing(now)
            state = self._pipelines.get(name)
            stages = {} if state is None else {s: ms for s, (ms, t) in state.stages.items() if now - t <= self.expire_s}
            return TimingSnapshot(self._fps(state, now), stages, name)

    def _showing(self, now: float) -> str:
        """The panel that delivered most recently and is still live, else the source."""
        best, best_at = SOURCE, None
        for name, state in self._pipelines.items():
            at = state.last_frame
            if name == SOURCE or at is None or now - at > self.expire_s:
                continue
            if best_at is None or at > best_at:
                best, best_at = name, at
        return best

    def _pipeline(self, name: str) -> _Pipeline:
        state = self._pipelines.get(name)
        if state is None:
            state = self._pipelines[name] = _Pipeline()
        return state

    def _fps(self, state: _Pipeline | None, now: float) -> float:
        if state is None or state.last_frame is None or now - state.last_frame > self.expire_s:
            return 0.0
        return 1.0 / state.interval if state.interval else 0.0


class Stopwatch:
    """``with Stopwatch() as sw: …`` then ``sw.ms``."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self._clock = clock
        self.ms = 0.0

    def __enter__(self) -> Stopwatch:
        self._start = self._clock()
        self.ms = 0.0
        return self

    def __exit__(self, *exc) -> None:
        self.ms = (self._clock() - self._start) * 1000.0
