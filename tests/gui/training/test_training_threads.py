"""The training tab's threads: widgets are read on the GUI thread only, every thread belongs to the
tab, Stop only asks, and progress reaches the screen a few times a second, not once per batch."""

import threading
import time

import pytest
from PySide6.QtCore import QEvent, QObject, QThread

from cnnexplorer.gui.training.tab import REFRESH_MS, TrainingTab

pytest.importorskip("keras")


def spy_on(obj, name: str, calls: list) -> None:
    """Record the thread of every call of ``obj.name()`` (the real method still runs)."""
    real = getattr(obj, name)

    def recorded(*args):
        calls.append((name, threading.current_thread().name))
        return real(*args)

    setattr(obj, name, recorded)


class CrossThreadCalls(QObject):
    """Counts the queued calls (signals from other threads) an object receives."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        self.count += event.type() == QEvent.Type.MetaCall
        return False


@pytest.fixture
def tab(qtbot):
    widget = TrainingTab()
    qtbot.addWidget(widget)
    yield widget
    qtbot.waitUntil(lambda: not any(t.isRunning() for t in widget.findChildren(QThread)), timeout=120000)


def small_shapes(setup, classes=3, per_class=40, size=24) -> None:
    setup.shape_classes.setValue(classes)
    setup.per_class.setValue(per_class)
    setup.image_size.setValue(size)


def test_the_dataset_is_the_one_set_when_load_was_pressed(tab, qtbot):
    setup = tab.setup
    small_shapes(setup)
    calls = []
    for widget, getter in ((setup.dataset_kind, "currentData"), (setup.shape_classes, "value"),
                           (setup.per_class, "value"), (setup.image_size, "value"), (setup.folder, "text")):
        spy_on(widget, getter, calls)
    tab.load_button.click()
    small_shapes(setup, classes=5, per_class=60, size=48)  # changed at once, while the worker loads
    qtbot.waitUntil(lambda: tab.dataset is not None, timeout=30000)
    assert tab.dataset.image_shape == (24, 24, 3) and len(tab.dataset.class_names) == 3
    assert sum(tab.dataset.counts().values()) == 3 * 40
    workers = {thread for _, thread in calls if thread != threading.main_thread().name}
    assert calls and workers == set(), f"widgets read on {workers}"


def test_threads_belong_to_the_tab_and_stop_only_asks(window, qtbot):
    tab = window.training
    small_shapes(tab.setup)
    tab.load_dataset()
    assert [t.objectName() for t in window.findChildren(QThread) if t.parent() is tab] == ["DatasetLoader"]
    qtbot.waitUntil(lambda: tab.dataset is not None and tab.start_button.isEnabled(), timeout=30000)
    tab.setup.epochs.setValue(200)
    tab.start()
    assert "TrainingWorker" in window.threads_alive()
    (worker,) = [t for t in window.findChildren(QThread) if t.objectName() == "TrainingWorker"]
    assert worker.parent() is tab
    qtbot.waitUntil(lambda: len(tab.batch_losses) >= 1, timeout=60000)
    started = time.perf_counter()
    tab.stop()
    assert time.perf_counter() - started < 0.05 and tab.running  # asked, not waited for
    qtbot.waitUntil(lambda: tab.result is not None and not tab.running, timeout=60000)
    assert tab.result.stopped and "TrainingWorker" not in window.threads_alive()


def test_progress_is_drawn_a_few_times_a_second_not_per_batch(tab, qtbot):
    small_shapes(tab.setup, classes=2, per_class=40, size=16)
    tab.load_dataset()
    qtbot.waitUntil(lambda: tab.dataset is not None and tab.start_button.isEnabled(), timeout=30000)
    tab.setup.batch_size.setValue(4)  # 16 batches an epoch: many more batches than redraws
    tab.setup.epochs.setValue(8)
    draws = []
    spy_on(tab.batch_curve, "setData", draws)
    calls = CrossThreadCalls()
    tab.installEventFilter(calls)
    started = time.perf_counter()
    tab.start()
    qtbot.waitUntil(lambda: tab.result is not None and not tab.running, timeout=120000)
    elapsed = time.perf_counter() - started
    batches = 8 * 16
    assert len(tab.batch_losses) == batches  # every batch's loss is on the curve...
    assert len(draws) <= elapsed * 1000 / REFRESH_MS + 3, (len(draws), elapsed)  # ...drawn in few strokes
    assert len(draws) < batches / 2
    assert 0 < calls.count < 10, calls.count  # built, done, finished: no signal per batch


def fit_one_epoch(tab, qtbot) -> None:
    small_shapes(tab.setup, classes=2, per_class=20, size=16)
    tab.load_dataset()
    qtbot.waitUntil(lambda: tab.dataset is not None and tab.start_button.isEnabled(), timeout=30000)
    tab.setup.epochs.setValue(1)
    tab.start()
    qtbot.waitUntil(lambda: tab.result is not None and not tab.running, timeout=120000)


def test_one_epoch_shows_its_filters(tab, qtbot):
    fit_one_epoch(tab, qtbot)
    assert tab.epoch_label.text().startswith("after epoch 1") and tab.filters_view.image.image is not None
    assert tab.epoch_slider.isEnabled() and tab.epoch_slider.maximum() == 1


def test_training_with_the_labs_pipeline_runs(tab, qtbot):
    from cnnexplorer.core.augment.pipeline import Augmenter, Step

    augmenter = Augmenter([Step("flip_horizontal")], "flip")
    tab.set_augmenter(augmenter)
    fit_one_epoch(tab, qtbot)
    assert "Training finished" in tab.status.text() and tab.augmenter is augmenter
