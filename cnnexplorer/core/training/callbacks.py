"""The Keras callbacks a training run adds to ``fit``: progress reports with a stop check, and the
best weights kept in memory. Keras is imported lazily, so the classes are made on first use."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from cnnexplorer.core.models.graph import first_conv
from cnnexplorer.core.training.events import TrainEvent, TrainEventKind


@functools.cache
def _progress_callback_class():
    import keras

    class ProgressCallback(keras.callbacks.Callback):
        """Reports every batch and epoch to ``on_event`` and honours a stop request after the current
        batch. Each epoch event carries the first conv layer's kernels and, with a probe model, the
        probe image's activations: the snapshots the tab replays."""

        def __init__(self, on_event: Callable[[TrainEvent], None], stop: threading.Event, samples: int,
                     batch_size: int, epochs: int, probe_model=None, probe_image: np.ndarray | None = None) -> None:
            super().__init__()
            self.on_event, self.stop = on_event, stop
            self.samples, self.batch_size, self.epochs = samples, batch_size, epochs
            self.batches = max(1, -(-samples // batch_size))
            self.probe_model, self.probe_image = probe_model, probe_image
            self.snapshots: list[TrainEvent] = []
            self.samples_seen = 0
            self.epoch = 0
            self.started = time.perf_counter()

        def on_train_begin(self, logs=None) -> None:
            self.started = time.perf_counter()

        def on_epoch_begin(self, epoch, logs=None) -> None:
            self.epoch = epoch

        def _rate(self) -> tuple[float, float]:
            elapsed = max(time.perf_counter() - self.started, 1e-9)
            rate = self.samples_seen / elapsed
            left = (self.epochs * self.samples - self.samples_seen) / max(rate, 1e-9)
            return rate, max(left, 0.0)

        def on_train_batch_end(self, batch, logs=None) -> None:
            # The last batch of an epoch may be short: count the samples it really had.
            self.samples_seen += min(self.batch_size, self.samples - batch * self.batch_size)
            rate, eta = self._rate()
            self.on_event(TrainEvent(TrainEventKind.BATCH, self.epoch, batch + 1, self.batches, dict(logs or {}),
                                     rate, eta))
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
            event = TrainEvent(TrainEventKind.EPOCH, epoch + 1, self.batches, self.batches, dict(logs or {}), rate,
                               eta, filters, probe)
            self.snapshots.append(event)
            self.on_event(event)

    return ProgressCallback


@functools.cache
def _best_weights_keeper_class():
    import keras

    class BestWeightsKeeper(keras.callbacks.Callback):
        """Keeps the best weights (lowest validation loss) of ``model`` in memory, and every
        ``every_s`` seconds saves the model so far to ``path``: checkpoints cost no disk time per
        epoch, and a crash loses little. ``model`` is the plain model, not an augmenting wrapper."""

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

    return BestWeightsKeeper


def progress_callback(on_event: Callable[[TrainEvent], None], stop: threading.Event, samples: int,
                      batch_size: int, epochs: int, probe_model=None, probe_image: np.ndarray | None = None):
    """A ``ProgressCallback`` (see :func:`_progress_callback_class`)."""
    return _progress_callback_class()(on_event, stop, samples, batch_size, epochs, probe_model, probe_image)


def best_weights_keeper(model, path: Path, every_s: float = 60.0):
    """A ``BestWeightsKeeper`` (see :func:`_best_weights_keeper_class`)."""
    return _best_weights_keeper_class()(model, path, every_s)
