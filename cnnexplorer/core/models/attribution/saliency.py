"""Input-gradient maps: vanilla gradients, SmoothGrad and integrated gradients (no Qt).

All three come from one cached compiled function, a batch of inputs → the class score's
gradient for each; the maps are aligned with the frame as given, like the CAMs."""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.models.attribution.alignment import normalise
from cnnexplorer.core.models.attribution.errors import AttributionError, Cancelled
from cnnexplorer.core.models.attribution.network import (
    check_class,
    class_count,
    class_score_tensors,
    describe,
    input_batch,
)
from cnnexplorer.core.models.attribution.runners import check_depends_on_input, no_gradient
from cnnexplorer.core.models.per_model import cached
from cnnexplorer.core.models.preprocess import prepare

METHODS = ("vanilla", "smoothgrad", "integrated")
CHUNK = 8  # inputs per compiled call
SMOOTHGRAD_SAMPLES = 24
SMOOTHGRAD_NOISE = 0.15  # of the input's value range (Smilkov et al. 2017: 10–20 %)
INTEGRATED_STEPS = 32


class InputGradients:
    """(n, H, W, 3) inputs + one class → the class score of each and its gradient w.r.t. the input."""

    def __init__(self, model) -> None:
        import keras
        import tensorflow as tf

        head, to_scores, _ = class_score_tensors(model)
        score_model = keras.Model(model.inputs, head)
        self.traces = 0

        @tf.function(autograph=False, input_signature=[tf.TensorSpec((None, *model.inputs[0].shape[1:]), tf.float32),
                                      tf.TensorSpec((), tf.int32)])
        def run(batch, index):
            self.traces += 1
            with tf.GradientTape() as tape:
                tape.watch(batch)
                scores = to_scores(score_model([batch], training=False))
                picked = scores[:, index]
            grads = tape.gradient(picked, batch)
            if grads is None:
                raise no_gradient()
            return scores, grads

        self._run = run
        run.get_concrete_function()
        check_depends_on_input(model, lambda x: to_scores(score_model([x], training=False)))

    def __call__(self, batch: np.ndarray, index: int) -> tuple[np.ndarray, np.ndarray]:
        scores, grads = self._run(np.asarray(batch, np.float32), np.int32(index))
        return scores.numpy(), grads.numpy()

    def top_class(self, batch: np.ndarray) -> int:
        scores, _ = self(batch[:1], 0)
        return int(np.argmax(scores[0]))


def input_gradients(model) -> InputGradients:
    return cached(model, ("input-gradients",), lambda: InputGradients(model))


def saliency(model, rgb, class_index=None, method="vanilla", *, samples: int = SMOOTHGRAD_SAMPLES,
             steps: int = INTEGRATED_STEPS, progress: Callable[[int, int], None] | None = None,
             cancel: threading.Event | None = None) -> np.ndarray:
    """How much each frame pixel moves the class score: an (H, W) float32 map in [0, 1] aligned
    with ``rgb`` (0 outside the crop). ``class_index=None`` explains the top-1 class.

    "vanilla": |gradient| (Simonyan et al. 2014); "smoothgrad": the mean of that over ``samples``
    noisy copies (Smilkov et al. 2017); "integrated": gradients along the path from a black frame,
    times the difference (Sundararajan et al. 2017). ``progress(done, total)`` is told after each
    chunk; a set ``cancel`` stops with :class:`AttributionError`."""
    if method not in METHODS:
        raise AttributionError(tr("method must be one of {choices}, got {method!r}", choices=", ".join(METHODS),
                                  method=method))
    handle = describe(model)
    index = check_class(class_index, class_count(handle.model))
    batch, geometry = input_batch(handle, rgb)
    gradients = input_gradients(handle.model)
    if index is None:
        index = gradients.top_class(batch)
    if method == "vanilla":
        grid = np.abs(gradients(batch, index)[1][0]).max(axis=-1)
    elif method == "smoothgrad":
        sigma = SMOOTHGRAD_NOISE * float(batch.max() - batch.min())
        rng = np.random.default_rng(0)
        noisy = batch + rng.normal(0.0, sigma, (max(1, samples), *batch.shape[1:])).astype(np.float32)
        grads = _chunked(gradients, noisy, index, progress, cancel)
        grid = np.abs(grads).max(axis=-1).mean(axis=0)
    else:
        grid = np.abs(integrated_gradients(handle, batch, index, steps, progress, cancel).sum(axis=-1))
    return normalise(geometry.to_frame(grid))


def integrated_gradients(handle, batch: np.ndarray, index: int, steps: int = INTEGRATED_STEPS,
                         progress=None, cancel=None) -> np.ndarray:
    """Per-input-value attributions (H, W, 3) from a black frame to ``batch`` (trapezoid rule, so
    they add up to score(input) − score(black) closely)."""
    baseline = prepare(np.zeros((2, 2, 3), np.uint8), handle.input_size, handle.preprocessing)
    alphas = np.linspace(0.0, 1.0, max(2, steps) + 1, dtype=np.float32)
    path = baseline + alphas[:, None, None, None] * (batch - baseline)
    grads = _chunked(input_gradients(handle.model), path, index, progress, cancel)
    mean = (grads[:-1] + grads[1:]).sum(axis=0) / (2 * (len(alphas) - 1))
    return (batch[0] - baseline[0]) * mean


def _chunked(gradients: InputGradients, inputs: np.ndarray, index: int, progress, cancel) -> np.ndarray:
    out = []
    for start in range(0, len(inputs), CHUNK):
        if cancel is not None and cancel.is_set():
            raise Cancelled(tr("stopped"))
        out.append(gradients(inputs[start:start + CHUNK], index)[1])
        if progress is not None:
            progress(min(start + CHUNK, len(inputs)), len(inputs))
    return np.concatenate(out)
