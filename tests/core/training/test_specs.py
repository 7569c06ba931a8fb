"""The training core's plain values: dataset specs, filter lists, events and their buffer (no Keras)."""

import dataclasses
import inspect
import subprocess
import sys
import threading

import numpy as np
import pytest

from cnnexplorer.bench.train import paired_runs
from cnnexplorer.core.training import datasets
from cnnexplorer.core.training.builders import parse_filters
from cnnexplorer.core.training.datasets import DatasetError, DatasetSpec, load_dataset
from cnnexplorer.core.training.events import EventBuffer, TrainEvent, TrainEventKind


def test_load_dataset_needs_nothing_but_the_spec():
    assert list(inspect.signature(load_dataset).parameters) == ["spec"]
    spec = DatasetSpec("shapes", size=16, classes=3, per_class=10)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.size = 32  # handed to another thread: nobody changes it on the way
    data = load_dataset(spec)
    assert data.class_names == list(datasets.SHAPES[:3]) and data.image_shape == (16, 16, 3)
    assert data.counts() == {name: 10 for name in data.class_names}
    np.testing.assert_array_equal(load_dataset(spec).x_train, data.x_train)


def test_load_dataset_reads_folders_and_captures(tmp_path):
    store = datasets.CaptureStore(tmp_path / "captures")
    for name in ("left", "right"):
        for _ in range(3):
            store.add(name, np.zeros((30, 40, 3), np.uint8))
    for kind in ("folder", "capture"):
        data = load_dataset(DatasetSpec(kind, size=20, folder=str(store.root)))
        assert data.class_names == ["left", "right"] and data.image_shape == (20, 20, 3)


@pytest.mark.parametrize("spec, message", [
    (DatasetSpec("folder", folder="  "), "choose an image folder first"),
    (DatasetSpec("capture", folder="/no/such/captures"), "no captures yet"),
    (DatasetSpec("shapes", classes=1), "2 to 6 classes"),
    (DatasetSpec("imagenet"), "no dataset kind 'imagenet'"),
])
def test_load_dataset_explains_a_bad_spec(spec, message):
    with pytest.raises(DatasetError, match=message):
        load_dataset(spec)


def test_parse_filters():
    assert parse_filters("16, 32,64") == [16, 32, 64]
    assert parse_filters(" 8 ,") == [8]
    with pytest.raises(ValueError, match="whole numbers"):
        parse_filters("16, lots")
    for text in ("", "0, 16", "1024"):
        with pytest.raises(ValueError, match="1 to 512"):
            parse_filters(text)


def test_event_kinds_are_strings_for_old_comparisons():
    assert TrainEventKind.BATCH == "batch" and "epoch" == TrainEventKind.EPOCH
    assert isinstance(TrainEventKind.BATCH, str) and f"{TrainEventKind.EPOCH}" == "epoch"
    assert TrainEventKind("batch") is TrainEventKind.BATCH


def test_event_progress_is_epochs_done():
    batch = TrainEvent(TrainEventKind.BATCH, epoch=2, batch=5, batches=10, logs={}, samples_per_s=1, eta_s=0)
    epoch = TrainEvent(TrainEventKind.EPOCH, epoch=3, batch=10, batches=10, logs={}, samples_per_s=1, eta_s=0)
    assert batch.progress == 2.5 and epoch.progress == 3.0


def test_event_buffer_hands_over_everything_in_order():
    buffer = EventBuffer()

    def produce():
        for i in range(2000):
            buffer.put(TrainEvent(TrainEventKind.BATCH, 0, i, 2000, {}, 0.0, 0.0))

    thread = threading.Thread(target=produce)
    thread.start()
    taken = []
    while thread.is_alive() or taken == []:
        taken += buffer.take()
    thread.join()
    taken += buffer.take()
    assert [e.batch for e in taken] == list(range(2000)) and buffer.take() == []


def test_training_core_imports_neither_qt_nor_keras():
    code = ("import sys\n"
            "import cnnexplorer.core.training.fit, cnnexplorer.core.training.callbacks\n"
            "import cnnexplorer.core.training.datasets, cnnexplorer.core.training.events\n"
            "print([m for m in ('PySide6', 'pyqtgraph', 'keras', 'tensorflow') if m in sys.modules])\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "[]", result.stdout + result.stderr


def test_bench_pairs_runs_in_turn_and_takes_medians():
    calls = []
    plain_rates = iter([50.0, 100.0, 100.0, 80.0, 100.0])  # the first run of each warms up, not counted
    app_rates = iter([10.0, 95.0, 72.0, 100.0])

    def plain():
        calls.append("plain")
        return next(plain_rates)

    def app():
        calls.append("app")
        return next(app_rates)

    figures = paired_runs(plain, app, runs=3)
    assert calls == ["plain", "app"] * 4 + ["plain"]
    assert figures["pairs"] == 3 and figures["ratios"] == [0.95, 0.8, 1.111]  # against the plain runs either side
    assert figures["ratio"] == pytest.approx(0.95) and figures["plain"] == 100.0 and figures["other"] == 95.0
