"""The Surgery tab's knock-out sweep: each filter of a layer knocked out alone on the frozen frame,
ranked by how much the top class drops (the lesson's picture), with the sweep's progress and Stop."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTableWidgetItem, QVBoxLayout, QWidget

from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.core.models import surgery
from cnnexplorer.core.models.zoo import shown_class_name
from cnnexplorer.gui.common.stage import lesson_picture
from cnnexplorer.gui.common.task_progress import TaskProgress
from cnnexplorer.gui.common.translated import follow_language
from cnnexplorer.gui.common.workers import TaskRunner, TaskThread
from cnnexplorer.gui.models.whole_table import WholeTable

SWEEP_COLUMNS = (N_("filter"), N_("top class drop"), N_("top class without it"))


class KnockOutSweep(QWidget):
    """The sweep button, its one task (``runner``) and the ranking table; ``picked(filter)`` when a
    row is clicked."""

    picked = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.button = QPushButton(tr("Knock-out sweep"))
        self.runner = TaskRunner(self)
        self.progress = TaskProgress(self.runner)
        self.table = lesson_picture(WholeTable([tr(c) for c in SWEEP_COLUMNS], all_rows=False, objectName="SweepTable"))
        self.table.setToolTip(tr("Each filter knocked out alone on the frozen frame; click a row to pick it"))
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addWidget(self.progress, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        self.table.cellClicked.connect(lambda r, _c: self.picked.emit(int(self.table.item(r, 0).text())))
        self._shown: tuple[list[surgery.KnockOut], list[str] | None] = ([], None)  # (rows, class names)
        follow_language(self, lambda *_: self.show_rows(*self._shown))  # ImageNet's names in the new language

    @property
    def task(self) -> TaskThread | None:
        """The sweep running, if any."""
        return self.runner.task

    def start(self, model, layer, path: str, batch: np.ndarray, on_done: Callable[[list[surgery.KnockOut]], None],
              on_failed: Callable[[Exception], None]) -> None:
        """Sweep ``layer`` (at ``path``) of the Keras ``model`` on a copy of it, so that edits made
        meanwhile on the model itself never reach the ranking."""
        self.show_rows([], None)
        self.progress.begin(total=surgery.filter_count(layer))
        self.runner.start(
            lambda task: surgery.knockout_sweep(surgery.detached_copy(model), path, batch, task.progress.emit,
                                                task.cancel),
            f"KnockOutSweep[{path}]", on_done, on_failed)

    def show_rows(self, rows: list[surgery.KnockOut], class_names: list[str] | None) -> None:
        """``rows`` ranked, each top class by the model's name (``class_names``; ImageNet's in the
        user's language) or its number."""
        self._shown = (rows, class_names)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            top = (shown_class_name(class_names[row.top_after]) if class_names and row.top_after < len(class_names)
                   else tr("class {index}", index=row.top_after))
            for c, text in enumerate((str(row.filter_index), f"{row.drop:+.3f}", top)):
                self.table.setItem(r, c, QTableWidgetItem(text))
