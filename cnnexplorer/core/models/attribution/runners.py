"""Compiled gradient functions, built once per (model, layer, kind) and kept while the model lives.

Rebuilding a gradient model on every call (Keras' Grad-CAM example, tf-keras-vis) costs ~14× a
forward pass; one cached ``tf.function`` with a fixed input signature traces once and is reused
frame after frame. The cache is keyed weakly on the Keras model, so letting a model go frees its
functions too.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable

import numpy as np

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.models.attribution.errors import AttributionError

_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def cached(model, key: tuple, build: Callable[[], object]):
    """The object built by ``build()`` for (``model``, ``key``), built on first use only.

    A build that raises is not cached: the next call explains the same problem again."""
    with _lock:
        per_model = _cache.setdefault(model, {})
        found = per_model.get(key)
    if found is not None:
        return found
    built = build()
    with _lock:
        return _cache[model].setdefault(key, built)


def check_depends_on_input(model, score_of: Callable[[np.ndarray], np.ndarray]) -> None:
    """Refuse a model whose class scores are the same for two unrelated inputs; checked once per
    model (a pass of two inputs, ~0.4 s for MobileNetV2 on a CPU), not once per runner built on it."""
    cached(model, ("depends on input",), lambda: _check_depends_on_input(model, score_of))


def _check_depends_on_input(model, score_of: Callable[[np.ndarray], np.ndarray]) -> bool:
    pair = np.random.default_rng(0).normal(0, 1, (2, *(d or 32 for d in model.inputs[0].shape[1:]))).astype(np.float32)
    try:  # both in one pass
        first, second = np.asarray(score_of(pair))[:2]
    except (ValueError, TypeError):  # a model that takes one input at a time
        first, second = (np.asarray(score_of(pair[i : i + 1])) for i in range(2))
    if np.array_equal(first, second):  # bit for bit: a deep random model may differ only slightly
        raise AttributionError(tr("{model}'s output does not depend on its input: there is nothing to explain",
                                  model=model.name))
    return True


def no_gradient(layer: str | None = None) -> AttributionError:
    """No gradient reaches ``layer`` (``None``: the input) from the class score."""
    if layer is None:
        return AttributionError(tr("no gradient flows from the class score back to the input (a stop-gradient or "
                                   "a non-differentiable step in between); try another layer or method"))
    return AttributionError(tr("no gradient flows from the class score back to layer {layer!r} (a stop-gradient "
                               "or a non-differentiable step in between); try another layer or method", layer=layer))
