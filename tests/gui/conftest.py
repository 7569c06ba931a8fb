import gc
import threading

import pytest
from PySide6.QtCore import QThread

from cnnexplorer.core.infra.settings import Settings
from cnnexplorer.gui.shell.main_window import MainWindow


@pytest.fixture(autouse=True)
def collect_qt_garbage_here():
    """Free each test's Qt objects on the GUI thread, before a later test's worker thread can."""
    yield
    gc.collect()


@pytest.fixture
def window(qtbot):
    """The real main window; at teardown it must stop every thread it started."""
    before = set(threading.enumerate())
    win = MainWindow(Settings())
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()
    assert win.threads_alive() == [], f"threads still running after close: {win.threads_alive()}"
    leaked = [t.name for t in set(threading.enumerate()) - before if t.is_alive() and not t.daemon]
    assert leaked == [], f"leaked threads: {leaked}"
    assert not any(isinstance(child, QThread) and child.isRunning() for child in win.findChildren(QThread))


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
