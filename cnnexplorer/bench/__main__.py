"""Benchmarks: ``python -m cnnexplorer.bench NAME``; each prints JSON lines with figures and ratios."""

from __future__ import annotations

import argparse
import importlib
import json
import sys

# Each benchmark lives in its own module, imported only when asked for (they pull in Qt or Keras).
BENCHMARKS = {
    "startup": "cnnexplorer.bench.startup:bench_startup",
    "first-prediction": "cnnexplorer.bench.first_prediction:bench_first_prediction",
    "conv": "cnnexplorer.bench.conv:bench_conv",
    "live": "cnnexplorer.bench.live:bench_live",
    "train": "cnnexplorer.bench.train:bench_train",
    "train-core": "cnnexplorer.bench.train:bench_train_core",
    "augment": "cnnexplorer.bench.augment:bench_augment",
    "soak": "cnnexplorer.bench.soak:bench_soak",
    "freeze": "cnnexplorer.bench.freeze:bench_freeze",
    "surgery": "cnnexplorer.bench.surgery:bench_surgery",
    "visualize": "cnnexplorer.bench.visualize:bench_visualize",
    "record": "cnnexplorer.bench.record:bench_record",
    "scenes": "cnnexplorer.bench.scenes:bench_scenes",
    "stage": "cnnexplorer.bench.stage:bench_stage",
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
    parser.add_argument("--overlay", choices=("gradcam", "gradcam++", "eigencam"),
                        help="live: a class activation map on every frame instead of the explorer's grid")
    parser.add_argument("--no-views", action="store_true",
                        help="live: the same pipeline without showing its results (what the views cost)")
    parser.add_argument("--frames", type=int, default=1000,
                        help="live --overlay: frames in a row for the trace count and memory growth")
    parser.add_argument("--minutes", type=float, default=60.0, help="soak: how long to run")
    parser.add_argument("--switch-s", type=float, default=20.0, help="soak: seconds each panel stays in front")
    parser.add_argument("--scenario-s", type=float, default=40.0, help="freeze: seconds of the lecture scenario")
    parser.add_argument("--profile", action="store_true", help="freeze: where the GUI thread was while stalled")
    parser.add_argument("--shots", help="stage: save a screenshot of every page under this folder")
    parser.add_argument("--setups", help="stage: comma-separated set-ups (default: all three)")
    parser.add_argument("--panels", help="stage: comma-separated panel names (default: all)")
    parser.add_argument("--lang", default="en", help="stage: the language the window speaks (en, ko)")
    args = parser.parse_args(argv)
    if args.no_views and args.overlay:
        parser.error("--no-views leaves out the explorer's views; --overlay measures the overlay instead of them")
    extra = {
        "live": {"model_name": args.model, "layer": args.layer, "overlay": args.overlay, "frames": args.frames,
                 "views": not args.no_views},
        "soak": {"minutes": args.minutes, "switch_s": args.switch_s},
        "freeze": {"scenario_s": args.scenario_s, "profile": args.profile},
        "stage": {"shots": args.shots, "panels": args.panels, "language": args.lang,
                  **({"setups": tuple(args.setups.split(","))} if args.setups else {})},
    }.get(args.name, {})
    figures = _benchmark(args.name)(args.runs, **extra)
    for row in figures if isinstance(figures, list) else [figures]:
        print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
