"""The explorer with the models students bring, and no state left over from the model before."""

import json
import logging

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from cnnexplorer.core.models.preprocess import feed_size, fit_frame  # noqa: E402


def _open(explorer, qtbot, path):
    explorer.load_file(str(path))
    qtbot.waitUntil(lambda: explorer.session.model is not None and explorer.session.model.path == path
                    and explorer.loader is None, timeout=60000)
    return explorer.session.model


def _computed(explorer, qtbot):
    qtbot.waitUntil(lambda: explorer.last is not None and explorer.last.model is explorer.session.model
                    and explorer.grid.maps is not None, timeout=60000)
    return explorer.last


def test_a_trained_gray_sequential_model_opens_with_its_names(explorer, qtbot, tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(6, 3, activation="relu", name="conv"),
                              keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax", name="digits")])
    model.save(run / "best.keras")
    digits = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    (run / "class_names.json").write_text(json.dumps(digits))
    (run / "preprocessing.json").write_text(json.dumps({"mode": "unit"}))
    explorer.grid._on_hovered(0, 1, 1)
    assert explorer.grid.readout.text()
    opened = _open(explorer, qtbot, run / "best.keras")
    assert explorer.zoo_combo.currentIndex() == -1 and explorer.zoo_combo.placeholderText() == "best.keras"
    assert explorer.grid.readout.text() == ""  # no hover text from the previous model
    assert "input 28×28×1 (gray)" in explorer.summary.text()
    assert "preprocessing.json" in explorer.feed.reason.text() and explorer.feed.invert.isVisibleTo(explorer)
    assert "learned from data" in explorer.filters.info.text()
    explorer.tabs.setCurrentWidget(explorer.graph)  # the graph is drawn once its tab is shown
    qtbot.waitUntil(lambda: any(name.startswith("input_layer") for name in explorer.graph.nodes),  # Keras numbers
                    timeout=5000)  # auto names per process
    last = _computed(explorer, qtbot)
    assert set(explorer.predictions.texts()) <= set(digits) and len(explorer.predictions.texts()) == 5
    gray = np.asarray(keras.ops.image.rgb_to_grayscale(fit_frame(explorer.frame.rgb, (28, 28)).astype(np.float32)))
    batch = gray[None] / 255.0
    expected = np.asarray(keras.Model(opened.model.inputs, opened.model.get_layer("conv").output).predict_on_batch(batch))
    np.testing.assert_allclose(last.outputs[0], expected[0], rtol=1e-4, atol=1e-5)
    assert not explorer.problem.isVisible()


def test_a_model_without_class_scores_clears_the_imagenet_top5(explorer, qtbot, tmp_path):
    assert len(explorer.predictions.texts()) == 5
    inputs = keras.Input((None, None, 3))
    segmenter = keras.Model(inputs, keras.layers.Conv2D(3, 3, strides=2, padding="same", name="conv")(inputs))
    segmenter.save(tmp_path / "segmenter.keras")
    _open(explorer, qtbot, tmp_path / "segmenter.keras")
    assert explorer.predictions.texts() == []
    assert "not one score per class" in explorer.predictions.note.text()
    assert "?×?×3" in explorer.summary.text()
    _computed(explorer, qtbot)
    h, w = feed_size(explorer.frame.rgb.shape[:2], (None, None), 2, 224)
    assert h == 224 and explorer.grid.maps.shape == (h // 2, w // 2, 3)  # fed at short side 224
    assert explorer.predictions.texts() == [] and explorer.predictions.note.isVisibleTo(explorer)


def test_a_refused_frame_is_explained_once(explorer, qtbot, tmp_path, caplog):
    inputs = keras.Input((None, None, 3))
    x = keras.layers.Conv2D(2, 1, name="conv")(inputs)
    keras.Model(inputs, keras.layers.Reshape((64 * 64 * 2,), name="flat")(x)).save(tmp_path / "fixed.keras")
    with caplog.at_level(logging.WARNING):
        _open(explorer, qtbot, tmp_path / "fixed.keras")
        qtbot.waitUntil(lambda: explorer.problem.isVisibleTo(explorer), timeout=60000)
        for _ in range(3):
            explorer.recompute()
            qtbot.waitUntil(explorer.worker.idle, timeout=30000)
    text = explorer.problem.text()
    assert "expects ?×?×3" in text and "What to change" in text and "Traceback" not in text
    assert len([r for r in caplog.records if "expects" in r.getMessage()]) == 1
    assert explorer.predictions.texts() == []


def test_a_new_layer_never_shows_the_previous_maps(explorer, qtbot):
    _computed(explorer, qtbot)
    explorer.grid._on_hovered(0, 1, 1)
    explorer.tree.select("block3_expand_relu6")
    assert explorer.grid.maps is None and explorer.grid.readout.text() == ""
    assert "block3_expand_relu6" in explorer.grid.info.text()
    qtbot.waitUntil(lambda: explorer.grid.maps is not None, timeout=30000)
    assert explorer.grid.maps.shape == (56, 56, 144)


def test_random_weights_are_not_called_learned(explorer, qtbot):
    explorer.load_zoo("mini_inception")
    qtbot.waitUntil(lambda: explorer.session.model.name == "mini_inception", timeout=60000)
    assert "RANDOM" in explorer.filters.info.text() and "learned from data" not in explorer.filters.info.text()
    assert explorer.zoo_combo.currentData() == "mini_inception"


def test_class_names_picked_and_preprocessing_chosen(explorer, qtbot, tmp_path):
    inputs = keras.Input((20, 30, 3))
    x = keras.layers.Conv2D(2, 3, name="conv")(inputs)
    keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(keras.layers.Flatten()(x))).save(
        tmp_path / "three.keras")
    opened = _open(explorer, qtbot, tmp_path / "three.keras")
    _computed(explorer, qtbot)
    assert "class 0…2" in explorer.predictions.note.text()
    (tmp_path / "two.txt").write_text("a\nb\n")
    assert not explorer.feed.use_class_names(str(tmp_path / "two.txt"))
    assert "2 names in the file for 3 outputs" in explorer.feed.reason.text()
    (tmp_path / "names.txt").write_text("red\ngreen\nblue\n")
    assert explorer.feed.use_class_names(str(tmp_path / "names.txt"))
    qtbot.waitUntil(lambda: set(explorer.predictions.texts()) == {"red", "green", "blue"}, timeout=30000)
    assert not explorer.predictions.note.isVisibleTo(explorer)
    explorer.feed.mode.setCurrentIndex(explorer.feed.mode.findData("tf"))
    assert opened.preprocessing == "tf" and "chosen by you" in explorer.feed.reason.text()
    qtbot.waitUntil(lambda: explorer.last.model is opened and np.allclose(
        explorer.last.outputs[0], keras.Model(opened.model.inputs, opened.model.get_layer("conv").output)
        .predict_on_batch(opened.prepare(explorer.frame.rgb))[0], atol=1e-5), timeout=30000)
    assert opened.prepare(explorer.frame.rgb).min() < 0  # −1…1
