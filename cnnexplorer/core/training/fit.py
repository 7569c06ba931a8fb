"""Fit a Keras model with live progress, stop on request, and keep what was learned.

Build, compile and fit all happen on the calling thread (Keras keeps per-thread state), so the GUI
runs :func:`run_training` in a worker thread. Only the Keras 3 API is used here.
"""

from __future__ import annotations

import csv
import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cnnexplorer.core.training.datasets import Dataset
from cnnexplorer.core.infra.paths import data_dir
from cnnexplorer.core.models.tf_devices import distribution_scope, is_out_of_memory

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
class TrainEvent:
    kind: str  # "batch" | "epoch"
    epoch: int
    batch: int
    batches: int
    logs: dict
    samples_per_s: float
    eta_s: float
    filters: np.ndarray | None = None  # first conv kernels after this epoch
    probe: np.ndarray | None = None  # the probe image's activation after this epoch


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


def first_conv(model):
    """The first Conv2D of ``model``, looking inside nested models too."""
    for layer in model.layers:
        if type(layer).__name__ == "Conv2D":
            return layer
        if hasattr(layer, "layers"):
            found = first_conv(layer)
            if found is not None:
                return found
    return None


def _relay_class():
    import keras

    class Relay(keras.callbacks.Callback):
        """Reports every batch and epoch and honours a stop request after the current batch."""

        def __init__(self, on_event, stop: threading.Event, samples: int, batch_size: int, epochs: int,
                     probe_model, probe_image) -> None:
            super().__init__()
            self.on_event, self.stop = on_event, stop
            self.batches = max(1, -(-samples // batch_size))
            self.batch_size, self.epochs = batch_size, epochs
            self.probe_model, self.probe_image = probe_model, probe_image
            self.snapshots: list[TrainEvent] = []
            self.samples_seen = 0
            self.epoch = 0

        def on_train_begin(self, logs=None) -> None:
            self.started = time.perf_counter()

        def on_epoch_begin(self, epoch, logs=None) -> None:
            self.epoch = epoch

        def _rate(self) -> tuple[float, float]:
            elapsed = max(time.perf_counter() - self.started, 1e-9)
            rate = self.samples_seen / elapsed
            left = (self.epochs * self.batches * self.batch_size - self.samples_seen) / max(rate, 1e-9)
            return rate, max(left, 0.0)

        def on_train_batch_end(self, batch, logs=None) -> None:
            self.samples_seen += self.batch_size
            rate, eta = self._rate()
            self.on_event(TrainEvent("batch", self.epoch, batch + 1, self.batches, dict(logs or {}), rate, eta))
            if self.stop.is_set():
                self.model.stop_training = True

        def on_epoch_end(self, epoch, logs=None) -> None:
            conv = first_conv(self.model)
            filters = np.asarray(conv.get_weights()[0]) if conv is not None else None
            probe = None
            if self.probe_model is not None and self.probe_image is not None:
                # A direct (eager) call: no predict-function tracing for one image.
                probe = np.asarray(self.probe_model(self.probe_image[None].astype("float32"), training=False))[0]
            rate, eta = self._rate()
            event = TrainEvent("epoch", epoch + 1, self.batches, self.batches, dict(logs or {}), rate, eta, filters,
                               probe)
            self.snapshots.append(event)
            self.on_event(event)

    return Relay


def _keeper_class():
    import keras

    class Keeper(keras.callbacks.Callback):
        """Keeps the best weights (lowest validation loss) in memory, and every ``every_s`` seconds
        saves the model so far: checkpoints cost no disk time per epoch, and a crash loses little."""

        def __init__(self, model, path: Path, every_s: float = 60.0) -> None:
            super().__init__()
            self.plain, self.path, self.every_s = model, path, every_s
            self.best_loss = np.inf
            self.best_weights = None
            self.saved_at = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None) -> None:
            loss = (logs or {}).get("val_loss", np.inf)
            if loss < self.best_loss:
                self.best_loss, self.best_weights = loss, self.plain.get_weights()
            if time.perf_counter() - self.saved_at > self.every_s:
                self.plain.save(self.path)
                self.saved_at = time.perf_counter()

    return Keeper


def run_training(build_model: Callable[[], object], dataset: Dataset, config: TrainConfig,
                 on_event: Callable[[TrainEvent], None] = lambda event: None, stop: threading.Event | None = None,
                 run_dir: Path | None = None, extra_callbacks: Sequence = (), strategy=None,
                 augment=None) -> TrainResult:
    """Build (via ``build_model``), compile and fit on ``dataset``; save best and last models and
    the history under ``run_dir`` (default: a new folder under the user data folder).

    ``augment``: a Keras layer (or model) applied to every training batch (inactive when
    validating and predicting). Raises :class:`TrainingError` (out of memory explained).
    """
    import keras

    if config.optimizer not in OPTIMIZERS:
        raise TrainingError(f"optimizer must be one of {OPTIMIZERS}, got {config.optimizer!r}")
    if config.batch_size < 1 or config.epochs < 1 or not config.learning_rate > 0:
        raise TrainingError("batch size and epochs must be ≥ 1 and the learning rate > 0")
    stop = stop or threading.Event()
    run_dir = Path(run_dir) if run_dir else data_dir() / "runs" / time.strftime("%Y%m%d-%H%M%S")
    run_dir.mkdir(parents=True, exist_ok=True)
    best_path, last_path = run_dir / "best.keras", run_dir / "last.keras"
    if config.seed is not None:
        keras.utils.set_random_seed(config.seed)
    x_train = dataset.x_train.astype("float32")
    x_val = dataset.x_val.astype("float32")
    try:
        with distribution_scope(strategy):
            model = build_model()
            trained = model
            if augment is not None:
                inputs = keras.Input(dataset.image_shape, name="image")
                trained = keras.Model(inputs, model(augment(inputs)), name=f"{model.name}_augmented")
            optimizer = {"adam": keras.optimizers.Adam, "sgd": keras.optimizers.SGD,
                         "rmsprop": keras.optimizers.RMSprop}[config.optimizer](config.learning_rate)
            trained.compile(optimizer, "sparse_categorical_crossentropy", metrics=["accuracy"])
        probe_model = None
        if config.snapshot_layer:
            probe_model = keras.Model(model.inputs, model.get_layer(config.snapshot_layer).output)
        relay = _relay_class()(on_event, stop, len(x_train), config.batch_size, config.epochs, probe_model,
                               dataset.x_val[0] if len(dataset.x_val) else None)
        keeper = _keeper_class()(model, last_path)
        callbacks = [relay, keeper, *extra_callbacks]
        if config.early_stopping:
            callbacks.append(keras.callbacks.EarlyStopping(patience=config.early_stopping, restore_best_weights=True))
        if config.tensorboard:
            callbacks.append(keras.callbacks.TensorBoard(str(run_dir / "tensorboard")))
        started = time.perf_counter()
        history = trained.fit(x_train, dataset.y_train, batch_size=config.batch_size, epochs=config.epochs,
                              validation_data=(x_val, dataset.y_val), callbacks=callbacks, verbose=0)
        elapsed = time.perf_counter() - started
    except Exception as exc:
        if is_out_of_memory(exc):
            raise TrainingError(f"out of memory with batch size {config.batch_size} — try batch size "
                                f"{max(1, config.batch_size // 2)}") from None
        if isinstance(exc, TrainingError):
            raise
        raise TrainingError(f"training failed: {type(exc).__name__}: {exc}") from exc
    model.save(last_path)  # the plain model: augmentation belongs to training only
    if keeper.best_weights is not None:
        last_weights = model.get_weights()
        model.set_weights(keeper.best_weights)
        model.save(best_path)
        model.set_weights(last_weights)
    else:
        model.save(best_path)
    hist = {k: [float(v) for v in values] for k, values in history.history.items()}
    _write_history(run_dir, hist)
    predicted = np.argmax(model.predict(x_val, batch_size=256, verbose=0), axis=1) if len(x_val) else np.array([])
    classes = len(dataset.class_names)
    confusion = np.zeros((classes, classes), int)
    np.add.at(confusion, (dataset.y_val, predicted), 1)
    samples = relay.samples_seen
    return TrainResult(run_dir, best_path, last_path, hist, stop.is_set(), confusion,
                       np.flatnonzero(predicted != dataset.y_val),
                       float(np.trace(confusion) / max(confusion.sum(), 1)), samples / max(elapsed, 1e-9),
                       relay.snapshots)


def _write_history(run_dir: Path, history: dict[str, list[float]]) -> None:
    (run_dir / "history.json").write_text(json.dumps(history, indent=1), encoding="utf-8")
    keys = list(history)
    with open(run_dir / "history.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["epoch", *keys])
        for epoch, values in enumerate(zip(*(history[k] for k in keys)), start=1):
            writer.writerow([epoch, *values])
