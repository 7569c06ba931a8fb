"""The shared worker pattern: newest request wins, the GUI thread never waits for a handler."""

import threading

from PySide6.QtCore import QObject

from cnnexplorer.gui.common.workers import LatestRequestWorker, TaskThread, run_task, stop_threads


class Collected(QObject):
    """A GUI-thread receiver (pytest-qt can abort when waitSignal watches a worker's signal)."""

    def __init__(self) -> None:
        super().__init__()
        self.items = []

    def add(self, item) -> None:
        self.items.append(item)


def test_submit_never_waits_for_the_handler_and_the_newest_request_wins(qtbot):
    owner, got = QObject(), Collected()
    entered, release, handled = threading.Event(), threading.Event(), []

    def handle(request):
        handled.append(request)
        if request == 1:  # a long build (e.g. a tapping model) in progress
            entered.set()
            release.wait(10)
        return request * 10

    worker = LatestRequestWorker(handle, "Test", owner)
    worker.result.connect(got.add)
    assert not worker.isRunning()  # starts with the first request, not before
    worker.submit(1)
    assert entered.wait(5)
    for request in (2, 3, 4):  # returns at once although the handler holds the thread
        worker.submit(request)
    assert not worker.idle()
    release.set()
    qtbot.waitUntil(lambda: got.items == [10, 40], timeout=5000)
    qtbot.waitUntil(worker.idle, timeout=5000)
    assert handled == [1, 4]
    assert stop_threads(owner, 5000) == []


def test_a_failing_request_is_reported_and_the_worker_goes_on(qtbot):
    owner, got, errors = QObject(), Collected(), Collected()

    def handle(request):
        if request < 0:
            raise ValueError("negative")
        return request

    worker = LatestRequestWorker(handle, "Test", owner)
    worker.result.connect(got.add)
    worker.failed.connect(errors.add)
    worker.submit(-1)
    qtbot.waitUntil(lambda: len(errors.items) == 1, timeout=5000)
    worker.submit(5)
    qtbot.waitUntil(lambda: got.items == [5], timeout=5000)
    assert isinstance(errors.items[0], ValueError)
    assert stop_threads(owner, 5000) == []


def test_task_thread_reports_result_progress_and_error(qtbot):
    owner, done, failed, progress = QObject(), Collected(), Collected(), Collected()

    def count(task_ref):
        for i in range(3):
            task_ref[0].progress.emit(i + 1, 3)
        return "counted"

    ref = []
    task = TaskThread(lambda: count(ref), "Counter", owner)
    ref.append(task)
    task.done.connect(done.add)
    task.progress.connect(lambda d, t: progress.add((d, t)))
    task.start()
    qtbot.waitUntil(lambda: done.items == ["counted"], timeout=5000)
    assert progress.items == [(1, 3), (2, 3), (3, 3)]
    run_task(lambda: 1 / 0, "Broken", owner, on_failed=failed.add)
    qtbot.waitUntil(lambda: len(failed.items) == 1, timeout=5000)
    assert isinstance(failed.items[0], ZeroDivisionError)
    assert stop_threads(owner, 5000) == []


def test_stop_threads_waits_once_for_all_and_names_the_stuck_ones(qtbot):
    owner = QObject()
    release = threading.Event()
    started = [threading.Event() for _ in range(3)]

    def stubborn(i):  # ignores its cancel event: only ``release`` ends it
        started[i].set()
        release.wait(10)

    tasks = [TaskThread(lambda i=i: stubborn(i), f"Stuck{i}", owner) for i in range(3)]
    for task in tasks:
        task.start()
    assert all(event.wait(5) for event in started)
    assert sorted(stop_threads(owner, 200)) == ["Stuck0", "Stuck1", "Stuck2"]
    assert all(task.cancel.is_set() for task in tasks)
    release.set()
    assert stop_threads(owner, 5000) == []
