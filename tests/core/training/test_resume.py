"""Runs that resume: a headless run killed with SIGKILL in its third epoch continues with ``--resume``
to a complete folder; a failed fit leaves a resume point of completed epochs only; a busy folder is
refused; the model-so-far checkpoint is never seen half-written."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from cnnexplorer.core.training import builders, datasets  # noqa: E402
from cnnexplorer.core.training.callbacks import best_weights_keeper  # noqa: E402
from cnnexplorer.core.training.fit import TrainConfig, TrainingError, run_training, staged_run_dir  # noqa: E402
from cnnexplorer.core.training.resume import PROGRESS, read_resume_point, training_lock  # noqa: E402

# Batches of one make each epoch last long enough (64 steps) to land a kill inside the third.
RUN = {"version": 1, "seed": 0, "dataset": {"kind": "shapes", "size": 16, "classes": 2, "per_class": 40},
       "model": {"kind": "cnn", "filters": [8]},
       "fit": {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 1, "epochs": 6}, "augmentation": None}
QUIET = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "CUDA_VISIBLE_DEVICES": ""}
QUIET.pop("TF_CONFIG", None)
FINISHED = {"best.keras", "last.keras", "history.json", "history.csv", "confusion.json", "class_names.json",
            "preprocessing.json", "run.json", "resumed.json"}


def epochs_done(staging) -> int:
    try:
        return json.loads((staging / PROGRESS).read_text())["epochs_done"]
    except (OSError, ValueError):  # not written yet
        return 0


def kill_after_two_epochs(process: subprocess.Popen, staging, timeout_s: float = 240) -> None:
    """SIGKILL ``process`` as soon as its progress file says epoch 2 is complete (so, in epoch 3)."""
    deadline = time.monotonic() + timeout_s
    while epochs_done(staging) < 2:
        assert process.poll() is None, process.communicate()[1][-3000:]
        assert time.monotonic() < deadline, "epoch 2 never completed"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert epochs_done(staging) == 2, "the kill came after epoch 3 was complete"


def train(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cnnexplorer", "train", *args], capture_output=True, text=True,
                          env=QUIET, timeout=300)


@pytest.mark.long
def test_a_run_killed_in_its_third_epoch_resumes_to_six_epochs_and_a_complete_folder(tmp_path):
    run_file, out = tmp_path / "run.json", tmp_path / "out"
    run_file.write_text(json.dumps(RUN))
    worker = subprocess.Popen([sys.executable, "-m", "cnnexplorer", "train", str(run_file), "--out", str(out)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=QUIET)
    try:
        kill_after_two_epochs(worker, tmp_path / "out.partial")
    finally:
        worker.kill()
        worker.communicate()
    assert worker.returncode == -signal.SIGKILL
    assert not (out / "history.json").exists()

    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps({**RUN, "fit": {**RUN["fit"], "epochs": 7}}))
    done = train(str(changed), "--resume", str(out))
    assert done.returncode == 1 and "differs from the interrupted run's run.json (fit)" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and done.stdout == ""  # said before TensorFlow started

    done = train(str(run_file), "--resume", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "resuming" in done.stdout and "after epoch 2 of 6" in done.stdout
    assert [line.split()[1] for line in done.stdout.splitlines() if line.startswith("epoch")] == \
        ["3/6", "4/6", "5/6", "6/6"]
    assert {p.name for p in out.iterdir()} == FINISHED
    assert not (tmp_path / "out.partial").exists()
    history = json.loads((out / "history.json").read_text())
    assert {len(values) for values in history.values()} == {6}
    assert len((out / "history.csv").read_text().splitlines()) == 7
    record = json.loads((out / "resumed.json").read_text())
    assert record["resumed_after_epochs"] == [2] and record["epochs"] == 6
    assert "same number of epochs" in record["guarantee"] and "bit-identical" in record["guarantee"]
    assert keras.saving.load_model(out / "best.keras").output.shape[-1] == 2

    done = train(str(run_file), "--resume", str(out))
    assert done.returncode == 2 and "is a finished run: there is nothing to resume" in done.stderr


def tiny_data():
    return datasets.shapes(("circle", "square"), size=16, per_class=12)


def build(data):
    return lambda: builders.small_cnn(data.image_shape, 2, builders.CnnSpec([builders.ConvBlock(4, 3)]))


def test_a_failed_fit_keeps_completed_epochs_only_and_resumes_with_its_best_weights(tmp_path):
    data, config = tiny_data(), TrainConfig(batch_size=4, epochs=3, seed=1)
    stop = threading.Event()

    def stop_in_epoch_two(event) -> None:
        if event.kind == "batch" and event.epoch == 1 and event.batch == 2:
            stop.set()

    class SavingFails(keras.callbacks.Callback):  # a real failure at the end of the fit (a full disk, say)
        def on_train_end(self, logs=None):
            raise OSError("No space left on device")

    with pytest.raises(TrainingError, match="No space left"):
        run_training(build(data), data, config, stop_in_epoch_two, stop, tmp_path / "run",
                     extra_callbacks=[SavingFails()], extra_json={"run.json": {"any": "thing"}})
    point = read_resume_point(tmp_path / "run.partial")
    assert point.epochs_done == 1, "the epoch cut short by the stop request is not a completed one"
    assert point.best_val_loss == point.history["val_loss"][0]
    best_before = point.best()

    result = run_training(build(data), data, config, run_dir=tmp_path / "run.partial", resume=True)
    assert result.run_dir == tmp_path / "run" and len(result.history["loss"]) == 3
    assert result.history["val_loss"][0] == point.history["val_loss"][0]
    best = keras.saving.load_model(result.best_path).get_weights()
    if min(result.history["val_loss"]) == result.history["val_loss"][0]:  # epoch 1 stayed the best
        assert all(np.array_equal(a, b) for a, b in zip(best, best_before))
    assert json.loads((result.run_dir / "run.json").read_text()) == {"any": "thing"}
    assert json.loads((result.run_dir / "resumed.json").read_text())["resumed_after_epochs"] == [1]


def test_a_folder_in_training_is_neither_resumed_nor_restarted(tmp_path):
    data = tiny_data()
    staging = staged_run_dir(tmp_path / "run")
    (staging / "run.json").write_text("{}")
    with training_lock(staging):  # another fit holds it
        with pytest.raises(TrainingError, match="being trained by another process"):
            run_training(build(data), data, TrainConfig(epochs=1), run_dir=tmp_path / "run", resume=True)
        with pytest.raises(TrainingError, match="being trained by another process"):
            staged_run_dir(tmp_path / "run")
    with pytest.raises(TrainingError, match="holds no interrupted run"):
        run_training(build(data), data, TrainConfig(epochs=1), run_dir=tmp_path / "other", resume=True)


def test_the_model_so_far_is_never_seen_half_written(tmp_path):
    """A reader (the model explorer, a copy) polling ``last.keras`` while the keeper saves it after
    every epoch always finds a whole model file."""
    data = tiny_data()
    model = build(data)()
    model.compile("adam", "sparse_categorical_crossentropy")
    path = tmp_path / "last.keras"
    keeper = best_weights_keeper(model, path, every_s=0.0)
    torn, reads, done = [], [0], threading.Event()

    def read_while_saving() -> None:
        while not done.is_set():
            if path.exists():
                try:
                    with zipfile.ZipFile(path) as archive:
                        archive.testzip()
                        assert "config.json" in archive.namelist()
                except (zipfile.BadZipFile, OSError, AssertionError, EOFError) as exc:
                    torn.append(repr(exc))
                reads[0] += 1

    reader = threading.Thread(target=read_while_saving)
    reader.start()
    try:
        model.fit(data.x_train / 255.0, data.y_train, epochs=12, batch_size=32, callbacks=[keeper], verbose=0,
                  validation_data=(data.x_val / 255.0, data.y_val))
    finally:
        done.set()
        reader.join()
    assert reads[0] > 12 and torn == []
    assert not [p.name for p in tmp_path.iterdir() if p.name != "last.keras"]  # no temporary file left
