"""The training tab: fit a Keras model on a worker thread while the class watches the curves,
the first-layer filters and a probe image's activations change, epoch by epoch."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

import cnnexplorer.gui  # noqa: F401  (row-major image axes)
from cnnexplorer.core.training.datasets import Dataset, DatasetError
from cnnexplorer.core.display.mosaic import normalise_each, tile
from cnnexplorer.core.training.fit import TrainEvent, TrainResult
from cnnexplorer.gui.training.setup import TrainingSetup
from cnnexplorer.gui.training.worker import TrainingWorker


class CallWorker(QThread):
    """Runs one callable off the GUI thread (a dataset download, say)."""

    done = Signal(object)
    failed = Signal(str)

    def __init__(self, call: Callable[[], object]) -> None:
        super().__init__()
        self.call = call
        self.setObjectName("CallWorker")

    def run(self) -> None:
        try:
            self.done.emit(self.call())
        except (DatasetError, ValueError, OSError) as exc:
            self.failed.emit(str(exc))


def rgb_mosaic(images: np.ndarray, cols: int | None = None) -> np.ndarray:
    """(N, H, W, 3) uint8 → one RGB mosaic."""
    stack = np.moveaxis(images.astype(np.float32) / 255.0, 0, -1)  # (H, W, 3, N)
    planes = [tile(stack[:, :, c, :], cols, gap=2, fill=1.0)[0] for c in range(3)]
    return np.dstack(planes)


class TrainingTab(QWidget):
    open_in_explorer = Signal(str)  # path of the trained model

    def __init__(self, frame_source: Callable[[], np.ndarray | None] = lambda: None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("TrainingTab")
        self.frame_source = frame_source
        self.augment_factory: Callable[[], object] | None = None
        self.augmenter = None
        self.setup = TrainingSetup()
        self.load_button = QPushButton("Load dataset")
        self.start_button = QPushButton("Start training")
        self.stop_button = QPushButton("Stop")
        self.open_button = QPushButton("Open in model explorer")
        self.progress = QProgressBar()
        self.status = QLabel(objectName="TrainingStatus", wordWrap=True)
        self.summary = QLabel(objectName="TrainingSummary", wordWrap=True)

        plots = pg.GraphicsLayoutWidget()
        self.loss_plot = plots.addPlot(row=0, col=0, title="loss")
        self.loss_plot.addLegend()
        self.batch_curve = self.loss_plot.plot(pen=pg.mkPen("#9ecae1"), name="train (batches)")
        self.train_loss = self.loss_plot.plot(pen=pg.mkPen("#2166ac", width=2), symbol="o", symbolSize=5, name="train")
        self.val_loss = self.loss_plot.plot(pen=pg.mkPen("#d6604d", width=2), symbol="o", symbolSize=5, name="validation")
        self.loss_plot.setLabel("bottom", "epoch")
        self.acc_plot = plots.addPlot(row=0, col=1, title="accuracy")
        self.acc_plot.addLegend()
        self.train_acc = self.acc_plot.plot(pen=pg.mkPen("#2166ac", width=2), symbol="o", symbolSize=5, name="train")
        self.val_acc = self.acc_plot.plot(pen=pg.mkPen("#d6604d", width=2), symbol="o", symbolSize=5, name="validation")
        self.acc_plot.setYRange(0, 1)
        self.acc_plot.setLabel("bottom", "epoch")
        self.samples_box = plots.addViewBox(row=1, col=0, lockAspect=True, invertY=True, enableMenu=False)
        self.samples_image = pg.ImageItem()
        self.samples_box.addItem(self.samples_image)
        self.result_box = plots.addViewBox(row=1, col=1, lockAspect=True, invertY=True, enableMenu=False)
        self.result_image = pg.ImageItem()
        self.result_box.addItem(self.result_image)
        self.confusion_box = plots.addViewBox(row=1, col=2, lockAspect=True, invertY=True, enableMenu=False)
        self.confusion_image = pg.ImageItem(colorMap=pg.colormap.get("CET-L12"))
        self.confusion_box.addItem(self.confusion_image)
        self.confusion_texts: list[pg.TextItem] = []
        self.samples_title = QLabel("Dataset samples")
        self.result_title = QLabel("")

        snapshots = pg.GraphicsLayoutWidget()
        self.filters_box = snapshots.addViewBox(row=0, col=0, lockAspect=True, invertY=True, enableMenu=False)
        self.filters_image = pg.ImageItem()
        self.filters_box.addItem(self.filters_image)
        self.probe_box = snapshots.addViewBox(row=0, col=1, lockAspect=True, invertY=True, enableMenu=False)
        self.probe_image = pg.ImageItem(colorMap=pg.colormap.get("viridis"))
        self.probe_box.addItem(self.probe_image)
        self.epoch_slider = QSlider(Qt.Orientation.Horizontal, minimum=1, maximum=1, enabled=False)
        self.epoch_label = QLabel("first-layer filters and a validation image's activations, per epoch")

        buttons = QHBoxLayout()
        for widget in (self.load_button, self.start_button, self.stop_button, self.open_button):
            buttons.addWidget(widget)
        side = QScrollArea(widgetResizable=True)
        side.setWidget(self.setup)
        side.setMinimumWidth(380)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.progress)
        right_layout.addWidget(self.status)
        right_layout.addWidget(self.summary)
        right_layout.addWidget(plots, 3)
        titles = QHBoxLayout()
        titles.addWidget(self.samples_title)
        titles.addWidget(self.result_title)
        right_layout.addLayout(titles)
        right_layout.addWidget(self.epoch_label)
        right_layout.addWidget(snapshots, 2)
        right_layout.addWidget(self.epoch_slider)
        split = QSplitter()
        split.addWidget(side)
        split.addWidget(right)
        split.setSizes([400, 1000])
        layout = QHBoxLayout(self)
        layout.addWidget(split)

        self.dataset: Dataset | None = None
        self.worker: TrainingWorker | None = None
        self.loader: CallWorker | None = None
        self.result: TrainResult | None = None
        self.snapshots: list[TrainEvent] = []
        self.batch_losses: list[float] = []
        self.epochs: list[TrainEvent] = []
        self._last_batch: TrainEvent | None = None
        self._redraw = QTimer(self, interval=150)  # curves redraw at most ~7 times a second
        self._redraw.timeout.connect(self._draw_progress)

        self.load_button.clicked.connect(self.load_dataset)
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.open_button.clicked.connect(lambda: self.open_in_explorer.emit(str(self.result.last_path)))
        self.epoch_slider.valueChanged.connect(self._show_snapshot)
        self.setup.capture_requested.connect(self._capture)
        self._set_running(False)

    def set_augmenter(self, augmenter) -> None:
        """Train with ``augmenter`` (from the augmentation lab): its layer runs on every batch."""
        self.augmenter = augmenter
        self.augment_factory = augmenter.as_layer
        self.setup.augment.setEnabled(True)
        self.setup.augment.setChecked(True)
        steps = ", ".join(f"{s.op}" for s in augmenter.steps if s.enabled) or "no steps"
        self.setup.augment.setText(f"augment training batches: {augmenter.name} ({steps})")

    # -- dataset ---------------------------------------------------------------------------------
    def load_dataset(self) -> None:
        if self.loader is not None and self.loader.isRunning():
            return
        self.status.setText("loading the dataset…")
        self.loader = CallWorker(self.setup.load_dataset)
        self.loader.done.connect(self._on_dataset)
        self.loader.failed.connect(lambda message: self.status.setText(f"Dataset: {message}"))
        self.loader.start()

    def _on_dataset(self, dataset: Dataset) -> None:
        self.dataset = dataset
        counts = ", ".join(f"{k} {v}" for k, v in dataset.counts().items())
        skipped = f" · {dataset.skipped} unreadable files skipped" if dataset.skipped else ""
        self.status.setText(f"{dataset.name}: {len(dataset.x_train)} training and {len(dataset.x_val)} validation "
                            f"images of {dataset.image_shape[1]}×{dataset.image_shape[0]} ({counts}){skipped}")
        preview = dataset.preview(per_class=6)
        self.samples_image.setImage(rgb_mosaic(np.stack([image for _, image in preview]), cols=6), levels=(0, 1))
        self.samples_box.autoRange(padding=0.02)
        self.samples_title.setText("Dataset samples: one row per class — " + ", ".join(dataset.class_names))
        self._set_running(False)

    def _capture(self, class_name: str) -> None:
        frame = self.frame_source()
        if frame is None:
            self.status.setText("No frame to capture: open a camera or an image in the Source panel.")
            return
        try:
            path = self.setup.captures.add(class_name, frame)
        except DatasetError as exc:
            self.setup.error.setText(str(exc))
            return
        self.setup.error.clear()
        self.setup.show_capture_counts()
        self.status.setText(f"saved {path}")

    # -- training --------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.worker is not None and self.worker.isRunning()

    def start(self) -> None:
        if self.running or self.dataset is None:
            return
        try:
            build = self.setup.model_factory(self.dataset.image_shape, len(self.dataset.class_names))
        except ValueError as exc:
            self.setup.error.setText(str(exc))
            return
        self.setup.error.clear()
        augment = self.augment_factory if self.setup.augment.isChecked() else None
        self.worker = TrainingWorker(build, self.dataset, self.setup.config(), augment)
        self.worker.built.connect(self._on_built)
        self.worker.progress.connect(self._on_progress)
        self.worker.succeeded.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.worker.finished.connect(lambda: self._set_running(False))
        self.batch_losses, self.epochs, self.snapshots = [], [], []
        self._last_batch = None
        self.result = None
        self.status.setText("building the model…")
        self._set_running(True)
        self.worker.start()
        self._redraw.start()

    def stop(self) -> None:
        if self.running:
            self.worker.request_stop()
            self.status.setText("stopping after this batch…")

    def stop_and_wait(self, timeout_ms: int = 120000) -> bool:
        """Stop a running fit and wait for it (its model so far is saved)."""
        if self.worker is not None:
            self.worker.request_stop()
            return self.worker.wait(timeout_ms)
        return True

    def threads(self) -> list[QThread]:
        return [t for t in (self.worker, self.loader) if t is not None]

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running and self.dataset is not None)
        self.load_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.open_button.setEnabled(not running and self.result is not None)
        self.setup.setEnabled(not running)
        self.setup.augment.setEnabled(self.augment_factory is not None)
        if not running:
            self._redraw.stop()
            self._draw_progress()

    def _on_built(self, name: str, counts: dict) -> None:
        self.summary.setText(f"{name}: {counts['total']:,} parameters — {counts['trainable']:,} trainable, "
                             f"{counts['frozen']:,} frozen")

    def _on_progress(self, event: TrainEvent) -> None:
        if event.kind == "batch":
            self._last_batch = event
            self.batch_losses.append(float(event.logs.get("loss", np.nan)))
        else:
            self.epochs.append(event)
            if event.filters is not None:
                self.snapshots.append(event)
                self.epoch_slider.setEnabled(True)
                self.epoch_slider.setMaximum(len(self.snapshots))
                self.epoch_slider.setValue(len(self.snapshots))

    def _draw_progress(self) -> None:
        event = self._last_batch
        if event is not None:
            epochs = self.setup.epochs.value()
            done = event.epoch * event.batches + event.batch
            self.progress.setMaximum(epochs * event.batches)
            self.progress.setValue(done)
            self.progress.setFormat(f"epoch {min(event.epoch + 1, epochs)}/{epochs}, batch {event.batch}/{event.batches}")
            if self.running:
                self.status.setText(f"{event.samples_per_s:,.0f} samples/s · ETA {event.eta_s:,.0f} s · "
                                    f"loss {event.logs.get('loss', float('nan')):.4f}")
        if self.batch_losses:
            batches = event.batches if event else 1
            self.batch_curve.setData(np.arange(1, len(self.batch_losses) + 1) / batches, self.batch_losses)
        if self.epochs:
            x = [e.epoch for e in self.epochs]
            for curve, key in ((self.train_loss, "loss"), (self.val_loss, "val_loss"), (self.train_acc, "accuracy"),
                               (self.val_acc, "val_accuracy")):
                curve.setData(x, [e.logs.get(key, np.nan) for e in self.epochs])

    def _show_snapshot(self, index: int) -> None:
        if not 1 <= index <= len(self.snapshots):
            return
        event = self.snapshots[index - 1]
        kernels = event.filters  # (kh, kw, 3, F)
        top = np.abs(kernels).max(axis=(0, 1, 2), keepdims=True) + 1e-12
        scaled = 0.5 + kernels / (2 * top)
        planes = [tile(scaled[:, :, c, :] if kernels.shape[2] == 3 else scaled[:, :, 0, :], gap=1, fill=1.0)[0]
                  for c in range(3)]
        self.filters_image.setImage(np.dstack(planes), levels=(0, 1))
        self.filters_box.autoRange(padding=0.02)
        if event.probe is not None:
            mosaic, _ = tile(normalise_each(event.probe), gap=1)
            self.probe_image.setImage(mosaic, levels=(0, 1))
            self.probe_box.autoRange(padding=0.02)
        self.epoch_label.setText(f"after epoch {event.epoch}: first-layer filters (left) and the first validation "
                                 "image's activations in that layer (right)")

    def _on_finished(self, result: TrainResult) -> None:
        self.result = result
        self._set_running(False)  # the thread's own "finished" may arrive later
        verb = "stopped" if result.stopped else "finished"
        self.status.setText(f"Training {verb}: validation accuracy {result.val_accuracy:.1%} · "
                            f"{result.samples_per_s:,.0f} samples/s · saved in {result.run_dir}")
        wrong = result.misclassified[:24]
        if len(wrong):
            self.result_image.setImage(rgb_mosaic(self.dataset.x_val[wrong], cols=6), levels=(0, 1))
        else:
            self.result_image.clear()
        self.result_title.setText(f"{len(result.misclassified)} misclassified validation images (first 24) · "
                                  "confusion matrix: rows = true class, columns = predicted")
        self.result_box.autoRange(padding=0.02)
        self._draw_confusion(result.confusion)

    def _draw_confusion(self, confusion: np.ndarray) -> None:
        rows = confusion / np.maximum(confusion.sum(axis=1, keepdims=True), 1)
        self.confusion_image.setImage(rows.astype(np.float32), levels=(0, 1))
        for text in self.confusion_texts:
            self.confusion_box.removeItem(text)
        self.confusion_texts = []
        for (r, c), count in np.ndenumerate(confusion):
            text = pg.TextItem(str(count), color="w" if rows[r, c] > 0.5 else "k", anchor=(0.5, 0.5))
            text.setPos(c + 0.5, r + 0.5)
            self.confusion_box.addItem(text)
            self.confusion_texts.append(text)
        self.confusion_box.autoRange(padding=0.05)

    def _on_failed(self, message: str) -> None:
        self.status.setText(message)
        self._set_running(False)
