"""``python -m cnnexplorer.bench train``: plain ``model.fit`` against the app's training worker
(progress callback, checkpoints, curves redrawn in an offscreen window), same model, same data.

The machine's speed drifts (other processes, turbo, caches), so one fit of each says little: after
one warm-up fit of each, plain and app fits run in turn (plain, app, plain, app, …, plain), each app
fit is divided by the mean of the plain fits either side of it, and the figure is the median of
those ``runs`` ratios.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

TARGET_RATIO = 0.95


def plain_fit_rate(build, data, epochs: int, batch_size: int, learning_rate: float) -> float:
    """Samples/s of a fresh model fitted with no callbacks (tracing and validation counted, as in
    the app's runs)."""
    import keras

    from cnnexplorer.core.training.builders import model_input

    keras.utils.set_random_seed(0)
    model = build()
    model.compile(keras.optimizers.Adam(learning_rate), "sparse_categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(model_input(data.x_train), data.y_train, batch_size=batch_size, epochs=epochs,
              validation_data=(model_input(data.x_val), data.y_val), verbose=0)
    return epochs * len(data.x_train) / (time.perf_counter() - start)


def paired_runs(plain: Callable[[], float], other: Callable[[], float], runs: int) -> dict:
    """Run ``plain`` and ``other`` in turn, plain first and last: after a warm-up of each (not
    counted), P A P A … A P with ``runs`` runs of ``other``. Each ``other`` is compared with the
    mean of the two ``plain`` runs either side of it, which cancels a steady drift of the machine.
    Returns the medians of the rates and of those ratios."""
    plain(), other()
    plains, others = [plain()], []
    for _ in range(max(1, runs)):
        others.append(other())
        plains.append(plain())
    ratios = [b / ((plains[i] + plains[i + 1]) / 2) for i, b in enumerate(others)]
    return {"pairs": len(others), "plain": statistics.median(plains), "other": statistics.median(others),
            "ratio": statistics.median(ratios), "ratios": [round(r, 3) for r in ratios]}


def run_event_loop_until(condition: Callable[[], bool], check_ms: int = 100) -> None:
    """Run Qt's event loop, as the app does, until ``condition()`` holds: the GUI thread sleeps
    between events instead of polling (a polling loop would wake it hundreds of times a second)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    timer = QTimer(interval=check_ms)
    timer.timeout.connect(lambda: loop.quit() if condition() else None)
    timer.start()
    loop.exec()
    timer.stop()


def bench_train(runs: int, epochs: int = 4) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from cnnexplorer.core.models.tf_devices import devices
    from cnnexplorer.core.training import builders, datasets
    from cnnexplorer.core.training.builders import CnnSpec, ConvBlock
    from cnnexplorer.gui.training.tab import TrainingTab

    data = datasets.shapes(size=32, per_class=500)
    spec = CnnSpec(blocks=[ConvBlock(16), ConvBlock(32), ConvBlock(32)], dense=64)  # the tab's default CNN

    def plain() -> float:
        build = lambda: builders.small_cnn(data.image_shape, len(data.class_names), spec)  # noqa: E731
        return plain_fit_rate(build, data, epochs, 32, 2e-3)

    app = QApplication.instance() or QApplication([])
    tab = TrainingTab()
    tab.resize(1400, 800)
    tab.show()
    tab.dataset, tab.dataset_spec = data, tab.setup.dataset_spec()  # as if loaded from the tab's settings
    tab.setup.epochs.setValue(epochs)
    tab.setup.learning_rate.setValue(2e-3)

    def app_worker() -> float:
        tab.start()
        # Ended: the thread is done and the tab has had its result (or its failure, which re-enables Start).
        run_event_loop_until(lambda: not tab.running and (tab.result is not None or tab.start_button.isEnabled()))
        if tab.result is None:
            raise RuntimeError(f"the app's training did not finish: {tab.status.text()}")
        return tab.result.samples_per_s

    figures = paired_runs(plain, app_worker, runs)
    tab.close()
    return {
        "benchmark": "train", "model": "small_cnn", "samples": len(data.x_train), "epochs": epochs,
        "devices": devices(), "pairs": figures["pairs"], "plain_fit_samples_per_s": round(figures["plain"], 1),
        "app_worker_samples_per_s": round(figures["other"], 1), "ratio": round(figures["ratio"], 3),
        "pair_ratios": figures["ratios"], "target_ratio": TARGET_RATIO,
    }


def bench_train_core(runs: int, epochs: int = 3, batch_size: int = 128) -> list[dict]:
    """No Qt: plain ``model.fit`` against the headless trainer (:func:`~cnnexplorer.core.training.runner.train_run`:
    run file, progress relay, snapshots, saves) on the same data, for machines without a display or
    TensorFlow (``KERAS_BACKEND=jax`` works); paired runs as in :func:`bench_train`. Small CNN and the
    frozen MobileNetV2 transfer model; then, with TensorFlow, two local worker processes
    (``TF_CONFIG``) against one process on the same run file."""
    import tempfile

    from cnnexplorer.core.models.tf_devices import backend, devices
    from cnnexplorer.core.training import datasets
    from cnnexplorer.core.training.runfile import FitSettings, ModelSpec, RunFile, model_builder
    from cnnexplorer.core.training.runner import train_run

    rows = []
    cases = {"small_cnn": (32, ModelSpec("cnn", [16, 32, 32])), "transfer_mobilenet_v2": (96, ModelSpec("transfer"))}
    for name, (size, model) in cases.items():
        run = RunFile(datasets.DatasetSpec("shapes", size, 5, 400), model,
                      FitSettings("adam", 1e-3, batch_size, epochs), seed=0)
        data = datasets.load_dataset(run.dataset)
        accuracy = []

        def plain() -> float:
            return plain_fit_rate(model_builder(run.model, data.image_shape, len(data.class_names)), data, epochs,
                                  batch_size, 1e-3)

        def headless() -> float:
            with tempfile.TemporaryDirectory() as folder:
                result = train_run(run, Path(folder) / "run", dataset=data)
            accuracy.append(result.val_accuracy)
            return result.samples_per_s

        figures = paired_runs(plain, headless, runs)
        rows.append({
            "benchmark": "train-core", "model": name, "image": f"{size}x{size}", "samples": len(data.x_train),
            "epochs": epochs, "batch_size": batch_size, "backend": backend(), "devices": devices(),
            "pairs": figures["pairs"], "plain_fit_samples_per_s": round(figures["plain"], 1),
            "headless_samples_per_s": round(figures["other"], 1), "ratio": round(figures["ratio"], 3),
            "target_ratio": TARGET_RATIO, "pair_ratios": figures["ratios"],
            "val_accuracy": round(statistics.median(accuracy), 3),
        })
    if backend() == "tensorflow":
        rows.append(two_local_workers(epochs, batch_size))
    return rows


def two_local_workers(epochs: int, batch_size: int, timeout_s: float = 600) -> dict:
    """``cnnexplorer train`` as two local worker processes (``TF_CONFIG`` on localhost) and as one
    process, on the same small-CNN run file; each reports the samples/s of its fit (all workers'
    samples: a global batch is split between them)."""
    import json
    import re
    import socket
    import subprocess
    import sys
    import tempfile

    from cnnexplorer.core.training.runfile import FitSettings, ModelSpec, RunFile, save_run_file
    from cnnexplorer.core.training.datasets import DatasetSpec

    def rate(stdout: str) -> float:
        found = re.findall(r"([\d,.]+) samples/s · weights", stdout)
        if not found:
            raise RuntimeError(f"no final line from the trainer: {stdout[-500:]}")
        return float(found[-1].replace(",", ""))

    with tempfile.TemporaryDirectory() as folder:
        run = RunFile(DatasetSpec("shapes", 32, 5, 400), ModelSpec("cnn", [16, 32, 32]),
                      FitSettings("adam", 1e-3, batch_size, epochs), seed=0)
        run_file = str(save_run_file(run, Path(folder) / "run.json"))
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
        env.pop("TF_CONFIG", None)
        command = [sys.executable, "-m", "cnnexplorer.train", run_file]
        alone = subprocess.run([*command, "--out", f"{folder}/alone"], capture_output=True, text=True, env=env,
                               timeout=timeout_s)
        sockets = [socket.socket() for _ in range(2)]
        for s in sockets:
            s.bind(("localhost", 0))
        workers = [f"localhost:{s.getsockname()[1]}" for s in sockets]
        for s in sockets:
            s.close()
        procs = [subprocess.Popen([*command, "--out", f"{folder}/pair"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env={**env, "TF_CONFIG": json.dumps(
                                      {"cluster": {"worker": workers}, "task": {"type": "worker", "index": i}})})
                 for i in range(2)]
        outputs = [p.communicate(timeout=timeout_s)[0] for p in procs]
    return {"benchmark": "train-core", "model": "small_cnn", "case": "two local workers (TF_CONFIG)",
            "image": "32x32", "samples": 1600, "epochs": epochs, "batch_size": batch_size,
            "one_process_samples_per_s": rate(alone.stdout),
            "worker_samples_per_s": [rate(out) for out in outputs]}
