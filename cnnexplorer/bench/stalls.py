"""GUI-thread stalls for the benchmarks: a 20 ms timer on the GUI thread whose late ticks are stalls,
and, when asked, a sampling thread that records where the GUI thread is while a tick is late."""

from __future__ import annotations

import collections
import gc
import sys
import threading
import time
import traceback

STALL_S = 0.1  # a gap between ticks longer than this is a stall
TICK_MS = 20


class StallMeter:
    """Counts the gaps between the ticks of a timer on the GUI thread; ``reset()`` starts a new phase.

    With ``profile=True`` a daemon thread looks at the GUI thread every ``sample_s`` and, whenever the
    last tick is older than ``STALL_S``, counts the innermost project frames of its stack: ``top()``
    then says where the stalls were spent (a frame holding the GIL for long shows as fewer samples).
    Cycle collections are timed apart (they hold the GIL: the sampler cannot see them)."""

    def __init__(self, profile: bool = False, sample_s: float = 0.01) -> None:
        from PySide6.QtCore import QTimer

        self.gui_thread = threading.get_ident()
        self.last = time.perf_counter()
        self.longest = 0.0
        self.stalls = 0
        self.samples: collections.Counter[str] = collections.Counter()
        self.gc_longest, self.gc_over_100ms, self._gc_start = 0.0, 0, 0.0
        gc.callbacks.append(self._on_gc)
        self.timer = QTimer(interval=TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self._sampling = profile
        self.sample_s = sample_s
        self._sampler = threading.Thread(target=self._sample, name="StallSampler", daemon=True) if profile else None
        if self._sampler is not None:
            self._sampler.start()

    def tick(self) -> None:
        now = time.perf_counter()
        gap = now - self.last
        self.last = now
        self.longest = max(self.longest, gap)
        self.stalls += gap > STALL_S

    def reset(self) -> None:
        self.last = time.perf_counter()
        self.longest, self.stalls = 0.0, 0
        self.gc_longest, self.gc_over_100ms = 0.0, 0
        self.samples.clear()

    def figures(self) -> dict:
        return {"longest_stall_s": round(self.longest, 3), "stalls_over_100ms": self.stalls,
                "longest_gc_s": round(self.gc_longest, 3), "gc_over_100ms": self.gc_over_100ms}

    def top(self, count: int = 8) -> list[tuple[str, int]]:
        return self.samples.most_common(count)

    def stop(self) -> None:
        self.timer.stop()
        gc.callbacks.remove(self._on_gc)
        self._sampling = False
        if self._sampler is not None:
            self._sampler.join()

    def _on_gc(self, phase: str, _info: dict) -> None:
        if phase == "start":
            self._gc_start = time.perf_counter()
            return
        pause = time.perf_counter() - self._gc_start
        self.gc_longest = max(self.gc_longest, pause)
        self.gc_over_100ms += pause > STALL_S

    def _sample(self) -> None:
        while self._sampling:
            time.sleep(self.sample_s)
            if time.perf_counter() - self.last <= STALL_S:
                continue
            frame = sys._current_frames().get(self.gui_thread)
            if frame is not None:
                self.samples[_where(frame)] += 1


def _where(frame, depth: int = 3) -> str:
    """The innermost ``depth`` frames of the project (or the innermost frame if none is ours)."""
    stack = traceback.extract_stack(frame)
    ours = [f for f in stack if "cnnexplorer" in f.filename and "/bench/" not in f.filename] or stack[-1:]
    inner = stack[-1]
    where = " < ".join(f"{f.filename.rsplit('cnnexplorer/', 1)[-1]}:{f.lineno} {f.name}" for f in reversed(ours[-depth:]))
    if inner not in ours:
        where = f"[{inner.filename.rsplit('/', 2)[-1]}:{inner.lineno} {inner.name}] " + where
    return where
