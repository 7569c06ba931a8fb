"""One fit of the training tab, from plain values read on the GUI thread (runs on its worker thread).

Nothing here touches a widget. Progress goes into an :class:`EventBuffer` that the tab empties a
few times a second, so a fit of thousands of batches sends the GUI thread no per-batch work.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from cnnexplorer.core.training.builders import param_counts
from cnnexplorer.core.training.datasets import Dataset
from cnnexplorer.core.training.events import EventBuffer
from cnnexplorer.core.training.fit import TrainConfig, TrainResult, run_training


@dataclass(frozen=True)
class TrainingJob:
    """Everything one fit needs, fixed when Start is pressed."""

    build_model: Callable[[], object]
    dataset: Dataset
    config: TrainConfig
    augment_factory: Callable[[], object] | None = None  # makes the augmentation layer
    run_file: dict | None = None  # saved as run.json in the run folder


def train(job: TrainingJob, events: EventBuffer, stop: threading.Event,
          on_built: Callable[[str, dict], None]) -> TrainResult:
    """Run ``job`` on this thread. ``on_built(name, parameter counts)`` is called once the model
    exists (here, so it must be thread-safe: a Qt signal is); raises ``TrainingError``."""

    def build():
        model = job.build_model()  # on this thread: Keras keeps naming state per thread
        on_built(model.name, param_counts(model))
        return model

    augment = job.augment_factory() if job.augment_factory else None
    extra = {"run.json": job.run_file} if job.run_file else None
    return run_training(build, job.dataset, job.config, events.put, stop, augment=augment, extra_json=extra)
