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

TARGET_RATIO = 0.95


def plain_fit_rate(build, data, epochs: int, batch_size: int, learning_rate: float) -> float:
    """Samples/s of a fresh model fitted with no callbacks (tracing and validation counted, as in
    the app's runs)."""
    import keras

    keras.utils.set_random_seed(0)
    model = build()
    model.compile(keras.optimizers.Adam(learning_rate), "sparse_categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(data.x_train.astype("float32"), data.y_train, batch_size=batch_size, epochs=epochs,
              validation_data=(data.x_val.astype("float32"), data.y_val), verbose=0)
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
    tab.dataset = data
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
    """No Qt: plain ``model.fit`` against :func:`run_training` (progress relay, snapshots, saves), for
    machines without a display or TensorFlow (``KERAS_BACKEND=jax`` works). Small CNN and the frozen
    MobileNetV2 transfer model; paired runs as in :func:`bench_train`."""
    import tempfile

    from cnnexplorer.core.models.tf_devices import backend, devices
    from cnnexplorer.core.training import builders, datasets
    from cnnexplorer.core.training.builders import CnnSpec, ConvBlock
    from cnnexplorer.core.training.fit import TrainConfig, run_training

    rows = []
    cases = {
        "small_cnn": (32, lambda shape, n: builders.small_cnn(
            shape, n, CnnSpec(blocks=[ConvBlock(16), ConvBlock(32), ConvBlock(32)], dense=64))),
        "transfer_mobilenet_v2": (96, lambda shape, n: builders.transfer(shape, n)),
    }
    for name, (size, build) in cases.items():
        data = datasets.shapes(size=size, per_class=400)
        accuracy = []

        def plain() -> float:
            return plain_fit_rate(lambda: build(data.image_shape, len(data.class_names)), data, epochs,
                                  batch_size, 1e-3)

        def core() -> float:
            with tempfile.TemporaryDirectory() as run_dir:
                result = run_training(lambda: build(data.image_shape, len(data.class_names)), data,
                                      TrainConfig(batch_size=batch_size, epochs=epochs, seed=0), run_dir=run_dir)
            accuracy.append(result.val_accuracy)
            return result.samples_per_s

        figures = paired_runs(plain, core, runs)
        rows.append({
            "benchmark": "train-core", "model": name, "image": f"{size}x{size}", "samples": len(data.x_train),
            "epochs": epochs, "batch_size": batch_size, "backend": backend(), "devices": devices(),
            "pairs": figures["pairs"], "plain_fit_samples_per_s": round(figures["plain"], 1),
            "run_training_samples_per_s": round(figures["other"], 1), "ratio": round(figures["ratio"], 3),
            "pair_ratios": figures["ratios"], "val_accuracy": round(statistics.median(accuracy), 3),
        })
    return rows
