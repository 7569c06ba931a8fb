"""What the attribution runners share: a model's input check, done once per model, and the
refusal of a model without a gradient.

Rebuilding a gradient model on every call (Keras' Grad-CAM example, tf-keras-vis) costs ~14× a
forward pass; each runner is one ``tf.function`` with a fixed input signature, traced once and kept
with its model (:func:`~cnnexplorer.core.models.per_model.cached`), reused frame after frame.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.models.attribution.errors import AttributionError
from cnnexplorer.core.models.per_model import cached


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
