"""Where the lab's output lies over its input: each output pixel drawn over the centre of the window
it came from, so input and output line up when shown side by side in input pixel coordinates."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnnexplorer.core.conv.lab import LabSettings
from cnnexplorer.core.conv.ops import effective_size, geometry


@dataclass(frozen=True)
class OutputPlacement:
    """The output image's rectangle in input pixel coordinates (x right, y down) and its shape."""

    x: float
    y: float
    width: float
    height: float
    rows: int
    cols: int

    @property
    def pixel_size(self) -> tuple[float, float]:
        """(width, height) of one output pixel, in input pixels."""
        return self.width / self.cols, self.height / self.rows

    def index_at(self, x: float, y: float) -> tuple[int, int] | None:
        """The output pixel (oy, ox) under input-coordinate point (x, y), if any."""
        if self.width <= 0:
            return None
        ox = int(np.floor((x - self.x) / self.width * self.cols))
        oy = int(np.floor((y - self.y) / self.height * self.rows))
        return (oy, ox) if 0 <= oy < self.rows and 0 <= ox < self.cols else None

    def nearest_index(self, x: float, y: float) -> tuple[int, int]:
        """The output pixel (oy, ox) under input-coordinate point (x, y), or the nearest one."""
        ox = int(np.floor((x - self.x) / self.width * self.cols)) if self.width > 0 else 0
        oy = int(np.floor((y - self.y) / self.height * self.rows)) if self.height > 0 else 0
        return int(np.clip(oy, 0, self.rows - 1)), int(np.clip(ox, 0, self.cols - 1))

    def centre_of(self, oy: int, ox: int) -> tuple[float, float]:
        """(x, y) of output pixel (oy, ox)'s centre, in input coordinates."""
        step_x, step_y = self.pixel_size
        return self.x + (ox + 0.5) * step_x, self.y + (oy + 0.5) * step_y


def output_placement(settings: LabSettings, input_shape: tuple[int, ...],
                     output_shape: tuple[int, ...]) -> OutputPlacement:
    """Place a lab output of ``output_shape`` computed from an input of ``input_shape``.

    One output pixel spans stride × pool stride input pixels; the first sits over the centre of the
    first window (kernel, then pool), shifted back by the padding.
    """
    geo = geometry(input_shape[:2], settings.kernel.shape, stride=settings.stride, padding=settings.conv_padding,
                   dilation=settings.dilation)
    pooled = settings.pool != "none"
    pool_size = settings.pool_size if pooled else 1
    pool_stride = settings.pool_stride if pooled else 1
    corners = []
    for axis, pad in ((0, geo.pad[0]), (1, geo.pad[2])):
        step = geo.stride[axis] * pool_stride
        k_eff = effective_size(settings.kernel.shape[axis], geo.dilation[axis])
        centre = (pool_size - 1) / 2 * geo.stride[axis] - pad + (k_eff - 1) / 2
        corners.append((centre + 0.5 - step / 2, step))
    (y0, sy), (x0, sx) = corners
    rows, cols = output_shape[:2]
    return OutputPlacement(x0, y0, cols * sx, rows * sy, rows, cols)
