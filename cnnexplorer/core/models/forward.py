"""One live forward pass: a frame in, the predictions and the tapped layers out (no Qt).

Used by the explorer and the Inception view through a latest-request worker thread: the tapping
model is built there, on that thread, so the GUI thread never waits for a build."""

from __future__ import annotations

import collections
import contextlib
import re
import time
from dataclasses import dataclass

import numpy as np

from cnnexplorer.core.display.channel_mosaic import ChannelMosaic, channel_mosaic
from cnnexplorer.core.frames.frame import Frame
from cnnexplorer.core.i18n import tr
from cnnexplorer.core.models import zoo
from cnnexplorer.core.models.model_input import softmax_head
from cnnexplorer.core.models.per_model import cached
from cnnexplorer.core.models.preprocess import MODE_TITLES, FeedOptions
from cnnexplorer.core.models.surgery import weights_lock
from cnnexplorer.core.models.taps import probe_many

# Tapping models (each with its traced graphs) kept per model: the layers clicked last. Each costs
# ~13 MB with MobileNetV2, ~25 MB with InceptionV3.
KEPT_PROBES = 4

_TERMINAL_CODES = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_KERAS_MAIN_LINE = re.compile(r"\x1b\[1m(.+?)\x1b\[0m", re.S)  # Keras prints the cause in bold


class FeedError(ValueError):
    """The model could not take the frame as converted; the message says what it expects, what it
    got and what to change — once, not a traceback per frame."""


def keras_cause(error: Exception) -> str:
    """The line of a Keras error that says what went wrong, without terminal colour codes."""
    text = str(error)
    bold = _KERAS_MAIN_LINE.search(text)
    lines = [line.strip() for line in _TERMINAL_CODES.sub("", bold.group(1) if bold else text).splitlines()]
    return next((line for line in lines if line and not line.startswith("Exception encountered")),
                type(error).__name__)


def explain(model: zoo.ZooModel, options: FeedOptions, batch_shape: tuple, frame_shape: tuple,
            error: Exception) -> FeedError:
    """``error`` from running ``model`` on a batch of ``batch_shape`` made from a frame with ``options``,
    in words."""
    said = keras_cause(error).rstrip(".")
    got = "×".join(map(str, batch_shape[1:]))
    h, w, _ = model.input_shape
    change = (tr("choose another feed size (the short side): the model's inner layers may need a particular size")
              if not (h and w) else tr("the model's layers do not accept its own declared input; re-save it from "
                                       "the code that trained it"))
    return FeedError(tr("The model expects {expected}; it got {got} (a {width}×{height} frame, {mode}). "
                        "Keras says: {said}. What to change: {change}.", expected=model.input_text(options),
                        got=got, width=frame_shape[1], height=frame_shape[0],
                        mode=tr(MODE_TITLES.get(options.mode, options.mode)), said=said, change=change))


@dataclass(frozen=True)
class ForwardRequest:
    frame: Frame
    model: zoo.ZooModel
    paths: tuple[str, ...]  # the layers to tap
    logits: bool = False  # also the logits, where the model ends in a softmax Dense layer
    mosaic: tuple[bool, bool] | None = None  # (per channel, sorted): also the first layer's channel mosaic


@dataclass
class Inference:
    frame_index: int
    top: list[tuple[str, float]]
    outputs: list[np.ndarray]  # one per tapped layer, batch dimension removed
    forward_ms: float
    model: zoo.ZooModel | None = None  # what it was computed with: a panel drops answers to old questions
    paths: tuple[str, ...] = ()
    scores: np.ndarray | None = None  # every class's score, when the output is (batch, classes)
    logits: np.ndarray | None = None  # before the softmax, when asked for and the model has one
    mosaics: list[ChannelMosaic] | None = None  # one per tapped layer, when asked for

    @property
    def mosaic(self) -> ChannelMosaic | None:
        """The first tapped layer's mosaic."""
        return self.mosaics[0] if self.mosaics else None

    def answers(self, model: zoo.ZooModel | None, paths: tuple[str, ...]) -> bool:
        return self.model is model and self.paths == paths


class ForwardPass:
    """Handles :class:`ForwardRequest`; ``None`` lets go of the last model (its tapping models stay
    with it, see below, and go when it does).

    Tapping models are kept with their model (the last :data:`KEPT_PROBES`), traced graphs and all:
    back on a layer tapped before, even from another panel, the first pass is a fast one.
    A tapping model that fails to build is not rebuilt for every frame: the same request gets the
    same error until the model or the layers change. A frame the model cannot take raises a
    :class:`FeedError` in words, and a batch of the same shape is not tried again.

    The GUI changes the model's feed options and class names while a pass runs: each pass reads
    them once, at its start, and uses only that snapshot. Surgery writes the weights under
    :func:`~cnnexplorer.core.models.surgery.weights_lock`, which the pass holds while it runs."""

    def __init__(self) -> None:
        self._model: zoo.ZooModel | None = None
        self._paths: tuple[str, ...] = ()
        self._head = None  # (feature path, softmax Dense) when logits are asked for
        self._runner = None
        self._error: Exception | None = None
        self._refused: dict[tuple, FeedError] = {}  # (batch shape, feed options) → why refused
        self._passes: collections.Counter[tuple] = collections.Counter()  # the runner's passes per batch shape

    def __call__(self, request: ForwardRequest | None) -> Inference | None:
        if request is None:
            self._model, self._paths, self._head, self._runner, self._error = None, (), None, None, None
            self._refused = {}
            return None
        model = request.model
        options, class_names = model.options, model.class_names  # the snapshot this pass uses throughout
        head = softmax_head(model.model) if request.logits else None
        paths = request.paths + ((head[0],) if head else ())
        if model is not self._model or paths != self._paths:
            self._model, self._paths, self._head, self._runner, self._error = model, paths, head, None, None
            self._refused = {}
            self._passes = collections.Counter()
            try:  # kept with the model: back on a layer tapped before, its graph is ready
                self._runner = cached(model.model, ("probe", paths), lambda: probe_many(model.model, list(paths)),
                                      keep=KEPT_PROBES)
            except Exception as exc:
                self._error = exc
        if self._error is not None:
            raise self._error
        start = time.perf_counter()
        batch = model.prepare(request.frame.rgb, options)
        key = (batch.shape, options)
        if key in self._refused:
            raise self._refused[key]
        # Until the runner has a graph for this shape, the first pass runs eagerly (its answer is on
        # screen sooner) and the second traces the network for the rest (seconds on a CPU). An edit
        # lands before or after a pass, never inside it; but those two run unlocked, so that an edit
        # on the GUI thread never waits that long.
        traced = self._runner.traced(batch.shape)
        passes = self._passes[batch.shape]
        self._passes[batch.shape] += 1
        with contextlib.nullcontext() if passes < 2 and not traced else weights_lock(model.model):
            try:
                predictions, outputs = self._runner(batch, eager=passes == 0 and not traced)
            except Exception as exc:  # noqa: BLE001 — any refusal of this input is explained, once
                self._refused[key] = explain(model, options, batch.shape, request.frame.rgb.shape, exc)
                raise self._refused[key] from None
            logits = None
            if self._head is not None:  # with the weights as they are now (surgery may have changed them)
                features, layer = outputs.pop()[0], self._head[1]
                logits = features @ np.asarray(layer.kernel) + (np.asarray(layer.bias) if layer.bias is not None
                                                                else 0.0)
        forward_ms = (time.perf_counter() - start) * 1000.0
        scores = predictions[0] if predictions.ndim == 2 else None
        top = zoo.top_k(scores, class_names, 5) if scores is not None else []
        tapped = [o[0] for o in outputs]
        mosaics = [channel_mosaic(output, *request.mosaic) for output in tapped] if request.mosaic else None
        return Inference(request.frame.index, top, tapped, forward_ms, model, request.paths, scores, logits, mosaics)
