"""``python -m cnnexplorer.bench freeze``: GUI-thread stalls of the real window on a looping clip.

Phases (start-up excluded): loading each zoo model with the model explorer on screen (the load, then
a few seconds of live frames on it), then the lecture scenario that once froze the window —
InceptionV3 loaded, the augmentation lab on screen with RandAugment, the filter bank at 16 random
7×7 filters behind it. One JSON line per phase: the longest stall, stalls over 100 ms, and with
``--profile`` where the GUI thread was while late (innermost project frames, samples every 10 ms)."""

from __future__ import annotations

import json
import os
import time

from cnnexplorer.bench.launch import cache_bytecode

MODELS = ("mobilenet_v2", "inception_v3", "vgg16")
# targets: a load stalls the GUI thread at most 0.2 s; no stall over 0.1 s in any phase


def bench_freeze(runs: int, scenario_s: float = 40.0, settle_s: float = 5.0, profile: bool = False,
                 models: tuple[str, ...] = MODELS) -> list:
    cache_bytecode()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from cnnexplorer.bench.soak import live_window
    from cnnexplorer.bench.stalls import StallMeter
    from cnnexplorer.core.augment.pipeline import preset
    from cnnexplorer.gui.common.keras_loader import KerasState
    from cnnexplorer.gui.common.wait import wait_until

    with live_window() as (app, window, clip):
        explorer = window.explorer
        explorer.raise_()
        meter = StallMeter(profile=profile)
        started = time.perf_counter()
        window.start_background_work(str(clip))
        wait_until(app, lambda: explorer.keras.state == KerasState.READY and explorer.session.model is not None
                   and explorer.loader is None, 600)
        _row("start-up", meter, time.perf_counter() - started, explorer.results_shown)

        def loaded(name: str) -> bool:
            model = explorer.session.model
            return explorer.loader is None and model is not None and model.name == name

        for name in models:
            explorer.raise_()
            wait_until(app, lambda: False, 1.0)
            meter.reset()
            shown = explorer.results_shown
            began = time.perf_counter()
            explorer.load_zoo(name)
            wait_until(app, lambda name=name: loaded(name), 600)
            load_s = time.perf_counter() - began
            wait_until(app, lambda: False, settle_s)
            _row(f"load {name}", meter, load_s, explorer.results_shown - shown, profile)

        if "inception_v3" not in models[-1:]:
            explorer.load_zoo("inception_v3")
            wait_until(app, lambda: loaded("inception_v3"), 600)
        window.filter_bank.bank_combo.setCurrentText("random")
        window.filter_bank.count.setValue(16)
        window.filter_bank.size.setValue(7)
        window.augment.set_augmenter(preset("RandAugment (N=2, M=9)"))
        window.augment.raise_()
        wait_until(app, lambda: False, settle_s)  # past the collection of the replaced model: steady state
        meter.reset()
        shown = window.augment.results_shown
        wait_until(app, lambda: False, scenario_s)
        _row("scenario", meter, scenario_s, window.augment.results_shown - shown, profile)
        meter.stop()
        window.close()
    return []  # every phase was printed as it came


def _row(phase: str, meter, seconds: float, results: int, profile: bool = False) -> dict:
    row = {"benchmark": "freeze", "phase": phase, "seconds": round(seconds, 2), "results_shown": results,
           **meter.figures()}
    if profile:
        row["stalled_in"] = meter.top()
    print(json.dumps(row), flush=True)  # as it comes: the whole run takes minutes
    return row

