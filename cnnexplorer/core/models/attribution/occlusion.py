"""Occlusion sensitivity (Zeiler & Fergus 2014), filled in coarse to fine.

A grey patch slides over the model's input; each position's drop in the class probability is
spread over the pixels it covered. Positions on a grid of stride·2^k come first, so a view can show
a rough map at once and sharpen it; every position is computed once."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import numpy as np

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.models.attribution.alignment import normalise
from cnnexplorer.core.models.attribution.errors import AttributionError, Cancelled
from cnnexplorer.core.models.attribution.network import check_class, class_count, describe, input_batch
from cnnexplorer.core.models.preprocess import prepare

CHUNK = 16  # occluded copies per forward pass
LEVELS = 3  # strides stride·4, stride·2, stride


def occlusion_strides(patch: int, stride: int) -> list[int]:
    """The strides of the passes, coarse to fine (each a multiple of the next); a coarse pass never
    steps further than a patch, so every pass covers the whole input."""
    return [stride * 2**k for k in reversed(range(LEVELS)) if k == 0 or stride * 2**k <= patch]


def occlusion(model, rgb, class_index, patch, stride, *, cancel: threading.Event | None = None) -> Iterator[np.ndarray]:
    """Yield (H, W) float32 maps in [0, 1] aligned with ``rgb``, each from a finer grid of patch
    positions than the last; the final one uses ``stride``. ``patch`` and ``stride`` are in the
    model's input pixels. Stop iterating (or set ``cancel``) to stop: work happens between yields."""
    handle = describe(model)
    keras_model = handle.model
    size = handle.input_size
    if not isinstance(patch, (int, np.integer)) or not isinstance(stride, (int, np.integer)):
        raise AttributionError(tr("patch and stride must be integers, got {patch!r} and {stride!r}", patch=patch,
                                  stride=stride))
    if not 1 <= patch <= size or stride < 1:
        raise AttributionError(tr("patch must be 1…{size} and stride ≥ 1 pixels, got patch {patch}, stride {stride}",
                                  size=size, patch=patch, stride=stride))
    batch, geometry = input_batch(handle, rgb)
    index = check_class(class_index, class_count(keras_model))
    return _passes(handle, batch, geometry, index, patch, stride, cancel)  # checked now, computed lazily


def _passes(handle, batch, geometry, index, patch, stride, cancel) -> Iterator[np.ndarray]:
    keras_model, size = handle.model, handle.input_size
    probabilities = np.asarray(keras_model.predict_on_batch(batch))[0]
    index = int(np.argmax(probabilities)) if index is None else index
    grey = prepare(np.full((2, 2, 3), 128, np.uint8), size, handle.preprocessing)[0]
    drop_sum = np.zeros((size, size), np.float32)
    covered = np.zeros((size, size), np.float32)
    done: set[tuple[int, int]] = set()
    for level_stride in occlusion_strides(patch, stride):
        starts = list(range(0, size - patch + 1, level_stride))
        if starts[-1] != size - patch:
            starts.append(size - patch)  # the last row and column reach the edge
        positions = [(y, x) for y in starts for x in starts if (y, x) not in done]
        for first in range(0, len(positions), CHUNK):
            if cancel is not None and cancel.is_set():
                raise Cancelled(tr("stopped"))
            chunk = positions[first:first + CHUNK]
            occluded = np.repeat(batch, len(chunk), axis=0)
            for row, (y, x) in enumerate(chunk):
                occluded[row, y:y + patch, x:x + patch] = grey[y:y + patch, x:x + patch]
            scores = np.asarray(keras_model.predict_on_batch(occluded))[:, index]
            for (y, x), score in zip(chunk, scores):
                drop_sum[y:y + patch, x:x + patch] += probabilities[index] - score
                covered[y:y + patch, x:x + patch] += 1.0
        done.update(positions)
        mean_drop = np.divide(drop_sum, covered, out=np.zeros_like(drop_sum), where=covered > 0)
        yield normalise(geometry.to_frame(np.maximum(mean_drop, 0)))
