"""Fit a Keras model with live progress, stop on request, and keep what was learned.

:func:`run_training` is the whole run; it composes the stages a caller may also use alone:
:func:`validate_config`, :func:`new_run_dir`, :func:`build_for_training` (seed, build, wrap the
augmentation, compile), :func:`fit_model` (callbacks and ``fit``) and :func:`save_results` (models,
history, class names, preprocessing, confusion matrix). The run folder is written under a temporary
name and renamed when complete (:func:`staged_run_dir`), so a folder with the final name is always a
finished run. Until then it holds a resume point after every epoch, and a run killed at any moment
continues from its last completed epoch (``run_training(..., resume=True)``, see :mod:`.resume`).
Build, compile and fit all happen on the calling thread (Keras keeps per-thread state), so the GUI
runs :func:`run_training` in a worker thread. Only the Keras 3 API is used here.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.infra.paths import atomic_write_bytes, data_dir
from cnnexplorer.core.infra.store import read_json, write_json
from cnnexplorer.core.models.tf_devices import distribution_scope, is_out_of_memory
from cnnexplorer.core.training.builders import PREPROCESSING, model_input
from cnnexplorer.core.training.callbacks import best_weights_keeper, progress_callback, resume_point_writer
from cnnexplorer.core.training.datasets import Dataset
from cnnexplorer.core.training.distribute import lost_workers
from cnnexplorer.core.training.events import TrainEvent, TrainEventKind
from cnnexplorer.core.training.resume import (
    ResumeError,
    ResumePoint,
    drop_resume_point,
    finish,
    interrupted_staging,
    is_busy,
    read_resume_point,
    restore,
    run_and_staging,
    training_lock,
)

__all__ = [  # TrainEvent and TrainEventKind live in events; they are imported from here too
    "OPTIMIZERS", "FitOutcome", "PreparedModel", "TrainConfig", "TrainEvent", "TrainEventKind", "TrainResult",
    "TrainingError", "build_for_training", "check_run_dir", "explained_failures", "fit_model", "new_run_dir",
    "run_training", "save_results", "staged_run_dir", "validate_config",
]

OPTIMIZERS = ("adam", "sgd", "rmsprop")


class TrainingError(RuntimeError):
    """Training could not run or finish; the message says what to do."""


@dataclass
class TrainConfig:
    optimizer: str = "adam"
    learning_rate: float = 1e-3
    batch_size: int = 32
    epochs: int = 5
    early_stopping: int = 0  # patience in epochs; 0 = off
    tensorboard: bool = False
    snapshot_layer: str | None = None  # layer whose probe activations are kept each epoch
    seed: int | None = None  # set: weights and shuffling repeat exactly


@dataclass
class TrainResult:
    run_dir: Path
    best_path: Path
    last_path: Path
    history: dict[str, list[float]]
    stopped: bool
    confusion: np.ndarray
    misclassified: np.ndarray  # validation indices
    val_accuracy: float
    samples_per_s: float
    snapshots: list[TrainEvent] = field(default_factory=list)
    fingerprint: str = ""  # of the last weights: equal on every worker of a multi-worker run


@dataclass
class PreparedModel:
    """A compiled model ready to fit."""

    model: object  # the plain model: what is saved and evaluated
    trained: object  # what ``fit`` runs: ``model``, or the augmentation followed by ``model``
    probe: object | None = None  # ``model``'s input → the snapshot layer's output


@dataclass
class FitOutcome:
    """What ``fit`` left behind, before anything is saved."""

    history: dict[str, list[float]]
    best_weights: list | None  # lowest validation loss; None if no epoch reported one
    samples_seen: int
    elapsed_s: float
    snapshots: list[TrainEvent]


def validate_config(config: TrainConfig) -> None:
    """Raise :class:`TrainingError` for settings ``fit`` would choke on."""
    if config.optimizer not in OPTIMIZERS:
        raise TrainingError(tr("optimizer must be one of {choices}, got {optimizer!r}", choices=", ".join(OPTIMIZERS),
                               optimizer=config.optimizer))
    if config.batch_size < 1 or config.epochs < 1 or not config.learning_rate > 0:
        raise TrainingError(tr("batch size and epochs must be ≥ 1 and the learning rate > 0"))


def new_run_dir(run_dir: Path | str | None = None) -> Path:
    """``run_dir``, or a new time-stamped folder under the user data folder's ``runs/``; created."""
    if run_dir:
        folder = Path(run_dir)
    else:  # two runs within a second get two folders
        stamp = data_dir() / "runs" / time.strftime("%Y%m%d-%H%M%S")
        folder, n = stamp, 1
        while folder.exists() or folder.with_name(folder.name + ".partial").exists():
            n += 1
            folder = stamp.with_name(f"{stamp.name}-{n}")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def check_run_dir(run_dir: Path) -> Path:
    """``run_dir``'s staging folder (``<name>.partial``), once sure a new run may be written there.
    Raises :class:`TrainingError` if ``run_dir`` already holds files or another process is training
    into it. Cheap (no TensorFlow): a command line says so before it starts TensorFlow."""
    run_dir = Path(run_dir)
    staging = run_dir.with_name(run_dir.name + ".partial")
    if run_dir.exists() and (not run_dir.is_dir() or any(run_dir.iterdir())):  # a file there is not a folder
        raise TrainingError(tr("{folder} already holds files: choose an empty or new folder", folder=run_dir))
    if is_busy(staging):
        raise TrainingError(tr("{folder} is being trained by another process", folder=staging))
    return staging


def staged_run_dir(run_dir: Path) -> Path:
    """Where a run destined for ``run_dir`` is written until it is complete: ``<name>.partial``
    beside it (emptied first). Raises :class:`TrainingError` as :func:`check_run_dir` does."""
    staging = check_run_dir(run_dir)
    if staging.is_dir():  # left by a run that failed or was aborted: starting again discards it
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    return staging


def _finish_run_dir(staging: Path, run_dir: Path) -> None:
    """The run is complete: give its folder the final name (an empty placeholder is replaced)."""
    if run_dir.is_dir():
        run_dir.rmdir()
    os.replace(staging, run_dir)


def build_for_training(build_model: Callable[[], object], dataset: Dataset, config: TrainConfig, strategy=None,
                       augment=None) -> PreparedModel:
    """Seed (if asked), build and compile inside the distribution scope.

    ``augment``: a Keras layer (or model) put in front of the model for training only, so it runs on
    every training batch but not when validating, predicting or saving. It sees 0…255 images, as in
    the augmentation lab; the model gets them scaled to 0…1 after it."""
    import keras

    from cnnexplorer.core.training.distribute import adapt_for_multi_worker

    if config.seed is not None:
        keras.utils.set_random_seed(config.seed)
    with distribution_scope(strategy):
        model = build_model()
        trained = model
        if augment is not None:
            inputs = keras.Input(dataset.image_shape, name="image")
            x = augment(keras.layers.Rescaling(255.0, name="to_0_255")(inputs))
            trained = keras.Model(inputs, model(keras.layers.Rescaling(1 / 255, name="to_0_1")(x)),
                                  name=f"{model.name}_augmented")
        optimizer = {"adam": keras.optimizers.Adam, "sgd": keras.optimizers.SGD,
                     "rmsprop": keras.optimizers.RMSprop}[config.optimizer](config.learning_rate)
        trained.compile(optimizer, "sparse_categorical_crossentropy", metrics=["accuracy"])
    adapt_for_multi_worker(trained, strategy, dataset.image_shape)
    probe = None
    if config.snapshot_layer:
        probe = keras.Model(model.input, model.get_layer(config.snapshot_layer).output)  # one tensor in, no warning
    return PreparedModel(model, trained, probe)


def fit_model(prepared: PreparedModel, dataset: Dataset, config: TrainConfig, run_dir: Path,
              on_event: Callable[[TrainEvent], None] = lambda event: None, stop: threading.Event | None = None,
              extra_callbacks: Sequence = (), resume_points: bool = False,
              resumed: ResumePoint | None = None) -> FitOutcome:
    """Fit ``prepared`` on ``dataset``, reporting every batch and epoch to ``on_event`` (on this
    thread) and stopping after the batch during which ``stop`` is set. The model so far is saved to
    ``run_dir/last.keras`` now and then (see ``BestWeightsKeeper``); with ``resume_points`` a resume
    point after every epoch. ``resumed``: the point ``prepared`` was restored from; the fit goes on
    after its epochs, and the history and best weights include them."""
    import keras

    stop = stop or threading.Event()
    done = resumed.epochs_done if resumed else 0
    x_train, x_val = model_input(dataset.x_train), model_input(dataset.x_val)
    progress = progress_callback(on_event, stop, len(x_train), config.batch_size, config.epochs, prepared.probe,
                                 x_val[0] if len(x_val) else None, done)
    keeper = best_weights_keeper(prepared.model, run_dir / "last.keras")
    if resumed is not None and resumed.best_val_loss is not None:
        keeper.best_loss, keeper.best_weights = resumed.best_val_loss, resumed.best()
    callbacks = [progress, keeper, *extra_callbacks]
    if resume_points:  # after the keeper: a point holds the best weights of its own epoch
        callbacks.insert(2, resume_point_writer(run_dir, keeper, config.epochs, resumed))
    if config.early_stopping:
        callbacks.append(keras.callbacks.EarlyStopping(patience=config.early_stopping, restore_best_weights=True))
    if config.tensorboard:
        callbacks.append(keras.callbacks.TensorBoard(str(run_dir / "tensorboard")))
    started = time.perf_counter()
    history = prepared.trained.fit(x_train, dataset.y_train, batch_size=config.batch_size, epochs=config.epochs,
                                   initial_epoch=done, validation_data=(x_val, dataset.y_val), callbacks=callbacks,
                                   verbose=0)
    elapsed = time.perf_counter() - started
    earlier = resumed.history if resumed else {}
    merged = {k: earlier.get(k, []) + [float(v) for v in values] for k, values in history.history.items()}
    return FitOutcome(merged or dict(earlier), keeper.best_weights, progress.samples_seen, elapsed,
                      progress.snapshots)


@contextlib.contextmanager
def explained_failures(batch_size: int) -> Iterator[None]:
    """Turn whatever building or fitting raises into a :class:`TrainingError` that says what to do
    (out of memory: the batch size to try)."""
    try:
        yield
    except TrainingError:
        raise
    except Exception as exc:
        if is_out_of_memory(exc):
            raise TrainingError(tr("out of memory with batch size {batch_size} — try batch size {smaller}",
                                   batch_size=batch_size, smaller=max(1, batch_size // 2))) from None
        lost = lost_workers(exc)
        if lost is not None:
            raise TrainingError(tr("worker {workers} of the cluster stopped answering, so this run cannot finish: "
                                   "start every worker again (the unfinished run folder ends in .partial)",
                                   workers=", ".join(map(str, lost)) or "?")) from exc
        raise TrainingError(tr("training failed: {kind}: {error}", kind=type(exc).__name__, error=exc)) from exc


def save_results(model, dataset: Dataset, outcome: FitOutcome, run_dir: Path, stopped: bool) -> TrainResult:
    """Save the last and best models, the history, ``class_names.json`` (a list of strings, in output
    order) and ``preprocessing.json`` (``{"mode": "unit"}``: what the saved models are fed) under
    ``run_dir``, then score the last model on the validation set: the confusion matrix (also saved,
    ``confusion.json``) and the misclassified images."""
    best_path, last_path = run_dir / "best.keras", run_dir / "last.keras"
    model.save(last_path)  # the plain model: augmentation belongs to training only
    if outcome.best_weights is not None:
        last_weights = model.get_weights()
        model.set_weights(outcome.best_weights)
        model.save(best_path)
        model.set_weights(last_weights)
    else:
        model.save(best_path)
    _write_history(run_dir, outcome.history)
    write_json(run_dir / "class_names.json", [str(name) for name in dataset.class_names])
    write_json(run_dir / "preprocessing.json", {"mode": PREPROCESSING})
    x_val = model_input(dataset.x_val)
    # Direct calls, not predict(): under several workers predict() would shard the images among them.
    scores = [np.asarray(model(x_val[i : i + 256], training=False)) for i in range(0, len(x_val), 256)]
    predicted = np.argmax(np.concatenate(scores), axis=1) if scores else np.array([], int)
    classes = len(dataset.class_names)
    confusion = np.zeros((classes, classes), int)
    np.add.at(confusion, (dataset.y_val, predicted), 1)
    write_json(run_dir / "confusion.json", {"rows": "true class", "columns": "predicted class",
                                            "class_names": list(dataset.class_names), "counts": confusion.tolist()})
    return TrainResult(run_dir, best_path, last_path, outcome.history, stopped, confusion,
                       np.flatnonzero(predicted != dataset.y_val), float(np.trace(confusion) / max(confusion.sum(), 1)),
                       outcome.samples_seen / max(outcome.elapsed_s, 1e-9), outcome.snapshots,
                       weights_fingerprint(model.get_weights()))


def weights_fingerprint(weights: Sequence[np.ndarray]) -> str:
    """A short hash of ``weights``' values: two processes that learned the same weights print the same."""
    digest = hashlib.sha256()
    for array in weights:
        digest.update(np.ascontiguousarray(array, np.float32).tobytes())
    return digest.hexdigest()[:16]


def run_training(build_model: Callable[[], object], dataset: Dataset, config: TrainConfig,
                 on_event: Callable[[TrainEvent], None] = lambda event: None, stop: threading.Event | None = None,
                 run_dir: Path | None = None, extra_callbacks: Sequence = (), strategy=None,
                 augment=None, extra_json: dict | None = None, resume: bool = False) -> TrainResult:
    """Build (via ``build_model``), compile and fit on ``dataset``; save best and last models and
    the history under ``run_dir`` (default: a new folder under the user data folder), plus each
    ``extra_json`` item as a JSON file named by its key (e.g. ``{"run.json": run_file_dict}``).
    The folder is written as ``<run_dir>.partial`` and renamed when complete; on a failure the
    ``.partial`` folder stays, with a resume point after every completed epoch (except under
    several workers).

    ``resume``: ``run_dir`` (either name) is such an interrupted run, trained with the same
    settings; the fit continues after its last completed epoch, into the same folder (``extra_json``
    is not written again). ``on_event`` hears every batch and epoch on this thread; ``stop`` ends the
    fit after the current batch. ``augment``: a Keras layer (or model) applied to every training
    batch (inactive when validating and predicting). Raises :class:`TrainingError` (out of memory
    explained; nothing to resume).
    """
    from cnnexplorer.core.training.distribute import is_multi_worker

    validate_config(config)
    stop = stop or threading.Event()
    try:
        staging = interrupted_staging(run_dir) if resume else staged_run_dir(new_run_dir(run_dir))
        with training_lock(staging):
            point = (read_resume_point(staging) or ResumePoint(staging, 0, config.epochs)) if resume else None
            if point is not None and point.epochs != config.epochs:
                raise TrainingError(tr("the interrupted run in {folder} trains {epochs} epochs, not {asked}",
                                       folder=staging, epochs=point.epochs, asked=config.epochs))
            if not resume:
                for name, data in (extra_json or {}).items():
                    write_json(staging / name, data)
            with explained_failures(config.batch_size):
                prepared = build_for_training(build_model, dataset, config, strategy, augment)
                if point is not None and point.epochs_done:
                    with distribution_scope(strategy):
                        restore(prepared.trained, point)
                outcome = fit_model(prepared, dataset, config, staging, on_event, stop, extra_callbacks,
                                    not is_multi_worker(strategy), point)
                result = save_results(prepared.model, dataset, outcome, staging, stop.is_set())
            finish(staging, point)
    except ResumeError as exc:
        raise TrainingError(str(exc)) from exc
    run_dir, _ = run_and_staging(staging)
    _finish_run_dir(staging, run_dir)
    drop_resume_point(run_dir)
    return replace(result, run_dir=run_dir, best_path=run_dir / result.best_path.name,
                   last_path=run_dir / result.last_path.name)


def read_results(run_dir: Path) -> tuple[dict[str, list[float]], np.ndarray] | None:
    """What :func:`save_results` wrote that a finished run shows: (history, confusion counts);
    None for a folder that is not a finished run."""
    try:
        return read_json(run_dir / "history.json"), np.asarray(read_json(run_dir / "confusion.json")["counts"], int)
    except (ValueError, KeyError, TypeError):
        return None


def _write_history(run_dir: Path, history: dict[str, list[float]]) -> None:
    write_json(run_dir / "history.json", history)
    keys = list(history)
    table = io.StringIO(newline="")
    writer = csv.writer(table)
    writer.writerow(["epoch", *keys])
    for epoch, values in enumerate(zip(*(history[k] for k in keys)), start=1):
        writer.writerow([epoch, *values])
    atomic_write_bytes(run_dir / "history.csv", table.getvalue().encode("utf-8"))
