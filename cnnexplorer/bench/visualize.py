"""``python -m cnnexplorer.bench visualize``: seconds to a 224-px channel picture of the bundled
MobileNetV2 with the default settings, and to a recognisable one on the way.

"Recognisable" is measured, not judged: the first step whose picture already drives the channel
to half of what the finished picture does (and above the best of four photos). The view in the
app updates at every step, so that is when the pattern appears on screen."""

from __future__ import annotations

import statistics
import time

TARGET_S, RECOGNISABLE_TARGET_S = 10.0, 3.0
CHANNELS = (("block6_expand_relu6", 5), ("block10_expand_relu6", 7), ("block13_expand_relu6", 11))


def bench_visualize(runs: int) -> list[dict]:
    import numpy as np

    from cnnexplorer.core.frames.images import load_image
    from cnnexplorer.core.infra.resources import resource
    from cnnexplorer.core.models import zoo
    from cnnexplorer.core.models.attribution import feature_vis, visualize_channel
    from cnnexplorer.core.models.preprocess import prepare
    from cnnexplorer.core.models.taps import probe

    model = zoo.load_model("mobilenet_v2")
    names = ("chelsea.png", "coffee.png", "astronaut.png", "horse.png")
    photos = [load_image(resource("images", name)) for name in names]
    rows = []
    for layer, channel in CHANNELS[: max(1, min(runs, len(CHANNELS)))]:
        run = probe(model.model, layer)

        def response(rgb, run=run, channel=channel) -> float:
            return float(np.asarray(run(prepare(rgb, 224, "torch"))[1])[0, ..., channel].mean())

        best_photo = max(response(p) for p in photos)
        stamps, pictures = [], []
        start = time.perf_counter()

        def on_step(image) -> None:
            stamps.append(time.perf_counter() - start)
            pictures.append(image)

        final = visualize_channel(model, layer, channel, on_step=on_step)
        total = time.perf_counter() - start
        final_response = response(final)
        threshold = max(best_photo, 0.5 * final_response)
        recognisable = next((stamps[i] for i in range(0, len(pictures), 4) if response(pictures[i]) >= threshold),
                            total)
        rows.append({
            "benchmark": "visualize", "model": "mobilenet_v2", "layer": layer, "channel": channel, "size": 224,
            "steps": feature_vis.DEFAULT_STEPS, "seconds_total": round(total, 2),
            "seconds_first_step_incl_trace": round(stamps[0], 2),
            "ms_per_step": round(1000 * statistics.median(np.diff(stamps)), 1),
            "seconds_to_recognisable": round(recognisable, 2),
            "channel_response": round(final_response, 3), "best_photo_response": round(best_photo, 3),
            "target_s": TARGET_S, "recognisable_target_s": RECOGNISABLE_TARGET_S,
        })
    return rows
