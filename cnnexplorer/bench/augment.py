"""``python -m cnnexplorer.bench augment``: ms to refresh the 16-tile preview grid of a 640×480 frame."""

from __future__ import annotations

import statistics
import time

TARGET_MS = 100.0


def bench_augment(runs: int) -> list[dict]:
    import cv2

    from cnnexplorer.core.augment.pipeline import PRESETS, Previewer, preset
    from cnnexplorer.core.frames.sources import open_source
    from cnnexplorer.gui.augment.dock import TILE_SIZE, TILES

    source = open_source("sample:astronaut")
    source.open()
    frame = cv2.resize(source.read(), (640, 480), interpolation=cv2.INTER_AREA)
    rows = []
    for name in PRESETS:
        previewer = Previewer(preset(name))
        previewer.preview(frame, TILES, 0, size=TILE_SIZE)  # build and compile once, as the dock does
        times = []
        for seed in range(max(5, runs * 2)):
            start = time.perf_counter()
            previewer.preview(frame, TILES, seed, size=TILE_SIZE)
            times.append((time.perf_counter() - start) * 1000.0)
        median = statistics.median(times)
        rows.append({"benchmark": "augment", "pipeline": name, "frame": "640x480", "tiles": TILES,
                     "tile_long_side": TILE_SIZE, "median_ms": round(median, 1), "target_ms": TARGET_MS,
                     "ratio_to_target": round(median / TARGET_MS, 2)})
    return rows
