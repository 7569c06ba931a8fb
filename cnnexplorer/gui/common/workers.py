"""The two ways a panel runs work off the GUI thread, written once.

- :class:`LatestRequestWorker`: a long-lived thread that serves only the newest request (live frames,
  preview grids). Older requests still waiting are dropped; the thread sleeps until one arrives
  and starts on the first request, so a panel never shown costs nothing.
- :class:`TaskThread`: one call on its own thread (load a model, read a dataset, download weights).

Both are QThreads parented to the widget that owns them, so the window finds every one of them
(``findChildren(QThread)``) to stop and wait for when it closes. Results reach the GUI thread through
queued signals; workers never touch widgets.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

log = logging.getLogger(__name__)


class LatestRequestWorker(QThread):
    """Calls ``handle(request)`` on this thread for the newest request only.

    ``handle`` returns the result to emit (``None``: nothing to emit). An exception becomes
    ``failed(exception)`` and the worker goes on serving later requests; the log gets its traceback
    once, not once per frame, while the same error repeats.
    """

    result = Signal(object)
    failed = Signal(object)  # the exception

    def __init__(self, handle: Callable[[Any], Any], name: str, parent: QObject) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._handle = handle
        self._cond = threading.Condition()
        self._request: Any = None
        self._pending = False
        self._busy = False
        self._stopping = False
        self._last_error = ""

    def submit(self, request: Any) -> None:
        """Queue ``request`` in place of any request still waiting; start the thread if needed.
        Call it from the owner's (GUI) thread, or start the worker before submitting from another."""
        with self._cond:
            if self._stopping:
                return
            self._request, self._pending = request, True
            self._cond.notify()
        if not self.isRunning():
            self.start()

    def idle(self) -> bool:
        """No request waiting and none being handled."""
        with self._cond:
            return not self._pending and not self._busy

    def request_stop(self) -> None:
        """Finish the request in hand, drop the rest, end the thread (does not wait)."""
        with self._cond:
            self._stopping, self._pending, self._request = True, False, None
            self._cond.notify()

    def run(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
                request, self._request, self._pending, self._busy = self._request, None, False, True
            try:
                outcome = self._handle(request)
            except Exception as exc:  # a bad request must not end the worker or the app
                error = f"{type(exc).__name__}: {exc}"
                if error != self._last_error:
                    log.exception("%s failed", self.objectName())
                    self._last_error = error
                self.failed.emit(exc)
            else:
                self._last_error = ""
                if outcome is not None:
                    self.result.emit(outcome)
            finally:
                with self._cond:
                    self._busy = False


class TaskThread(QThread):
    """Runs ``call()`` once; ``done(result)`` or ``failed(exception)`` arrive on the GUI thread.

    ``cancel`` is an event the call may watch (it is set by :meth:`request_stop`; pass your own to
    hand it to the call before the thread exists); a call that counts its way through (bytes,
    files) may report with ``progress.emit(done, total)``."""

    done = Signal(object)
    failed = Signal(object)  # the exception
    progress = Signal(int, int)

    def __init__(self, call: Callable[[], Any], name: str, parent: QObject,
                 cancel: threading.Event | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._call = call
        self.cancel = cancel or threading.Event()

    def request_stop(self) -> None:
        self.cancel.set()

    def run(self) -> None:
        try:
            outcome = self._call()
        except Exception as exc:  # reported, never raised into Qt
            log.warning("%s failed: %s", self.objectName(), exc, exc_info=True)  # i18n: keep
            self.failed.emit(exc)
        else:
            self.done.emit(outcome)


def run_task(call: Callable[[], Any], name: str, parent: QObject, on_done: Callable[[Any], None] | None = None,
             on_failed: Callable[[Exception], None] | None = None,
             on_finished: Callable[[], None] | None = None, cancel: threading.Event | None = None) -> TaskThread:
    """Start a :class:`TaskThread` owned by ``parent``; it deletes itself once finished, so drop any
    reference to it on ``finished``."""
    task = TaskThread(call, name, parent, cancel)
    if on_done is not None:
        task.done.connect(on_done)
    if on_failed is not None:
        task.failed.connect(on_failed)
    if on_finished is not None:
        task.finished.connect(on_finished)
    task.finished.connect(task.deleteLater)
    task.start()
    return task


_abandoned: list[QThread] = []  # threads that outlived a shutdown: kept, never destroyed while running


def stop_threads(owner: QObject, timeout_ms: int) -> list[str]:
    """Ask every running QThread under ``owner`` to stop, then wait for all of them with one deadline.

    A thread answers ``request_stop()`` if it has one, else ``quit()``. Returns the names of those
    still running when the deadline passed (a model load cannot be interrupted): they are detached
    from ``owner`` and kept, so destroying the owner does not destroy a running thread."""
    threads = [t for t in owner.findChildren(QThread) if t.isRunning()]
    for thread in threads:
        stop = getattr(thread, "request_stop", None)
        (stop or thread.quit)()
    deadline = time.perf_counter() + timeout_ms / 1000
    for thread in threads:
        thread.wait(max(0, int((deadline - time.perf_counter()) * 1000)))
    still = [t for t in threads if t.isRunning()]
    for thread in still:
        thread.setParent(None)
        _abandoned.append(thread)
    return [t.objectName() or type(t).__name__ for t in still]
