"""The training tab: fit a Keras model on a worker thread while the class watches the curves,
the first-layer filters and a probe image's activations change, epoch by epoch.

Both of its threads (the dataset load and the fit) are :class:`TaskThread` children of this tab, so
the main window finds, stops and waits for them with the rest. Widgets are read on the GUI thread
when a button is pressed; the threads get plain values. The fit's progress is collected in an
:class:`EventBuffer` and drawn :data:`REFRESH_MS` apart, however fast the batches come.

A run that did not finish (the app was killed, the fit failed) stays in the data folder as an
interrupted run; **Resume** continues the newest one from its last completed epoch (runs on disk:
:mod:`cnnexplorer.gui.training.runs_on_disk`).
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
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cnnexplorer.core.augment.ops import op_name
from cnnexplorer.core.augment.pipeline import PRESETS, Augmenter
from cnnexplorer.core.i18n import tr
from cnnexplorer.core.training.datasets import Dataset, DatasetError, DatasetSpec, load_dataset
from cnnexplorer.core.training.events import EventBuffer, TrainEvent, TrainEventKind
from cnnexplorer.core.training.fit import TrainingError, TrainResult
from cnnexplorer.core.training.job import TrainingJob, train
from cnnexplorer.core.training.runfile import RunFile
from cnnexplorer.gui.common.plots import configure_pyqtgraph
from cnnexplorer.gui.common.settings_strip import SettingsStrip, beside_strip, settings_column
from cnnexplorer.gui.common.workers import TaskThread, run_task
from cnnexplorer.gui.training.results_view import PLOT_MIN_HEIGHT, TrainingResults
from cnnexplorer.gui.training.runs_on_disk import RunsOnDisk
from cnnexplorer.gui.training.scene import apply_training_scene, training_scene_state
from cnnexplorer.gui.training.setup import TrainingSetup, run_label

log = logging.getLogger(__name__)

REFRESH_MS = 250  # progress, curves and snapshots redraw at most four times a second
__all__ = ["PLOT_MIN_HEIGHT", "REFRESH_MS", "TrainingTab"]  # sizes kept importable here


class TrainingTab(RunsOnDisk, QWidget):
    open_in_explorer = Signal(str)  # path of the trained model
    model_built = Signal(str, object)  # name, parameter counts; emitted on the training thread

    def __init__(self, frame_source: Callable[[], np.ndarray | None] = lambda: None, parent=None) -> None:
        super().__init__(parent)
        configure_pyqtgraph()
        self.setObjectName("TrainingTab")
        self.frame_source = frame_source
        self.augmenter = None
        self.setup = TrainingSetup()
        self.load_button = QPushButton(tr("Load dataset"))
        self.start_button = QPushButton(tr("Start training"))
        self.stop_button = QPushButton(tr("Stop"))
        self.resume_button = QPushButton(tr("Resume"), toolTip=tr("Continue the interrupted run from its last "
                                                                  "completed epoch"))
        self.open_button = QPushButton(tr("Open in model explorer"))
        self.open_run_button = QPushButton(tr("Open run…"), toolTip=tr("Fill every setting from a run.json"))
        self.export_run_button = QPushButton(tr("Export run…"),
                                             toolTip=tr("Write these settings as run.json (with the webcam captures) "
                                                        "for `cnnexplorer train` on another machine"))
        self.progress = QProgressBar()
        self.status = QLabel(tr("Load a dataset, then start training."), objectName="TrainingStatus", wordWrap=True)
        self.summary = QLabel(objectName="TrainingSummary", wordWrap=True, visible=False)  # once a model is built

        self.results = TrainingResults()
        # The results' parts, reachable on the tab under the names they always had.
        r = self.results
        self.loss_plot, self.acc_plot = r.loss_plot, r.acc_plot
        self.batch_curve, self.train_loss, self.val_loss = r.batch_curve, r.train_loss, r.val_loss
        self.train_acc, self.val_acc = r.train_acc, r.val_acc
        self.samples_view, self.result_view, self.confusion_view = r.samples_view, r.result_view, r.confusion_view
        self.confusion_texts, self._draw_confusion = r.confusion_texts, r.draw_confusion
        self.samples_title, self.result_title = r.samples_title, r.result_title
        self.filters_view, self.probe_view = r.filters_view, r.probe_view
        self.epoch_slider, self.epoch_label = r.epoch_slider, r.epoch_label

        # What the lecturer sets before talking (dataset, model, fit, run files) in a strip; the
        # buttons that run the lesson, and its curves and pictures, take the rest.
        setup_column = settings_column(self.setup, (self.open_run_button, self.export_run_button), gap=0)
        self.strip = SettingsStrip(setup_column, tr("Training set-up"))
        actions = QHBoxLayout()
        for widget in (self.load_button, self.start_button, self.stop_button, self.resume_button, self.open_button):
            actions.addWidget(widget)
        stage = QVBoxLayout()
        stage.addLayout(actions)
        stage.addWidget(self.progress)
        stage.addWidget(self.status)
        stage.addWidget(self.summary)
        stage.addWidget(self.results, 1)
        beside_strip(self.strip, stage, self)

        self.dataset: Dataset | None = None
        self.dataset_spec: DatasetSpec | None = None  # what the loaded dataset was loaded from
        self.opened_run: Path | None = None  # a finished run folder opened with Open run…
        self._loading_spec: DatasetSpec | None = None
        self.interrupted: Path | None = None  # the interrupted run Resume continues (its .partial folder)
        self._resuming: tuple[Path, RunFile] | None = None  # a resume waiting for its dataset
        self.result: TrainResult | None = None
        self.shown_run: RunFile | None = None  # the settings of the curves on screen
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

        self.load_button.clicked.connect(lambda: self.load_dataset())
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.resume_button.clicked.connect(self.resume)
        self.open_button.clicked.connect(lambda: self.open_in_explorer.emit(str(self.trained_model_path())))
        self.open_run_button.clicked.connect(lambda: self.open_run())
        self.export_run_button.clicked.connect(lambda: self.export_run())
        self.setup.capture_requested.connect(self._capture)
        self.model_built.connect(self._on_built)
        self._find_interrupted(announce=True)
        self._set_running(False)
        self.results.set_epoch_range(self.setup.epochs.value())  # whole epochs on the empty axes

    def set_augmenter(self, augmenter) -> None:
        """Train with ``augmenter`` (from the augmentation lab): its layer runs on every batch."""
        self.augmenter = augmenter
        self.setup.augment.setEnabled(True)
        self.setup.augment.setChecked(True)
        steps = ", ".join(op_name(s.op) for s in augmenter.steps if s.enabled) or tr("no steps")
        name = tr(augmenter.name) if augmenter.name in PRESETS else augmenter.name  # a user's name stays as typed
        self.setup.augment.setText(tr("augment training batches: {pipeline} ({steps})", pipeline=name, steps=steps))

    # -- dataset ---------------------------------------------------------------------------------
    def load_dataset(self, spec: DatasetSpec | None = None) -> None:
        """Load ``spec`` or what the settings say now; later edits do not reach the load under way."""
        if self._loader is not None:
            return
        spec = self._loading_spec = spec or self.setup.dataset_spec()
        self.status.setText(tr("loading the dataset…"))
        self._loader = run_task(functools.partial(load_dataset, spec), "DatasetLoader", self, self._on_dataset,
                                self._on_dataset_failed)
        self._set_running(self.running)

    def _loaded(self) -> None:
        """The load has answered (its thread is ending by itself): Load and Start work again."""
        self._loader = None
        self._set_running(self.running)

    def _on_dataset_failed(self, exc: Exception) -> None:
        self.status.setText(tr("Dataset: {error}", error=exc))
        self._resuming = None
        self._loaded()

    def _on_dataset(self, dataset: Dataset) -> None:
        self.dataset, self.dataset_spec = dataset, self._loading_spec
        self._loaded()
        counts = ", ".join(f"{k} {v}" for k, v in dataset.counts().items())
        fields = dict(name=dataset.name, train=len(dataset.x_train), val=len(dataset.x_val),
                      width=dataset.image_shape[1], height=dataset.image_shape[0], counts=counts)
        if dataset.skipped:
            self.status.setText(tr("{name}: {train} training and {val} validation images of {width}×{height} "
                                   "({counts}) · {skipped} unreadable files skipped", skipped=dataset.skipped,
                                   **fields))
        else:
            self.status.setText(tr("{name}: {train} training and {val} validation images of {width}×{height} "
                                   "({counts})", **fields))
        self.results.show_samples(dataset)
        if self._resuming is not None:
            self._start_resumed()

    def _capture(self, class_name: str) -> None:
        frame = self.frame_source()
        if frame is None:
            self.status.setText(tr("No frame to capture: open a camera or an image in the Source panel."))
            return
        try:
            path = self.setup.captures.add(class_name, frame)
        except DatasetError as exc:
            self.setup.error.setText(str(exc))
            return
        self.setup.error.clear()
        self.setup.show_capture_counts()
        self.status.setText(tr("saved {path}", path=path))

    # -- training --------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._fit is not None and self._fit.isRunning()

    def start(self) -> None:
        if self._fit is not None or self._loader is not None or self.dataset is None:
            return
        wanted = self.setup.dataset_spec()
        if wanted != self.dataset_spec:  # e.g. Transfer raised the size to 96 after a load at 32
            loaded = self.dataset_spec.describe() if self.dataset_spec else tr("nothing")
            self.setup.error.setText(tr("The dataset settings changed since the dataset was loaded ({wanted} now, "
                                        "{loaded} loaded): press Load dataset again.", wanted=wanted.describe(),
                                        loaded=loaded))
            return
        # A copy: the augmentation lab may edit its pipeline while this fit runs.
        augmenter = copy.deepcopy(self.used_augmenter())
        try:
            build = self.setup.model_factory(self.dataset.image_shape, len(self.dataset.class_names))
            run = self.setup.run_file(augmenter.to_dict() if augmenter else None)
        except ValueError as exc:
            self.setup.error.setText(str(exc))
            return
        self.setup.error.clear()
        config = self.setup.config()
        job = TrainingJob(build, self.dataset, config, augmenter.as_layer if augmenter else None, run.to_dict())
        self._launch(lambda events, stop: train(job, events, stop, self.model_built.emit), run, config.epochs)

    def _launch(self, fit: Callable[[EventBuffer, threading.Event], TrainResult], run: RunFile, epochs: int) -> None:
        """Run ``fit(events, stop)`` on the training thread with a fresh screen for ``run``."""
        events = self._events = EventBuffer()  # a fresh one: nothing of an earlier run mixes in
        if self.shown_run is not None:
            self.results.keep_as_previous(run_label(self.shown_run))
        self.shown_run = run
        self._clear_results()
        self._planned_epochs = epochs
        self.results.set_epoch_range(epochs)
        stop = threading.Event()  # the window's stop sets it too
        self._fit = run_task(lambda: fit(events, stop), "TrainingWorker", self, self._on_finished, self._on_failed,
                             self._on_fit_finished, cancel=stop)
        self.status.setText(tr("building the model…"))
        self._set_running(True)
        self._refresh.start()

    def _clear_results(self) -> None:
        """The previous run's curves, pictures and numbers go: nothing on screen predates this run."""
        self.batch_x, self.batch_losses, self.epochs = [], [], []
        self._last_batch, self.result, self._stopping, self.opened_run = None, None, False, None
        self.results.clear()
        self.summary.clear()
        self.summary.hide()
        self.progress.reset()

    def stop(self) -> None:
        """Ask the fit to end after the current batch; returns at once (the result arrives later)."""
        if self.running:
            self._fit.request_stop()
            self._stopping = True
            self.status.setText(tr("stopping after this batch…"))

    def _on_fit_finished(self) -> None:
        self._fit = None
        self._set_running(False)

    def _set_running(self, running: bool) -> None:
        loading = self._loader is not None
        self.start_button.setEnabled(not running and not loading and self.dataset is not None)
        self.load_button.setEnabled(not running and not loading)
        self.stop_button.setEnabled(running)
        self.resume_button.setEnabled(not running and not loading and self.interrupted is not None)
        self.open_button.setEnabled(not running and self.trained_model_path() is not None)
        self.open_run_button.setEnabled(not running)
        self.setup.setEnabled(not running)
        self.setup.augment.setEnabled(self.augmenter is not None)
        if not running:
            self._refresh.stop()
            self._take_progress()

    def _on_built(self, name: str, counts: dict) -> None:
        self.summary.show()
        self.summary.setText(tr("{name}: {total} parameters — {trainable} trainable, {frozen} frozen", name=name,
                                total=format(counts["total"], ","), trainable=format(counts["trainable"], ","),
                                frozen=format(counts["frozen"], ",")))

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
            self.results.draw_epochs(self.epochs)
            fresh = [e for e in epochs if e.filters is not None]
            if fresh:
                self.results.add_snapshots(fresh)

    def _draw_batches(self) -> None:
        event = self._last_batch
        epochs = self._planned_epochs
        self.progress.setMaximum(epochs * event.batches)
        self.progress.setValue(event.epoch * event.batches + event.batch)
        self.progress.setFormat(tr("epoch {epoch}/{epochs}, batch {batch}/{batches}",
                                   epoch=min(event.epoch + 1, epochs), epochs=epochs, batch=event.batch,
                                   batches=event.batches))
        if self.running and not self._stopping:
            self.status.setText(tr("{rate} samples/s · ETA {eta} s · loss {loss}",
                                   rate=format(event.samples_per_s, ",.0f"), eta=format(event.eta_s, ",.0f"),
                                   loss=format(event.logs.get("loss", float("nan")), ".4f")))
        self.results.draw_batches(self.batch_x, self.batch_losses)

    # -- the end of a fit ------------------------------------------------------------------------
    def _on_finished(self, result: TrainResult) -> None:
        self._take_progress()  # every event was put before the result was sent
        self.result = result
        self._find_interrupted()
        self._set_running(False)  # the thread's own "finished" may arrive later
        fields = dict(accuracy=format(result.val_accuracy, ".1%"), rate=format(result.samples_per_s, ",.0f"),
                      folder=result.run_dir)
        if result.stopped:
            self.status.setText(tr("Training stopped: validation accuracy {accuracy} · {rate} samples/s · "
                                   "saved in {folder}", **fields))
        else:
            self.status.setText(tr("Training finished: validation accuracy {accuracy} · {rate} samples/s · "
                                   "saved in {folder}", **fields))
        self.results.show_result(result, self.dataset.x_val)

    def _on_failed(self, exc: Exception) -> None:
        if isinstance(exc, TrainingError):
            self.status.setText(str(exc))
        else:  # a bug, not a user's setting: keep the traceback
            log.error("training failed", exc_info=exc)
            self.status.setText(f"{type(exc).__name__}: {exc}")
        self._find_interrupted()  # the failed run's folder stays: Resume may continue it
        self._set_running(False)

    def used_augmenter(self) -> Augmenter | None:
        """The pipeline the next fit applies: the lab's, while "augment training batches" is ticked."""
        return self.augmenter if self.augmenter is not None and self.setup.augment.isChecked() else None

    def scene_state(self) -> dict:
        return training_scene_state(self)

    def apply_scene(self, state: dict) -> list[str]:
        return apply_training_scene(self, state)


def _training_dock(source) -> QDockWidget:
    dock = QDockWidget(tr("Training"), objectName="TrainingDock")
    dock.setWidget(TrainingTab(lambda: source.current.rgb if source.current else None))
    return dock


if __name__ == "__main__":
    from cnnexplorer.gui.shell.standalone import run_dock

    sys.exit(run_dock(_training_dock))
