import gc
import threading
import weakref
from collections.abc import Callable
from contextlib import suppress

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QDockWidget

from cnnexplorer.core.infra.settings import Settings
from cnnexplorer.gui.common.workers import threads_alive
from cnnexplorer.gui.shell.main_window import MainWindow
from cnnexplorer.gui.shell.standalone import LoneDockWindow
from cnnexplorer.gui.source.controller import SourceController

THREAD_GRACE_MS = 2000  # a thread that was told to stop may take a moment to return


@pytest.fixture(autouse=True)
def collect_qt_garbage_here():
    """Free each test's Qt objects on the GUI thread, before a later test's worker thread can; then
    set aside what is left (TensorFlow's ~300k objects once imported), so that the next test's
    collection walks only what it made itself."""
    yield
    gc.collect()
    gc.freeze()


class BundledModel:
    """The bundled MobileNetV2, read from disk once per test process (loads may come from two
    panels' loader threads at once), with the weights and trainable flags it was read with."""

    _lock = threading.Lock()
    _loaded = None

    @classmethod
    def get(cls, load):
        with cls._lock:
            if cls._loaded is None:
                loaded = load("mobilenet_v2")
                cls._loaded = (loaded, loaded.model.get_weights(), [layer.trainable for layer in loaded.model.layers])
            return cls._loaded

    @classmethod
    def restore(cls) -> None:
        """Put back the weights and trainable flags (surgery edits kernels in place)."""
        loaded, weights, trainable = cls._loaded
        loaded.model.set_weights(weights)
        for layer, flag in zip(loaded.model.layers, trainable):
            if layer.trainable != flag:
                layer.trainable = flag


@pytest.fixture(autouse=True)
def one_bundled_model(request, monkeypatch):
    """Each load of the bundled MobileNetV2 gives a new ZooModel around one Keras model read once, put
    back as it was after the test. A test that needs models of its own (one it sees freed) is marked
    ``own_models``."""
    if request.node.get_closest_marker("own_models"):
        yield
        return
    from dataclasses import replace

    from cnnexplorer.core.models import zoo

    read = zoo.load_model
    handed_out = []

    def load_model(name: str, weights: str = "auto") -> zoo.ZooModel:
        if name != "mobilenet_v2" or weights == "random":
            return read(name, weights)
        loaded = BundledModel.get(read)[0]
        handed_out.append(True)
        return replace(loaded, mode=loaded.preprocessing)

    monkeypatch.setattr(zoo, "load_model", load_model)
    yield
    if handed_out:
        BundledModel.restore()


_STARTED_QTHREADS: weakref.WeakSet[QThread] = weakref.WeakSet()
_start_qthread = QThread.start


def _start_and_note(thread: QThread, *args, **kwargs) -> None:
    _STARTED_QTHREADS.add(thread)
    _start_qthread(thread, *args, **kwargs)


QThread.start = _start_and_note  # every QThread these tests start is noted (a weak reference)


def running_qthreads() -> list[QThread]:
    """Every running QThread started from Python that Python can still reach: a window's child, one
    detached from its owner after a shutdown timed out, or one with no parent at all. Found among the
    threads started, not by walking every object: that took a tenth of a second a test once
    TensorFlow's objects were in, and undid the set-aside of long-lived objects."""
    running = []
    for thread in list(_STARTED_QTHREADS):
        with suppress(RuntimeError):  # its C++ side is already gone
            if thread.isRunning():
                running.append(thread)
    return running


def python_threads() -> set[threading.Thread]:
    """Threads started through ``threading``, daemons included. A QThread that ran Python shows here
    as a ``_DummyThread`` that never ends (Python 3.11); :func:`running_qthreads` covers those."""
    return {t for t in threading.enumerate() if not isinstance(t, threading._DummyThread)}


class ThreadWatch:
    """Notes the threads running now; :meth:`leaked` names those started since that still run."""

    def __init__(self) -> None:
        self.threads = python_threads()
        self.qthreads = running_qthreads()

    def leaked(self) -> list[str]:
        threads = [t.name for t in python_threads() - self.threads if t.is_alive()]
        qthreads = [t.objectName() or type(t).__name__ for t in running_qthreads()
                    if not any(t is old for old in self.qthreads)]
        return sorted(threads + qthreads)

    def assert_none_left(self, qtbot) -> None:
        """Give stopping threads a short grace, then fail on any still running."""
        with suppress(qtbot.TimeoutError):
            qtbot.waitUntil(lambda: not self.leaked(), timeout=THREAD_GRACE_MS)
        assert self.leaked() == [], f"threads still running {THREAD_GRACE_MS} ms after close: {self.leaked()}"


@pytest.fixture
def window(qtbot):
    """The real main window; at teardown it must stop every thread it started."""
    watch = ThreadWatch()
    win = MainWindow(Settings())
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()
    assert win.threads_alive() == [], f"threads still running after close: {win.threads_alive()}"
    watch.assert_none_left(qtbot)


@pytest.fixture
def lone_dock(qtbot):
    """``lone_dock(make_dock)``: one panel alone in a bare window, as ``python -m cnnexplorer.gui.<panel>``
    opens it, with its own frame source (``.source``) and the panel as ``.dock``. For a test of what a
    panel does by itself: it is built in a fraction of the main window's time. What depends on the
    main window's layout (sizes at 1280×720, tabs, the status bar) is tested there. At teardown
    every thread it started must have stopped."""
    watch, windows = ThreadWatch(), []

    def make(make_dock: Callable[[SourceController], QDockWidget]) -> LoneDockWindow:
        win = LoneDockWindow(make_dock)
        qtbot.addWidget(win)
        win.resize(1000, 700)
        win.show()
        windows.append(win)
        return win

    yield make
    for win in windows:
        win.close()
        assert threads_alive(win) == [], f"threads still running after close: {threads_alive(win)}"
    watch.assert_none_left(qtbot)


def shown_frame(window):
    return window.source_dock.view.frame


def show_dock(window, qtbot, dock, spec: str):
    """Raise ``dock`` and give it ``spec`` as the source; returns once it has computed on it."""
    dock.show()
    dock.raise_()
    window.source.set_source(spec)
    qtbot.waitUntil(lambda: window.source.spec == spec and dock.frame is not None, timeout=5000)
    dock.recompute()
    return dock
