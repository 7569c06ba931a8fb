"""Training core on the CPU with TensorFlow: real fits, kept small."""

import json
import subprocess
import sys
import threading

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from cnnexplorer.core.training import builders, datasets  # noqa: E402
from cnnexplorer.core.training.builders import CnnSpec, ConvBlock, model_input  # noqa: E402
from cnnexplorer.core.training.callbacks import best_weights_keeper, progress_callback  # noqa: E402
from cnnexplorer.core.training.fit import (  # noqa: E402
    TrainConfig,
    TrainEventKind,
    TrainingError,
    build_for_training,
    fit_model,
    new_run_dir,
    run_training,
    save_results,
    validate_config,
)

SPEC = CnnSpec(blocks=[ConvBlock(16), ConvBlock(32), ConvBlock(32)], dense=64)


@pytest.fixture(scope="module")
def shapes():
    return datasets.shapes(("circle", "square", "triangle", "star", "line"), size=32, per_class=200)


def test_shapes_are_generated_offline_and_split_per_class(shapes):
    assert shapes.x_train.shape[1:] == (32, 32, 3) and shapes.x_train.dtype == np.uint8
    assert len(shapes.x_val) == 5 * 40 and set(np.unique(shapes.y_val)) == set(range(5))
    assert shapes.counts() == {name: 200 for name in shapes.class_names}
    assert len(shapes.preview(3)) == 15
    again = datasets.shapes(("circle", "square", "triangle", "star", "line"), size=32, per_class=200)
    np.testing.assert_array_equal(again.x_train, shapes.x_train)  # same seed, same pictures


def test_small_cnn_learns_shapes_to_90_percent(shapes, tmp_path):
    events = []
    result = run_training(lambda: builders.small_cnn(shapes.image_shape, 5, SPEC), shapes,
                          TrainConfig(epochs=10, batch_size=32, learning_rate=2e-3, snapshot_layer="conv1", seed=0),
                          events.append, run_dir=tmp_path)
    assert result.val_accuracy >= 0.9, result.history["val_accuracy"]
    assert result.confusion.sum() == len(shapes.x_val) and np.trace(result.confusion) >= 0.9 * len(shapes.x_val)
    epochs = [e for e in events if e.kind == "epoch"]
    assert len(epochs) == 10 and epochs[0].filters.shape == (3, 3, 3, 16) and epochs[0].probe.shape == (32, 32, 16)
    assert not np.allclose(epochs[0].filters, epochs[-1].filters)  # the filters moved
    assert {type(e.kind) for e in events} == {TrainEventKind}
    batches = [e for e in events if e.kind == "batch"]
    assert batches[-1].samples_per_s > 0 and batches[0].batches == 25
    history = json.loads((tmp_path / "history.json").read_text())
    assert len(history["loss"]) == 10 and (tmp_path / "history.csv").read_text().startswith("epoch,")
    reloaded = keras.saving.load_model(result.last_path)
    sample = model_input(shapes.x_val[:8])
    trained = keras.saving.load_model(result.last_path).predict(sample, verbose=0)
    np.testing.assert_allclose(reloaded.predict(sample, verbose=0), trained, rtol=1e-5)
    assert result.best_path.exists()


def test_the_stages_compose_into_a_run(tmp_path):
    data = datasets.shapes(("circle", "square"), size=16, per_class=25)  # 40 training images: 16 + 16 + 8
    config = TrainConfig(epochs=3, batch_size=16, learning_rate=5e-3, seed=0)
    validate_config(config)
    prepared = build_for_training(lambda: builders.small_cnn(data.image_shape, 2, SPEC), data, config,
                                  augment=keras.layers.RandomFlip("horizontal"))
    assert prepared.trained is not prepared.model and prepared.probe is None  # augmentation wraps the model
    run_dir = new_run_dir(tmp_path / "run")
    events = []
    outcome = fit_model(prepared, data, config, run_dir, events.append)
    assert outcome.samples_seen == 3 * len(data.x_train)  # a short last batch counts the images it had
    assert [e.batch for e in events if e.kind == TrainEventKind.BATCH] == [1, 2, 3] * 3
    result = save_results(prepared.model, data, outcome, run_dir, stopped=False)
    assert result.samples_per_s == pytest.approx(outcome.samples_seen / outcome.elapsed_s)
    assert len(result.history["val_loss"]) == 3 and result.confusion.sum() == len(data.x_val)
    best = keras.saving.load_model(result.best_path)  # the plain model, kept at its lowest validation loss
    assert [layer.name for layer in best.layers] == [layer.name for layer in prepared.model.layers]
    loss = keras.losses.sparse_categorical_crossentropy(data.y_val, best.predict(model_input(data.x_val),
                                                                                 verbose=0))
    assert float(np.mean(loss)) == pytest.approx(min(result.history["val_loss"]), rel=1e-4)


def test_callbacks_say_what_they_do(tmp_path):
    model = builders.small_cnn((16, 16, 3), 2, SPEC)
    assert type(progress_callback(print, threading.Event(), 10, 4, 1)).__name__ == "ProgressCallback"
    assert type(best_weights_keeper(model, tmp_path / "last.keras")).__name__ == "BestWeightsKeeper"


def test_bad_settings_are_refused_before_anything_is_built():
    for config in (TrainConfig(optimizer="lbfgs"), TrainConfig(batch_size=0), TrainConfig(learning_rate=0)):
        with pytest.raises(TrainingError):
            validate_config(config)


def test_stop_ends_after_the_current_batch(shapes, tmp_path):
    stop = threading.Event()
    seen = []

    def on_event(event):
        seen.append(event)
        if event.kind == "batch" and event.batch == 3:
            stop.set()

    result = run_training(lambda: builders.small_cnn(shapes.image_shape, 5, SPEC), shapes,
                          TrainConfig(epochs=5), on_event, stop=stop, run_dir=tmp_path)
    assert result.stopped and [e.batch for e in seen if e.kind == "batch"] == [1, 2, 3]
    assert len(result.history["loss"]) == 1 and result.last_path.exists()


def test_out_of_memory_is_explained(shapes, tmp_path):
    import tensorflow as tf

    class RunOutOfMemory(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            if batch == 2:
                raise tf.errors.ResourceExhaustedError(None, None, "OOM when allocating tensor")

    with pytest.raises(TrainingError, match="out of memory with batch size 64 — try batch size 32"):
        run_training(lambda: builders.small_cnn(shapes.image_shape, 5, SPEC), shapes,
                     TrainConfig(epochs=1, batch_size=64), run_dir=tmp_path, extra_callbacks=[RunOutOfMemory()])


def test_transfer_head_trains_with_the_base_frozen(tmp_path):
    data = datasets.shapes(("circle", "square"), size=64, per_class=12)
    built = {}

    def build():
        built["model"] = builders.transfer(data.image_shape, 2)
        built["before"] = [w.copy() for w in built["model"].get_layer("mobilenet_v2_base").get_weights()]
        built["head"] = built["model"].get_layer("predictions").get_weights()[0].copy()
        return built["model"]

    run_training(build, data, TrainConfig(epochs=1, batch_size=8), run_dir=tmp_path)
    model = built["model"]
    counts = builders.param_counts(model)
    assert counts["trainable"] == 1280 * 2 + 2 and counts["frozen"] > 2_000_000
    after = model.get_layer("mobilenet_v2_base").get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(built["before"], after))
    assert not np.array_equal(built["head"], model.get_layer("predictions").get_weights()[0])
    tuned = builders.transfer(data.image_shape, 2, unfreeze_top=3)
    assert builders.param_counts(tuned)["trainable"] > counts["trainable"]


def test_image_folder_skips_corrupt_files(tmp_path):
    rng = np.random.default_rng(0)
    import cv2

    for name in ("cats", "dogs"):
        (tmp_path / name).mkdir()
        for i in range(6):
            cv2.imwrite(str(tmp_path / name / f"{i}.png"), rng.integers(0, 255, (40, 50, 3), dtype=np.uint8))
    (tmp_path / "cats" / "broken.png").write_bytes(b"\x89PNG broken")
    (tmp_path / "dogs" / "empty.jpg").write_bytes(b"")
    (tmp_path / "dogs" / "notes.txt").write_text("ignored")
    data = datasets.image_folder(tmp_path, size=24)
    assert data.skipped == 2 and data.class_names == ["cats", "dogs"] and data.image_shape == (24, 24, 3)
    assert sum(data.counts().values()) == 12
    result = run_training(lambda: builders.small_cnn(data.image_shape, 2, SPEC), data,
                          TrainConfig(epochs=1, batch_size=4), run_dir=tmp_path / "run")
    assert result.last_path.exists()
    with pytest.raises(datasets.DatasetError, match="two sub-folders"):
        datasets.image_folder(tmp_path / "cats")


def test_capture_store_saves_frames_as_a_folder(tmp_path):
    store = datasets.CaptureStore(tmp_path / "capture")
    frame = np.zeros((48, 64, 3), np.uint8)
    for name in ("thumbs up", "thumbs down"):
        for _ in range(3):
            store.add(name, frame)
    assert store.counts() == {"thumbs down": 3, "thumbs up": 3}
    assert store.dataset(size=32).image_shape == (32, 32, 3)
    with pytest.raises(datasets.DatasetError, match="class name"):
        store.add("../escape", frame)


def test_mirrored_strategy_on_two_logical_cpus(tmp_path):
    code = f"""
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
from cnnexplorer.core.models import tf_devices
from cnnexplorer.core.training import builders, datasets
from cnnexplorer.core.training.fit import TrainConfig, run_training
strategy = tf_devices.mirrored_on_cpus(2)
data = datasets.shapes(("circle", "square"), size=16, per_class=16)
result = run_training(lambda: builders.small_cnn(data.image_shape, 2), data, TrainConfig(epochs=1, batch_size=8),
                      run_dir={str(tmp_path)!r}, strategy=strategy)
print("replicas", strategy.num_replicas_in_sync, "saved", result.last_path.exists())
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "replicas 2 saved True" in out.stdout


def test_a_trained_model_file_fine_tunes_on_new_classes(tmp_path):
    from cnnexplorer.core.training.datasets import DatasetSpec
    from cnnexplorer.core.training.runfile import FitSettings, ModelSpec, RunFile
    from cnnexplorer.core.training.runner import train_run

    fit = FitSettings("adam", 0.01, 8, 1)
    first = train_run(RunFile(DatasetSpec("shapes", 16, 2, 12), ModelSpec("cnn", [8]), fit), tmp_path / "first")
    tuned = train_run(RunFile(DatasetSpec("shapes", 16, 3, 12), ModelSpec("file", path=str(first.best_path)), fit),
                      tmp_path / "tuned")
    model = keras.saving.load_model(tuned.best_path)
    assert model.output.shape[-1] == 3 and tuned.confusion.shape == (3, 3)
    base = model.get_layer("small_cnn_base")
    assert not base.trainable and builders.param_counts(model)["trainable"] == 64 * 3 + 3
    (tmp_path / "first" / "preprocessing.json").write_text('{"mode": "caffe"}')
    with pytest.raises(TrainingError, match="fed 'caffe' input"):
        train_run(RunFile(DatasetSpec("shapes", 16, 3, 12), ModelSpec("file", path=str(first.best_path)), fit),
                  tmp_path / "refused")
