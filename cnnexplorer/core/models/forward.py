"""One live forward pass: a frame in, the predictions and the tapped layers out (no Qt).

Used by the explorer and the Inception view through a latest-request worker thread: the tapping
model is built there, on that thread, so the GUI thread never waits for a build."""

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
    model: zoo.ZooModel | None = None  # what it was computed with: a panel drops answers to old questions
    paths: tuple[str, ...] = ()

    def answers(self, model: zoo.ZooModel | None, paths: tuple[str, ...]) -> bool:
        return self.model is model and self.paths == paths


class ForwardPass:
    """Handles :class:`ForwardRequest`; ``None`` lets go of the last model and its tapping model.

    A tapping model that fails to build is not rebuilt for every frame: the same request gets the
    same error until the model or the layers change."""

    def __init__(self) -> None:
        self._model: zoo.ZooModel | None = None
        self._paths: tuple[str, ...] = ()
        self._runner = None
        self._error: Exception | None = None

    def __call__(self, request: ForwardRequest | None) -> Inference | None:
        if request is None:
            self._model, self._paths, self._runner, self._error = None, (), None, None
            return None
        model = request.model
        if model is not self._model or request.paths != self._paths:
            self._model, self._paths, self._runner, self._error = model, request.paths, None, None
            try:
                self._runner = probe_many(model.model, list(request.paths))
            except Exception as exc:
                self._error = exc
        if self._error is not None:
            raise self._error
        start = time.perf_counter()
        batch = prepare(request.frame.rgb, model.input_size, model.preprocessing)
        predictions, outputs = self._runner(batch)
        forward_ms = (time.perf_counter() - start) * 1000.0
        top = zoo.top_k(predictions[0], model.class_names, 5) if predictions.ndim == 2 else []
        return Inference(request.frame.index, top, [o[0] for o in outputs], forward_ms, model, request.paths)
