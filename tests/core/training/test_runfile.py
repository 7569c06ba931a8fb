"""Run files: what they hold, and a clear RunFileError for every way they can be wrong."""

import json

import pytest

from cnnexplorer.core.training.datasets import DatasetSpec
from cnnexplorer.core.training.runfile import (
    RUN_FILE_VERSION,
    FitSettings,
    ModelSpec,
    RunFile,
    RunFileError,
    check_inputs,
    load_run_file,
    run_from_dict,
    save_run_file,
)


def run_dict(**changes) -> dict:
    data = {"version": 1, "seed": 3, "dataset": {"kind": "shapes", "size": 16, "classes": 2, "per_class": 10},
            "model": {"kind": "cnn", "filters": [8]},
            "fit": {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 8, "epochs": 2}, "augmentation": None}
    data.update(changes)
    return data


def test_a_run_survives_the_round_trip_with_paths_relative_to_the_file(tmp_path):
    (tmp_path / "captures" / "left").mkdir(parents=True)
    run = RunFile(DatasetSpec("capture", 48, folder=str(tmp_path / "captures")),
                  ModelSpec("cnn", [8, 16], 5, "tanh", True, 0.25), FitSettings("sgd", 0.05, 4, 7, 2, False),
                  {"name": "light", "steps": [{"op": "flip_horizontal", "probability": 0.5}]}, seed=11)
    path = save_run_file(run, tmp_path / "run.json")
    stored = json.loads(path.read_text())
    assert stored["version"] == RUN_FILE_VERSION and stored["dataset"]["folder"] == "captures"
    moved = tmp_path.rename(tmp_path.with_name(tmp_path.name + "_moved"))  # the folder travels with its file
    again = load_run_file(moved / "run.json")
    assert again.dataset.folder == str(moved / "captures")
    again.dataset = run.dataset
    assert again == run
    config = again.train_config("conv1")
    assert (config.optimizer, config.learning_rate, config.epochs, config.seed, config.snapshot_layer) == \
        ("sgd", 0.05, 7, 11, "conv1")


@pytest.mark.parametrize("changes, words", [
    ({"version": 2}, "version 2, newer than this cnnexplorer reads (1)"),
    ({"version": None}, "missing field 'version'"),
    ({"fit": {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 8}}, "missing field 'fit.epochs'"),
    ({"model": None}, "missing field 'model'"),
    ({"fit": {"optimizer": "adam", "learning_rate": 0.01, "batch_size": "8", "epochs": 2}},
     "'fit.batch_size' must be a whole number, got '8'"),
    ({"dataset": {"kind": "shapes", "sise": 16}}, "unknown field(s) dataset.sise"),
    ({"dataset": {"kind": "folder"}}, "missing field 'dataset.folder'"),
    ({"model": {"kind": "file"}}, "missing field 'model.path'"),
    ({"model": {"kind": "resnet"}}, "model.kind 'resnet'"),
    ({"fit": {"optimizer": "lbfgs", "learning_rate": 0.01, "batch_size": 8, "epochs": 2}}, "fit.optimizer 'lbfgs'"),
    ({"augmentation": {"steps": [{"op": "melt"}]}}, "augmentation: unknown augmentation 'melt'"),
])
def test_bad_run_files_say_what_is_wrong(changes, words):
    with pytest.raises(RunFileError) as caught:
        run_from_dict(run_dict(**changes))
    assert words in str(caught.value)


def test_an_unreadable_file_is_named(tmp_path):
    (tmp_path / "run.json").write_text("{not json")
    with pytest.raises(RunFileError, match="run.json: not JSON"):
        load_run_file(tmp_path / "run.json")
    with pytest.raises(RunFileError, match="no such run file"):
        load_run_file(tmp_path / "gone.json")


def test_inputs_on_disk_are_checked_before_training(tmp_path):
    run = run_from_dict(run_dict(dataset={"kind": "folder", "folder": "photos"}), base=tmp_path)
    with pytest.raises(RunFileError, match="dataset folder .*photos is gone"):
        check_inputs(run)
    (tmp_path / "photos").mkdir()
    check_inputs(run)
    (tmp_path / "base.keras").write_text("not a model")
    run = run_from_dict(run_dict(model={"kind": "file", "path": "base.keras"}), base=tmp_path)
    with pytest.raises(RunFileError, match="base.keras is not a Keras model"):
        check_inputs(run)
    run.model.path = str(tmp_path / "elsewhere.keras")
    with pytest.raises(RunFileError, match="model file .*elsewhere.keras is missing"):
        check_inputs(run)


def test_runs_started_within_a_second_get_their_own_folders(user_home):
    from cnnexplorer.core.training.fit import new_run_dir, staged_run_dir

    first = new_run_dir()
    (staged_run_dir(first) / "history.json").write_text("{}")  # the first run is still writing
    second = new_run_dir()
    assert second != first and second.parent == first.parent and first.is_relative_to(user_home)
