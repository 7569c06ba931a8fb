"""One run file, trained start to finish on this thread: what ``cnnexplorer train`` does.

The run folder is the one the training tab writes (:func:`~.fit.run_training`), with the run file
itself as ``run.json``. Under several workers only the chief writes it; the others train into a
temporary folder that is removed afterwards, so nothing shared is written twice. An interrupted run
continues where it stopped with ``resume=True`` (see :mod:`.resume`).
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.training.datasets import Dataset, load_dataset
from cnnexplorer.core.training.distribute import Placement, is_multi_worker
from cnnexplorer.core.training.events import TrainEvent
from cnnexplorer.core.training.fit import TrainingError, TrainResult, run_training
from cnnexplorer.core.training.resume import ResumeError, interrupted_staging
from cnnexplorer.core.training.runfile import RunFile, RunFileError, load_run_file, model_builder


def augment_layer(run: RunFile):
    """The augmentation layer ``run`` asks for, or None."""
    if not run.augmentation:
        return None
    from cnnexplorer.core.augment.pipeline import Augmenter

    return Augmenter.from_dict(run.augmentation).as_layer()


def split_evenly(dataset: Dataset, batch_size: int, devices: int) -> Dataset:
    """Under JAX's DataParallel every batch, the last one too, is split evenly over ``devices``:
    the batch size must be a multiple, and at most ``devices - 1`` images of each set are left out."""
    if devices <= 1:
        return dataset
    if batch_size % devices:
        raise TrainingError(tr("batch size {batch_size} does not split over {devices} devices: use a multiple of "
                               "{devices}", batch_size=batch_size, devices=devices))
    train, val = len(dataset.x_train) // devices * devices, len(dataset.x_val) // devices * devices
    return replace(dataset, x_train=dataset.x_train[:train], y_train=dataset.y_train[:train],
                   x_val=dataset.x_val[:val], y_val=dataset.y_val[:val])


def interrupted_run(folder: Path) -> RunFile:
    """The run file of the interrupted run in ``folder`` (either name). Raises :class:`ResumeError`
    (nothing to resume, or busy) or ``RunFileError``."""
    return load_run_file(interrupted_staging(folder) / "run.json")


def train_run(run: RunFile, out_dir: Path | None = None,
              on_event: Callable[[TrainEvent], None] = lambda event: None, stop: threading.Event | None = None,
              placement: Placement | None = None, on_dataset: Callable[[Dataset], None] = lambda d: None,
              dataset: Dataset | None = None, resume: bool = False, snapshot_layer: str | None = None) -> TrainResult:
    """Load the dataset (unless given), build, fit and save ``run`` into ``out_dir`` (default: a new
    folder under the user data folder). ``resume``: ``out_dir`` is an interrupted run of ``run``;
    continue it. ``snapshot_layer``: see ``TrainConfig``. Raises ``DatasetError`` or ``TrainingError``."""
    placement = placement or Placement(None, True, "")
    if resume:
        _check_resumable(run, out_dir, placement)
    dataset = split_evenly(dataset or load_dataset(run.dataset), run.fit.batch_size, placement.data_parallel)
    on_dataset(dataset)
    build = model_builder(run.model, dataset.image_shape, len(dataset.class_names))
    scratch = None if placement.chief else Path(tempfile.mkdtemp(prefix="cnnexplorer-worker-"))
    try:
        return run_training(build, dataset, run.train_config(snapshot_layer), on_event, stop,
                            scratch / "run" if scratch else out_dir, strategy=placement.strategy,
                            augment=augment_layer(run), extra_json={"run.json": run.to_dict()}, resume=resume)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _check_resumable(run: RunFile, folder: Path | None, placement: Placement) -> None:
    """Raise ``TrainingError`` unless ``folder`` is an interrupted run of ``run`` that this process
    can go on with."""
    if folder is None:
        raise TrainingError(tr("say which run folder to resume"))
    if not placement.chief or is_multi_worker(placement.strategy):
        raise TrainingError(tr("a run of several workers cannot be resumed: start it again"))
    check_same_run(run, folder)


def check_same_run(run: RunFile, folder: Path | str) -> None:
    """Raise ``TrainingError`` unless ``folder`` is an interrupted run of exactly ``run`` (no
    TensorFlow: the command line says so before starting it)."""
    try:
        interrupted = interrupted_run(folder)
    except (ResumeError, RunFileError) as exc:
        raise TrainingError(str(exc)) from exc
    if interrupted != run:
        saved = interrupted.to_dict()
        changed = [section for section, value in run.to_dict().items() if saved[section] != value]
        raise TrainingError(tr("the run file differs from the interrupted run's run.json ({fields}): resume with "
                               "the same settings", fields=", ".join(changed)))
