"""The one progress bar and Stop button of every stoppable task (attribution tools, the knock-out
sweep, a weights download): shown while its :class:`~cnnexplorer.gui.common.workers.TaskRunner`
has a task, hidden when it ends; the bar keeps how far the last task got."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QWidget

from cnnexplorer.core.i18n import tr
from cnnexplorer.gui.common.workers import TaskRunner


class TaskProgress(QWidget):
    """A progress bar and a Stop button for ``runner``'s current task (``stop_text`` names the button)."""

    def __init__(self, runner: TaskRunner, stop_text: str | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("TaskProgress")
        self.runner = runner
        self.bar = QProgressBar()
        self.stop_button = QPushButton(stop_text or tr("Stop"))
        self._describe: Callable[[int, int], str] | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.stop_button)
        self.stop_button.clicked.connect(runner.stop)
        runner.progress.connect(self._on_progress)
        runner.running_changed.connect(self._on_running_changed)
        self.hide()  # until a task starts

    def begin(self, text: str = "%p%", total: int = 0, describe: Callable[[int, int], str] | None = None) -> None:
        """Set the bar up for the task about to start: its text (Qt's ``%p%`` is the percentage), its
        step count if known (0: the bar spins until the first report), or ``describe(done, total)``
        for a text that follows each report."""
        self.bar.setRange(0, total)
        self.bar.setValue(0)
        self.bar.setFormat(text)
        self._describe = describe

    def _on_progress(self, done: int, total: int) -> None:
        if total > 0:
            if self.bar.maximum() != total:
                self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        if self._describe is not None:
            self.bar.setFormat(self._describe(done, total))

    def _on_running_changed(self, running: bool) -> None:
        self.stop_button.setVisible(running)
        self.setVisible(running)

