"""Threads of the model explorer: load a model, download weights, run the live forward pass."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QThread, Signal

from cnnexplorer.core.models import zoo
from cnnexplorer.core.models.taps import probe_many
from cnnexplorer.core.models.files import ModelLoadError, load_model_file
from cnnexplorer.core.models.preprocess import prepare
from cnnexplorer.core.frames.pump import Frame, LatestSlot

log = logging.getLogger(__name__)


class ModelLoader(QThread):
    """Loads a zoo model (by name) or a model file (by path) off the GUI thread."""

    loaded = Signal(object)  # ZooModel
    failed = Signal(str, bool)  # message, refused only by safe mode

    def __init__(self, name: str | None = None, path: str | None = None, safe_mode: bool = True) -> None:
        super().__init__()
        self.name, self.path, self.safe_mode = name, path, safe_mode
        self.setObjectName(f"ModelLoader[{name or path}]")

    def run(self) -> None:
        try:
            if self.name:
                result = zoo.load_model(self.name)
            else:
                opened = load_model_file(self.path, safe_mode=self.safe_mode)
                result = zoo.wrap(opened.model)
                result.image_input, result.reason = opened.image_input, opened.reason
                result.name = Path(self.path).name
        except ModelLoadError as exc:
            self.failed.emit(str(exc), exc.unsafe)
        except zoo.ZooError as exc:
            self.failed.emit(str(exc), False)
        except Exception as exc:  # a broken model must never take the app down
            log.exception("loading %s failed", self.name or self.path)
            self.failed.emit(f"{type(exc).__name__}: {exc}", False)
        else:
            self.loaded.emit(result)


class DownloadWorker(QThread):
    progress = Signal(int, int)
    done = Signal(str)
    failed = Signal(str)

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.cancel = threading.Event()
        self.setObjectName(f"Download[{name}]")

    def run(self) -> None:
        try:
            path = zoo.download_weights(self.name, progress=self.progress.emit, cancel=self.cancel)
        except zoo.ZooError as exc:
            self.failed.emit(str(exc))
        else:
            self.done.emit(str(path))


@dataclass
class Inference:
    frame_index: int
    top: list[tuple[str, float]]
    outputs: list[np.ndarray]  # one per tapped layer, batch dimension removed
    forward_ms: float


class InferenceWorker(QThread):
    """One forward pass per frame returning the predictions and the tapped layers only.

    Frames wait in a one-frame slot (latest wins); a new model or layer list is picked up before
    the next frame. Keras objects are built on this thread.
    """

    result = Signal(object)  # Inference
    failed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("InferenceWorker")
        self._slot = LatestSlot()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._model: zoo.ZooModel | None = None
        self._paths: list[str] = []
        self._dirty = False
        self._busy = False

    def idle(self) -> bool:
        """No frame waiting and none in the network."""
        return not self._busy and self._slot.empty()

    def configure(self, model: zoo.ZooModel | None, paths: list[str]) -> None:
        with self._lock:
            self._model, self._paths, self._dirty = model, list(paths), True
        self._wake.set()

    def submit(self, frame: Frame) -> None:
        self._slot.put(frame)
        self._wake.set()

    def request_stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def run(self) -> None:
        runner = None
        model = None
        while not self._stop.is_set():
            self._wake.wait(0.2)
            self._wake.clear()
            with self._lock:
                if self._dirty:
                    model, paths, self._dirty = self._model, self._paths, False
                    runner = None
                    if model is not None and model.image_input:
                        try:
                            runner = probe_many(model.model, paths)
                        except (KeyError, ValueError) as exc:
                            self.failed.emit(str(exc))
            self._busy = True
            try:
                self._infer(self._slot.take(), model, runner)
            finally:
                self._busy = False

    def _infer(self, frame: Frame | None, model, runner) -> None:
        if frame is None or runner is None:
            return
        try:
            start = time.perf_counter()
            batch = prepare(frame.rgb, model.input_size, model.preprocessing)
            predictions, outputs = runner(batch)
            forward_ms = (time.perf_counter() - start) * 1000.0
        except Exception as exc:  # e.g. out of memory: report, keep the app alive
            log.exception("forward pass failed")
            self.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        top = zoo.top_k(predictions[0], model.class_names, 5) if predictions.ndim == 2 else []
        self.result.emit(Inference(frame.index, top, [o[0] for o in outputs], forward_ms))
