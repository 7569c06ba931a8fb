"""Augmentation lab dock (course §6): a live grid of augmented versions of the frame, made by the
very pipeline the training tab applies."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cnnexplorer.core.augment.pipeline import PRESETS, Augmenter, Step, preset, saved_pipelines
from cnnexplorer.core.augment.preview import GridMaker, PreviewGrid, PreviewRequest
from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.core.infra.timing import Stopwatch
from cnnexplorer.gui.augment.steps_table import StepsTable
from cnnexplorer.gui.common.language import holds_user_names
from cnnexplorer.gui.common.keras_loader import KerasLoader, KerasState
from cnnexplorer.gui.common.live_dock import LiveFrameDock
from cnnexplorer.gui.common.picture_view import PictureView
from cnnexplorer.gui.common.settings_strip import SettingsStrip, beside_strip
from cnnexplorer.gui.common.stage import lesson_picture
from cnnexplorer.gui.common.widget_state import apply_inputs, capture_inputs
from cnnexplorer.gui.common.workers import LatestRequestWorker
from cnnexplorer.gui.common.live_source import LiveSource

# The presets as the box shows them; the English name stays the item's data (preset(), scenes).
PRESET_LABELS = {"light": N_("light"), "heavy": N_("heavy"), "medical (no flips)": N_("medical (no flips)")}


class AugmentDock(LiveFrameDock):
    use_in_training = Signal(object)  # Augmenter

    def __init__(self, controller: LiveSource, keras: KerasLoader, parent=None) -> None:
        super().__init__(tr("Augmentation lab"), controller, parent)
        self.setObjectName("AugmentDock")
        self.keras = keras
        self.augmenter = preset("light")
        self.preset_combo = QComboBox(toolTip=tr("Choosing a preset loads its steps"))
        for name in PRESETS:
            self.preset_combo.addItem(tr(PRESET_LABELS.get(name, name)), name)
        self.saved_combo = holds_user_names(QComboBox(toolTip=tr("Your saved pipelines: choosing one loads it")))
        self.saved_combo.addItems(saved_pipelines())
        self.saved_combo.setCurrentIndex(-1)
        save_button = QPushButton(tr("Save as…"))
        self.table = StepsTable()
        add, remove, up, down = (QPushButton(tr(t)) for t in (N_("Add"), N_("Remove"), N_("Up"), N_("Down")))
        for button, tip in ((remove, tr("Remove the step last touched")), (up, tr("Move the step last touched up")),
                            (down, tr("Move the step last touched down"))):
            button.setToolTip(tip)
        self.seed = QSpinBox(minimum=0, maximum=1_000_000, prefix=tr("seed "))
        reroll = QPushButton(tr("Reroll"))
        self.compare = QCheckBox(tr("original vs augmented"))
        self.use_button = QPushButton(tr("Use in training"))
        self.status = QLabel(objectName="AugmentStatus", wordWrap=True)
        self.explanation = QLabel(tr("Click a tile to see which operations made it."),
                                  objectName="AugmentExplanation", wordWrap=True)
        self.view = lesson_picture(PictureView())

        # What the lecturer sets before talking: the pipeline, in a strip beside the grid.
        pipeline = QWidget()
        column = QVBoxLayout(pipeline)
        presets = QGridLayout()
        presets.addWidget(QLabel(tr("Preset")), 0, 0)
        presets.addWidget(self.preset_combo, 0, 1)
        presets.addWidget(QLabel(tr("Saved")), 1, 0)
        presets.addWidget(self.saved_combo, 1, 1)
        presets.addWidget(save_button, 2, 1)
        column.addLayout(presets)
        column.addWidget(self.table)
        edit_row = QHBoxLayout()
        for widget in (add, remove, up, down):
            edit_row.addWidget(widget)
        column.addLayout(edit_row)
        column.addWidget(self.use_button)
        column.addWidget(self.status)
        column.addStretch(1)
        self.strip = SettingsStrip(pipeline, tr("Pipeline"))
        # What the lecturer touches while talking: another draw, the originals beside the tiles.
        live_row = QHBoxLayout()
        for widget in (self.seed, reroll, self.compare):
            live_row.addWidget(widget)
        live_row.addStretch(1)
        stage = QVBoxLayout()
        stage.addWidget(self.view, 1)
        stage.addLayout(live_row)
        stage.addWidget(self.explanation)
        self.setWidget(beside_strip(self.strip, stage))

        self.shown: PreviewGrid | None = None  # the grid on screen, with its explanations
        self.selected: int | None = None  # the tile whose explanation shows
        self.worker = LatestRequestWorker(GridMaker(), "AugmentPreviewWorker", self)  # starts on first submit
        self.worker.result.connect(self._on_grid)
        self.worker.failed.connect(self._on_failed)
        self.preset_combo.activated.connect(lambda *_: self.load_preset())
        self.saved_combo.activated.connect(lambda *_: self._load_saved())
        save_button.clicked.connect(self._save_as)
        add.clicked.connect(lambda: self._edit(lambda steps, row: steps.insert(row + 1, Step("rotate", 3, 0.5)), 1))
        remove.clicked.connect(lambda: self._edit(lambda steps, row: steps.pop(row) if steps else None))
        up.clicked.connect(lambda: self._edit(lambda steps, row: _swap(steps, row, row - 1), -1))
        down.clicked.connect(lambda: self._edit(lambda steps, row: _swap(steps, row, row + 1), 1))
        self.table.edited.connect(self._on_table_edited)
        reroll.clicked.connect(lambda: self.seed.setValue(self.seed.value() + 1))
        self.seed.valueChanged.connect(self.recompute)
        self.compare.toggled.connect(self._draw)
        self.use_button.clicked.connect(lambda: self.use_in_training.emit(self.augmenter))
        self.view.clicked.connect(self._on_tile_clicked)
        keras.ready.connect(lambda *_: self.wants_frame() and self.recompute())
        self.table.show_steps(self.augmenter.steps)
        self.follow_frames()

    # -- the pipeline -----------------------------------------------------------------------------
    def set_augmenter(self, augmenter: Augmenter) -> None:
        self.augmenter = augmenter
        self.table.show_steps(augmenter.steps)
        self.recompute()

    def load_preset(self) -> None:
        """The steps of the preset the combo names (choosing one, even the same again, loads it)."""
        self.set_augmenter(preset(self.preset_combo.currentData()))

    def _edit(self, change, move: int = 0) -> None:
        """Change the steps at the row last touched; that step stays the current one (``move``)."""
        steps = list(self.augmenter.steps)
        row = max(self.table.currentRow(), 0) if steps else 0
        change(steps, row)
        self.set_augmenter(Augmenter(steps, self.augmenter.name))
        self.table.setCurrentRow(min(max(row + move, 0), len(steps) - 1))

    def _on_table_edited(self, steps: list[Step]) -> None:
        self.augmenter = Augmenter(steps, self.augmenter.name)
        self.recompute()

    def _save_as(self) -> None:
        name, ok = QInputDialog.getText(self, tr("Save pipeline"), tr("Name:"))
        if ok and name:
            self.save_as(name)

    def save_as(self, name: str) -> None:
        try:
            Augmenter(self.augmenter.steps, name).save()
        except (ValueError, OSError) as exc:
            self.status.setText(str(exc))
            return
        self.saved_combo.clear()
        self.saved_combo.addItems(saved_pipelines())
        self.saved_combo.setCurrentText(name)

    def _load_saved(self) -> None:
        name = self.saved_combo.currentText()
        if name:
            try:
                self.set_augmenter(Augmenter.load(name))
            except ValueError as exc:
                self.status.setText(str(exc))

    # -- the live grid ---------------------------------------------------------------------------
    @property
    def images(self) -> list[np.ndarray]:
        return self.shown.images if self.shown else []

    @property
    def records(self) -> list[list[str]] | None:
        return self.shown.records if self.shown else None

    def recompute(self, *_) -> None:
        if not self.on_screen():
            return  # an edit made while hidden shows when the lab comes into view
        if self.frame is None or self.keras.state != KerasState.READY:
            self.status.setText(tr("loading TensorFlow…") if self.keras.state != KerasState.READY
                                else tr("waiting for a frame"))
            return
        self.worker.submit(PreviewRequest(self.frame.rgb, self.augmenter.to_dict(), self.seed.value()))

    def _on_grid(self, grid: PreviewGrid) -> None:
        self.shown = grid
        self.status.setText(tr("{steps} steps · seed {seed} · {versions} versions of the frame",
                               steps=len(self.augmenter.steps), seed=grid.seed, versions=len(grid.images)))
        with Stopwatch() as draw:
            self._draw()
        if self.selected is not None:
            self._show_explanation()
        self.result_shown(process=grid.ms, draw=draw.ms)

    def _on_failed(self, exc: Exception) -> None:  # a bad pipeline must not take the app down
        self.status.setText(f"{type(exc).__name__}: {exc}")

    def _draw(self, *_) -> None:
        if self.shown is None:
            return
        tiles = np.stack(self.shown.images)
        if self.compare.isChecked():  # the original beside each augmented tile
            tiles = np.stack([t for image in tiles for t in (self.shown.original, image)])
        self.view.show_tiles(tiles, cols=8 if self.compare.isChecked() else 4, gap=3)

    def _on_tile_clicked(self, tile: int, _row: int, _col: int) -> None:
        self.selected = tile // 2 if self.compare.isChecked() else tile
        self._show_explanation()

    def _show_explanation(self) -> None:
        index, records = self.selected, self.records or []
        if index is None or index >= len(records):
            return
        ops = records[index]
        if ops:
            self.explanation.setText(tr("tile {number}: {operations}", number=index + 1, operations="; ".join(ops)))
        else:
            self.explanation.setText(tr("tile {number}: no operation applied (original)", number=index + 1))

    def scene_state(self) -> dict:
        """This panel in a lecture scene: the pipeline's steps, the seed and the comparison."""
        return {"inputs": capture_inputs(self, exclude={"saved_combo"}), "pipeline": self.augmenter.to_dict()}

    def apply_scene(self, state: dict) -> list[str]:
        inputs = state.get("inputs", {})
        skipped = apply_inputs(self, inputs, exclude={"saved_combo"})
        if "pipeline" not in state and "preset_combo" in inputs and not any(
                reason.startswith("preset_combo:") for reason in skipped):
            self.load_preset()  # a scene that names a preset shows that preset's pipeline
        if "pipeline" in state:
            try:
                self.set_augmenter(Augmenter.from_dict(state["pipeline"]))
            except (ValueError, TypeError) as exc:
                skipped.append(tr("pipeline: {problem}", problem=exc))
        return skipped


def _swap(steps: list, a: int, b: int) -> None:
    if 0 <= a < len(steps) and 0 <= b < len(steps):
        steps[a], steps[b] = steps[b], steps[a]


if __name__ == "__main__":
    import sys

    from cnnexplorer.gui.shell.standalone import run_dock

    def _alone(controller: LiveSource) -> AugmentDock:
        loader = KerasLoader()
        dock = AugmentDock(controller, loader)
        loader.setParent(dock)
        loader.start()
        return dock

    sys.exit(run_dock(_alone))
