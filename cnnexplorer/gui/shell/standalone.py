"""Open one dock alone in a bare window: ``python -m cnnexplorer.gui.<module>``.

It lives with the shell because it builds what the main window builds for every panel (the frame
source and the GUI-thread collector); a dock module's ``__main__`` block is the only caller."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow

from cnnexplorer.core.frames.sources import DEFAULT_SAMPLE
from cnnexplorer.gui.common.plots import configure_pyqtgraph
from cnnexplorer.gui.common.workers import stop_threads
from cnnexplorer.gui.shell.collector import GuiThreadCollector
from cnnexplorer.gui.source.controller import SourceController


def run_dock(make_dock: Callable[[SourceController], QDockWidget], source: str = DEFAULT_SAMPLE) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    configure_pyqtgraph()
    window = QMainWindow()
    collector = GuiThreadCollector(parent=window)
    controller = SourceController(parent=window)
    dock = make_dock(controller)
    dock.setParent(window)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    window.resize(900, 700)
    window.show()
    controller.set_source(sys.argv[1] if len(sys.argv) > 1 else source)
    code = app.exec()
    stop_threads(window, 20000)  # the dock's workers and the source's, together
    collector.stop()
    return code
