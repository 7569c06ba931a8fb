"""The Keras callbacks a training run adds to ``fit``: progress reports with a stop check, the best
weights kept in memory, and a resume point after every epoch. Keras is imported lazily, so the
classes are made on first use."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from cnnexplorer.core.infra.paths import atomic_write
from cnnexplorer.core.models.graph import first_conv
from cnnexplorer.core.training.events import TrainEvent, TrainEventKind
from cnnexplorer.core.training.resume import RESUME_FOLDER, ResumePoint, commit, write_best_weights


@functools.cache
def _progress_callback_class():
    import keras

    class ProgressCallback(keras.callbacks.Callback):
        """Reports every batch and epoch to ``on_event`` and honours a stop request after the current
        batch. Each epoch event carries the first conv layer's kernels and, with a probe model, the
        probe image's activations: the snapshots the tab replays. ``first_epoch``: epochs done before
        this fit (a resumed run), left out of the time still to go."""

        def __init__(self, on_event: Callable[[TrainEvent], None], stop: threading.Event, samples: int,
                     batch_size: int, epochs: int, probe_model=None, probe_image: np.ndarray | None = None,
                     first_epoch: int = 0) -> None:
            super().__init__()
            self.on_event, self.stop = on_event, stop
            self.samples, self.batch_size, self.epochs, self.first_epoch = samples, batch_size, epochs, first_epoch
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
            left = ((self.epochs - self.first_epoch) * self.samples - self.samples_seen) / max(rate, 1e-9)
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
        epoch, and a crash loses little. ``model`` is the plain model, not an augmenting wrapper;
        ``best_loss`` and ``best_weights``: the best of the epochs before this fit (a resumed run)."""

        def __init__(self, model, path: Path, every_s: float = 60.0, best_loss: float = np.inf,
                     best_weights: list | None = None) -> None:
            super().__init__()
            self.plain, self.path, self.every_s = model, path, every_s
            self.best_loss, self.best_weights = best_loss, best_weights
            self.saved_at = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None) -> None:
            loss = (logs or {}).get("val_loss", np.inf)
            if loss < self.best_loss:
                self.best_loss, self.best_weights = loss, self.plain.get_weights()
            if time.perf_counter() - self.saved_at > self.every_s:
                atomic_write(self.path, self.plain.save, keep_suffix=True)  # a kill while saving leaves the last one whole
                self.saved_at = time.perf_counter()

    return BestWeightsKeeper


@functools.cache
def _resume_point_writer_class():
    import keras

    class ResumePointWriter(keras.callbacks.Callback):
        """After every completed epoch, commits a resume point to ``staging`` (see
        :mod:`~cnnexplorer.core.training.resume`): the fitted model's weights and optimizer state,
        ``keeper``'s best weights when they improved, and the history. Put it after ``keeper``."""

        def __init__(self, staging: Path, keeper, epochs: int, previous: ResumePoint | None = None) -> None:
            super().__init__()
            self.staging, self.keeper, self.epochs = staging, keeper, epochs
            self.history = {k: list(v) for k, v in previous.history.items()} if previous else {}
            self.best_val_loss = previous.best_val_loss if previous else None
            self.best_weights = previous.best_weights if previous else None
            self.resumed_after = [*previous.resumed_after, previous.epochs_done] if previous else []
            (staging / RESUME_FOLDER).mkdir(exist_ok=True)

        def on_epoch_end(self, epoch, logs=None) -> None:
            if self.model.stop_training:  # a stop request cut this epoch short: not a completed one
                return
            folder, done = self.staging / RESUME_FOLDER, epoch + 1
            for key, value in (logs or {}).items():
                self.history.setdefault(key, []).append(float(value))
            weights = folder / f"epoch-{done}.weights.h5"
            atomic_write(weights, self.model.save_weights, keep_suffix=True)
            if self.keeper.best_weights is not None and self.keeper.best_loss != self.best_val_loss:
                self.best_val_loss, self.best_weights = float(self.keeper.best_loss), folder / f"best-{done}.npz"
                write_best_weights(self.best_weights, self.keeper.best_weights)
            commit(ResumePoint(self.staging, done, self.epochs, weights, self.history, self.best_val_loss,
                               self.best_weights, self.resumed_after))

    return ResumePointWriter


def progress_callback(on_event: Callable[[TrainEvent], None], stop: threading.Event, samples: int,
                      batch_size: int, epochs: int, probe_model=None, probe_image: np.ndarray | None = None,
                      first_epoch: int = 0):
    """A ``ProgressCallback`` (see :func:`_progress_callback_class`)."""
    return _progress_callback_class()(on_event, stop, samples, batch_size, epochs, probe_model, probe_image,
                                      first_epoch)


def best_weights_keeper(model, path: Path, every_s: float = 60.0, best_loss: float = np.inf,
                        best_weights: list | None = None):
    """A ``BestWeightsKeeper`` (see :func:`_best_weights_keeper_class`)."""
    return _best_weights_keeper_class()(model, path, every_s, best_loss, best_weights)


def resume_point_writer(staging: Path, keeper, epochs: int, previous: ResumePoint | None = None):
    """A ``ResumePointWriter`` (see :func:`_resume_point_writer_class`)."""
    return _resume_point_writer_class()(staging, keeper, epochs, previous)
