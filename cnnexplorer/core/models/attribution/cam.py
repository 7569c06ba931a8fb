"""Class activation maps: Grad-CAM, Grad-CAM++ and Eigen-CAM, one compiled call per frame.

:class:`CamRunner` returns the probabilities, the tapped layer and the maps of one or more classes
from a single traced ``tf.function``; :func:`grad_cam` is the one-map convenience. Every map comes
back aligned with the frame as given (the model's resize/crop undone, 0 outside the crop).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import numpy as np

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.models.attribution.alignment import normalise
from cnnexplorer.core.models.attribution.errors import AttributionError
from cnnexplorer.core.models.attribution.network import (
    check_class,
    class_count,
    class_score_tensors,
    default_layer,
    describe,
    input_batch,
    node_output,
    spatial_layer,
)
from cnnexplorer.core.models.attribution.runners import check_depends_on_input, no_gradient
from cnnexplorer.core.models.per_model import cached
from cnnexplorer.core.models.surgery import weights_lock

METHODS = ("gradcam", "gradcam++", "eigencam")


@dataclass
class CamResult:
    """One frame explained: what the model said, the map it looked at and where the evidence is."""

    probabilities: np.ndarray  # (classes,)
    activation: np.ndarray  # the tapped layer, (h, w, channels)
    classes: list[int]  # the classes explained, in the order of ``maps``
    maps: list[np.ndarray]  # each (H, W) float32 in [0, 1], aligned with the frame
    layer: str


class CamRunner:
    """batch of one + the classes to explain → probabilities, tapped map and raw (h, w) maps.

    ``count`` classes per call; a class given as −r means "the r-th most likely". Its first call
    runs eagerly (the first map is on screen in a third of the time a trace takes); the second
    traces once (``traces`` counts it) and later ones reuse that graph. A model whose output
    ignores its input is refused when built, a layer with no gradient path to the score on the
    first call."""

    def __init__(self, model, layer_name: str, method: str, count: int) -> None:
        import keras
        import tensorflow as tf

        layer = spatial_layer(model, layer_name)
        head, to_scores, to_probabilities = class_score_tensors(model)
        # No reference to the model itself: the cache holds it weakly.
        self.layer, self.method, self.count = layer_name, method, count
        self.traces = 0
        self._calls, self._traced = 0, None
        self._lock = weights_lock(model)  # the lock only: the cache holds the model weakly
        # Split at the layer when every path crosses it: the tape then records the head only, and the
        # eager first map takes half the time.
        below, above = _split_at(model, node_output(layer), head) or (None, None)
        tap = keras.Model(model.inputs, [node_output(layer), head]) if above is None else None
        shape = (1, *model.inputs[0].shape[1:])

        signature = [tf.TensorSpec(shape, tf.float32), tf.TensorSpec((count,), tf.int32)]

        @tf.function(autograph=False, input_signature=signature)
        def run(batch, classes):
            if tf.inside_function():  # tracing, not the eager first call
                self.traces += 1
            if above is not None:
                tapped = below([batch], training=False)
            with tf.GradientTape(persistent=method != "eigencam", watch_accessed_variables=above is None) as tape:
                if above is None:
                    tapped, features = tap([batch], training=False)
                else:
                    tape.watch(tapped)
                    features = above(tapped, training=False)
                scores = to_scores(features)[0]
                ranked = tf.argsort(scores, direction="DESCENDING", stable=True)
                chosen = tf.where(classes < 0, tf.gather(ranked, tf.maximum(-classes - 1, 0)), classes)
                picked = tf.gather(scores, chosen)
                targets = [picked[i] for i in range(count)]
            if method == "eigencam":
                maps = tf.repeat(_eigen_cam(tapped[0])[None], count, axis=0)
            else:
                grads = [tape.gradient(t, tapped) for t in targets]
                if any(g is None for g in grads):
                    raise no_gradient(layer_name)
                combine = _grad_cam if method == "gradcam" else _grad_cam_plus_plus
                maps = tf.stack([combine(tapped[0], g[0]) for g in grads])
            return to_probabilities(scores), tapped[0], maps, chosen

        self._run = run
        check_depends_on_input(model, lambda x: tap([x], training=False)[1] if above is None
                               else above(below([x], training=False), training=False))

    def __call__(self, batch: np.ndarray, classes: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
        import tensorflow as tf

        if self._calls and self._traced is None:  # the second call traces, once; its concrete function
            self._traced = self._run.get_concrete_function()  # skips tf.function's per-call dispatch
        call = self._traced if self._calls else self._run.python_function  # the first: layer by layer, eagerly
        # A weights edit lands before or after a pass, never inside it (the first two, seconds long, run
        # unlocked so that an edit on the GUI thread never waits for them), as in the live forward pass.
        with self._lock if self._calls >= 2 else contextlib.nullcontext():
            probabilities, tapped, maps, chosen = call(tf.constant(batch, tf.float32), tf.constant(classes, tf.int32))
        self._calls += 1
        return probabilities.numpy(), tapped.numpy(), maps.numpy(), [int(c) for c in chosen.numpy()]


def _split_at(model, tapped, head):
    """The model as (input → ``tapped``, ``tapped`` → ``head``) when every path from the input to
    the head passes through ``tapped`` (the last convolution of most networks); ``None`` when a
    path goes round it (a residual connection over the layer, a second input)."""
    import keras

    try:
        return keras.Model(model.inputs, tapped), keras.Model(tapped, head)
    except ValueError:  # "not connected to inputs": the head needs more than the tapped map
        return None


def cam_runner(model, layer: str | None = None, method: str = "gradcam", count: int = 1) -> CamRunner:
    """The cached :class:`CamRunner` of a Keras model for ``layer`` (``None``: chosen automatically)."""
    if method not in METHODS:
        raise AttributionError(tr("method must be one of {choices}, got {method!r}", choices=", ".join(METHODS),
                                  method=method))
    layer = layer or default_layer(model)
    return cached(model, ("cam", layer, method, count), lambda: CamRunner(model, layer, method, count))


def explain(model, rgb, classes: list[int | None] | None = None, layer: str | None = None,
            method: str = "gradcam", top: int = 1) -> CamResult:
    """Maps for ``classes`` (a ``None`` entry: the next most likely class) or, without them, for
    the ``top`` most likely classes — from one compiled call."""
    handle = describe(model)
    keras_model = handle.model
    count = class_count(keras_model)
    wanted = list(classes) if classes else [None] * top
    if not wanted or len(wanted) > count:
        raise AttributionError(tr("ask for 1 to {count} classes, not {asked}", count=count, asked=len(wanted)))
    codes, rank = [], 0
    for entry in wanted:
        index = check_class(entry, count)
        if index is None:
            rank += 1
            codes.append(-rank)
        else:
            codes.append(index)
    batch, geometry = input_batch(handle, rgb)
    runner = cam_runner(keras_model, layer, method, len(codes))
    probabilities, tapped, maps, chosen = runner(batch, codes)
    aligned = [normalise(geometry.to_frame(m)) for m in maps]
    return CamResult(probabilities, tapped, chosen, aligned, runner.layer)


def grad_cam(model, rgb, class_index=None, layer=None, method="gradcam") -> np.ndarray:
    """Where in the frame the evidence for ``class_index`` (``None``: the top-1 class) lies: an
    (H, W) float32 map in [0, 1] aligned with ``rgb``, 0 outside the model's crop.

    ``layer=None`` takes the last layer with a map of at least 7×7; ``method`` is "gradcam",
    "gradcam++" or "eigencam" (forward only, the same map for every class)."""
    return explain(model, rgb, [class_index], layer, method).maps[0]


def _grad_cam(activation, grads):
    """Selvaraju et al. 2017: channels weighted by their mean gradient, summed, ReLU."""
    import tensorflow as tf

    weights = tf.reduce_mean(grads, axis=(0, 1))
    return tf.nn.relu(tf.reduce_sum(activation * weights, axis=-1))


def _grad_cam_plus_plus(activation, grads):
    """Chattopadhay et al. 2018, with the exponential-score closed form of the second and third
    derivatives (powers of the first)."""
    import tensorflow as tf

    g2 = grads * grads
    g3 = g2 * grads
    total = tf.reduce_sum(activation, axis=(0, 1))
    denominator = 2.0 * g2 + total * g3
    alpha = tf.where(tf.abs(denominator) > 1e-12, g2 / tf.where(denominator == 0, 1.0, denominator), 0.0)
    weights = tf.reduce_sum(alpha * tf.nn.relu(grads), axis=(0, 1))
    return tf.nn.relu(tf.reduce_sum(activation * weights, axis=-1))


def _eigen_cam(activation):
    """Muhammad & Yeasin 2020: the activation projected on its first principal component, signed
    so that it agrees with the mean activation."""
    import tensorflow as tf

    flat = tf.reshape(activation, (-1, tf.shape(activation)[-1]))
    centred = flat - tf.reduce_mean(flat, axis=0)
    _, _, v = tf.linalg.svd(centred)
    projection = tf.linalg.matvec(centred, v[:, 0])
    mean_map = tf.reduce_mean(flat, axis=1)
    sign = tf.where(tf.reduce_sum(projection * (mean_map - tf.reduce_mean(mean_map))) < 0, -1.0, 1.0)
    return tf.nn.relu(tf.reshape(projection * sign, tf.shape(activation)[:2]))
