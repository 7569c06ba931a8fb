"""Tile a stack of feature maps into one image (one draw call) and map a point back to its tile."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Grid:
    rows: int
    cols: int
    tile_h: int
    tile_w: int
    gap: int
    count: int

    def locate(self, y: float, x: float) -> tuple[int, int, int] | None:
        """(tile, row, column) under mosaic point (y, x), or None on a gap or outside."""
        yi, xi = int(math.floor(y)), int(math.floor(x))
        if yi < 0 or xi < 0:
            return None
        row, ty = divmod(yi, self.tile_h + self.gap)
        col, tx = divmod(xi, self.tile_w + self.gap)
        tile = row * self.cols + col
        if ty >= self.tile_h or tx >= self.tile_w or col >= self.cols or tile >= self.count:
            return None
        return tile, ty, tx

    def origin(self, tile: int) -> tuple[int, int]:
        row, col = divmod(tile, self.cols)
        return row * (self.tile_h + self.gap), col * (self.tile_w + self.gap)

    @property
    def shape(self) -> tuple[int, int]:
        """(height, width) of the mosaic laid out on this grid."""
        return self.rows * (self.tile_h + self.gap) - self.gap, self.cols * (self.tile_w + self.gap) - self.gap

    def every(self, step: int) -> tuple[np.ndarray, np.ndarray]:
        """Row and column indices of the mosaic that keep one line in ``step`` of each tile and
        every gap line: the mosaic drawn ``step`` times smaller, its tiles still apart."""
        return (_lines(self.rows, self.tile_h, self.gap, step), _lines(self.cols, self.tile_w, self.gap, step))


def _lines(count: int, size: int, gap: int, step: int) -> np.ndarray:
    kept = np.concatenate([np.arange(0, size, step), size + np.arange(gap)])
    lines = (np.arange(count)[:, None] * (size + gap) + kept[None, :]).ravel()
    return lines[lines < count * (size + gap) - gap]


def normalise_each(stack: np.ndarray) -> np.ndarray:
    """Each map of an (H, W, N) stack scaled to 0…1 on its own; signed maps keep 0 at 0.5."""
    stack = np.asarray(stack, np.float32)
    if stack.size == 0:
        return stack
    low = stack.min(axis=(0, 1))
    high = stack.max(axis=(0, 1))
    signed = low < 0
    top = np.maximum(-low, high)
    top[top == 0] = 1.0
    span = high - low
    span[span == 0] = 1.0
    scale = np.where(signed, 0.5 / top, 1.0 / span).astype(np.float32)
    offset = np.where(signed, 0.5, -low / span).astype(np.float32)
    return stack * scale + offset


def tile(stack: np.ndarray, cols: int | None = None, gap: int = 2, fill: float = 0.5) -> tuple[np.ndarray, Grid]:
    """Lay the N maps of an (H, W, N) stack on a grid (near-square by default) with ``gap`` pixels
    of ``fill`` between them; returns the mosaic and its :class:`Grid`. One reshape, no loop.
    Bytes stay bytes (``fill`` is then a byte value); anything else becomes float32."""
    h, w, n = stack.shape
    cols = cols or max(1, math.ceil(math.sqrt(n * h / max(w, 1))))
    cols = min(cols, n) if n else 1
    rows = max(1, math.ceil(n / cols))
    grid = Grid(rows, cols, h, w, gap, n)
    padded = np.full((h + gap, w + gap, rows * cols), fill, np.uint8 if stack.dtype == np.uint8 else np.float32)
    padded[:h, :w, :n] = stack
    mosaic = padded.reshape(h + gap, w + gap, rows, cols).transpose(2, 0, 3, 1)
    mosaic = mosaic.reshape(rows * (h + gap), cols * (w + gap))[: rows * (h + gap) - gap, : cols * (w + gap) - gap]
    return np.ascontiguousarray(mosaic), grid


def tile_rgb(images: np.ndarray, cols: int | None = None, gap: int = 2, fill: float = 1.0) -> tuple[np.ndarray, Grid]:
    """Lay N colour images, (N, H, W, 3) in 0…1 or in bytes, on one grid like :func:`tile` (white
    gaps by default); returns the (rows·H, cols·W, 3) mosaic and its :class:`Grid`, bytes for bytes
    (a picture widget draws them as they are: no float pass on the GUI thread)."""
    images = np.asarray(images)
    if images.dtype == np.uint8:
        fill = round(fill * 255)
    else:
        images = images.astype(np.float32, copy=False)
    planes = [tile(np.moveaxis(images[..., c], 0, -1), cols, gap, fill) for c in range(3)]
    return np.ascontiguousarray(np.dstack([p[0] for p in planes])), planes[0][1]


def kernel_tiles(kernels: np.ndarray) -> np.ndarray:
    """A conv layer's kernels, (kh, kw, C_in, F), as F colour tiles (F, kh, kw, 3) in 0…1: RGB for
    three input channels, gray otherwise (the first channel), each scaled so 0 is mid-gray."""
    kernels = np.asarray(kernels, np.float32)
    rgb = kernels if kernels.shape[2] == 3 else np.repeat(kernels[:, :, :1], 3, axis=2)
    top = np.abs(rgb).max(axis=(0, 1, 2))
    top[top == 0] = 1.0
    return np.moveaxis(0.5 + rgb / (2 * top), -1, 0)
