"""Every channel of one layer as one uint8 mosaic, made where the forward pass runs (off the GUI
thread): for VGG16's first layers this is 64 maps of 224×224, tens to hundreds of milliseconds."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from cnnexplorer.core.display.colormap import as_maps
from cnnexplorer.core.display.mosaic import Grid, normalise_each, tile


@dataclass(frozen=True)
class ChannelMosaic:
    image: np.ndarray  # uint8, 0…255 through the colour map's lookup table
    grid: Grid
    order: np.ndarray  # channel shown in each tile
    per_channel: bool
    sort: bool


def channel_mosaic(activation: np.ndarray, per_channel: bool = True, sort: bool = False) -> ChannelMosaic:
    """Tile ``activation`` (see :func:`as_maps`) scaled per channel or over all channels together,
    tiles optionally sorted by mean activation (largest first)."""
    maps = as_maps(np.asarray(activation, np.float32))
    order = np.argsort(maps.mean(axis=(0, 1)))[::-1] if sort else np.arange(maps.shape[2])
    ordered = maps[..., order] if sort else maps
    if per_channel:
        scaled = normalise_each(ordered)
    else:
        low, high = float(ordered.min()), float(ordered.max())
        scaled = (ordered - low) / ((high - low) or 1.0)
    mosaic, grid = tile(scaled, gap=1, fill=0.0)
    return ChannelMosaic(cv2.convertScaleAbs(mosaic, alpha=255.0), grid, order, per_channel, sort)
