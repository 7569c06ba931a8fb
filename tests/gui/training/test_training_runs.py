"""The training tab and run files: saved with every run, opened into every control, exported with
the captures; a fresh run starts from a clean screen; the tab and the headless trainer agree."""

import json

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from cnnexplorer.core.training.datasets import DatasetSpec  # noqa: E402
from cnnexplorer.core.training.runfile import FitSettings, ModelSpec, RunFile, load_run_file, save_run_file  # noqa: E402
from cnnexplorer.core.training.runner import train_run  # noqa: E402
from cnnexplorer.gui.training.tab import PLOT_MIN_HEIGHT  # noqa: E402
from tests.gui.training.captures import capture  # noqa: E402


@pytest.fixture
def tab(window):
    window.training_dock.show()
    window.training_dock.raise_()
    return window.training


def load(tab, qtbot):
    tab.load_dataset()
    qtbot.waitUntil(lambda: tab.dataset is not None and tab.start_button.isEnabled(), timeout=30000)


def fit(tab, qtbot):
    tab.start()
    assert tab.running, tab.setup.error.text()
    qtbot.waitUntil(lambda: tab.result is not None and tab.start_button.isEnabled(), timeout=120000)


def small_run(**fit) -> RunFile:
    return RunFile(DatasetSpec("shapes", 16, 3, 20), ModelSpec("cnn", [8], 3), FitSettings(**{
        "optimizer": "adam", "learning_rate": 0.01, "batch_size": 8, "epochs": 2, **fit}), seed=5)


def test_open_run_fills_every_control_and_every_run_saves_its_run_file(tab, qtbot, tmp_path):
    run = RunFile(DatasetSpec("folder", 48, 4, 50, str(tmp_path / "photos")),
                  ModelSpec("cnn", [8, 24], 5, "tanh", True, 0.3, 2, ""), FitSettings("sgd", 0.0125, 16, 7, 3, True),
                  {"name": "flips", "steps": [{"op": "flip_horizontal", "magnitude": 5.0, "probability": 0.5,
                                               "enabled": True, "num_ops": 2}]}, seed=1234)
    path = save_run_file(run, tmp_path / "run.json")
    assert tab.open_run(str(path))
    setup = tab.setup
    assert setup.run_file(tab.augmenter.to_dict()) == run  # every field made it to a control and back
    assert setup.folder.text() == str(tmp_path / "photos") and setup.seed.value() == 1234
    assert setup.augment.isChecked() and tab.augmenter.name == "flips"

    assert tab.open_run(str(save_run_file(small_run(), tmp_path / "small.json")))
    assert not setup.augment.isChecked()
    load(tab, qtbot)
    fit(tab, qtbot)
    saved = load_run_file(tab.result.run_dir / "run.json")
    assert saved == small_run()
    assert json.loads((tab.result.run_dir / "class_names.json").read_text()) == tab.dataset.class_names

    wide = small_run(epochs=5000)  # the headless trainer takes it; the tab's control stops at 1000
    assert tab.open_run(str(save_run_file(wide, tmp_path / "wide.json")))
    assert "outside what the tab offers, so changed: fit.epochs" in tab.status.text()

    (tmp_path / "broken.json").write_text(json.dumps({"version": 99}))
    assert not tab.open_run(str(tmp_path / "broken.json"))
    assert "newer than this cnnexplorer reads" in tab.status.text()


def test_export_run_takes_the_captures_along(tab, qtbot, window, tmp_path):
    capture(window, qtbot, per_class=2)
    path = tab.export_run(str(tmp_path / "export"))
    assert path == tmp_path / "export" / "run.json"
    assert json.loads(path.read_text())["dataset"]["folder"] == "captures"
    assert sorted(p.name for p in (tmp_path / "export" / "captures").iterdir()) == ["left", "right"]
    assert load_run_file(path).dataset.folder == str(tmp_path / "export" / "captures")


def test_a_new_run_starts_from_a_clean_screen(tab, qtbot):
    tab.setup.shape_classes.setValue(3)
    tab.setup.per_class.setValue(20)
    tab.setup.image_size.setValue(16)
    tab.setup.epochs.setValue(1)
    load(tab, qtbot)
    fit(tab, qtbot)
    assert tab.confusion_texts and tab.result_title.text() and tab.confusion_view.image.isVisible()
    tab.setup.epochs.setValue(300)
    tab.start()
    # The first run's results are gone the moment the second starts.
    assert tab.confusion_texts == [] and tab.result_title.text() == "" and tab.result is None
    for view in (tab.confusion_view, tab.result_view, tab.filters_view, tab.probe_view):
        assert not view.image.isVisible()
    x, _ = tab.train_loss.getData()
    assert x is None or len(x) == 0
    assert not tab.epoch_slider.isEnabled()
    tab.stop()
    qtbot.waitUntil(lambda: tab.result is not None and tab.start_button.isEnabled(), timeout=60000)
    assert tab.confusion_view.image.isVisible()


def test_transfer_after_a_load_at_another_size_is_refused(tab, qtbot):
    tab.setup.image_size.setValue(32)
    load(tab, qtbot)
    tab.setup.model_kind.setCurrentIndex(tab.setup.model_kind.findData("transfer"))
    assert tab.setup.image_size.value() == 96
    tab.start()
    assert not tab.running
    assert "press Load dataset again" in tab.setup.error.text() and "96×96" in tab.setup.error.text()


def test_curves_and_confusion_are_readable(tab, qtbot):
    plots = tab.loss_plot.getViewWidget()
    assert plots.minimumHeight() >= PLOT_MIN_HEIGHT >= 120  # the stage check measures what the room sees
    assert tab.minimumSizeHint().height() <= 560  # the whole tab fits a 1280×720 screen, curves and all
    for plot in (tab.loss_plot, tab.acc_plot):
        assert "validation" in [label.text for _, label in plot.legend.items]
    tab._draw_confusion(np.array([[12, 19, 17], [1, 40, 0], [100, 0, 5]]))
    sizes = {text.textItem.font().pixelSize() for text in tab.confusion_texts}
    assert sizes and min(sizes) >= 8


def test_the_tab_and_the_headless_trainer_learn_the_same_weights(tab, qtbot, tmp_path):
    run = small_run(epochs=2)
    assert tab.open_run(str(save_run_file(run, tmp_path / "run.json")))
    load(tab, qtbot)
    fit(tab, qtbot)
    in_tab = keras.saving.load_model(tab.result.last_path).get_weights()
    headless = train_run(run, tmp_path / "headless")
    again = keras.saving.load_model(headless.last_path).get_weights()
    # One CPU device, same seed: equal up to float32 round-off of reordered sums (none seen here).
    for a, b in zip(in_tab, again):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert headless.history["loss"] == pytest.approx(tab.result.history["loss"], rel=1e-5)


def test_a_headless_run_folder_opens_with_its_curves_and_model(tab, qtbot, tmp_path):
    headless = train_run(small_run(epochs=3), tmp_path / "headless")
    assert tab.open_run(str(headless.run_dir / "run.json"))
    x, y = tab.val_loss.getData()
    assert list(x) == [1, 2, 3] and list(y) == pytest.approx(headless.history["val_loss"])
    assert len(tab.confusion_texts) == 9 and tab.confusion_view.image.isVisible()
    assert tab.open_button.isEnabled()
    with qtbot.waitSignal(tab.open_in_explorer, timeout=1000) as opened:
        tab.open_button.click()
    assert opened.args == [str(headless.run_dir / "best.keras")]
