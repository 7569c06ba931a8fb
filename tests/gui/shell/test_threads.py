"""Threads and per-frame work of the whole window: owned, idle when hidden, stopped together."""

import threading

from cnnexplorer.gui.common.workers import TaskThread


def count_recomputes(monkeypatch, dock) -> list:
    """Spy on a dock's recompute (the real one still runs)."""
    calls = []
    real = dock.recompute

    def counted(*args):
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(dock, "recompute", counted)
    return calls


def test_docks_tabbed_behind_the_raised_one_do_no_per_frame_work(window, qtbot, monkeypatch, video_file):
    labs = [window.conv_lab, window.filter_bank, window.image_basics, window.augment, window.explorer,
            window.inception]
    window.conv_lab.raise_()
    qtbot.waitUntil(lambda: not window.conv_lab.visibleRegion().isEmpty(), timeout=5000)
    hidden = [d for d in labs if d is not window.conv_lab]
    assert all(d.isVisible() for d in hidden)  # Qt still calls a dock tabbed behind another "visible"
    calls = {d.objectName(): count_recomputes(monkeypatch, d) for d in labs}
    frames = []
    window.source.frame_changed.connect(lambda frame: frames.append(frame.index))
    window.source.set_source(str(video_file))
    qtbot.waitUntil(lambda: len(frames) >= 10, timeout=10000)
    assert len(calls["ConvLabDock"]) >= 10
    assert {d.objectName(): len(calls[d.objectName()]) for d in hidden} == {d.objectName(): 0 for d in hidden}
    window.filter_bank.raise_()  # brought forward: it catches up at once, and the lab stops
    qtbot.waitUntil(lambda: len(calls["FilterBankDock"]) >= 3, timeout=10000)
    lab_calls = len(calls["ConvLabDock"])
    seen = len(frames)
    qtbot.waitUntil(lambda: len(frames) >= seen + 5, timeout=10000)
    assert len(calls["ConvLabDock"]) == lab_calls


def test_no_panel_starts_a_worker_before_it_is_first_shown(window):
    assert window.threads_alive() == []


def test_a_thread_that_ignores_stop_is_reported_after_one_bounded_wait(window, qtbot):
    release, started = threading.Event(), threading.Event()

    def stuck():
        started.set()
        release.wait(30)

    task = TaskThread(stuck, "StuckOnPurpose", window)
    task.start()
    assert started.wait(5)
    assert "StuckOnPurpose" in window.threads_alive()
    assert "StuckOnPurpose" in window.shutdown(timeout_ms=200)
    assert task.parent() is None  # detached: closing the window will not destroy it running
    release.set()
    assert task.wait(5000)
    assert window.threads_alive() == []


def test_every_worker_is_owned_by_the_window(window, qtbot, video_file):
    window.source.set_source(str(video_file))
    qtbot.waitUntil(lambda: window.source.current is not None, timeout=5000)
    names = window.threads_alive()
    assert any(name.startswith("SourceWorker") for name in names)


def test_the_leak_check_sees_a_stuck_thread_with_no_owner(qtbot):
    """What every window test's teardown relies on: a QThread started since, with no parent (as one
    detached after a shutdown timed out), is named while it runs and not once it has ended."""
    from tests.gui.conftest import ThreadWatch

    watch = ThreadWatch()
    release = threading.Event()
    task = TaskThread(lambda: release.wait(30), "OwnerlessOnPurpose", None)
    task.start()
    try:
        assert watch.leaked() == ["OwnerlessOnPurpose"]
    finally:
        release.set()
        assert task.wait(5000)
    assert watch.leaked() == []
