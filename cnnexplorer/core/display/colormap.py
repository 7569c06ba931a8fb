"""Display colours and colour-bar limits for float feature maps: diverging when signed."""

from __future__ import annotations

import math

import numpy as np


def _diverging_lut() -> np.ndarray:
    """256 colours from blue (negative) through white (zero) to red (positive)."""
    t = np.linspace(-1.0, 1.0, 256)
    blue, white, red = np.array([33, 102, 172]), np.array([247, 247, 247]), np.array([178, 24, 43])
    lut = np.where(t[:, None] < 0, white + (blue - white) * -t[:, None], white + (red - white) * t[:, None])
    return np.round(lut).astype(np.uint8)


DIVERGING = _diverging_lut()


def display_levels(values: np.ndarray, signed: bool) -> tuple[float, float]:
    """Colour-bar limits: symmetric around 0 for signed data, min…max otherwise; never NaN/empty."""
    finite = values[np.isfinite(values)] if values.size else values
    if finite.size == 0:
        return (-1.0, 1.0) if signed else (0.0, 1.0)
    if signed:
        top = float(np.abs(finite).max()) or 1.0
        return -top, top
    low, high = float(finite.min()), float(finite.max())
    return (low, high) if high > low else (low, low + 1.0)


def to_bytes(values: np.ndarray, levels: tuple[float, float]) -> np.ndarray:
    """Float data as uint8 0…255 from ``levels[0]`` to ``levels[1]`` (NaN as 0, infinities clipped):
    what a colour map's lookup table indexes, and what a picture widget draws without rescaling."""
    low, high = levels
    values = np.asarray(values, np.float32)
    if np.isnan(values).any():  # infinities need nothing: they clip
        values = np.nan_to_num(values)
    scaled = (values - low) * (255.0 / ((high - low) or 1.0))
    return np.clip(scaled + 0.5, 0, 255).astype(np.uint8)


def is_signed(values: np.ndarray) -> bool:
    return bool(values.size) and float(np.nanmin(values)) < 0


def as_maps(activation: np.ndarray) -> np.ndarray:
    """(H, W, C) stays; a vector (C,) becomes C one-pixel maps; (H, W) one map."""
    if activation.ndim == 3:
        return activation
    if activation.ndim == 2:
        return activation[..., None]
    flat = activation.reshape(-1)
    side = math.ceil(math.sqrt(flat.size))
    padded = np.zeros(side * side, np.float32)
    padded[: flat.size] = flat
    return padded.reshape(side, side, 1)


def bar_levels(low: float, high: float, current: tuple[float, float] | None = None) -> tuple[float, float]:
    """Colour-bar levels for data in [low, high]: ``current`` while the data stay inside it and
    fill most of it (a live map flickers a little; the bar holds still), else the range widened to a
    step of a 1-2-5 series (a tenth of the range or more)."""
    if current is not None and current[0] <= low and high <= current[1] and high - low >= 0.6 * (current[1] - current[0]):
        return current
    span = high - low
    if not span > 0:
        return low, low + max(abs(low) * 1e-3, 1e-6)
    step = 10.0 ** math.floor(math.log10(span / 10))
    step *= next(m for m in (1, 2, 5, 10) if m * step >= span / 10)
    return math.floor(low / step) * step, math.ceil(high / step) * step
