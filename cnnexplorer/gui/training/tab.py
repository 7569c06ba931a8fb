"""The training tab: fit a Keras model on a worker thread while the class watches the curves,
the first-layer filters and a probe image's activations change, epoch by epoch.

Both of its threads (the dataset load and the fit) are :class:`TaskThread` children of this tab, so
the main window finds, stops and waits for them with the rest. Widgets are read on the GUI thread
when a button is pressed; the threads get plain values. The fit's progress is collected in an
:class:`EventBuffer` and drawn :data:`REFRESH_MS` apart, however fast the batches come.
"""

from __future__ import annotations

import copy
import functools
import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QGridLayout,
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

from cnnexplorer.core.display.mosaic import kernel_tiles
from cnnexplorer.core.augment.pipeline import Augmenter
from cnnexplorer.core.infra.store import read_json
from cnnexplorer.core.training.datasets import Dataset, DatasetError, DatasetSpec, load_dataset
from cnnexplorer.core.training.events import EventBuffer, TrainEvent, TrainEventKind
from cnnexplorer.core.training.fit import TrainingError, TrainResult
from cnnexplorer.core.training.job import TrainingJob, train
from cnnexplorer.core.training.runfile import RunFileError, export_run, load_run_file, run_from_dict
from cnnexplorer.gui.common.mosaic_view import MosaicView
from cnnexplorer.gui.common.plots import configure_pyqtgraph
from cnnexplorer.gui.common.workers import TaskThread, run_task
from cnnexplorer.gui.training.setup import TrainingSetup

log = logging.getLogger(__name__)

REFRESH_MS = 250  # progress, curves and snapshots redraw at most four times a second
# Readable from the back of a room, yet the default 1400×900 window stays as it is; spare height goes
# to the curves and the confusion matrix first (layout stretch).
PLOT_MIN_HEIGHT = 210  # px
CONFUSION_MIN_SIZE = 220  # px: a 10-class matrix keeps 22-px cells


class TrainingTab(QWidget):
    open_in_explorer = Signal(str)  # path of the trained model
    model_built = Signal(str, object)  # name, parameter counts; emitted on the training thread

    def __init__(self, frame_source: Callable[[], np.ndarray | None] = lambda: None, parent=None) -> None:
        super().__init__(parent)
        configure_pyqtgraph()
        self.setObjectName("TrainingTab")
        self.frame_source = frame_source
        self.augmenter = None
        self.setup = TrainingSetup()
        self.load_button = QPushButton("Load dataset")
        self.start_button = QPushButton("Start training")
        self.stop_button = QPushButton("Stop")
        self.open_button = QPushButton("Open in model explorer")
        self.open_run_button = QPushButton("Open run…", toolTip="Fill every setting from a run.json")
        self.export_run_button = QPushButton("Export run…",
                                             toolTip="Write these settings as run.json (with the webcam captures) "
                                                     "for `cnnexplorer train` on another machine")
        self.progress = QProgressBar()
        self.status = QLabel(objectName="TrainingStatus", wordWrap=True)
        self.summary = QLabel(objectName="TrainingSummary", wordWrap=True)

        plots = pg.GraphicsLayoutWidget()
        plots.setMinimumHeight(PLOT_MIN_HEIGHT)
        self.loss_plot = plots.addPlot(row=0, col=0, title="loss")
        self.loss_plot.addLegend()
        self.batch_curve = self.loss_plot.plot(pen=pg.mkPen("#9ecae1"), name="train (batches)")
        self.train_loss = self.loss_plot.plot(pen=pg.mkPen("#2166ac", width=2), symbol="o", symbolSize=5, name="train")
        self.val_loss = self.loss_plot.plot(pen=pg.mkPen("#d6604d", width=2), symbol="o", symbolSize=5, name="validation")
        self.loss_plot.setLabel("bottom", "epoch")
        self.loss_plot.setDownsampling(auto=True, mode="peak")  # long runs: thousands of batch points
        self.loss_plot.setClipToView(True)
        self.acc_plot = plots.addPlot(row=0, col=1, title="accuracy")
        self.acc_plot.addLegend()
        self.train_acc = self.acc_plot.plot(pen=pg.mkPen("#2166ac", width=2), symbol="o", symbolSize=5, name="train")
        self.val_acc = self.acc_plot.plot(pen=pg.mkPen("#d6604d", width=2), symbol="o", symbolSize=5, name="validation")
        self.acc_plot.setYRange(0, 1)
        self.acc_plot.setLabel("bottom", "epoch")
        self.samples_view = MosaicView()
        self.result_view = MosaicView()
        self.confusion_view = MosaicView(colour_map=pg.colormap.get("CET-L12"))
        self.confusion_view.setMinimumSize(CONFUSION_MIN_SIZE, CONFUSION_MIN_SIZE)
        self.confusion_texts: list[pg.TextItem] = []
        pictures = QHBoxLayout()
        for view in (self.samples_view, self.result_view, self.confusion_view):
            pictures.addWidget(view)
        self.samples_title = QLabel("Dataset samples")
        self.result_title = QLabel("")

        self.filters_view = MosaicView()
        self.probe_view = MosaicView(colour_map=pg.colormap.get("viridis"))
        snapshots = QHBoxLayout()
        snapshots.addWidget(self.filters_view)
        snapshots.addWidget(self.probe_view)
        self.epoch_slider = QSlider(Qt.Orientation.Horizontal, minimum=1, maximum=1, enabled=False)
        self.epoch_label = QLabel("first-layer filters and a validation image's activations, per epoch")

        buttons = QGridLayout()  # two rows: the results keep their width on a 1280×720 screen
        for i, widget in enumerate((self.load_button, self.start_button, self.stop_button, self.open_button,
                                    self.open_run_button, self.export_run_button)):
            buttons.addWidget(widget, i // 3, i % 3)
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
        right_layout.addLayout(pictures, 2)
        titles = QHBoxLayout()
        titles.addWidget(self.samples_title)
        titles.addWidget(self.result_title)
        right_layout.addLayout(titles)
        right_layout.addWidget(self.epoch_label)
        right_layout.addLayout(snapshots, 1)
        right_layout.addWidget(self.epoch_slider)
        results = QScrollArea(widgetResizable=True)  # curves and matrices keep readable heights: scroll down on a small screen
        results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        results.setWidget(right)
        split = QSplitter()
        split.addWidget(side)
        split.addWidget(results)
        split.setSizes([400, 1000])
        layout = QHBoxLayout(self)
        layout.addWidget(split)

        self.dataset: Dataset | None = None
        self.dataset_spec: DatasetSpec | None = None  # what the loaded dataset was loaded from
        self.opened_run: Path | None = None  # a finished run folder opened with Open run…
        self._loading_spec: DatasetSpec | None = None
        self.result: TrainResult | None = None
        self.snapshots: list[TrainEvent] = []  # epoch events with filters, for the replay slider
        self.batch_x: list[float] = []  # epochs done (fractional) at each batch
        self.batch_losses: list[float] = []
        self.epochs: list[TrainEvent] = []
        self._last_batch: TrainEvent | None = None
        self._planned_epochs = 1
        self._stopping = False
        self._loader: TaskThread | None = None
        self._fit: TaskThread | None = None
        self._events = EventBuffer()
        self._refresh = QTimer(self, interval=REFRESH_MS)
        self._refresh.timeout.connect(self._take_progress)

        self.load_button.clicked.connect(self.load_dataset)
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.open_button.clicked.connect(lambda: self.open_in_explorer.emit(str(self.trained_model_path())))
        self.open_run_button.clicked.connect(lambda: self.open_run())
        self.export_run_button.clicked.connect(lambda: self.export_run())
        self.epoch_slider.valueChanged.connect(self._show_snapshot)
        self.setup.capture_requested.connect(self._capture)
        self.model_built.connect(self._on_built)
        self._set_running(False)

    def set_augmenter(self, augmenter) -> None:
        """Train with ``augmenter`` (from the augmentation lab): its layer runs on every batch."""
        self.augmenter = augmenter
        self.setup.augment.setEnabled(True)
        self.setup.augment.setChecked(True)
        steps = ", ".join(f"{s.op}" for s in augmenter.steps if s.enabled) or "no steps"
        self.setup.augment.setText(f"augment training batches: {augmenter.name} ({steps})")

    # -- dataset ---------------------------------------------------------------------------------
    def load_dataset(self) -> None:
        """Load what the settings say now; later edits do not reach the load under way."""
        if self._loader is not None:
            return
        spec = self._loading_spec = self.setup.dataset_spec()
        self.status.setText("loading the dataset…")
        self._loader = run_task(functools.partial(load_dataset, spec), "DatasetLoader", self, self._on_dataset,
                                self._on_dataset_failed)
        self._set_running(self.running)

    def _loaded(self) -> None:
        """The load has answered (its thread is ending by itself): Load and Start work again."""
        self._loader = None
        self._set_running(self.running)

    def _on_dataset_failed(self, exc: Exception) -> None:
        self.status.setText(f"Dataset: {exc}")
        self._loaded()

    def _on_dataset(self, dataset: Dataset) -> None:
        self.dataset, self.dataset_spec = dataset, self._loading_spec
        self._loaded()
        counts = ", ".join(f"{k} {v}" for k, v in dataset.counts().items())
        skipped = f" · {dataset.skipped} unreadable files skipped" if dataset.skipped else ""
        self.status.setText(f"{dataset.name}: {len(dataset.x_train)} training and {len(dataset.x_val)} validation "
                            f"images of {dataset.image_shape[1]}×{dataset.image_shape[0]} ({counts}){skipped}")
        preview = dataset.preview(per_class=6)
        self.samples_view.show_tiles(np.stack([image for _, image in preview]) / np.float32(255), cols=6)
        self.samples_title.setText("Dataset samples: one row per class — " + ", ".join(dataset.class_names))

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
        return self._fit is not None and self._fit.isRunning()

    def start(self) -> None:
        if self._fit is not None or self._loader is not None or self.dataset is None:
            return
        wanted = self.setup.dataset_spec()
        if wanted != self.dataset_spec:  # e.g. Transfer raised the size to 96 after a load at 32
            self.setup.error.setText(f"The dataset settings changed since the dataset was loaded ({_describe(wanted)} "
                                     f"now, {_describe(self.dataset_spec)} loaded): press Load dataset again.")
            return
        # A copy: the augmentation lab may edit its pipeline while this fit runs.
        use_augmenter = self.augmenter is not None and self.setup.augment.isChecked()
        augmenter = copy.deepcopy(self.augmenter) if use_augmenter else None
        try:
            build = self.setup.model_factory(self.dataset.image_shape, len(self.dataset.class_names))
            run = self.setup.run_file(augmenter.to_dict() if augmenter else None)
        except ValueError as exc:
            self.setup.error.setText(str(exc))
            return
        self.setup.error.clear()
        config = self.setup.config()
        job = TrainingJob(build, self.dataset, config, augmenter.as_layer if augmenter else None, run.to_dict())
        events = self._events = EventBuffer()  # a fresh one: nothing of an earlier run mixes in
        self._clear_results()
        self._planned_epochs = config.epochs
        for plot in (self.loss_plot, self.acc_plot):  # a fixed epoch axis: the curves grow, the axes stay
            plot.setXRange(0, config.epochs, padding=0.02)
        stop, on_built = threading.Event(), self.model_built.emit  # the window's stop sets it too
        self._fit = run_task(lambda: train(job, events, stop, on_built), "TrainingWorker", self, self._on_finished,
                             self._on_failed, self._on_fit_finished, cancel=stop)
        self.status.setText("building the model…")
        self._set_running(True)
        self._refresh.start()

    def _clear_results(self) -> None:
        """The previous run's curves, pictures and numbers go: nothing on screen predates this run."""
        self.batch_x, self.batch_losses, self.epochs, self.snapshots = [], [], [], []
        self._last_batch, self.result, self._stopping, self.opened_run = None, None, False, None
        for view in (self.result_view, self.confusion_view, self.filters_view, self.probe_view):
            view.image.setVisible(False)  # not MosaicView.clear(): a cleared ImageItem stays blank after
        for text in self.confusion_texts:
            self.confusion_view.box.removeItem(text)
        self.confusion_texts = []
        for curve in (self.batch_curve, self.train_loss, self.val_loss, self.train_acc, self.val_acc):
            curve.setData([], [])
        self.result_title.clear()
        self.summary.clear()
        self.progress.reset()
        with QSignalBlocker(self.epoch_slider):
            self.epoch_slider.setMaximum(1)
            self.epoch_slider.setEnabled(False)

    # -- run files -------------------------------------------------------------------------------
    def open_run(self, path: str | None = None) -> bool:
        """Fill every setting (and the augmentation) from a run file; False with a message if it
        cannot be used."""
        path = path or QFileDialog.getOpenFileName(self, "Open run", "", "Run files (*.json)")[0]
        if not path or self.running:
            return False
        try:
            run = load_run_file(path)
            augmenter = Augmenter.from_dict(run.augmentation) if run.augmentation else None
        except (RunFileError, ValueError) as exc:
            self.status.setText(f"Run file: {exc}")
            return False
        self.setup.apply_run_file(run)
        if augmenter is not None:
            self.set_augmenter(augmenter)
        else:
            self.setup.augment.setChecked(False)
        shown = self.setup.run_file(augmenter.to_dict() if augmenter else None).to_dict()
        clamped = [f"{section}.{key}" for section in ("dataset", "model", "fit") for key, value in
                   run.to_dict()[section].items() if shown[section][key] != value]
        note = f" — outside what the tab offers, so changed: {', '.join(clamped)}" if clamped else ""
        self.status.setText(f"Opened {path}: press Load dataset, then Start training{note}")
        self._show_finished_run(Path(path).parent)
        return True

    def _show_finished_run(self, folder: Path) -> None:
        """A run file inside a finished run folder (the app's or ``cnnexplorer train``'s): show its
        curves and confusion matrix, and let its model open in the explorer."""
        self._clear_results()
        try:
            history = read_json(folder / "history.json")
            confusion = np.asarray(read_json(folder / "confusion.json")["counts"], int)
        except (ValueError, KeyError, TypeError):
            self._set_running(self.running)
            return  # not a run folder (or not a finished one): the settings alone
        epochs = len(history.get("loss", []))
        for plot in (self.loss_plot, self.acc_plot):
            plot.setXRange(0, max(epochs, 1), padding=0.02)
        x = list(range(1, epochs + 1))
        for curve, key in ((self.train_loss, "loss"), (self.val_loss, "val_loss"), (self.train_acc, "accuracy"),
                           (self.val_acc, "val_accuracy")):
            values = history.get(key, [])
            curve.setData(x[: len(values)], values)
        if confusion.ndim == 2 and confusion.size:
            self._draw_confusion(confusion)
            self.result_title.setText("confusion matrix of the opened run: rows = true class, columns = predicted")
        if (folder / "best.keras").exists():
            self.opened_run = folder
        self._set_running(self.running)

    def trained_model_path(self) -> Path | None:
        """The model **Open in model explorer** opens: the last fit's, or the opened run's best."""
        if self.result is not None:
            return self.result.last_path
        return self.opened_run / "best.keras" if self.opened_run is not None else None

    def export_run(self, folder: str | None = None) -> Path | None:
        """Write the settings as ``run.json`` in ``folder`` with the captures they need."""
        folder = folder or QFileDialog.getExistingDirectory(self, "Export run to folder")
        if not folder:
            return None
        use_augmenter = self.augmenter is not None and self.setup.augment.isChecked()
        try:
            path = export_run(self.setup.run_file(self.augmenter.to_dict() if use_augmenter else None), folder)
        except (RunFileError, ValueError, OSError) as exc:
            self.status.setText(f"Export run: {exc}")
            return None
        self.status.setText(f"Exported {path}: train it with `cnnexplorer train {path}`")
        return path

    def stop(self) -> None:
        """Ask the fit to end after the current batch; returns at once (the result arrives later)."""
        if self.running:
            self._fit.request_stop()
            self._stopping = True
            self.status.setText("stopping after this batch…")

    def _on_fit_finished(self) -> None:
        self._fit = None
        self._set_running(False)

    def _set_running(self, running: bool) -> None:
        loading = self._loader is not None
        self.start_button.setEnabled(not running and not loading and self.dataset is not None)
        self.load_button.setEnabled(not running and not loading)
        self.stop_button.setEnabled(running)
        self.open_button.setEnabled(not running and self.trained_model_path() is not None)
        self.open_run_button.setEnabled(not running)
        self.setup.setEnabled(not running)
        self.setup.augment.setEnabled(self.augmenter is not None)
        if not running:
            self._refresh.stop()
            self._take_progress()

    def _on_built(self, name: str, counts: dict) -> None:
        self.summary.setText(f"{name}: {counts['total']:,} parameters — {counts['trainable']:,} trainable, "
                             f"{counts['frozen']:,} frozen")

    # -- progress, a few times a second ----------------------------------------------------------
    def _take_progress(self) -> None:
        """Draw what the fit reported since the last look; nothing new, nothing drawn."""
        batches, epochs = [], []
        for event in self._events.take():
            (batches if event.kind == TrainEventKind.BATCH else epochs).append(event)
        if batches:
            self._last_batch = batches[-1]
            self.batch_x.extend(e.progress for e in batches)
            self.batch_losses.extend(float(e.logs.get("loss", np.nan)) for e in batches)
            self._draw_batches()
        if epochs:
            self.epochs.extend(epochs)
            self._draw_epochs()
            fresh = [e for e in epochs if e.filters is not None]
            if fresh:
                self.snapshots.extend(fresh)
                with QSignalBlocker(self.epoch_slider):
                    self.epoch_slider.setEnabled(True)
                    self.epoch_slider.setMaximum(len(self.snapshots))
                    self.epoch_slider.setValue(len(self.snapshots))
                self._show_snapshot(len(self.snapshots))

    def _draw_batches(self) -> None:
        event = self._last_batch
        epochs = self._planned_epochs
        self.progress.setMaximum(epochs * event.batches)
        self.progress.setValue(event.epoch * event.batches + event.batch)
        self.progress.setFormat(f"epoch {min(event.epoch + 1, epochs)}/{epochs}, batch {event.batch}/{event.batches}")
        if self.running and not self._stopping:
            self.status.setText(f"{event.samples_per_s:,.0f} samples/s · ETA {event.eta_s:,.0f} s · "
                                f"loss {event.logs.get('loss', float('nan')):.4f}")
        self.batch_curve.setData(np.asarray(self.batch_x), np.asarray(self.batch_losses))

    def _draw_epochs(self) -> None:
        x = [e.epoch for e in self.epochs]
        for curve, key in ((self.train_loss, "loss"), (self.val_loss, "val_loss"), (self.train_acc, "accuracy"),
                           (self.val_acc, "val_accuracy")):
            curve.setData(x, [e.logs.get(key, np.nan) for e in self.epochs])

    def _show_snapshot(self, index: int) -> None:
        if not 1 <= index <= len(self.snapshots):
            return
        event = self.snapshots[index - 1]
        _shown(self.filters_view).show_tiles(kernel_tiles(event.filters), gap=1)
        if event.probe is not None:
            _shown(self.probe_view).show_maps(event.probe)
        self.epoch_label.setText(f"after epoch {event.epoch}: first-layer filters (left) and the first validation "
                                 "image's activations in that layer (right)")

    # -- the end of a fit ------------------------------------------------------------------------
    def _on_finished(self, result: TrainResult) -> None:
        self._take_progress()  # every event was put before the result was sent
        self.result = result
        self._set_running(False)  # the thread's own "finished" may arrive later
        verb = "stopped" if result.stopped else "finished"
        self.status.setText(f"Training {verb}: validation accuracy {result.val_accuracy:.1%} · "
                            f"{result.samples_per_s:,.0f} samples/s · saved in {result.run_dir}")
        wrong = result.misclassified[:24]
        if len(wrong):
            _shown(self.result_view).show_tiles(self.dataset.x_val[wrong] / np.float32(255), cols=6)
        self.result_title.setText(f"{len(result.misclassified)} misclassified validation images (first 24) · "
                                  "confusion matrix: rows = true class, columns = predicted")
        self._draw_confusion(result.confusion)

    def _draw_confusion(self, confusion: np.ndarray) -> None:
        rows = confusion / np.maximum(confusion.sum(axis=1, keepdims=True), 1)
        _shown(self.confusion_view).show_image(rows.astype(np.float32), (0, 1))
        for text in self.confusion_texts:
            self.confusion_view.box.removeItem(text)
        self.confusion_texts = []
        # Each count fits inside its cell: the font shrinks as classes grow, never below legible.
        cell = CONFUSION_MIN_SIZE / max(len(confusion), 1)
        font = QFont()
        font.setPixelSize(int(np.clip(cell / 3, 8, 16)))
        for (r, c), count in np.ndenumerate(confusion):
            text = pg.TextItem(str(count), color="w" if rows[r, c] > 0.5 else "k", anchor=(0.5, 0.5))
            text.setFont(font)
            text.setPos(c + 0.5, r + 0.5)
            self.confusion_view.box.addItem(text)
            self.confusion_texts.append(text)

    def _on_failed(self, exc: Exception) -> None:
        if isinstance(exc, TrainingError):
            self.status.setText(str(exc))
        else:  # a bug, not a user's setting: keep the traceback
            log.error("training failed", exc_info=exc)
            self.status.setText(f"{type(exc).__name__}: {exc}")
        self._set_running(False)

    def scene_state(self) -> dict:
        """This tab in a lecture scene: its dataset, model and fit settings, as a run file (readable,
        checked when read back); the augmentation pipeline is the augmentation lab's scene."""
        try:
            return {"run": self.setup.run_file(None).to_dict()}
        except ValueError as exc:  # a setting the run file refuses (e.g. a bad filter list): said when applied
            return {"invalid": str(exc)}

    def apply_scene(self, state: dict) -> list[str]:
        if "invalid" in state:
            return [f"training settings: {state['invalid']}"]
        if self.running:
            return ["training settings: a training run is going on; its settings stay"]
        try:
            run = run_from_dict({**state.get("run", {}), "augmentation": None})
        except RunFileError as exc:
            return [f"training settings: {exc}"]
        self.setup.apply_run_file(run)
        return []


def _shown(view: MosaicView) -> MosaicView:
    view.image.setVisible(True)
    return view


def _describe(spec: DatasetSpec | None) -> str:
    if spec is None:
        return "nothing"
    size = f" at {spec.size}×{spec.size}" if spec.kind in ("shapes", "folder", "capture") else ""
    return f"{spec.kind}{size}"


def _training_dock(source) -> QDockWidget:
    dock = QDockWidget("Training", objectName="TrainingDock")
    dock.setWidget(TrainingTab(lambda: source.current.rgb if source.current else None))
    return dock


if __name__ == "__main__":
    from cnnexplorer.gui.common.standalone import run_dock

    sys.exit(run_dock(_training_dock))
