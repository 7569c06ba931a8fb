"""Run one Keras fit on a worker thread; progress reaches the GUI through queued signals."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QThread, Signal

from cnnexplorer.core.training.datasets import Dataset
from cnnexplorer.core.training.builders import param_counts
from cnnexplorer.core.training.fit import TrainConfig, TrainEvent, TrainingError, run_training

log = logging.getLogger(__name__)


class TrainingWorker(QThread):
    built = Signal(str, object)  # model name, parameter counts
    progress = Signal(object)  # TrainEvent
    succeeded = Signal(object)  # TrainResult
    failed = Signal(str)

    def __init__(self, build_model: Callable[[], object], dataset: Dataset, config: TrainConfig,
                 augment_factory: Callable[[], object] | None = None) -> None:
        super().__init__()
        self.setObjectName("TrainingWorker")
        self.build_model, self.dataset, self.config = build_model, dataset, config
        self.augment_factory = augment_factory
        self.stop_event = threading.Event()

    def request_stop(self) -> None:
        self.stop_event.set()

    def run(self) -> None:
        def build():
            model = self.build_model()  # on this thread: Keras keeps naming state per thread
            self.built.emit(model.name, param_counts(model))
            return model

        def relay(event: TrainEvent) -> None:
            self.progress.emit(event)

        try:
            augment = self.augment_factory() if self.augment_factory else None
            result = run_training(build, self.dataset, self.config, relay, self.stop_event, augment=augment)
        except TrainingError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # never let a fit take the app down
            log.exception("training failed")
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.succeeded.emit(result)
