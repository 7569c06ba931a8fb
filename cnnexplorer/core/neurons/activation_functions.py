"""Activation functions f(z) and their derivatives, shared by the neurons and the convolution lab.

Not Keras layers: plain numpy on arrays, keeping the input's float dtype (float32 feature maps stay
float32). "linear" (neurons) and "none" (lab) are two names for the identity.
"""

from __future__ import annotations

import numpy as np

from cnnexplorer.core.i18n import N_, tr

# Keys as well as labels: show them through tr().
ACTIVATION_FUNCTIONS = (N_("linear"), N_("none"), N_("step"), N_("sigmoid"), N_("tanh"), N_("relu"), N_("abs"))


def activate(z: np.ndarray, name: str) -> np.ndarray:
    """f(z) element-wise. The identity returns ``z`` itself, not a copy."""
    if name in ("linear", "none"):
        return z
    if name == "sigmoid":
        return 0.5 * (np.tanh(0.5 * z) + 1.0)  # stable for large |z|, unlike 1/(1 + e^−z)
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "step":
        return (z >= 0).astype(z.dtype)
    if name == "abs":
        return np.abs(z)
    raise ValueError(tr("activation must be one of {choices}, got {name}", choices=ACTIVATION_FUNCTIONS,
                        name=repr(name)))


def derivative(z: np.ndarray, a: np.ndarray, name: str) -> np.ndarray:
    """∂a/∂z, given z and a = f(z). The step function's is 0 almost everywhere: it cannot learn by
    backpropagation."""
    if name == "sigmoid":
        return a * (1.0 - a)
    if name == "tanh":
        return 1.0 - a * a
    if name == "relu":
        return (z > 0).astype(z.dtype)
    if name in ("linear", "none"):
        return np.ones_like(z)
    if name == "step":
        return np.zeros_like(z)
    if name == "abs":
        return np.sign(z)
    raise ValueError(tr("activation must be one of {choices}, got {name}", choices=ACTIVATION_FUNCTIONS,
                        name=repr(name)))
