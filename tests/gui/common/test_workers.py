"""The shared worker patterns: newest request wins, the GUI thread never waits for a handler; one
task at a time, stoppable, and a replaced task never delivers."""

import threading

from PySide6.QtCore import QCoreApplication, QObject

from cnnexplorer.gui.common.workers import LatestRequestWorker, TaskRunner, TaskThread, run_task, stop_threads


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
    task.progressed.connect(lambda d, t: progress.add((d, t)))
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


def test_a_task_that_ends_while_its_owner_closes_delivers_nothing(qtbot):
    """Closing waits for the tasks; one that ends meanwhile (the Keras import) must not start a
    panel's work behind the closed window."""
    owner, done, ended = QObject(), Collected(), Collected()
    entered, release = threading.Event(), threading.Event()

    def import_keras():  # cannot be interrupted: only ``release`` ends it
        entered.set()
        release.wait(10)
        return "ready"

    task = run_task(import_keras, "Import", owner, on_done=done.add, on_finished=lambda: ended.add(True))
    assert entered.wait(5)
    threading.Timer(0.1, release.set).start()  # it ends while closing waits for it
    assert stop_threads(owner, 5000) == []
    _handle_all_it_sent(task)
    assert done.items == [] and ended.items == []


def test_a_task_that_ended_just_before_its_owner_closes_delivers_nothing(qtbot):
    """Its thread has returned, its result still queued for the GUI thread when closing begins."""
    owner, done = QObject(), Collected()
    task = run_task(lambda: "ready", "Import", owner, on_done=done.add)
    assert task.wait(5000)  # returned; nothing handed over yet
    assert stop_threads(owner, 5000) == []
    QCoreApplication.processEvents()
    assert done.items == []


def _handle_all_it_sent(task: TaskThread) -> None:
    """Until ``task``'s thread has returned and the GUI thread has handled all it queued on the way."""
    assert task.wait(5000)
    QCoreApplication.processEvents()


def test_a_replaced_tasks_late_result_and_progress_never_arrive(qtbot):
    owner, done, progress = QObject(), Collected(), Collected()
    runner = TaskRunner(owner)
    runner.progress.connect(lambda d, t: progress.add((d, t)))
    entered, release = threading.Event(), threading.Event()

    def old(task):
        entered.set()
        release.wait(10)  # still computing when it is replaced
        task.progress.emit(1, 1)
        return "old"

    first = runner.start(old, "Old", on_done=done.add)
    assert entered.wait(5)
    runner.start(lambda task: "new", "New", on_done=done.add)
    assert first.cancel.is_set()  # replaced: asked to stop
    release.set()
    _handle_all_it_sent(first)
    qtbot.waitUntil(lambda: not runner.running, timeout=5000)
    assert done.items == ["new"] and progress.items == []
    assert stop_threads(owner, 5000) == []


def test_a_result_already_queued_when_the_task_is_replaced_never_arrives(qtbot):
    owner, done, failed = QObject(), Collected(), Collected()
    runner = TaskRunner(owner)
    first = runner.start(lambda task: "old", "Old", on_done=done.add, on_failed=failed.add)
    assert first.wait(5000)  # its end is queued for the GUI thread, which has not handled it yet
    runner.start(lambda task: 1 / 0, "New", on_done=done.add, on_failed=failed.add)
    qtbot.waitUntil(lambda: not runner.running, timeout=5000)  # the old end was queued before the new one
    assert done.items == [] and len(failed.items) == 1 and isinstance(failed.items[0], ZeroDivisionError)
    assert stop_threads(owner, 5000) == []


def _count_until_stopped(steps: int):
    """Work of ``steps`` paced steps that reports each one and ends early when cancelled."""

    def work(task):
        done = 0
        while done < steps and not task.cancel.wait(0.005):
            done += 1
            task.progress.emit(done, steps)
        return done

    return work


def test_stop_ends_the_task_early_and_its_result_still_arrives(qtbot):
    from PySide6.QtWidgets import QWidget

    from cnnexplorer.gui.common.task_progress import TaskProgress

    owner, done = QWidget(), Collected()
    qtbot.addWidget(owner)
    runner = TaskRunner(owner)
    widget = TaskProgress(runner, parent=owner)
    widget.begin(total=2000)
    task = runner.start(_count_until_stopped(2000), "Counter", on_done=done.add)
    qtbot.waitUntil(lambda: widget.bar.value() >= 3, timeout=5000)
    widget.stop_button.click()
    assert task.cancel.is_set()
    qtbot.waitUntil(lambda: not runner.running, timeout=5000)
    (steps,) = done.items
    assert 3 <= steps < 2000 and widget.bar.value() <= steps  # far fewer steps than asked for
    assert stop_threads(owner, 5000) == []


def test_progress_reaches_the_widget_shown_only_while_the_task_runs(qtbot):
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from cnnexplorer.gui.common.task_progress import TaskProgress

    owner = QWidget()
    qtbot.addWidget(owner)
    runner = TaskRunner(owner)
    widget = TaskProgress(runner)
    QVBoxLayout(owner).addWidget(widget)
    owner.show()
    assert not widget.isVisible()
    halfway = threading.Event()

    def work(task):
        for step in range(1, 6):
            task.progress.emit(step, 5)
            if step == 2:
                halfway.wait(10)
        return step

    widget.begin("%v of %m")
    runner.start(work, "Five")
    qtbot.waitUntil(lambda: widget.bar.value() == 2, timeout=5000)
    assert widget.isVisible() and widget.stop_button.isVisible() and widget.bar.maximum() == 5
    assert widget.bar.text() == "2 of 5"
    halfway.set()
    qtbot.waitUntil(lambda: not runner.running, timeout=5000)
    assert not widget.isVisible() and widget.bar.value() == 5  # the bar keeps how far the task got
    assert stop_threads(owner, 5000) == []


def test_closing_the_window_stops_a_running_task(window, qtbot):
    runner = TaskRunner(window.attribution)
    task = runner.start(_count_until_stopped(10**6), "LongCount")
    qtbot.waitUntil(lambda: "LongCount" in window.threads_alive(), timeout=5000)
    window.close()
    assert task.cancel.is_set() and window.threads_alive() == []
