"""Maps computed on the model's input undone back onto the frame as given.

:func:`cnnexplorer.core.models.preprocess.fit_frame` ("crop") scales the short side and cuts the centre;
:class:`CropGeometry` is that same step as numbers, so a map over the crop (any resolution) can be
warped onto the frame — 0 outside the crop — and a box in input pixels drawn on the frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.models.attribution.errors import AttributionError
from cnnexplorer.core.models.preprocess import crop_layout, feed_zoom


@dataclass(frozen=True)
class CropGeometry:
    """Where a model's size×size input lies in an (height, width) frame."""

    height: int
    width: int
    size: int
    resized_h: int
    resized_w: int
    top: int
    left: int

    @classmethod
    def of(cls, height: int, width: int, size: int, preprocessing: str) -> CropGeometry:
        """The geometry :func:`fit_frame` uses for ``preprocessing`` (torch: short side 256/224·size)."""
        square = (size, size)
        return cls(height, width, size, *crop_layout((height, width), square, feed_zoom(preprocessing, square)))

    @property
    def scale_y(self) -> float:
        return self.height / self.resized_h

    @property
    def scale_x(self) -> float:
        return self.width / self.resized_w

    def input_to_frame(self, y: float, x: float) -> tuple[float, float]:
        """A point in input pixel coordinates (edges at integers) → frame pixel coordinates."""
        return (self.top + y) * self.scale_y, (self.left + x) * self.scale_x

    def frame_to_input(self, y: float, x: float) -> tuple[float, float]:
        """The inverse of :meth:`input_to_frame`."""
        return y / self.scale_y - self.top, x / self.scale_x - self.left

    def crop_box(self) -> tuple[float, float, float, float]:
        """The crop in frame coordinates: (top, left, bottom, right), edges."""
        top, left = self.input_to_frame(0, 0)
        bottom, right = self.input_to_frame(self.size, self.size)
        return top, left, bottom, right

    def to_frame(self, grid: np.ndarray) -> np.ndarray:
        """A map whose cells tile the crop evenly → (height, width) float32, bilinear inside the
        crop (cell centres as in ``tf.image.resize``), 0 outside it."""
        grid = np.ascontiguousarray(grid, np.float32)
        rows, cols = grid.shape
        # frame pixel centre v + 0.5 = scale·(crop offset + (cell + 0.5)·cell size) — as an affine map.
        cell_y, cell_x = self.size / rows, self.size / cols
        a_y, a_x = self.scale_y * cell_y, self.scale_x * cell_x
        b_y = self.scale_y * (self.top + 0.5 * cell_y) - 0.5
        b_x = self.scale_x * (self.left + 0.5 * cell_x) - 0.5
        matrix = np.array([[a_x, 0, b_x], [0, a_y, b_y]], np.float64)
        out = cv2.warpAffine(grid, matrix, (self.width, self.height), flags=cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_REPLICATE)
        top, left, bottom, right = self.crop_box()
        ys, xs = np.arange(self.height) + 0.5, np.arange(self.width) + 0.5
        out[(ys < top) | (ys > bottom)] = 0.0
        out[:, (xs < left) | (xs > right)] = 0.0
        return out


def check_frame(rgb) -> np.ndarray:
    """The frame as an (H, W, 3) uint8 array, or :class:`AttributionError` saying what it is instead."""
    array = np.asarray(rgb) if rgb is not None else None
    if array is None or array.ndim != 3 or array.shape[2] != 3 or array.dtype != np.uint8:
        if array is None:
            raise AttributionError(tr("expected an (H, W, 3) uint8 RGB frame, got nothing"))
        raise AttributionError(tr("expected an (H, W, 3) uint8 RGB frame, got {dtype} {shape}", dtype=array.dtype,
                                  shape=array.shape))
    if min(array.shape[:2]) < 2:
        raise AttributionError(tr("the frame is too small ({width}×{height})", width=array.shape[1],
                                  height=array.shape[0]))
    return array


def normalise(grid: np.ndarray) -> np.ndarray:
    """Non-negative map scaled so its maximum is 1 (all zeros stays zeros)."""
    grid = np.maximum(np.asarray(grid, np.float32), 0.0)  # a new array: scaled in place below
    peak = float(grid.max()) if grid.size else 0.0
    if not (peak > 0 and np.isfinite(peak)):
        return np.zeros_like(grid)
    grid *= np.float32(1.0 / peak)
    return grid
