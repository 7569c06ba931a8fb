"""The two ways a panel runs work off the GUI thread, written once.

- :class:`LatestRequestWorker`: a long-lived thread that serves only the newest request (live frames,
  preview grids). Older requests still waiting are dropped; the thread sleeps until one arrives
  and starts on the first request, so a panel never shown costs nothing.
- :class:`TaskThread`: one call on its own thread (import Keras, load a model, read a dataset,
  download weights, finish a video), with progress and a cancel event. :func:`run_task` starts one;
  :class:`TaskRunner` keeps one current task for a panel, a new one replacing the old
  (:class:`~cnnexplorer.gui.common.task_progress.TaskProgress` shows its progress and Stop).

Both are QThreads parented to the widget that owns them, so the window finds every one of them
(``findChildren(QThread)``) to stop and wait for when it closes. Results reach the GUI thread through
queued signals; workers never touch widgets.
"""

from __future__ import annotations

import logging
import threading
import time
import warnings
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

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
    """Runs ``call()`` once on its own thread: the app's one kind of one-shot task.

    - ``cancel``: an event the call watches; :meth:`request_stop` (Stop, closing the window) sets it.
      Pass your own to hand it to the call before the thread exists.
    - ``progress.emit(done, total)``: the call reports how far it got, from its thread;
      ``progressed`` repeats it on the GUI thread.
    - ``done(result)`` or ``failed(exception)``, then ``ended``: on the GUI thread, once the call returned.
    - :meth:`discard`: the task is replaced. It is asked to stop and its signals are disconnected;
      as they are emitted on the GUI thread, nothing it sends later, nor anything already queued
      for the GUI thread, reaches anyone: a stale result never lands.
    """

    done = Signal(object)
    failed = Signal(object)  # the exception
    ended = Signal()  # after done or failed
    progress = Signal(int, int)  # emitted by the call, on this thread
    progressed = Signal(int, int)  # the same, on the GUI thread

    def __init__(self, call: Callable[[], Any], name: str, parent: QObject,
                 cancel: threading.Event | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._call = call
        self.cancel = cancel or threading.Event()
        self._outcome: Any = None
        self._error: Exception | None = None
        # Queued: this object lives on the GUI thread, the call emits on the task's thread.
        self.progress.connect(self.progressed)
        self.finished.connect(self._deliver)

    def request_stop(self) -> None:
        self.cancel.set()

    def discard(self) -> None:
        """Stop this task and forget it: none of its results, progress or end is delivered."""
        self.request_stop()
        with warnings.catch_warnings():  # Qt warns about a signal that had no receiver
            warnings.simplefilter("ignore", RuntimeWarning)
            for signal in (self.done, self.failed, self.ended, self.progressed):
                signal.disconnect()

    def run(self) -> None:
        try:
            self._outcome = self._call()
        except Exception as exc:  # reported, never raised into Qt
            log.warning("%s failed: %s", self.objectName(), exc, exc_info=True)  # i18n: keep
            self._error = exc

    @Slot()
    def _deliver(self) -> None:
        outcome, error, self._outcome, self._error = self._outcome, self._error, None, None
        if error is not None:
            self.failed.emit(error)
        else:
            self.done.emit(outcome)
        self.ended.emit()


def _start(task: TaskThread, on_done: Callable[[Any], None] | None, on_failed: Callable[[Exception], None] | None,
           on_finished: Callable[[], None] | None) -> TaskThread:
    for signal, slot in ((task.done, on_done), (task.failed, on_failed), (task.ended, on_finished)):
        if slot is not None:
            signal.connect(slot)
    task.finished.connect(task.deleteLater)
    task.start()
    return task


def run_task(call: Callable[[], Any], name: str, parent: QObject, on_done: Callable[[Any], None] | None = None,
             on_failed: Callable[[Exception], None] | None = None,
             on_finished: Callable[[], None] | None = None, cancel: threading.Event | None = None) -> TaskThread:
    """Start a :class:`TaskThread` owned by ``parent``; ``on_finished`` comes after ``on_done`` or
    ``on_failed``. The task deletes itself once finished, so drop any reference to it in ``on_finished``
    (which does not come if the task is discarded, e.g. when its window closes)."""
    return _start(TaskThread(call, name, parent, cancel), on_done, on_failed, on_finished)


class TaskRunner(QObject):
    """One task at a time for its owner, as Orange3's ``ConcurrentWidgetMixin`` does for a widget.

    :meth:`start` replaces the task before it (discarded: stopped, and nothing of it is delivered);
    :meth:`stop` asks the current task to stop, and its result (maybe partial) still arrives.
    ``progress`` and ``running_changed`` speak of the current task only. Its threads are children
    of ``owner``, so closing the window finds and stops them."""

    progress = Signal(int, int)  # done, total
    running_changed = Signal(bool)

    def __init__(self, owner: QObject) -> None:
        super().__init__(owner)
        self.task: TaskThread | None = None

    @property
    def running(self) -> bool:
        return self.task is not None

    def start(self, work: Callable[[TaskThread], Any], name: str, on_done: Callable[[Any], None] | None = None,
              on_failed: Callable[[Exception], None] | None = None) -> TaskThread:
        """Run ``work(task)`` on a new task thread in place of the current task; ``work`` watches
        ``task.cancel`` and may report with ``task.progress.emit(done, total)``."""
        if self.task is not None:
            self.task.discard()
        self.task = task = TaskThread(lambda: work(task), name, self.parent())
        task.progressed.connect(self.progress)
        _start(task, on_done, on_failed, self._on_ended)
        self.running_changed.emit(True)
        return task

    def stop(self) -> None:
        if self.task is not None:
            self.task.request_stop()

    def discard(self) -> None:
        """Stop the current task and drop whatever it would still deliver."""
        if self.task is not None:
            self.task.discard()
            self.task = None
            self.running_changed.emit(False)

    def _on_ended(self) -> None:
        self.task = None
        self.running_changed.emit(False)


SHUTDOWN_TIMEOUT_MS = 20000  # one wait for every thread of a closing window together
_abandoned: list[QThread] = []  # threads that outlived a shutdown: kept, never destroyed while running


def threads_alive(owner: QObject) -> list[str]:
    """Names of the running QThreads under ``owner``."""
    return [t.objectName() or type(t).__name__ for t in owner.findChildren(QThread) if t.isRunning()]


def stop_threads(owner: QObject, timeout_ms: int) -> list[str]:
    """Ask every running QThread under ``owner`` to stop, then wait for all of them with one deadline:
    the owner is closing.

    Every task is discarded (:meth:`TaskThread.discard`): one that ends during the wait (the Keras
    import, a model load), or had ended with its result not yet handed over, delivers nothing (its
    ``on_finished`` included), so nothing starts new work behind a closed window.
    Another thread answers ``request_stop()`` if it has one, else ``quit()``. Returns the names of
    those still running when the deadline passed (a model load cannot be interrupted): they are
    detached from ``owner`` and kept, so destroying the owner does not destroy a running thread."""
    for task in owner.findChildren(TaskThread):  # running, or ended with its result still queued
        task.discard()
    threads = [t for t in owner.findChildren(QThread) if t.isRunning()]
    for thread in threads:
        if not isinstance(thread, TaskThread):
            (getattr(thread, "request_stop", None) or thread.quit)()
    deadline = time.perf_counter() + timeout_ms / 1000
    for thread in threads:
        thread.wait(max(0, int((deadline - time.perf_counter()) * 1000)))
    still = [t for t in threads if t.isRunning()]
    for thread in still:
        thread.setParent(None)
        _abandoned.append(thread)
    return [t.objectName() or type(t).__name__ for t in still]
