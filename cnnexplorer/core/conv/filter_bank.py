"""Banks of filters applied at once: one conv layer's stack of feature maps (course §4)."""

from __future__ import annotations

import numpy as np

from cnnexplorer.core.conv import kernels
from cnnexplorer.core.conv.lab import parameter_counts
from cnnexplorer.core.conv.ops import conv2d
from cnnexplorer.core.i18n import N_, tr

BANKS = (N_("edges"), N_("gabor"), N_("random"))  # keys: show them through tr()


def bank(name: str, count: int = 8, size: int = 3, seed: int = 0) -> list[tuple[str, np.ndarray]]:
    """Named kernels of one bank; ``count``/``size``/``seed`` shape the Gabor and random banks.
    The names are for showing, in the current language."""
    if name == "edges":
        names = ["sobel x", "sobel y", "scharr x", "scharr y", "prewitt x", "prewitt y", "laplacian", "outline"]
        return [(tr(n), kernels.preset(n)) for n in names]
    if name == "gabor":
        return kernels.gabor_bank(count, max(size, 5) | 1)
    if name == "random":
        rng = np.random.default_rng(seed)
        return [(tr("random {number}", number=i), rng.normal(0, 1, (size, size)).astype(np.float32))
                for i in range(count)]
    raise ValueError(tr("bank must be one of {choices}, got {name}", choices=BANKS, name=repr(name)))


def as_layer(named: list[tuple[str, np.ndarray]]) -> np.ndarray:
    """The kernels as one conv layer's weights (k, k, 1, F): smaller kernels centred in zeros."""
    k = max(max(kern.shape) for _, kern in named)
    weights = np.zeros((k, k, 1, len(named)), np.float32)
    for i, (_, kern) in enumerate(named):
        top, left = (k - kern.shape[0]) // 2, (k - kern.shape[1]) // 2
        weights[top : top + kern.shape[0], left : left + kern.shape[1], 0, i] = kern
    return weights


def feature_maps(gray: np.ndarray, weights: np.ndarray, *, stride: int = 1, padding: str = "same") -> np.ndarray:
    """(H', W', F): every filter of the layer applied to a gray frame."""
    return conv2d(gray, weights, stride=stride, padding=padding)


def kernels_for_display(weights: np.ndarray) -> np.ndarray:
    """The layer's (k, k, 1, F) kernels as (k, k, F), each scaled into −1…1 by its largest |weight|."""
    return weights[:, :, 0, :] / (np.abs(weights).max(axis=(0, 1, 2)) + 1e-12)


def layer_summary(in_hw: tuple[int, int], weights: np.ndarray, maps_shape: tuple[int, int, int]) -> str:
    """The layer's shapes and its parameter count, worked out, against a dense layer's."""
    k, filters = weights.shape[0], weights.shape[3]
    counts = parameter_counts((*in_hw, 1), (k, k), filters, maps_shape[:2])
    return tr("{filters} filters of {k}×{k} over 1 channel → {height}×{width}×{filters} feature maps.  "
              "Parameters: conv {conv} = {filters}·({k}·{k}·1 + 1)  vs a dense layer with the same input and "
              "output: {dense} ({ratio}× more)", filters=filters, k=k, height=maps_shape[0], width=maps_shape[1],
              conv=f"{counts['conv']:,}", dense=f"{counts['dense']:,}",
              ratio=f"{counts['dense'] / counts['conv']:.3g}")
