"""``python -m cnnexplorer.bench surgery``: an edit shows on the next frame. Plain: one forward pass
(``predict_on_batch``) of the bundled MobileNetV2. Edited: a new kernel written into one filter of
the first layer (through its BatchNormalization) and then the same forward pass. The two alternate
frame by frame; the ratio is the median edited time over the median plain time (target ≤ 1.2)."""

from __future__ import annotations

import statistics
import time

import numpy as np

TARGET_RATIO = 1.2


def bench_surgery(runs: int) -> dict:
    from cnnexplorer.core.frames.images import load_image
    from cnnexplorer.core.infra.resources import resource
    from cnnexplorer.core.models import zoo
    from cnnexplorer.core.models.surgery import edit_kernel, undo

    model = zoo.load_model("mobilenet_v2")
    batch = model.prepare(load_image(resource("images", "chelsea.png")))
    keras_model = model.model
    keras_model.predict_on_batch(batch)  # warm up
    rng = np.random.default_rng(0)
    plain, edited, edits = [], [], []
    for i in range(max(20, runs * 10)):
        start = time.perf_counter()
        keras_model.predict_on_batch(batch)
        plain.append(time.perf_counter() - start)
        kernel = rng.normal(0, 1, (3, 3)).astype(np.float32)
        start = time.perf_counter()
        edit = edit_kernel(keras_model, "stem_conv", i % 32, kernel, folded=True)
        edit_done = time.perf_counter()
        keras_model.predict_on_batch(batch)
        edited.append(time.perf_counter() - start)
        edits.append(edit_done - start)
        undo(keras_model, edit)
    ratio = statistics.median(edited) / statistics.median(plain)
    return {"bench": "surgery", "model": "mobilenet_v2", "frames": len(plain),
            "plain_forward_ms": round(statistics.median(plain) * 1000, 2),
            "edit_ms": round(statistics.median(edits) * 1000, 2),
            "edit_and_forward_ms": round(statistics.median(edited) * 1000, 2),
            "ratio": round(ratio, 3), "target_ratio": TARGET_RATIO, "meets_target": ratio <= TARGET_RATIO}
