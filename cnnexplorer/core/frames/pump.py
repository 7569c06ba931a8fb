"""Drive a frame source on the calling thread: latest frame wins, lost devices are reconnected."""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Callable, Sequence

import numpy as np

from cnnexplorer.core.frames.frame import Frame
from cnnexplorer.core.frames.sources import FrameSource, SourceError
from cnnexplorer.core.i18n import tr

BACKOFF_S = (0.5, 1.0, 2.0, 4.0, 8.0)
"""Waits between reconnection attempts; the last one repeats."""

POLL_S = 0.01
"""How long to wait before asking a live device again after it gave no frame."""

Wait = Callable[[threading.Event, float | None], bool]
"""``wait(stop, seconds)``: sleep until ``stop`` is set or ``seconds`` pass (``None``: until set)."""


class Backoff:
    """Delays between reconnection attempts: each failure waits the next one, the last repeats,
    and :meth:`reset` (the device delivered again) starts over from the first.
    """

    def __init__(self, delays: Sequence[float] = BACKOFF_S) -> None:
        if not delays or min(delays) < 0:
            raise ValueError(tr("back-off needs at least one delay, none negative; got {delays}", delays=tuple(delays)))
        self.delays = tuple(delays)
        self.attempt = 0

    def next_delay(self) -> float:
        delay = self.delays[min(self.attempt, len(self.delays) - 1)]
        self.attempt += 1
        return delay

    def reset(self) -> None:
        self.attempt = 0


class SourcePump:
    """Open ``source`` and read it until ``stop`` is set.

    ``on_state(state, message)`` reports ``"opening"``, ``"live"``, ``"lost"`` (retrying with
    back-off), ``"failed"`` (the very first open failed: the pump gives up) and ``"stopped"``.
    A frame-age watchdog treats a device that gives no new frame for ``stale_after_s`` (read
    failing, or repeating the same frame) as lost, closes it and reconnects.

    ``clock`` and ``wait`` are the pump's only sense of time (frame ages, pacing, back-off), so a
    test can drive it on its own thread with a fake clock and no sleeping.
    """

    def __init__(
        self,
        source: FrameSource,
        on_frame: Callable[[Frame], None],
        on_state: Callable[[str, str], None],
        *,
        stale_after_s: float = 2.0,
        backoff_s: Sequence[float] = BACKOFF_S,
        clock: Callable[[], float] = time.perf_counter,
        wait: Wait = threading.Event.wait,
    ) -> None:
        self.source = source
        self._on_frame, self._on_state = on_frame, on_state
        self.stale_after_s = stale_after_s
        self.backoff = Backoff(backoff_s)
        self._clock, self._wait = clock, wait
        self._index = 0

    def run(self, stop: threading.Event) -> None:
        backoff = self.backoff
        backoff.reset()
        ever_opened = False
        try:
            while not stop.is_set():
                self._on_state("opening", tr("opening {source}…", source=self.source.label))
                try:
                    self.source.open()
                except SourceError as exc:
                    if not ever_opened:
                        self._on_state("failed", str(exc))
                        return
                    problem = str(exc)
                else:
                    ever_opened = True
                    if self._stream(stop):
                        backoff.reset()
                    self.source.close()
                    if stop.is_set():
                        break
                    problem = tr("{source} lost", source=self.source.label)
                delay = backoff.next_delay()
                self._on_state("lost", tr("{problem} — retrying in {delay} s", problem=problem, delay=f"{delay:g}"))
                self._wait(stop, delay)
        finally:
            self.source.close()
            self._on_state("stopped", "")

    def _stream(self, stop: threading.Event) -> bool:
        """Read until the device fails, stalls or ``stop`` is set; True if any frame came."""
        source, clock = self.source, self._clock
        last_signature = None
        last_new = next_due = clock()
        got_any = False
        while not stop.is_set():
            start = clock()
            rgb = source.read()
            now = clock()
            if rgb is None:
                if not source.live or now - last_new > self.stale_after_s:
                    return got_any
                self._wait(stop, POLL_S)
                continue
            if source.watch_stalls:
                signature = _signature(rgb)
                if signature == last_signature:
                    if now - last_new > self.stale_after_s:
                        return got_any
                    continue
                last_signature = signature
            last_new = now
            if not got_any:
                self._on_state("live", source.label)
                got_any = True
            self._on_frame(Frame(rgb, self._index, now, (now - start) * 1000.0, source.spec))
            self._index += 1
            if not source.live:
                self._wait(stop, None)  # a still frame: nothing more to read
                return True
            if source.frame_interval:
                next_due = max(next_due + source.frame_interval, now - source.frame_interval)
                self._wait(stop, max(0.0, next_due - clock()))
        return got_any


def _signature(rgb: np.ndarray) -> int:
    """A cheap fingerprint for spotting a device that repeats one frame."""
    return zlib.crc32(np.ascontiguousarray(rgb[::8, ::8]).tobytes())
