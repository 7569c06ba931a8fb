import numpy as np
import pytest

pytest.importorskip("keras")

from cnnexplorer.core.augment.pipeline import Augmenter, Step  # noqa: E402


@pytest.fixture
def lab(window, qtbot):
    window.source.set_source("sample:coffee")
    window.keras.start()
    qtbot.waitUntil(lambda: window.keras.state == "ready", timeout=120000)
    dock = window.augment
    dock.show()
    dock.raise_()
    qtbot.waitUntil(lambda: len(dock.images) == 16, timeout=60000)
    return dock


def test_grid_follows_the_pipeline_and_the_seed(lab, qtbot):
    first = lab.images
    lab.seed.setValue(lab.seed.value() + 1)
    qtbot.waitUntil(lambda: f"seed {lab.seed.value()} ·" in lab.status.text(), timeout=60000)
    assert any(not np.array_equal(a, b) for a, b in zip(first, lab.images))
    lab.set_augmenter(Augmenter([Step("flip_horizontal")], "flip"))
    qtbot.waitUntil(lambda: lab.table.rowCount() == 1 and all(
        np.array_equal(img, lab.images[0]) for img in lab.images), timeout=60000)
    lab.table.cellWidget(0, 3).setValue(0.0)  # probability 0: the original, untouched
    qtbot.waitUntil(lambda: lab.augmenter.steps[0].probability == 0.0, timeout=5000)
    lab.compare.setChecked(True)
    assert lab.grid.cols == 8


def test_clicking_a_tile_explains_it(lab, qtbot):
    lab.selected = 2
    lab.worker.submit(lab.frame.rgb, lab.augmenter, lab.seed.value(), explain=True)
    qtbot.waitUntil(lambda: lab.explanation.text().startswith("tile 3:"), timeout=60000)
    assert lab.records is not None and len(lab.records) == 16


def test_use_in_training_hands_over_the_same_pipeline(lab, window):
    lab.use_button.click()
    assert window.training.augmenter is lab.augmenter
    assert window.training.setup.augment.isChecked() and "light" in window.training.setup.augment.text()
    layer = window.training.augment_factory()
    assert layer.augmenter is lab.augmenter


def test_bad_saved_name_is_refused(lab):
    lab.save_as("../../escape")
    assert "pipeline name" in lab.status.text()
    lab.save_as("class demo")
    assert lab.saved_combo.currentText() == "class demo"
