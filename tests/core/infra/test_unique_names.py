"""New files get names that cannot collide: nothing the user made is ever written over."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from cnnexplorer.core.infra.paths import time_stamp, unique_path, write_new_file
from cnnexplorer.core.training.datasets import CaptureStore


def test_a_taken_name_is_never_reused(tmp_path):
    (tmp_path / "shot.png").write_bytes(b"mine")
    first = unique_path(tmp_path, "shot", ".png")
    second = write_new_file(tmp_path, "shot", ".png", b"new")
    assert [first.name, second.name] == ["shot-2.png", "shot-3.png"]
    assert (tmp_path / "shot.png").read_bytes() == b"mine" and second.read_bytes() == b"new"
    assert unique_path(tmp_path, "captures", directory=True).is_dir()
    assert unique_path(tmp_path, "captures", directory=True).name == "captures-2"


def test_writers_racing_for_one_name_each_get_their_own(tmp_path):
    start, claimed = threading.Barrier(16), []

    def claim(n: int) -> None:
        start.wait()
        claimed.append(write_new_file(tmp_path, "same", ".bin", bytes([n])))

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(claimed)) == 16
    assert sorted(p.read_bytes()[0] for p in claimed) == list(range(16))  # every write kept


def test_time_stamps_sort_by_age():
    stamps = [time_stamp() for _ in range(3)]
    assert stamps == sorted(stamps) and len(stamps[0]) == len("20261201-120000-000000")


def shot(value: int) -> np.ndarray:
    return np.full((8, 8, 3), value, np.uint8)


def test_a_capture_after_a_deleted_one_overwrites_nothing(tmp_path):
    store = CaptureStore(tmp_path)
    paths = [store.add("left", shot(v)) for v in (10, 20, 30)]
    paths[0].unlink()  # the student deletes the first shot
    kept = {p: p.read_bytes() for p in paths[1:]}
    newest = store.add("left", shot(40))
    assert newest not in kept and all(p.read_bytes() == data for p, data in kept.items())
    assert store.counts() == {"left": 3} and newest.name == "00002-2.png"
    assert sorted(Path(p).name for p in (*kept, newest)) == [p.name for p in sorted((tmp_path / "left").iterdir())]


def test_exporting_a_run_twice_into_one_folder_keeps_the_first_export(tmp_path):
    from cnnexplorer.core.training.datasets import DatasetSpec
    from cnnexplorer.core.training.runfile import RunFile, export_run, load_run_file

    store = CaptureStore(tmp_path / "shots")
    store.add("left", shot(10))
    store.add("right", shot(20))
    first = export_run(RunFile(DatasetSpec("capture", folder=str(store.root)), seed=1), tmp_path / "export")
    store.add("left", shot(30))
    second = export_run(RunFile(DatasetSpec("capture", folder=str(store.root)), seed=2), tmp_path / "export")
    assert (first.name, second.name) == ("run.json", "run-2.json")
    assert load_run_file(first).seed == 1 and load_run_file(second).seed == 2
    assert CaptureStore(load_run_file(first).dataset.folder).counts() == {"left": 1, "right": 1}
    assert CaptureStore(load_run_file(second).dataset.folder).counts() == {"left": 2, "right": 1}
    assert load_run_file(second).dataset.folder == str(tmp_path / "export" / "captures-2")
