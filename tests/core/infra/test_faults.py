"""Faults the user's files survive: a full disk, a read-only data folder, a damaged settings file,
kernel store, pipeline store or preprocessing file. Each time the app goes on, says what happened
once, keeps a copy of what was damaged and loses nothing else."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cnnexplorer.core.infra import damage
from cnnexplorer.core.infra.paths import WriteFailed
from cnnexplorer.core.infra.settings import Settings
from cnnexplorer.core.infra.store import NamedJsonStore

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def no_old_notices():
    """Notices left by earlier tests are not this test's."""
    damage.take_notices()
    yield
    damage.take_notices()


def damaged_copies(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.damaged-*"))


def leftovers(folder: Path) -> list[str]:
    """Temporary files a write left behind (there must be none)."""
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp"))


# -- a full disk --------------------------------------------------------------------------------
FULL_DISK_CHILD = """
import json, resource, signal, sys
from pathlib import Path
import numpy as np
from cnnexplorer.core.infra.settings import Settings
from cnnexplorer.core.infra.store import NamedJsonStore
from cnnexplorer.core.training.datasets import CaptureStore, DatasetError

home = Path(sys.argv[1])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead of killing us
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))  # no file may grow past 4 KiB: a full disk
failures = {}
settings = Settings(home / "settings.json")
settings.set("notes", "x" * 10_000)
try:
    settings.save()
except OSError as exc:
    failures["settings"] = [type(exc).__name__, exc.errno, str(exc)]
try:
    NamedJsonStore("kernels", home / "kernels").save("edge", {"kernel": [[0.5] * 100] * 100})
except OSError as exc:
    failures["kernel"] = [type(exc).__name__, exc.errno, str(exc)]
noise = np.random.default_rng(0).integers(0, 256, (96, 96, 3), dtype=np.uint8)
try:
    CaptureStore(home / "captures").add("left", noise)
except DatasetError as exc:
    failures["capture"] = ["DatasetError", None, str(exc)]
print(json.dumps(failures))
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="file size limits are POSIX")
def test_a_write_that_fails_on_a_full_disk_leaves_the_old_file_as_it_was(tmp_path):
    from cnnexplorer.core.training.datasets import CaptureStore

    home = tmp_path / "home"
    settings = Settings(home / "settings.json")
    settings.set("camera_index", 2)
    settings.save()
    NamedJsonStore("kernels", home / "kernels").save("edge", {"kernel": [[1, -1]]})
    shot = CaptureStore(home / "captures").add("left", np.zeros((8, 8, 3), np.uint8))
    before = {p: p.read_bytes() for p in home.rglob("*") if p.is_file()}

    out = subprocess.run([sys.executable, "-c", FULL_DISK_CHILD, str(home)], cwd=REPO, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    failures = json.loads(out.stdout.strip().splitlines()[-1])
    assert set(failures) == {"settings", "kernel", "capture"}
    for name in ("settings", "kernel"):
        kind, code, message = failures[name]
        assert kind == "WriteFailed" and code == errno.EFBIG
        assert "was not saved" in message and "unchanged" in message
    assert "settings.json" in failures["settings"][2] and "edge.json" in failures["kernel"][2]
    assert "could not save the capture of 'left'" in failures["capture"][2]
    after = {p: p.read_bytes() for p in home.rglob("*") if p.is_file()}
    assert after == before  # every earlier file whole, and nothing half written left beside them
    assert Settings(home / "settings.json").get("camera_index", 0) == 2 and shot.is_file()


# -- a read-only data folder ---------------------------------------------------------------------
def test_a_folder_that_cannot_be_written_fails_the_write_and_keeps_the_old_file(tmp_path):
    """Runs as any user: a file where the kernels folder should be cannot be written into."""
    from cnnexplorer.core.conv.kernels import save_kernel

    (tmp_path / "kernels").write_text("not a folder")
    with pytest.raises(WriteFailed, match="blur.json was not saved"):
        save_kernel("blur", np.ones((3, 3)) / 9, tmp_path / "kernels")
    assert (tmp_path / "kernels").read_text() == "not a folder"


def test_a_data_folder_that_is_a_file_still_lets_the_app_start(tmp_path, monkeypatch):
    """Runs as any user (root included): the data folder's name is taken by a file."""
    import logging

    from cnnexplorer.core.infra.logs import setup_logging
    from cnnexplorer.core.infra.native_logs import native_stderr_to_log

    home = tmp_path / "home"
    home.write_text("a file the user made")
    monkeypatch.setenv("CNNEXPLORER_HOME", str(home))
    level = logging.getLogger("cnnexplorer").level
    try:
        setup_logging()
    finally:
        logging.getLogger("cnnexplorer").setLevel(level)
    with native_stderr_to_log() as native:
        assert native is None  # native messages stay on the terminal
    settings = Settings()
    assert settings.get("camera_index", 0) == 0 and "cannot be read" in settings.problem
    with pytest.raises(WriteFailed, match="settings.json was not saved"):
        settings.save()
    notices = damage.take_notices()
    assert len(notices) == 2 and "log cannot be written" in notices[0] and notices[1] == settings.problem
    assert home.read_text() == "a file the user made"


@pytest.fixture
def read_only_home(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "settings.json").write_text("{ damaged")
    (home / "kernels").mkdir()
    (home / "kernels" / "edge.json").write_text(json.dumps({"kernel": [[1, -1]]}))
    for folder in (home, home / "kernels"):
        folder.chmod(0o500)
    if os.access(home, os.W_OK):  # root writes anyway
        for folder in (home, home / "kernels"):
            folder.chmod(0o700)
        pytest.skip("chmod does not make a folder read-only for this user (root)")
    yield home
    for folder in (home, home / "kernels"):
        folder.chmod(0o700)


def test_a_read_only_data_folder_starts_says_so_once_and_changes_nothing(read_only_home):
    settings = Settings(read_only_home / "settings.json")
    assert "could not be set aside" in settings.problem and settings.get("camera_index", 0) == 0
    again = Settings(read_only_home / "settings.json")  # a second look says nothing new
    assert damage.take_notices() == [settings.problem] and again.problem
    with pytest.raises(WriteFailed, match="settings.json was not saved"):
        settings.save()
    with pytest.raises(WriteFailed, match="edge.json was not saved"):
        NamedJsonStore("kernels", read_only_home / "kernels").save("edge", {"kernel": [[2]]})
    assert (read_only_home / "settings.json").read_text() == "{ damaged"
    assert json.loads((read_only_home / "kernels" / "edge.json").read_text()) == {"kernel": [[1, -1]]}


# -- damaged settings and stores ------------------------------------------------------------------
def test_a_damaged_settings_file_is_kept_aside_and_defaults_used(tmp_path):
    path = tmp_path / "settings.json"
    path.write_bytes(b'{"camera_index": 2,')
    settings = Settings(path)
    assert settings.get("camera_index", 0) == 0
    (copy,) = damaged_copies(path)
    assert copy.read_bytes() == b'{"camera_index": 2,' and not path.exists()
    assert str(path) in settings.problem and copy.name in settings.problem and "default settings" in settings.problem
    assert damage.take_notices() == [settings.problem]  # said once
    settings.set("camera_index", 1)
    settings.save()
    assert Settings(path).get("camera_index", 0) == 1 and Settings(path).problem is None

    path.write_text("[1, 2, 3]")  # damaged again, a moment later: the first copy is not overwritten
    assert "not a JSON object" in Settings(path).problem
    copies = damaged_copies(path)
    assert len(copies) == 2 and copy in copies and copy.read_bytes() == b'{"camera_index": 2,'
    assert leftovers(tmp_path) == []


def test_damaged_copies_made_in_the_same_instant_get_their_own_names(tmp_path, monkeypatch):
    from cnnexplorer.core.infra import paths

    monkeypatch.setattr(damage, "time_stamp", lambda: "20261201-120000-000000")
    path = tmp_path / "settings.json"
    for text in ("{1", "{2", "{3"):
        path.write_text(text)
        Settings(path)
    copies = damaged_copies(path)
    assert [p.name for p in copies] == ["settings.json.damaged-20261201-120000-000000",
                                        "settings.json.damaged-20261201-120000-000000-2",
                                        "settings.json.damaged-20261201-120000-000000-3"]
    assert [p.read_text() for p in copies] == ["{1", "{2", "{3"]
    assert paths.unique_path(tmp_path, "settings.json.damaged-20261201-120000-000000").name.endswith("-4")


@pytest.mark.parametrize("kind", ["kernels", "augmenters"])
def test_a_damaged_store_file_is_kept_aside_and_the_others_still_listed(tmp_path, kind):
    from cnnexplorer.core.augment.pipeline import Augmenter, saved_pipelines
    from cnnexplorer.core.conv.kernels import save_kernel, user_kernels

    if kind == "kernels":
        save_kernel("edge", np.array([[1.0, -1.0]]), tmp_path)
        listed = lambda: list(user_kernels(tmp_path))  # noqa: E731
    else:
        Augmenter([], "calm").save(tmp_path)
        listed = lambda: saved_pipelines(tmp_path)  # noqa: E731
    good = sorted(p.read_bytes() for p in tmp_path.glob("*.json"))
    broken = tmp_path / "broken.json"
    broken.write_bytes(b'{"steps": [')
    assert listed() == (["edge"] if kind == "kernels" else ["calm"])
    (copy,) = damaged_copies(broken)
    assert copy.read_bytes() == b'{"steps": [' and not broken.exists()
    (notice,) = damage.take_notices()
    assert str(broken) in notice and copy.name in notice and "no longer offered" in notice
    assert listed() and damage.take_notices() == []  # said once
    assert sorted(p.read_bytes() for p in tmp_path.glob("*.json")) == good  # nothing else touched


def test_loading_a_file_damaged_after_it_was_listed_says_so(tmp_path):
    store = NamedJsonStore("augmenters", tmp_path)
    store.save("calm", {"steps": []})
    (tmp_path / "calm.json").write_text("{")
    with pytest.raises(ValueError, match="calm.json was damaged"):
        store.load("calm")
    assert len(damaged_copies(tmp_path / "calm.json")) == 1


def test_listeners_hear_each_notice_once_and_those_from_before_they_listened(tmp_path):
    (tmp_path / "settings.json").write_text("{")
    Settings(tmp_path / "settings.json")
    heard: list[str] = []
    stop = damage.on_damaged_file(heard.append)
    try:
        assert len(heard) == 1 and "settings.json" in heard[0]
        (tmp_path / "settings.json").write_text("{")
        Settings(tmp_path / "settings.json")
        assert len(heard) == 2 and damage.take_notices() == []
    finally:
        stop()
    (tmp_path / "settings.json").write_text("{")
    Settings(tmp_path / "settings.json")
    assert len(heard) == 2 and len(damage.take_notices()) == 1


# -- the preprocessing file beside a model -----------------------------------------------------------
@pytest.mark.parametrize("text, problem", [("{mode", "is damaged ("), ('{"mode": "bgr"}', "found 'bgr'"),
                                           ("[]", "found None")])
def test_a_damaged_preprocessing_file_is_named_in_both_readers(tmp_path, text, problem):
    from cnnexplorer.core.models import model_input
    from cnnexplorer.core.training.runfile import ModelSpec, RunFileError, model_builder

    model_path = tmp_path / "best.keras"
    (tmp_path / "preprocessing.json").write_text(text)
    with pytest.raises(model_input.PreprocessingFileError, match="preprocessing.json beside best.keras is damaged"):
        model_input.preprocessing_file(model_path)
    with pytest.raises(RunFileError, match="repair or delete it") as refused:
        model_builder(ModelSpec("file", path=str(model_path)), (16, 16, 3), 2)()
    assert problem in str(refused.value)


def test_the_model_s_own_preprocessing_file_wins_over_the_run_folder_s(tmp_path):
    from cnnexplorer.core.models import model_input

    model_path = tmp_path / "best.keras"
    (tmp_path / "preprocessing.json").write_text('{"mode": "unit"}')
    assert model_input.preprocessing_file(model_path) == ("unit", tmp_path / "preprocessing.json")
    (tmp_path / "best.preprocessing.json").write_text('{"mode": "caffe"}')
    assert model_input.preprocessing_file(model_path) == ("caffe", tmp_path / "best.preprocessing.json")
    assert model_input.preprocessing_file(tmp_path / "other.keras") == ("unit", tmp_path / "preprocessing.json")


def test_detection_says_the_preprocessing_file_is_damaged_and_what_it_uses_instead(tmp_path):
    import keras

    from cnnexplorer.core.models import model_input

    model = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Rescaling(1 / 255),
                              keras.layers.Conv2D(2, 3)])
    (tmp_path / "preprocessing.json").write_text("{not json")
    mode, reason, sure = model_input.detect_preprocessing(model, tmp_path / "best.keras")
    assert mode == "raw" and not sure
    assert "preprocessing.json beside best.keras is damaged" in reason and "ignored" in reason
    assert "scales its own input" in reason  # what is used instead
