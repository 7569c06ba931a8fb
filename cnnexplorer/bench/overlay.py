"""``python -m cnnexplorer.bench live --overlay gradcam [--frames N]``: Grad-CAM on every frame
against the bare network in the same run.

Bare: ``predict_on_batch`` on a ready batch. CAM: the Attribution panel's per-frame work — frame →
preprocessing → one compiled call returning the probabilities, the tapped layer and the CAM →
the map undone onto the 640×480 frame. The two alternate in segments of the same length and the
ratio is the median of CAM over bare per pair. Then N frames in a row: the compiled function's
trace count and the process's resident memory from the first tenth to the end."""

from __future__ import annotations

import statistics
import time

from cnnexplorer.bench.soak import rss_mb

TARGET_RATIO = 0.9
SEGMENT_FRAMES = 20


def bench_overlay(runs: int, model_name: str = "mobilenet_v2", layer: str | None = None, frames: int = 1000,
                  method: str = "gradcam") -> dict:
    import cv2

    from cnnexplorer.core.frames.sources import open_source
    from cnnexplorer.core.models import zoo
    from cnnexplorer.core.models.attribution import cam_runner, explain
    from cnnexplorer.core.models.preprocess import prepare

    model = zoo.load_model(model_name)
    source = open_source("sample:astronaut")
    source.open()
    rgb = cv2.resize(source.read(), (640, 480), interpolation=cv2.INTER_AREA)
    batch = prepare(rgb, model.input_size, model.preprocessing)
    model.model.predict_on_batch(batch)
    result = explain(model, rgb, layer=layer, method=method)  # builds it and answers eagerly
    explain(model, rgb, layer=result.layer, method=method)  # traces the compiled call
    runner = cam_runner(model.model, result.layer, method)

    def rate(work) -> float:
        start = time.perf_counter()
        for _ in range(SEGMENT_FRAMES):
            work()
        return SEGMENT_FRAMES / (time.perf_counter() - start)

    bare_fps, cam_fps, runner_fps = [], [], []
    for _ in range(max(3, runs)):
        bare_fps.append(rate(lambda: model.model.predict_on_batch(batch)))
        cam_fps.append(rate(lambda: explain(model, rgb, layer=result.layer, method=method)))
        runner_fps.append(rate(lambda: runner(batch, [-1])))
    ratios = [c / b for c, b in zip(cam_fps, bare_fps)]
    start_rss = end_rss = rss_mb()
    start = time.perf_counter()
    for index in range(frames):
        explain(model, rgb, layer=result.layer, method=method)
        if index == frames // 10:
            start_rss = rss_mb()
    end_rss = rss_mb()
    return {
        "benchmark": "live-overlay", "overlay": method, "model": model_name, "layer": result.layer,
        "frame": "640x480", "segments": len(ratios), "frames_per_segment": SEGMENT_FRAMES,
        "bare_predict_on_batch_fps": round(statistics.median(bare_fps), 2),
        "cam_per_frame_fps": round(statistics.median(cam_fps), 2),
        "compiled_call_only_fps": round(statistics.median(runner_fps), 2),
        "ratio": round(statistics.median(ratios), 3),
        "segment_ratios": [round(r, 3) for r in ratios],
        "target_ratio": TARGET_RATIO,
        "frames_in_a_row": frames, "fps_in_a_row": round(frames / (time.perf_counter() - start), 2),
        "traces_after_all_frames": runner.traces,
        "rss_growth_mb": round(end_rss - start_rss, 1), "rss_mb": round(end_rss, 1),
    }
