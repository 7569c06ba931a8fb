"""The current frame source as a small Qt model: which source, its state, the newest frame."""

from __future__ import annotations

import logging
import threading
import time

from PySide6.QtCore import QObject, QThread, QTimer, Signal

from cnnexplorer.core.frames.frame import Frame, LatestSlot
from cnnexplorer.core.frames.pump import SourcePump
from cnnexplorer.core.frames.sources import FrameSource, SourceError, catalogue, open_source
from cnnexplorer.core.i18n import tr
from cnnexplorer.core.infra.timing import SOURCE, PipelineTimer
from cnnexplorer.gui.source.names import shown_label

log = logging.getLogger(__name__)


class SourceWorker(QThread):
    """Runs one source's pump on its own thread; the newest frame waits in ``slot``."""

    frame_ready = Signal()
    state_changed = Signal(str, str)

    def __init__(self, source: FrameSource, stale_after_s: float, parent: QObject) -> None:
        super().__init__(parent)
        self.source = source
        self.slot = LatestSlot()
        self._stop = threading.Event()
        self._stale_after_s = stale_after_s
        self.setObjectName(f"SourceWorker[{source.spec}]")

    def run(self) -> None:
        pump = SourcePump(self.source, self._on_frame, self.state_changed.emit, stale_after_s=self._stale_after_s)
        pump.run(self._stop)

    def _on_frame(self, frame: Frame) -> None:
        if self.slot.put(frame):
            self.frame_ready.emit()

    def request_stop(self) -> None:
        self._stop.set()


class SourceController(QObject):
    """Owns the source workers. A new source replaces the old one only once it delivers a frame,
    so a bad file or a missing camera leaves the current picture in place and says why.
    """

    frame_changed = Signal(object)  # Frame
    state_changed = Signal(str, str)  # state, message
    source_changed = Signal(str, str)  # spec, label
    frozen_changed = Signal(bool)
    source_failed = Signal(str, str)  # spec, message

    def __init__(self, timer: PipelineTimer | None = None, stale_after_s: float = 2.0, parent=None) -> None:
        super().__init__(parent)
        self.timer = timer or PipelineTimer()
        self.stale_after_s = stale_after_s
        self.mirror = True
        self.current: Frame | None = None
        self.state, self.message = "stopped", ""
        self.frozen = False
        self._held_back: Frame | None = None  # the newest frame that came while frozen
        self._active: SourceWorker | None = None
        self._pending: SourceWorker | None = None
        self._fallback: str | None = None
        self._freeze_on_arrival: str | None = None  # spec to freeze on its first frame (a scene's)
        self._retiring: list[SourceWorker] = []
        self._last_frame_at = 0.0
        self._watchdog = QTimer(self, interval=250)
        self._watchdog.timeout.connect(self._check_frame_age)
        self._watchdog.start()

    # -- what is showing --------------------------------------------------------------------------
    @property
    def active_source(self) -> FrameSource | None:
        return self._active.source if self._active else None

    @property
    def spec(self) -> str:
        return self._active.source.spec if self._active else ""

    @property
    def label(self) -> str:
        return self._active.source.label if self._active else ""

    @property
    def is_live(self) -> bool:
        return bool(self._active and self._active.source.live)

    def frame_age_s(self) -> float:
        return time.perf_counter() - self._last_frame_at if self.current else float("inf")

    # -- commands -----------------------------------------------------------------------------
    def set_source(self, spec: str, *, fallback: str | None = None) -> bool:
        """Start opening ``spec``; it replaces the current source when its first frame arrives.

        If it fails and ``fallback`` is given, that spec is tried instead (used at start-up: no
        camera → a sample). Returns False (and emits ``source_failed``) for a malformed spec.
        """
        try:
            source = open_source(spec, mirror=self.mirror)
        except SourceError as exc:
            self.source_failed.emit(spec, str(exc))
            if fallback and fallback != spec:
                self.set_source(fallback)
            return False
        self.set_frame_source(source, fallback=fallback)
        return True

    def set_frame_source(self, source: FrameSource, *, fallback: str | None = None) -> None:
        """Like :meth:`set_source` for a source object already built."""
        if self._pending is not None:
            self._retire(self._pending)
        if self._active is not None and _same_device(self._active.source, source):
            self._retire(self._active)  # a camera cannot be opened twice: let go first
            self._active = None
        self._fallback = fallback
        worker = SourceWorker(source, self.stale_after_s, self)
        worker.frame_ready.connect(lambda w=worker: self._on_frame_ready(w))
        worker.state_changed.connect(lambda state, msg, w=worker: self._on_worker_state(w, state, msg))
        worker.finished.connect(lambda w=worker: self._on_worker_finished(w))
        self._pending = worker
        worker.start()

    def next_source(self, step: int = 1) -> None:
        """Cycle through the built-in samples and patterns."""
        specs = catalogue()
        current = self._pending.source.spec if self._pending else self.spec
        index = specs.index(current) + step if current in specs else 0
        self.set_source(specs[index % len(specs)])

    def show_source(self, spec: str, frozen: bool) -> bool:
        """Show ``spec`` (opened unless it is already the source), frozen or live. A new source is
        frozen on its first frame, so a scene opens on the same still picture every time."""
        self._freeze_on_arrival = None
        if spec == self.spec:
            self.set_frozen(frozen)
            return True
        self.set_frozen(False)
        if frozen:
            self._freeze_on_arrival = spec
        return self.set_source(spec)

    def set_frozen(self, frozen: bool) -> None:
        if frozen != self.frozen:
            self.frozen = frozen
            self.frozen_changed.emit(frozen)
            held, self._held_back = self._held_back, None
            if not frozen and held is not None:
                self.current = held
                self.frame_changed.emit(held)

    def toggle_frozen(self) -> None:
        self.set_frozen(not self.frozen)

    def set_mirror(self, mirror: bool) -> None:
        """Mirror camera frames left-right (selfie view); applies to the running camera at once."""
        self.mirror = mirror
        for worker in (self._active, self._pending):
            if worker is not None and hasattr(worker.source, "mirror"):
                worker.source.mirror = mirror

    def request_stop(self) -> list[SourceWorker]:
        """Stop watching and ask every worker to stop; the owner of the controller waits for them
        (they are its QThread children). Returns them."""
        self._watchdog.stop()
        workers = [w for w in (self._active, self._pending) if w is not None] + self._retiring
        self._active = self._pending = None
        for worker in workers:
            worker.request_stop()
        return workers

    def threads(self) -> list[QThread]:
        return [w for w in (self._active, self._pending, *self._retiring) if w is not None]

    # -- worker events ----------------------------------------------------------------------
    def _on_frame_ready(self, worker: SourceWorker) -> None:
        frame = worker.slot.take()
        if frame is None:
            return
        arrived = worker is self._pending
        if arrived:
            self._promote(worker)
        if worker is not self._active:
            return
        self._last_frame_at = time.perf_counter()
        if self.state != "live":
            self._set_state("live", worker.source.label)
        if self.frozen and self.current is not None and not arrived:
            self._held_back = frame  # shown on unfreeze (a still picture sends no later frame)
            return
        # A new source chosen while frozen arrives frozen on its first frame: the room sees it.
        self._held_back = None
        self.current = frame
        self.timer.record("capture", frame.capture_ms, pipeline=SOURCE)
        self.frame_changed.emit(frame)
        if self._freeze_on_arrival == worker.source.spec:
            self._freeze_on_arrival = None
            self.set_frozen(True)

    def _promote(self, worker: SourceWorker) -> None:
        if self._active is not None:
            self._retire(self._active)
        self._active, self._pending = worker, None
        self.source_changed.emit(worker.source.spec, worker.source.label)

    def _on_worker_state(self, worker: SourceWorker, state: str, message: str) -> None:
        if worker is self._pending and state == "failed":
            self._retire(worker)
            self._pending = None
            self.source_failed.emit(worker.source.spec, message)
            fallback, self._fallback = self._fallback, None
            if fallback and fallback != worker.source.spec:
                self.set_source(fallback)
            return
        if worker is self._active and state in ("lost", "opening") and self.current is not None:
            self._set_state("lost", message)

    def _on_worker_finished(self, worker: SourceWorker) -> None:
        if worker in self._retiring:
            self._retiring.remove(worker)
        worker.deleteLater()

    def _retire(self, worker: SourceWorker) -> None:
        worker.request_stop()
        for signal in (worker.frame_ready, worker.state_changed):
            signal.disconnect()
        if worker.isRunning():
            self._retiring.append(worker)
        else:
            worker.deleteLater()

    def _check_frame_age(self) -> None:
        # A read that blocks (some drivers hang ~10 s when unplugged) sends no state: watch the age.
        if self.is_live and self.state == "live" and self.frame_age_s() > self.stale_after_s:
            self._set_state("lost", tr("{source} lost — retrying", source=shown_label(self.spec, self.label)))

    def _set_state(self, state: str, message: str) -> None:
        if (state, message) != (self.state, self.message):
            self.state, self.message = state, message
            self.state_changed.emit(state, message)


def _same_device(a: FrameSource, b: FrameSource) -> bool:
    return getattr(a, "device", None) is not None and getattr(a, "device", None) == getattr(b, "device", None)

