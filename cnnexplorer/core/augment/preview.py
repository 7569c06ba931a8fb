"""The augmentation lab's grid, made in one call: tiles of one frame, each with its explanation.

Explanations ride along with every grid (they cost ≈1 ms beside 30–250 ms of augmenting), so a
click on a tile shows what made it at once, even while live frames keep replacing the grid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnnexplorer.core.augment.pipeline import Augmenter, Previewer, fit_size
from cnnexplorer.core.infra.timing import Stopwatch

TILES, TILE_SIZE = 16, 160  # tiles show at about this size in the 4×4 grid


@dataclass(frozen=True)
class PreviewRequest:
    rgb: np.ndarray
    pipeline: dict  # Augmenter.to_dict(): a plain copy, safe to hand to another thread
    seed: int


@dataclass(frozen=True)
class PreviewGrid:
    images: list[np.ndarray]  # uint8 tiles
    records: list[list[str]]  # per tile, what was applied to it (empty: the original)
    original: np.ndarray  # the frame at tile size, to show beside each tile
    seed: int
    ms: float = 0.0  # how long making it took


class GridMaker:
    """Turns a :class:`PreviewRequest` into a :class:`PreviewGrid`; keeps one :class:`Previewer`,
    rebuilt only when the pipeline changes. Call it from one thread."""

    def __init__(self, tiles: int = TILES, size: int = TILE_SIZE) -> None:
        self.tiles, self.size = tiles, size
        self._previewer: Previewer | None = None
        self._pipeline: dict | None = None

    def __call__(self, request: PreviewRequest) -> PreviewGrid:
        if request.pipeline != self._pipeline:
            self._previewer, self._pipeline = Previewer(Augmenter.from_dict(request.pipeline)), request.pipeline
        with Stopwatch() as watch:
            small = fit_size(request.rgb, self.size)
            images, records = self._previewer.preview(small, self.tiles, request.seed, explain=True)
        return PreviewGrid(images, records, small, request.seed, watch.ms)
