"""Network surgery in the explorer: pick a filter of the selected layer, edit it in the convolution
lab's kernel editor (folded through its BatchNormalization where one follows), zero, scale or knock
it out, undo/redo/reset, watch pinned classes, save a copy, and rank filters by a knock-out sweep."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog, QGridLayout, QHBoxLayout, QLabel,
                               QPushButton, QSizePolicy, QSpinBox, QVBoxLayout, QWidget)

from cnnexplorer.core.display.mosaic import kernel_tiles
from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.core.models import surgery, zoo
from cnnexplorer.gui.common.picture_view import PictureView
from cnnexplorer.gui.common.stage import lesson_picture
from cnnexplorer.gui.common.workers import TaskThread
from cnnexplorer.gui.common.kernel_editor import KernelEditor
from cnnexplorer.gui.models.knockout_sweep import KnockOutSweep
from cnnexplorer.gui.models.pinned_classes import PinnedClasses

ALL_CHANNELS = -1
# The action buttons: the English name is the key of ``SurgeryPanel.buttons``, shown through tr().
BUTTONS = (N_("Lab's kernel"), N_("Zero"), N_("Scale"), N_("Knock out"), N_("Undo"), N_("Redo"), N_("Reset all"),
           N_("Save as…"))
EDIT_KINDS = {"kernel": N_("Kernel changed"), "ablate": N_("Knocked out")}  # ``Edit.kind`` → what the status says


class EditedBadge(QLabel):
    """Says "edited (N)" beside the model's name while N weight edits are in memory only."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent, objectName="EditedBadge", visible=False)
        self.setStyleSheet("background: #f0ad4e; color: white; padding: 4px; font-weight: bold;")
        self.setToolTip(tr("Weights changed in memory only; Save as… in the Surgery tab keeps a copy"))

    def show_count(self, count: int) -> None:
        self.setText(tr("edited ({count})", count=count))
        self.setVisible(count > 0)


class SurgeryPanel(QWidget):
    """Edits the explorer's model in place; ``weights_changed`` asks for a new forward pass."""

    weights_changed = Signal()
    edits_changed = Signal(int)  # how many edits are applied

    def __init__(self, lab_kernel: Callable[[], np.ndarray | None] = lambda: None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("SurgeryPanel")
        self.lab_kernel = lab_kernel
        self.layer_info = QLabel(objectName="SurgeryLayer", wordWrap=True)
        self.filter_spin = QSpinBox(prefix=tr("filter "))
        self.channel = QComboBox(toolTip=tr("Which input channel of the filter the editor shows"),
                                 sizeAdjustPolicy=QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.channel.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)  # its entries whole
        self.through_bn = QCheckBox(tr("folded with BN"), checked=True,
                                    toolTip=tr("Show and edit the kernel the frame meets: multiplied through the "
                                               "BatchNormalization that follows"))
        self.preview = lesson_picture(PictureView())  # with the editor, the picture of the lesson
        self.preview.setMinimumHeight(90)
        self.editor = lesson_picture(KernelEditor())
        self.status = QLabel(objectName="SurgeryStatus", wordWrap=True)
        self.scale = QDoubleSpinBox(minimum=-10, maximum=10, value=2.0, singleStep=0.5, prefix="× ")
        buttons = {name: QPushButton(tr(name)) for name in BUTTONS}
        self.buttons = buttons
        self.pins = PinnedClasses()
        # what each filter does to the prediction: with the filter and its kernel, the lesson's picture
        self.sweep = KnockOutSweep()
        self.sweeps, self.sweep_button, self.sweep_table = self.sweep.runner, self.sweep.button, self.sweep.table
        self.sweep_progress, self.stop_button = self.sweep.progress.bar, self.sweep.progress.stop_button

        pick = QHBoxLayout()
        for widget in (self.filter_spin, self.channel):
            pick.addWidget(widget)
        pick.addStretch(1)
        actions = QGridLayout()
        for i, name in enumerate(buttons):
            actions.addWidget(buttons[name], i // 4, i % 4)
        actions.addWidget(self.scale, 2, 0)
        left = QVBoxLayout()
        for item in (self.layer_info, pick, self.through_bn, self.preview, self.editor):
            (left.addLayout if isinstance(item, QHBoxLayout) else left.addWidget)(item)
        right = QVBoxLayout()
        right.addLayout(actions)
        right.addWidget(self.status)
        right.addWidget(self.pins)
        right.addWidget(self.sweep, 1)
        layout = QHBoxLayout(self)  # SurgeryScroll stacks the columns when the tab is narrow
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)

        self.model: zoo.ZooModel | None = None
        self.layer = None
        self.layer_path = ""
        self.done: list[surgery.Edit] = []
        self.undone: list[surgery.Edit] = []
        self.baseline: tuple | None = None  # (scores, logits) on the last frame before the first edit
        self.frozen_batch: Callable[[], np.ndarray | None] = lambda: None

        self.filter_spin.valueChanged.connect(self._show_filter)
        self.channel.currentIndexChanged.connect(self._show_filter)
        self.through_bn.toggled.connect(self._show_filter)
        self.editor.kernel_changed.connect(self._on_editor_kernel)
        buttons["Lab's kernel"].clicked.connect(self._paste_lab_kernel)
        buttons["Zero"].clicked.connect(lambda: self._apply_scaled(0.0))
        buttons["Scale"].clicked.connect(lambda: self._apply_scaled(self.scale.value()))
        buttons["Knock out"].clicked.connect(self.knock_out)
        buttons["Undo"].clicked.connect(self.undo)
        buttons["Redo"].clicked.connect(self.redo)
        buttons["Reset all"].clicked.connect(self.reset_all)
        buttons["Save as…"].clicked.connect(self._save_as_dialog)
        self.sweep_button.clicked.connect(self.start_sweep)
        self.sweeps.running_changed.connect(self._on_sweep_running)
        self.sweep.picked.connect(self.filter_spin.setValue)
        self.set_model(None)

    # -- what is edited ---------------------------------------------------------------------------
    def set_model(self, model: zoo.ZooModel | None) -> None:
        self.sweeps.discard()  # its ranking was of the model before
        self.model = model
        self.done, self.undone = [], []
        self.baseline = None
        self.sweep_table.setRowCount(0)
        self.pins.set_classes(model.class_names if model is not None else None)
        self.edits_changed.emit(0)
        self.set_layer("")

    def set_layer(self, path: str) -> None:
        self.layer_path = path
        self.layer = None
        self.sweep_table.setRowCount(0)
        if self.model is not None and path:
            try:
                self.layer = surgery.editable_layer(self.model.model, path)
            except surgery.SurgeryError as exc:
                self.layer_info.setText(f"{exc}.")
        elif self.model is None:
            self.layer_info.setText(tr("Load a model first."))
        editable = self.layer is not None
        for widget in (self.filter_spin, self.channel, self.editor, self.sweep_button, *self.buttons.values()):
            widget.setEnabled(editable)
        self._update_history_buttons()
        if not editable:
            self.preview.clear()
            return
        with QSignalBlocker(self.filter_spin), QSignalBlocker(self.channel):
            self.filter_spin.setMaximum(surgery.filter_count(self.layer) - 1)
            self.filter_spin.setValue(0)
            self.channel.clear()
            shape = surgery.filter_shape(self.layer)
            if len(shape) == 3:
                self.channel.addItem(tr("every input channel (same 2-D kernel)"), ALL_CHANNELS)
                names = ("R", "G", "B") if shape[2] == 3 and self._is_first_layer() else None
                for c in range(shape[2]):
                    self.channel.addItem(tr("input channel {channel}", channel=names[c] if names else c), c)
                self.channel.setCurrentIndex(1)
        self.channel.setVisible(len(surgery.filter_shape(self.layer)) == 3)
        self.editor.setEnabled(type(self.layer).__name__ != "Dense")
        self._show_filter()

    def _is_first_layer(self) -> bool:
        from cnnexplorer.core.models.graph import first_conv

        return first_conv(self.model.model) is self.layer

    def _folded(self) -> surgery.FoldedKernel:
        return surgery.folded_kernel(self.model.model, self.layer_path, self.filter_spin.value(),
                                     fold=self._use_fold())

    def _use_fold(self) -> bool:
        return self.through_bn.isChecked()

    def _show_filter(self, *_) -> None:
        if self.layer is None:
            return
        folded = self._folded()
        kernel = folded.kernel
        kind = type(self.layer).__name__
        bn = surgery.folded_kernel(self.model.model, self.layer_path, self.filter_spin.value()).batch_norm
        self.through_bn.setVisible(bn is not None)
        fold_text = tr(" · folded with BN ({layer})", layer=bn) if bn and self.through_bn.isChecked() else ""
        self.layer_info.setText(tr("{layer} ({kind}): {count} filters of {shape}{folded} · bias {bias}",
                                   layer=self.layer_path, kind=kind, count=surgery.filter_count(self.layer),
                                   shape="×".join(map(str, kernel.shape)), folded=fold_text, bias=f"{folded.bias:.4g}"))
        if kind == "Dense":
            self.preview.clear()
            self.status.setText(tr("A Dense unit's weights are a vector: zero, scale or knock it out."))
            return
        if kernel.ndim == 2:
            tiles = kernel_tiles(kernel[:, :, None, None])
        elif kernel.shape[2] == 3:
            tiles = kernel_tiles(kernel[..., None])
        else:
            tiles = kernel_tiles(kernel[:, :, None, :])
        self.preview.show_tiles(tiles, gap=1)
        channel = self.channel.currentData()
        shown = kernel if kernel.ndim == 2 else kernel[:, :, max(0, channel if channel is not None else 0)]
        with QSignalBlocker(self.editor):
            self.editor.set_kernel(shown)

    # -- edits ------------------------------------------------------------------------------------
    def _on_editor_kernel(self, kernel2d: np.ndarray) -> None:
        if self.layer is None:
            return
        full = self._folded().kernel
        channel = self.channel.currentData()
        if full.ndim == 3 and channel not in (None, ALL_CHANNELS) and kernel2d.shape == full.shape[:2]:
            full = full.copy()
            full[:, :, channel] = kernel2d
            self._apply(lambda: surgery.edit_kernel(self.model.model, self.layer_path, self.filter_spin.value(), full,
                                                    folded=self._use_fold()))
        else:
            self._apply(lambda: surgery.edit_kernel(self.model.model, self.layer_path, self.filter_spin.value(),
                                                    kernel2d, folded=self._use_fold()))

    def _paste_lab_kernel(self) -> None:
        kernel = self.lab_kernel()
        if kernel is None:
            self.status.setText(tr("The convolution lab has no kernel to give."))
            return
        self._on_editor_kernel(np.asarray(kernel, np.float32))

    def _apply_scaled(self, factor: float) -> None:
        kernel = self._folded().kernel * np.float32(factor)
        self._apply(lambda: surgery.edit_kernel(self.model.model, self.layer_path, self.filter_spin.value(), kernel,
                                                folded=self._use_fold()))

    def knock_out(self) -> None:
        self._apply(lambda: surgery.ablate(self.model.model, self.layer_path, self.filter_spin.value()))

    def _apply(self, make_edit: Callable[[], surgery.Edit]) -> None:
        if self.sweeper is not None:
            self.status.setText(tr("Wait for the knock-out sweep to finish, or stop it."))
            return
        try:
            edit = make_edit()
        except surgery.SurgeryError as exc:
            self.status.setText(tr("Not applied: {reason}.", reason=exc))
            self._show_filter()
            return
        if not self.done:
            self.baseline = (self.pins.scores, self.pins.logits)
        self.done.append(edit)
        self.undone.clear()
        self.status.setText(tr("{edit}: {layer}, filter {filters}.", edit=tr(EDIT_KINDS.get(edit.kind, edit.kind)),
                                layer=edit.layer_path, filters=", ".join(map(str, edit.filters))))
        self._changed()

    def _refused_while_sweeping(self) -> bool:
        """Undo, redo and reset wait for the sweep: it ranks the filters of the weights it started on."""
        if self.sweeper is not None:
            self.status.setText(tr("Wait for the knock-out sweep to finish, or stop it."))
        return self.sweeper is not None

    def undo(self) -> None:
        if self._refused_while_sweeping():
            return
        if self.done:
            edit = self.done.pop()
            surgery.undo(self.model.model, edit)
            self.undone.append(edit)
            self._changed()

    def redo(self) -> None:
        if self._refused_while_sweeping():
            return
        if self.undone:
            edit = self.undone.pop()
            surgery.redo(self.model.model, edit)
            self.done.append(edit)
            self._changed()

    def reset_all(self) -> None:
        if self._refused_while_sweeping():
            return
        while self.done:
            surgery.undo(self.model.model, self.done.pop())
        self.undone.clear()
        self._changed()

    def _changed(self) -> None:
        self.pins.since = self.baseline if self.done else None
        self._update_history_buttons()
        self._show_filter()
        self.edits_changed.emit(len(self.done))
        self.weights_changed.emit()

    def _update_history_buttons(self) -> None:
        sweeping = self.sweeper is not None
        why = tr("Wait for the knock-out sweep to finish, or stop it.") if sweeping else ""
        for name, can in (("Undo", self.done), ("Redo", self.undone), ("Reset all", self.done)):
            self.buttons[name].setEnabled(bool(can) and not sweeping)
            self.buttons[name].setToolTip(why)
        self.buttons["Save as…"].setEnabled(self.model is not None)

    # -- save -------------------------------------------------------------------------------------
    def _save_as_dialog(self) -> None:
        suggested = "edited.keras"  # a file name: the same in every language
        path, _ = QFileDialog.getSaveFileName(self, tr("Save the edited model as a new file"), suggested,
                                              tr("Keras models (*.keras)"),
                                              options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.save_as(path)

    def save_as(self, path: str) -> bool:
        try:
            surgery.save_copy(self.model.model, path, self.model.class_names, self.model.preprocessing)
        except (surgery.SurgeryError, OSError, ValueError) as exc:
            self.status.setText(tr("Not saved: {reason}", reason=exc))
            return False
        self.status.setText(tr("Saved a copy as {path}; the opened file is unchanged.", path=path))
        return True

    # -- knock-out sweep ----------------------------------------------------------------------------
    @property
    def sweeper(self) -> TaskThread | None:
        """The knock-out sweep running, if any."""
        return self.sweep.task

    def start_sweep(self) -> None:
        batch = self.frozen_batch()
        if self.layer is None or self.sweeps.running:
            return
        if batch is None:
            self.status.setText(tr("No frame to sweep on yet."))
            return
        model, path = self.model.model, self.layer_path
        self.sweep.start(model, self.layer, path, batch, lambda rows: self._show_sweep(rows, model, path),
                         lambda error: self.status.setText(tr("Sweep failed: {error}", error=error)))
        self.status.setText(tr("Knocking out each filter of {layer} in turn on the frozen frame…", layer=path))

    def stop_sweep(self) -> None:
        """Stop: the filters done so far are ranked."""
        self.sweeps.stop()

    def _show_sweep(self, rows: list[surgery.KnockOut], model, path: str) -> None:
        if self.model is None or self.model.model is not model or path != self.layer_path:
            return  # swept a layer no longer on screen
        self.sweep.show_rows(rows, self.model.class_names)
        self.status.setText(tr("Sweep done: {count} filters ranked by how much the top class drops.", count=len(rows)))

    def _on_sweep_running(self, running: bool) -> None:
        """Edits wait while a sweep runs: it ranks the filters of the weights it started on."""
        self.sweep_button.setEnabled(not running and self.layer is not None)
        self._update_history_buttons()
