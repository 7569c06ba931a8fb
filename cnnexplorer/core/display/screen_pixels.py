"""Pictures in the memory layout a screen draws without converting: premultiplied 32-bit BGRA, the
byte order of Qt's ``ARGB32_Premultiplied`` on a little-endian machine.

Made in one native call per picture (OpenCV for frames, one table lookup for colour-mapped bytes),
so a picture costs its painter thread a single hold of the interpreter lock, not one per chunk of a
rescaling loop: while a network is traced or loaded on another thread, each of those holds waits."""

from __future__ import annotations

import sys

import cv2
import numpy as np

_LITTLE_ENDIAN = sys.byteorder == "little"


def premultiplied_table(lut: np.ndarray) -> np.ndarray:
    """A (256, 3) RGB or (256, 4) RGBA byte table as 256 premultiplied BGRA words (uint32)."""
    rgba = np.full((256, 4), 255, np.uint8)
    rgba[:, : lut.shape[1]] = lut
    scaled = rgba[:, 2::-1].astype(np.uint32) * rgba[:, 3:]  # Qt's own rounding (qPremultiply)
    bgra = np.empty((256, 4), np.uint8)
    bgra[:, :3] = (scaled + (scaled >> 8) + 0x80) >> 8
    bgra[:, 3] = rgba[:, 3]
    return bgra.view(np.uint32).reshape(256)


def is_opaque(lut: np.ndarray) -> bool:
    """Whether a (256, 3) RGB or (256, 4) RGBA byte table draws every byte fully opaque (such a
    picture is drawn without blending)."""
    return lut.shape[1] == 3 or bool((lut[:, 3] == 255).all())


def bgra_pixels(image: np.ndarray, table: np.ndarray | None = None) -> np.ndarray | None:
    """``image`` as (H, W, 4) premultiplied BGRA bytes: RGB bytes as they are, a 2-D byte map through
    ``table`` (from :func:`premultiplied_table`). None for anything else (other types, channels or
    machines): its caller converts those the slow way."""
    if not _LITTLE_ENDIAN or image.dtype != np.uint8 or image.size == 0:
        return None
    if image.ndim == 3 and image.shape[2] == 3 and table is None:
        return cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_RGB2BGRA)
    if image.ndim == 2 and table is not None:
        return np.take(table, image).view(np.uint8).reshape(*image.shape, 4)
    return None
