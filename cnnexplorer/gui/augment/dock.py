"""Augmentation lab dock (course §6): a live grid of augmented versions of the frame, made by the
very pipeline the training tab applies."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from cnnexplorer.core.augment.ops import OPERATIONS
from cnnexplorer.core.augment.pipeline import PRESETS, Augmenter, Step, preset, saved_pipelines
from cnnexplorer.core.augment.preview import GridMaker, PreviewGrid, PreviewRequest
from cnnexplorer.core.infra.timing import Stopwatch
from cnnexplorer.gui.common.keras_loader import KerasLoader, KerasState
from cnnexplorer.gui.common.live_dock import LiveFrameDock
from cnnexplorer.gui.common.mosaic_view import MosaicView
from cnnexplorer.gui.common.widget_state import apply_inputs, capture_inputs
from cnnexplorer.gui.common.workers import LatestRequestWorker
from cnnexplorer.gui.source.controller import SourceController


class AugmentDock(LiveFrameDock):
    use_in_training = Signal(object)  # Augmenter

    def __init__(self, controller: SourceController, keras: KerasLoader, parent=None) -> None:
        super().__init__("Augmentation lab", controller, parent)
        self.setObjectName("AugmentDock")
        self.keras = keras
        self.augmenter = preset("light")
        self.preset_combo = QComboBox()
        self.preset_combo.addItems(list(PRESETS))
        self.saved_combo = QComboBox(toolTip="Your saved pipelines")
        load_preset = QPushButton("Load preset")
        save_button, load_button = QPushButton("Save as…"), QPushButton("Load")
        self.table = QTableWidget(0, 5, objectName="AugmentSteps")
        self.table.setHorizontalHeaderLabels(["on", "operation", "magnitude", "probability", "N"])
        self.table.setToolTip("magnitude 0–10 (transforms drawn up to it; AutoAugment keeps its policy's fixed "
                              "magnitudes) · probability per image · N: operations per image (RandAugment)")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        add, remove, up, down = (QPushButton(t) for t in ("Add", "Remove", "Up", "Down"))
        self.seed = QSpinBox(minimum=0, maximum=1_000_000, prefix="seed ")
        reroll = QPushButton("Reroll")
        self.compare = QCheckBox("original vs augmented")
        self.use_button = QPushButton("Use in training")
        self.status = QLabel(objectName="AugmentStatus", wordWrap=True)
        self.explanation = QLabel("Click a tile to see which operations made it.", objectName="AugmentExplanation",
                                  wordWrap=True)
        self.view = MosaicView()

        top = QHBoxLayout()
        for widget in (self.preset_combo, load_preset, self.saved_combo, load_button, save_button):
            top.addWidget(widget)
        steps_row = QHBoxLayout()
        for widget in (add, remove, up, down, self.seed, reroll):
            steps_row.addWidget(widget)
        use_row = QHBoxLayout()
        use_row.addWidget(self.compare)
        use_row.addWidget(self.use_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(top)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(steps_row)
        left_layout.addLayout(use_row)
        left_layout.addWidget(self.status)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.view, 1)
        right_layout.addWidget(self.explanation)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        left.setMaximumWidth(560)
        split.setStretchFactor(1, 3)
        self.setWidget(split)

        self.shown: PreviewGrid | None = None  # the grid on screen, with its explanations
        self.selected: int | None = None  # the tile whose explanation shows
        self.worker = LatestRequestWorker(GridMaker(), "AugmentPreviewWorker", self)  # starts on first submit
        self.worker.result.connect(self._on_grid)
        self.worker.failed.connect(self._on_failed)
        load_preset.clicked.connect(lambda: self.set_augmenter(preset(self.preset_combo.currentText())))
        save_button.clicked.connect(self._save_as)
        load_button.clicked.connect(self._load_saved)
        add.clicked.connect(lambda: self._edit(lambda steps, row: steps.insert(row + 1, Step("rotate", 3, 0.5))))
        remove.clicked.connect(lambda: self._edit(lambda steps, row: steps.pop(row) if steps else None))
        up.clicked.connect(lambda: self._edit(lambda steps, row: _swap(steps, row, row - 1)))
        down.clicked.connect(lambda: self._edit(lambda steps, row: _swap(steps, row, row + 1)))
        reroll.clicked.connect(lambda: self.seed.setValue(self.seed.value() + 1))
        self.seed.valueChanged.connect(self.recompute)
        self.compare.toggled.connect(self._draw)
        self.use_button.clicked.connect(lambda: self.use_in_training.emit(self.augmenter))
        self.view.clicked.connect(self._on_tile_clicked)
        keras.ready.connect(lambda *_: self.wants_frame() and self.recompute())
        self._fill_table()
        self.follow_frames()

    # -- the pipeline -----------------------------------------------------------------------------
    def set_augmenter(self, augmenter: Augmenter) -> None:
        self.augmenter = augmenter
        self._fill_table()
        self.recompute()

    def _edit(self, change) -> None:
        steps = list(self.augmenter.steps)
        change(steps, max(self.table.currentRow(), 0) if steps else 0)
        self.set_augmenter(Augmenter(steps, self.augmenter.name))

    def _fill_table(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.augmenter.steps))
        for row, step in enumerate(self.augmenter.steps):
            enabled = QCheckBox(checked=step.enabled)
            op = QComboBox()
            op.addItems(list(OPERATIONS))
            op.setCurrentText(step.op)
            magnitude = QDoubleSpinBox(minimum=0, maximum=10, singleStep=0.5, value=step.magnitude)
            probability = QDoubleSpinBox(minimum=0, maximum=1, singleStep=0.1, value=step.probability)
            num_ops = QSpinBox(minimum=1, maximum=10, value=step.num_ops)
            for column, widget in enumerate((enabled, op, magnitude, probability, num_ops)):
                self.table.setCellWidget(row, column, widget)
            enabled.toggled.connect(self._read_table)
            op.currentIndexChanged.connect(self._read_table)
            for spin in (magnitude, probability, num_ops):
                spin.valueChanged.connect(self._read_table)
        self.table.blockSignals(False)

    def _read_table(self, *_) -> None:
        steps = []
        for row in range(self.table.rowCount()):
            enabled, op, magnitude, probability, num_ops = (self.table.cellWidget(row, c) for c in range(5))
            steps.append(Step(op.currentText(), magnitude.value(), probability.value(), enabled.isChecked(),
                              num_ops.value()))
        self.augmenter = Augmenter(steps, self.augmenter.name)
        self.recompute()

    def _save_as(self) -> None:
        name, ok = QInputDialog.getText(self, "Save pipeline", "Name:")
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
            self.status.setText("loading TensorFlow…" if self.keras.state != KerasState.READY else "waiting for a frame")
            return
        self.worker.submit(PreviewRequest(self.frame.rgb, self.augmenter.to_dict(), self.seed.value()))

    def _on_grid(self, grid: PreviewGrid) -> None:
        self.shown = grid
        self.status.setText(f"{len(self.augmenter.steps)} steps · seed {grid.seed} · {len(grid.images)} versions "
                            "of the frame")
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
        self.view.show_tiles(tiles.astype(np.float32) / 255.0, cols=8 if self.compare.isChecked() else 4, gap=3)

    def _on_tile_clicked(self, tile: int, _row: int, _col: int) -> None:
        self.selected = tile // 2 if self.compare.isChecked() else tile
        self._show_explanation()

    def _show_explanation(self) -> None:
        index, records = self.selected, self.records or []
        if index is None or index >= len(records):
            return
        ops = records[index]
        self.explanation.setText(f"tile {index + 1}: " + ("; ".join(ops) if ops else "no operation applied (original)"))

    def scene_state(self) -> dict:
        """This panel in a lecture scene: the pipeline's steps, the seed and the comparison."""
        return {"inputs": capture_inputs(self, exclude={"saved_combo"}), "pipeline": self.augmenter.to_dict()}

    def apply_scene(self, state: dict) -> list[str]:
        skipped = apply_inputs(self, state.get("inputs", {}), exclude={"saved_combo"})
        if "pipeline" in state:
            try:
                self.set_augmenter(Augmenter.from_dict(state["pipeline"]))
            except (ValueError, TypeError) as exc:
                skipped.append(f"pipeline: {exc}")
        return skipped


def _swap(steps: list, a: int, b: int) -> None:
    if 0 <= a < len(steps) and 0 <= b < len(steps):
        steps[a], steps[b] = steps[b], steps[a]


if __name__ == "__main__":
    import sys

    from cnnexplorer.gui.common.standalone import run_dock

    def _alone(controller: SourceController) -> AugmentDock:
        loader = KerasLoader()
        dock = AugmentDock(controller, loader)
        loader.setParent(dock)
        loader.start()
        return dock

    sys.exit(run_dock(_alone))
