"""Augmentation lab dock (course §6): a live grid of augmented versions of the frame, made by the
very pipeline the training tab applies."""

from __future__ import annotations

import threading

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QThread, Signal
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

import cnnexplorer.gui  # noqa: F401  (row-major image axes)
from cnnexplorer.core.augment.pipeline import OPERATIONS, PRESETS, Augmenter, Previewer, Step, preset, saved_pipelines
from cnnexplorer.core.display.mosaic import tile
from cnnexplorer.gui.common.keras_loader import KerasLoader
from cnnexplorer.gui.common.live_dock import LiveFrameDock
from cnnexplorer.gui.source.controller import SourceController

TILES, TILE_SIZE = 16, 160  # tiles show at about this size in the 4×4 grid


class PreviewWorker(QThread):
    """Makes preview grids off the GUI thread; only the newest request is served."""

    ready = Signal(object, object, int)  # images, explanations (or None), seed
    failed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("AugmentPreviewWorker")
        self._lock = threading.Lock()
        self._request = None
        self._wake = threading.Event()
        self._stop = threading.Event()

    def submit(self, rgb: np.ndarray, augmenter: Augmenter, seed: int, explain: bool = False) -> None:
        with self._lock:
            self._request = (rgb, augmenter.to_dict(), seed, explain)
        self._wake.set()

    def request_stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def run(self) -> None:
        previewer, spec = None, None
        while not self._stop.is_set():
            self._wake.wait(0.2)
            self._wake.clear()
            with self._lock:
                request, self._request = self._request, None
            if request is None:
                continue
            rgb, wanted, seed, explain = request
            try:
                if wanted != spec:  # rebuild (and recompile) only when the pipeline changed
                    previewer, spec = Previewer(Augmenter.from_dict(wanted)), wanted
                result = previewer.preview(rgb, TILES, seed, explain=explain, size=TILE_SIZE)
            except Exception as exc:  # a bad pipeline must not take the app down
                self.failed.emit(f"{type(exc).__name__}: {exc}")
                continue
            images, records = result if explain else (result, None)
            self.ready.emit(images, records, seed)


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
        self.table.setToolTip("magnitude 0–10 (transforms drawn up to it) · probability per image · "
                              "N: operations per image (RandAugment)")
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
        self.view = pg.GraphicsLayoutWidget()
        self.box = self.view.addViewBox(lockAspect=True, invertY=True, enableMenu=False)
        self.image = pg.ImageItem()
        self.box.addItem(self.image)

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

        self.images: list[np.ndarray] = []
        self.records = None
        self.grid = None
        self.worker = PreviewWorker()
        self.worker.ready.connect(self._on_ready)
        self.worker.failed.connect(self.status.setText)
        self.worker.start()
        load_preset.clicked.connect(lambda: self.set_augmenter(preset(self.preset_combo.currentText())))
        save_button.clicked.connect(self._save_as)
        load_button.clicked.connect(self._load_saved)
        add.clicked.connect(lambda: self._edit(lambda steps, row: steps.insert(row + 1, Step("rotate", 3, 0.5))))
        remove.clicked.connect(lambda: self._edit(lambda steps, row: steps.pop(row) if steps else None))
        up.clicked.connect(lambda: self._edit(lambda steps, row: _swap(steps, row, row - 1)))
        down.clicked.connect(lambda: self._edit(lambda steps, row: _swap(steps, row, row + 1)))
        reroll.clicked.connect(lambda: self.seed.setValue(self.seed.value() + 1))
        self.seed.valueChanged.connect(lambda *_: self.recompute())
        self.compare.toggled.connect(lambda *_: self._draw())
        self.use_button.clicked.connect(lambda: self.use_in_training.emit(self.augmenter))
        self.view.scene().sigMouseClicked.connect(self._on_clicked)
        keras.ready.connect(lambda *_: self.recompute())
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
    def recompute(self, *_) -> None:
        if self.frame is None or self.keras.state != "ready":
            self.status.setText("loading TensorFlow…" if self.keras.state != "ready" else "waiting for a frame")
            return
        self.worker.submit(self.frame.rgb, self.augmenter, self.seed.value())

    def _on_ready(self, images, records, seed: int) -> None:
        if records is not None:
            self.records = records
            self._show_explanation()
            return
        self.images = images
        self.status.setText(f"{len(self.augmenter.steps)} steps · seed {seed} · {len(images)} versions of the frame")
        self._draw()

    def _draw(self) -> None:
        if not self.images:
            return
        stack = np.stack(self.images).astype(np.float32) / 255.0  # (N, H, W, 3)
        if self.compare.isChecked():  # the original beside each augmented tile
            original = np.asarray(self.images[0].shape)
            base = np.asarray(_fit(self.frame.rgb, tuple(original[:2])), np.float32) / 255.0
            stack = np.stack([t for pair in zip([base] * len(stack), stack) for t in pair])
        planes = [tile(np.moveaxis(stack[..., c], 0, -1), cols=8 if self.compare.isChecked() else 4, gap=3,
                       fill=1.0) for c in range(3)]
        self.grid = planes[0][1]
        self.image.setImage(np.dstack([p[0] for p in planes]), levels=(0, 1))
        self.box.autoRange(padding=0.01)

    def _on_clicked(self, event) -> None:
        if self.grid is None or not self.images:
            return
        point = self.box.mapSceneToView(event.scenePos())
        hit = self.grid.locate(point.y(), point.x())
        if hit is None:
            return
        index = hit[0] // 2 if self.compare.isChecked() else hit[0]
        self.selected = index
        self.explanation.setText(f"tile {index + 1}: working it out…")
        self.worker.submit(self.frame.rgb, self.augmenter, self.seed.value(), explain=True)

    def _show_explanation(self) -> None:
        index = getattr(self, "selected", 0)
        ops = self.records[index] if self.records and index < len(self.records) else []
        self.explanation.setText(f"tile {index + 1}: " + ("; ".join(ops) if ops else "no operation applied (original)"))

    def stop(self) -> None:
        self.worker.request_stop()
        self.worker.wait(30000)


def _swap(steps: list, a: int, b: int) -> None:
    if 0 <= a < len(steps) and 0 <= b < len(steps):
        steps[a], steps[b] = steps[b], steps[a]


def _fit(rgb: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    import cv2

    return cv2.resize(rgb, (shape[1], shape[0]), interpolation=cv2.INTER_AREA)
