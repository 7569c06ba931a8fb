"""Display colours and colour-bar limits for float feature maps: diverging when signed."""

from __future__ import annotations

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


def is_signed(values: np.ndarray) -> bool:
    return bool(values.size) and float(np.nanmin(values)) < 0

