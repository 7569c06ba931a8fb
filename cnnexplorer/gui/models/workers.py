"""The model explorer's live forward pass: one frame in, the predictions and the tapped layers out."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from cnnexplorer.core.frames.frame import Frame
from cnnexplorer.core.models import zoo
from cnnexplorer.core.models.preprocess import prepare
from cnnexplorer.core.models.taps import probe_many


@dataclass(frozen=True)
class ForwardRequest:
    frame: Frame
    model: zoo.ZooModel
    paths: tuple[str, ...]  # the layers to tap


@dataclass
class Inference:
    frame_index: int
    top: list[tuple[str, float]]
    outputs: list[np.ndarray]  # one per tapped layer, batch dimension removed
    forward_ms: float


class ForwardPass:
    """Handles :class:`ForwardRequest` on a worker thread (see ``LatestRequestWorker``); ``None``
    lets go of the last model.

    The tapping model is built here, on the worker, when the model or the layers change; the GUI
    thread only hands over requests and never waits for a build."""

    def __init__(self) -> None:
        self._model: zoo.ZooModel | None = None
        self._paths: tuple[str, ...] = ()
        self._runner = None

    def __call__(self, request: ForwardRequest | None) -> Inference | None:
        if request is None:  # the panel has moved on: let go of the model and its tapping model
            self._model = self._runner = None
            return None
        model = request.model
        if model is not self._model or request.paths != self._paths:
            self._model = self._runner = None  # a failed build leaves nothing half set
            self._runner = probe_many(model.model, list(request.paths))
            self._model, self._paths = model, request.paths
        start = time.perf_counter()
        batch = prepare(request.frame.rgb, model.input_size, model.preprocessing)
        predictions, outputs = self._runner(batch)
        forward_ms = (time.perf_counter() - start) * 1000.0
        top = zoo.top_k(predictions[0], model.class_names, 5) if predictions.ndim == 2 else []
        return Inference(request.frame.index, top, [o[0] for o in outputs], forward_ms)
