"""``python -m cnnexplorer.bench startup``: seconds from process start to the main window shown."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time

from cnnexplorer.bench.launch import launch_env

STARTUP_TARGET_S = 1.2


def bench_startup(runs: int) -> dict:
    """Seconds from process start to the main window shown (TensorFlow still loading behind it)."""
    times, states, imported = [], [], []
    env = launch_env()
    with tempfile.TemporaryDirectory() as home:
        env["CNNEXPLORER_HOME"] = home
        for _ in range(runs):
            started = time.time()
            result = subprocess.run(
                [sys.executable, "-m", "cnnexplorer", "--startup-probe"],
                capture_output=True, text=True, env=env, timeout=300,
            )
            if result.returncode != 0:
                raise RuntimeError(f"start-up probe failed:\n{result.stderr}")
            probe = json.loads(result.stdout.strip().splitlines()[-1])
            times.append(probe["shown_at"] - started)
            states.append(probe["keras_state_after_show"])
            imported.append(probe["keras_imported_at_show"])
    median = statistics.median(times)
    return {
        "benchmark": "startup",
        "runs": runs,
        "median_s": round(median, 3),
        "min_s": round(min(times), 3),
        "max_s": round(max(times), 3),
        "target_s": STARTUP_TARGET_S,
        "ratio_to_target": round(median / STARTUP_TARGET_S, 3),
        "keras_imported_at_show": any(imported),
        "keras_state_after_show": sorted(set(states)),
    }
