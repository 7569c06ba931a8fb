"""Open one dock alone in a bare window: ``python -m cnnexplorer.gui.<module>``.

It lives with the shell because it builds what the main window builds for every panel (the frame
source and the GUI-thread collector). A dock module's ``__main__`` block calls :func:`run_dock`; the
tests of one panel by itself open it in a :class:`LoneDockWindow` too."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow

from cnnexplorer.core.frames.sources import DEFAULT_SAMPLE
from cnnexplorer.gui.common.plots import configure_pyqtgraph
from cnnexplorer.gui.common.workers import SHUTDOWN_TIMEOUT_MS, stop_threads
from cnnexplorer.gui.shell.collector import GuiThreadCollector
from cnnexplorer.gui.source.controller import SourceController


class LoneDockWindow(QMainWindow):
    """A bare window holding the dock that ``make_dock(source)`` builds, with the frame source and
    the GUI-thread collector the main window gives every panel. Closing it stops every thread."""

    def __init__(self, make_dock: Callable[[SourceController], QDockWidget]) -> None:
        configure_pyqtgraph()
        super().__init__()
        self.collector = GuiThreadCollector(parent=self)  # before any worker thread starts
        self.source = SourceController(parent=self)
        self.dock = make_dock(self.source)
        self.dock.setParent(self)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)

    def shutdown(self, timeout_ms: int = SHUTDOWN_TIMEOUT_MS) -> list[str]:
        """The dock's workers and the source's, stopped together; the names of any still running."""
        stop = getattr(self.dock, "stop", None)  # a panel with work of its own (the neurons' training)
        if stop is not None:
            stop()
        self.source.request_stop()
        still = stop_threads(self, timeout_ms)
        self.collector.stop()
        return still

    def closeEvent(self, event) -> None:  # noqa: N802
        self.shutdown()
        super().closeEvent(event)


def run_dock(make_dock: Callable[[SourceController], QDockWidget], source: str = DEFAULT_SAMPLE) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = LoneDockWindow(make_dock)
    window.resize(900, 700)
    window.show()
    window.source.set_source(sys.argv[1] if len(sys.argv) > 1 else source)
    return app.exec()
