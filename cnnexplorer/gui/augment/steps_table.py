"""The augmentation lab's steps, one row each: on, operation, magnitude, probability, N. A grid of
widgets (not a scrolling table): it is as wide and as tall as its rows, and it sits in a settings
strip that scrolls, so nothing in it is cut at any type size."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QGridLayout, QLabel, QSpinBox, QWidget

from cnnexplorer.core.augment.ops import OPERATIONS, op_name
from cnnexplorer.core.augment.pipeline import Step
from cnnexplorer.core.i18n import N_, tr

COLUMNS = (N_("on"), N_("operation"), N_("magnitude"), N_("probability"), "N")
# The operations as the box shows them; the English name stays the item's data (the pipeline's files).
class StepsTable(QWidget):
    """Shows steps with :meth:`show_steps`; ``edited`` fires with the steps as the rows now say.
    The row last touched is :meth:`currentRow` (what Remove, Up and Down act on)."""

    edited = Signal(list)  # list[Step]

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("AugmentSteps")
        self.setToolTip(tr("magnitude 0–10 (transforms drawn up to it; AutoAugment keeps its policy's fixed "
                           "magnitudes) · probability per image · N: operations per image (RandAugment)"))
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        for column, title in enumerate(COLUMNS):
            self.grid.addWidget(QLabel(tr(title)), 0, column)
        self.rows: list[tuple[QWidget, ...]] = []  # every row made so far; the first _shown are in use
        self._shown = 0
        self._current = -1

    def show_steps(self, steps: list[Step]) -> None:
        """Rows are reused, never deleted (a deleted widget would break the presenter look's undo)."""
        while len(self.rows) < len(steps):
            self._add_row()
        for index, row in enumerate(self.rows):
            shown = index < len(steps)
            for widget in row:
                widget.setVisible(shown)
            if shown:
                self._set_row(row, steps[index])
        self._shown = len(steps)
        self._current = min(self._current, self._shown - 1)

    def _add_row(self) -> None:
        op = QComboBox()
        for name in OPERATIONS:
            op.addItem(op_name(name), name)
        row = (QCheckBox(), op, QDoubleSpinBox(minimum=0, maximum=10, singleStep=0.5),
               QDoubleSpinBox(minimum=0, maximum=1, singleStep=0.1), QSpinBox(minimum=1, maximum=10))
        for column, widget in enumerate(row):
            self.grid.addWidget(widget, len(self.rows) + 1, column)
            widget.installEventFilter(self)
        enabled, op, *spins = row
        enabled.toggled.connect(self._read)
        op.currentIndexChanged.connect(self._read)
        for spin in spins:
            spin.valueChanged.connect(self._read)
        self.rows.append(row)

    @staticmethod
    def _set_row(row: tuple, step: Step) -> None:
        enabled, op, magnitude, probability, num_ops = row
        for widget in row:
            widget.blockSignals(True)
        enabled.setChecked(step.enabled)
        op.setCurrentIndex(op.findData(step.op))
        magnitude.setValue(step.magnitude)
        probability.setValue(step.probability)
        num_ops.setValue(step.num_ops)
        for widget in row:
            widget.blockSignals(False)

    def rowCount(self) -> int:  # noqa: N802 - the names a table has
        return self._shown

    def cellWidget(self, row: int, column: int) -> QWidget:  # noqa: N802
        return self.rows[row][column]

    def currentRow(self) -> int:  # noqa: N802
        return self._current

    def setCurrentRow(self, row: int) -> None:  # noqa: N802
        self._current = row

    def steps(self) -> list[Step]:
        return [Step(op.currentData(), magnitude.value(), probability.value(), enabled.isChecked(), num_ops.value())
                for enabled, op, magnitude, probability, num_ops in self.rows[:self._shown]]

    def _read(self, *_) -> None:
        self.edited.emit(self.steps())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - a touched row is current
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress):
            self._current = next((i for i, row in enumerate(self.rows[:self._shown]) if watched in row),
                                 self._current)
        return False
