"""Small 2-D classification problems, generated: XOR, circles, spirals, moons (labels 0/1)."""

from __future__ import annotations

import numpy as np

from cnnexplorer.core.i18n import N_, tr

PROBLEMS = (N_("xor"), N_("circles"), N_("spirals"), N_("moons"))  # keys: show them through tr()


def xor_points() -> tuple[np.ndarray, np.ndarray]:
    """The four corners of XOR."""
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float64)
    return x, np.array([[0], [1], [1], [0]], np.float64)


def make(name: str, n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points in about [−1.5, 1.5]² with labels (n, 1), in random order (from ``seed``), so any
    leading slice holds both classes."""
    rng = np.random.default_rng(seed)
    half = n // 2
    if name == "xor":
        x = rng.uniform(-1, 1, (n, 2))
        y = (x[:, 0] * x[:, 1] < 0).astype(np.float64)
    elif name == "circles":
        angle = rng.uniform(0, 2 * np.pi, n)
        radius = np.where(np.arange(n) < half, 0.4, 1.0)
        x = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
        y = (np.arange(n) < half).astype(np.float64)
    elif name == "spirals":
        t = np.sqrt(rng.uniform(0, 1, n - half)) * 3 * np.pi
        arm = np.column_stack([t * np.cos(t), t * np.sin(t)]) / (3 * np.pi) * 1.2
        x = np.vstack([arm[:half], -arm])
        y = (np.arange(n) < half).astype(np.float64)
    elif name == "moons":
        t = rng.uniform(0, np.pi, n)
        upper = np.column_stack([np.cos(t), np.sin(t)])
        lower = np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)])
        x = np.where((np.arange(n) < half)[:, None], upper, lower) - [0.5, 0.25]
        y = (np.arange(n) < half).astype(np.float64)
    else:
        raise ValueError(tr("problem must be one of {choices}, got {name}", choices=PROBLEMS, name=repr(name)))
    x = x + rng.normal(0, noise, x.shape)
    order = rng.permutation(n)
    return x[order], y[order].reshape(-1, 1)
