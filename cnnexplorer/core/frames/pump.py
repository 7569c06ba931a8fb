"""Drive a frame source on the calling thread: latest frame wins, lost devices are reconnected."""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from cnnexplorer.core.frames.sources import FrameSource, SourceError

BACKOFF_S = (0.5, 1.0, 2.0, 4.0, 8.0)
"""Waits between reconnection attempts; the last one repeats."""


@dataclass(frozen=True)
class Frame:
    """One captured frame with where it came from and what capturing it cost."""

    rgb: np.ndarray
    index: int
    captured_at: float  # time.perf_counter() when read returned
    capture_ms: float
    source: str


class LatestSlot:
    """A one-frame mailbox between threads: a new frame replaces an unread one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._frame: Frame | None = None

    def put(self, frame: Frame) -> bool:
        """Store ``frame``; True when the slot was empty (the reader needs waking)."""
        with self._lock:
            was_empty = self._frame is None
            self._frame = frame
            return was_empty

    def take(self) -> Frame | None:
        with self._lock:
            frame, self._frame = self._frame, None
            return frame

    def empty(self) -> bool:
        return self._frame is None


class SourcePump:
    """Open ``source`` and read it until ``stop`` is set.

    ``on_state(state, message)`` reports ``"opening"``, ``"live"``, ``"lost"`` (retrying with
    back-off), ``"failed"`` (the very first open failed: the pump gives up) and ``"stopped"``.
    A frame-age watchdog treats a device that gives no new frame for ``stale_after_s`` (read
    failing, or repeating the same frame) as lost, closes it and reconnects.
    """

    def __init__(
        self,
        source: FrameSource,
        on_frame: Callable[[Frame], None],
        on_state: Callable[[str, str], None],
        *,
        stale_after_s: float = 2.0,
        backoff_s: tuple[float, ...] = BACKOFF_S,
    ) -> None:
        self.source = source
        self._on_frame, self._on_state = on_frame, on_state
        self.stale_after_s = stale_after_s
        self.backoff_s = backoff_s
        self._index = 0

    def run(self, stop: threading.Event) -> None:
        attempt = 0
        ever_opened = False
        try:
            while not stop.is_set():
                self._on_state("opening", f"opening {self.source.label}…")
                try:
                    self.source.open()
                except SourceError as exc:
                    if not ever_opened:
                        self._on_state("failed", str(exc))
                        return
                    wait = self.backoff_s[min(attempt, len(self.backoff_s) - 1)]
                    self._on_state("lost", f"{exc} — retrying in {wait:g} s")
                    attempt += 1
                    stop.wait(wait)
                    continue
                ever_opened = True
                if self._stream(stop):
                    attempt = 0
                self.source.close()
                if stop.is_set():
                    break
                wait = self.backoff_s[min(attempt, len(self.backoff_s) - 1)]
                self._on_state("lost", f"{self.source.label} lost — retrying in {wait:g} s")
                attempt += 1
                stop.wait(wait)
        finally:
            self.source.close()
            self._on_state("stopped", "")

    def _stream(self, stop: threading.Event) -> bool:
        """Read until the device fails, stalls or ``stop`` is set; True if any frame came."""
        source = self.source
        last_signature = None
        last_new = time.perf_counter()
        got_any = False
        next_due = time.perf_counter()
        while not stop.is_set():
            start = time.perf_counter()
            rgb = source.read()
            now = time.perf_counter()
            if rgb is None:
                if not source.live or now - last_new > self.stale_after_s:
                    return got_any
                stop.wait(0.01)
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
                stop.wait()  # a still frame: nothing more to read
                return True
            if source.frame_interval:
                next_due = max(next_due + source.frame_interval, now - source.frame_interval)
                stop.wait(max(0.0, next_due - time.perf_counter()))
        return got_any


def _signature(rgb: np.ndarray) -> int:
    """A cheap fingerprint for spotting a device that repeats one frame."""
    return zlib.crc32(np.ascontiguousarray(rgb[::8, ::8]).tobytes())
