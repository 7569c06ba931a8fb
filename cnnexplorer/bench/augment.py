"""``python -m cnnexplorer.bench augment``: ms to make the augmentation lab's 16-tile grid of a 640×480
frame, as its worker does (tiles and their explanations), and what the explanations add."""

from __future__ import annotations

import statistics
import time

TARGET_MS = 100.0


def bench_augment(runs: int) -> list[dict]:
    import cv2

    from cnnexplorer.core.augment.pipeline import PRESETS, Previewer, preset
    from cnnexplorer.core.augment.preview import TILE_SIZE, TILES, GridMaker, PreviewRequest
    from cnnexplorer.core.frames.sources import open_source

    source = open_source("sample:astronaut")
    source.open()
    frame = cv2.resize(source.read(), (640, 480), interpolation=cv2.INTER_AREA)
    rows = []
    for name in PRESETS:
        pipeline = preset(name)
        maker, plain = GridMaker(), Previewer(pipeline)
        maker(PreviewRequest(frame, pipeline.to_dict(), 0))  # build once, as the dock's worker does
        plain.preview(frame, TILES, 0, size=TILE_SIZE)
        grid_ms, plain_ms = [], []
        for seed in range(max(5, runs * 2)):  # interleaved: both see the same load
            start = time.perf_counter()
            maker(PreviewRequest(frame, pipeline.to_dict(), seed))
            grid_ms.append((time.perf_counter() - start) * 1000.0)
            start = time.perf_counter()
            plain.preview(frame, TILES, seed, size=TILE_SIZE)
            plain_ms.append((time.perf_counter() - start) * 1000.0)
        median = statistics.median(grid_ms)
        rows.append({"benchmark": "augment", "pipeline": name, "frame": "640x480", "tiles": TILES,
                     "tile_long_side": TILE_SIZE, "median_ms": round(median, 1),
                     "without_explanations_ms": round(statistics.median(plain_ms), 1), "target_ms": TARGET_MS,
                     "ratio_to_target": round(median / TARGET_MS, 2)})
    return rows
