"""``python -m cnnexplorer.bench first-prediction``: seconds from launching the app (``--source
sample:chelsea``, a fresh data folder, the model explorer brought forward first) to its first top-5
on screen, beside a plain script that imports Keras, loads the same bundled model and predicts once:
the ratio of the two is what the app adds to the physical minimum (target ≤ 1.15)."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time

from cnnexplorer.bench.launch import launch_env

TARGET_RATIO = 1.15

# The physical minimum: what any program needs to show MobileNetV2's answer for the sample once.
PLAIN_SCRIPT = """
import json, time
import cv2, numpy as np
import keras
from cnnexplorer.core.infra.resources import resource
imported = time.time()
model = keras.saving.load_model(resource("models", "mobilenet_v2_imagenet.keras"), compile=False)
loaded = time.time()
bgr = cv2.imread(str(resource("images", "chelsea.png")))
rgb = cv2.resize(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), (224, 224), interpolation=cv2.INTER_AREA)
batch = (rgb[None].astype(np.float32) / 127.5) - 1.0
top = np.argsort(np.asarray(model.predict_on_batch(batch))[0])[::-1][:5]
print(json.dumps({"tensorflow_ready": imported, "model_loaded": loaded, "top5_drawn": time.time()}))
"""


def _run(what: str, command: list[str], env: dict) -> dict:
    """Seconds from launching ``command`` to each moment it reports (``time.time()`` each)."""
    started = time.time()
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{result.stderr[-3000:]}")
    times = json.loads(result.stdout.strip().splitlines()[-1])
    return {name: at - started for name, at in times.items()}


def bench_first_prediction(runs: int) -> dict:
    env = launch_env()
    env.setdefault("KERAS_BACKEND", "tensorflow")
    apps, plains = [], []
    for _ in range(runs):  # alternated, so a busier minute of a shared machine weighs on both
        with tempfile.TemporaryDirectory() as home:
            env["CNNEXPLORER_HOME"] = home
            apps.append(_run("the app", [sys.executable, "-m", "cnnexplorer", "--first-prediction-probe",
                                         "--source", "sample:chelsea"], env))
        plains.append(_run("the plain script", [sys.executable, "-c", PLAIN_SCRIPT], env))

    def median(rows: list[dict], key: str) -> float | None:
        values = [row[key] for row in rows if key in row]
        return round(statistics.median(values), 3) if values else None

    ratios = [a["top5_drawn"] / p["top5_drawn"] for a, p in zip(apps, plains)]
    return {
        "benchmark": "first-prediction",
        "runs": runs,
        "app_s": {key: median(apps, key) for key in ("window_mapped", "tensorflow_ready", "model_loaded", "top5_drawn")},
        "plain_s": {key: median(plains, key) for key in ("tensorflow_ready", "model_loaded", "top5_drawn")},
        "ratio": round(statistics.median(ratios), 3),
        "ratios": [round(r, 3) for r in ratios],
        "target_ratio": TARGET_RATIO,
    }
