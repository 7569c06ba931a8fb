"""``python -m cnnexplorer.bench conv``: the convolution lab against raw ``cv2.filter2D``."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import cv2
import numpy as np

from cnnexplorer.core.conv.ops import conv2d_reference
from cnnexplorer.core.conv.lab import LabSettings, run_lab
from cnnexplorer.core.conv.kernels import gaussian
from cnnexplorer.core.frames.sources import open_source

TARGET_RATIO = 1.5
CASES = {
    "stride1-same": dict(padding="same"),
    "stride2": dict(padding="same", stride=(2, 2)),
    "dilation2": dict(padding="same", dilation=(2, 2)),
    "maxpool2": dict(padding="same", pool="max"),
}


def _median_ms(*fns: Callable[[], object], repeats: int) -> list[float]:
    """Median ms of each function, timed in turns so machine noise hits them alike."""
    for fn in fns:  # warm up (caches, OpenCV's thread pool, the clock) for a fifth of a second each
        until = time.perf_counter() + 0.2
        while True:
            fn()
            if time.perf_counter() > until:
                break
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for fn, bucket in zip(fns, times):
            start = time.perf_counter()
            fn()
            bucket.append((time.perf_counter() - start) * 1000.0)
    return [statistics.median(bucket) for bucket in times]


def _frame() -> np.ndarray:
    source = open_source("sample:astronaut")
    source.open()
    return cv2.resize(source.read(), (640, 480), interpolation=cv2.INTER_AREA)


def _display_timer() -> Callable:
    """Time drawing a lab result in the lab's own views, painted offscreen."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from cnnexplorer.gui.conv.views import ConvViews

    app = QApplication.instance() or QApplication([])
    views = ConvViews()
    views.resize(1000, 500)
    views.show()

    def draw(result, settings) -> None:
        views.draw(result, settings)
        views.repaint()
        app.processEvents()

    draw.keep_alive = (app, views)  # the widgets live as long as the timer
    return draw


def bench_conv(runs: int) -> list[dict]:
    rgb = _frame()
    draw = _display_timer()
    # Raw filter2D twice: on the frame as captured (uint8 in, float32 out) and, stricter, on a
    # float32 copy made beforehand (OpenCV filters float32 ~3× faster; the lab converts first).
    frame32 = rgb.astype(np.float32)
    repeats = max(20, runs * 20)
    # Spin up OpenCV's thread pool, the allocator and the first paint before timing anything.
    first = LabSettings(channels="rgb")
    _median_ms(lambda: draw(run_lab(rgb, first), first), lambda: cv2.filter2D(frame32, -1, gaussian(3)), repeats=repeats)
    rows = []
    for size in (3, 11):
        kernel = gaussian(size, size / 3) - gaussian(size, size / 6)  # signed, like an edge filter
        for case, options in CASES.items():
            settings = LabSettings(kernel=kernel, channels="rgb", **options)
            dilation = settings.dilation[0]
            dense = np.zeros(((size - 1) * dilation + 1,) * 2, np.float32)
            dense[::dilation, ::dilation] = kernel
            lab_ms, raw_ms, raw_u8_ms = _median_ms(
                lambda: run_lab(rgb, settings),
                lambda: cv2.filter2D(frame32, -1, dense),
                lambda: cv2.filter2D(rgb, cv2.CV_32F, dense),
                repeats=repeats,
            )
            result = run_lab(rgb, settings)
            (display_ms,) = _median_ms(lambda: draw(result, settings), repeats=repeats)
            (ref_ms,) = _median_ms(lambda: conv2d_reference(rgb, kernel, **settings.conv_kwargs()), repeats=3)
            rows.append({
                "benchmark": "conv", "kernel": f"{size}x{size}", "case": case, "frame": "640x480x3",
                "lab_ms": round(lab_ms, 3),
                "filter2d_float_ms": round(raw_ms, 3), "ratio_lab_to_filter2d_float": round(lab_ms / raw_ms, 3),
                "filter2d_uint8_ms": round(raw_u8_ms, 3), "ratio_lab_to_filter2d_uint8": round(lab_ms / raw_u8_ms, 3),
                "target_ratio": TARGET_RATIO,
                "display_ms": round(display_ms, 3), "frames_per_s_with_display": round(1000 / (lab_ms + display_ms), 1),
                "reference_ms": round(ref_ms, 2),
                "reference_to_lab": round(ref_ms / lab_ms, 1),
            })
    return rows
