"""``python -m cnnexplorer.bench train``: plain ``model.fit`` against the app's training worker
(progress callback, checkpoints, curves redrawn in an offscreen window), same model, same data."""

from __future__ import annotations

import os
import time

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


def bench_train(runs: int, epochs: int = 4) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from cnnexplorer.core.training import builders, datasets
    from cnnexplorer.core.training.builders import CnnSpec, ConvBlock
    from cnnexplorer.core.models.tf_devices import devices
    from cnnexplorer.gui.training.tab import TrainingTab
    from cnnexplorer.gui.common.wait import wait_until

    data = datasets.shapes(size=32, per_class=100 * max(1, runs))
    spec = CnnSpec(blocks=[ConvBlock(16), ConvBlock(32), ConvBlock(32)], dense=64)

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
    before = plain()
    tab.start()
    wait_until(app, lambda: tab.result is not None or not tab.running, 3600)
    wait_until(app, lambda: tab.result is not None, 5)  # the result arrives as a queued signal
    if tab.result is None:
        raise RuntimeError(f"the app's training did not finish: {tab.status.text()}")
    app_rate = tab.result.samples_per_s
    plain_rate = (before + plain()) / 2
    tab.close()
    return {
        "benchmark": "train", "model": "small_cnn", "samples": len(data.x_train), "epochs": epochs,
        "devices": devices(), "plain_fit_samples_per_s": round(plain_rate, 1),
        "app_worker_samples_per_s": round(app_rate, 1), "ratio": round(app_rate / plain_rate, 3),
        "target_ratio": TARGET_RATIO,
    }


def bench_train_core(runs: int, epochs: int = 3, batch_size: int = 128) -> list[dict]:
    """No Qt: plain ``model.fit`` against :func:`run_training` (progress relay, snapshots, saves), for
    machines without a display or TensorFlow (``KERAS_BACKEND=jax`` works). Small CNN and the frozen
    MobileNetV2 transfer model."""
    import tempfile

    from cnnexplorer.core.training import builders, datasets
    from cnnexplorer.core.training.builders import CnnSpec, ConvBlock
    from cnnexplorer.core.models.tf_devices import backend, devices
    from cnnexplorer.core.training.fit import TrainConfig, run_training

    rows = []
    cases = {
        "small_cnn": (32, lambda shape, n: builders.small_cnn(
            shape, n, CnnSpec(blocks=[ConvBlock(16), ConvBlock(32), ConvBlock(32)], dense=64))),
        "transfer_mobilenet_v2": (96, lambda shape, n: builders.transfer(shape, n)),
    }
    for name, (size, build) in cases.items():
        data = datasets.shapes(size=size, per_class=400 * max(1, runs))

        def plain() -> float:
            return plain_fit_rate(lambda: build(data.image_shape, len(data.class_names)), data, epochs,
                                  batch_size, 1e-3)

        before = plain()
        with tempfile.TemporaryDirectory() as run_dir:
            result = run_training(lambda: build(data.image_shape, len(data.class_names)), data,
                                  TrainConfig(batch_size=batch_size, epochs=epochs, seed=0), run_dir=run_dir)
        plain_rate = (before + plain()) / 2
        rows.append({
            "benchmark": "train-core", "model": name, "image": f"{size}x{size}", "samples": len(data.x_train),
            "epochs": epochs, "batch_size": batch_size, "backend": backend(), "devices": devices(),
            "plain_fit_samples_per_s": round(plain_rate, 1), "run_training_samples_per_s": round(result.samples_per_s, 1),
            "ratio": round(result.samples_per_s / plain_rate, 3), "val_accuracy": round(result.val_accuracy, 3),
        })
    return rows
