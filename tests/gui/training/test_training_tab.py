"""The training dock with real fits on the CPU (small ones)."""

import numpy as np
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

pytest.importorskip("keras")

from tests.gui.training.captures import capture  # noqa: E402


@pytest.fixture
def training(window, qtbot):
    tab = window.training
    window.training_dock.show()
    window.training_dock.raise_()
    tab.setup.shape_classes.setValue(3)
    tab.setup.per_class.setValue(40)
    tab.setup.image_size.setValue(24)
    tab.load_dataset()
    qtbot.waitUntil(lambda: tab.dataset is not None, timeout=30000)
    return tab


def test_fit_runs_and_reports(training, qtbot):
    tab = training
    assert "96 training and 24 validation images of 24×24" in tab.status.text()
    tab.setup.epochs.setValue(2)
    tab.start()
    assert not tab.start_button.isEnabled() and tab.stop_button.isEnabled() and not tab.setup.isEnabled()
    qtbot.waitUntil(lambda: tab.result is not None and tab.start_button.isEnabled(), timeout=120000)
    assert "Training finished" in tab.status.text()
    assert len(tab.epochs) == 2 and tab.epoch_slider.maximum() == 2
    assert tab.result.confusion.sum() == 24 and len(tab.confusion_texts) == 9
    assert tab.start_button.isEnabled() and tab.open_button.isEnabled()
    assert "trainable" in tab.summary.text()


def test_stop_ends_the_fit_and_reenables(training, qtbot):
    tab = training
    tab.setup.epochs.setValue(200)
    tab.start()
    qtbot.waitUntil(lambda: len(tab.batch_losses) >= 2, timeout=60000)
    tab.stop_button.click()
    qtbot.waitUntil(lambda: tab.result is not None and tab.start_button.isEnabled(), timeout=60000)
    assert tab.result.stopped and len(tab.result.history["loss"]) < 200
    assert tab.start_button.isEnabled() and not tab.stop_button.isEnabled() and tab.setup.isEnabled()


def test_bad_settings_are_refused_in_the_gui(training):
    training.setup.filters.setText("16, lots")
    training.start()
    assert not training.running and "whole numbers" in training.setup.error.text()


def test_trained_model_opens_in_the_explorer(training, qtbot, window):
    window.keras.start()
    qtbot.waitUntil(lambda: window.keras.state == "ready", timeout=120000)
    training.setup.epochs.setValue(1)
    training.start()
    qtbot.waitUntil(lambda: not training.running and training.result is not None, timeout=120000)
    qtbot.waitUntil(lambda: window.explorer.loader is None, timeout=60000)  # a busy explorer ignores a new file
    training.open_button.click()
    qtbot.waitUntil(lambda: window.explorer.session.model is not None
                    and window.explorer.session.model.name == "last.keras", timeout=60000)
    assert "conv1" in window.explorer.tree.items


def test_webcam_captures_become_a_dataset(window, qtbot):
    tab = window.training
    setup = capture(window, qtbot, per_class=3)
    assert setup.captures.counts() == {"left": 3, "right": 3}
    setup.capture_class.setText("../bad")
    setup.capture_button.click()
    assert "class name" in setup.error.text()
    tab.load_dataset()
    qtbot.waitUntil(lambda: tab.dataset is not None, timeout=30000)
    assert tab.dataset.class_names == ["left", "right"]
    assert np.array_equal(np.unique(np.concatenate([tab.dataset.y_train, tab.dataset.y_val])), [0, 1])


def test_closing_mid_training_asks_and_keeps_the_model(training, qtbot, window):
    tab = training
    tab.setup.epochs.setValue(500)
    tab.start()
    qtbot.waitUntil(lambda: len(tab.batch_losses) >= 2, timeout=60000)

    def answer(button):
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox) and "Training is running" in box.windowTitle()
        box.button(button).click()

    QTimer.singleShot(200, lambda: answer(QMessageBox.StandardButton.No))
    window.close()
    assert window.isVisible() and tab.running  # "No" keeps the app and the fit going
    QTimer.singleShot(200, lambda: answer(QMessageBox.StandardButton.Yes))
    window.close()
    assert not tab.running and not window.isVisible()
    run_dirs = sorted((window.settings.path.parent / "runs").iterdir())
    assert (run_dirs[-1] / "last.keras").exists()
