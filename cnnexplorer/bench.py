"""Benchmarks: ``python -m cnnexplorer.bench NAME``; each prints JSON lines with figures and ratios."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

STARTUP_TARGET_S = 1.5


def bench_startup(runs: int) -> dict:
    """Seconds from process start to the main window shown (TensorFlow still loading behind it)."""
    times, states, imported = [], [], []
    env = dict(os.environ)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
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


# Each benchmark lives in its own module, imported only when asked for (they pull in Qt or Keras).
BENCHMARKS = {
    "startup": "cnnexplorer.bench:bench_startup",
    "conv": "cnnexplorer.bench_conv:bench_conv",
    "live": "cnnexplorer.bench_live:bench_live",
    "train": "cnnexplorer.bench_train:bench_train",
    "train-core": "cnnexplorer.bench_train:bench_train_core",
    "augment": "cnnexplorer.bench_augment:bench_augment",
}


def _benchmark(name: str):
    module, _, function = BENCHMARKS[name].partition(":")
    return getattr(importlib.import_module(module), function)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cnnexplorer.bench", description=__doc__)
    parser.add_argument("name", choices=sorted(BENCHMARKS))
    parser.add_argument("--runs", type=int, default=5, help="repetitions (the median is reported)")
    parser.add_argument("--model", default="mobilenet_v2", help="live: the zoo model")
    parser.add_argument("--layer", help="live: the layer tapped (default: the last convolution)")
    args = parser.parse_args(argv)
    extra = {"model_name": args.model, "layer": args.layer} if args.name == "live" else {}
    figures = _benchmark(args.name)(args.runs, **extra)
    for row in figures if isinstance(figures, list) else [figures]:
        print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
