"""The Attribution panel on the bundled MobileNetV2 (TensorFlow on the CPU), in the real window."""

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication

keras = pytest.importorskip("keras")

CAT = {"Egyptian cat", "tiger cat", "tabby"}


def test_live_cam_pinned_class_and_top3(attribution, qtbot):
    dock = attribution
    frame = dock.frame.rgb
    assert dock.view.image.image.shape == frame.shape
    assert "head_conv_relu6 (chosen automatically" in dock.info.text()
    assert dock.last.top[0][0] in CAT
    dock.class_picker.setText("Espresso")  # any case
    dock.class_picker.editingFinished.emit()
    assert dock.class_picker.pinned == 967
    qtbot.waitUntil(lambda: dock.last.result.classes == [967], timeout=30000)
    assert "espresso" in dock.info.text() and "pinned" in dock.info.text()
    dock.class_picker.clear()
    dock.top3.setChecked(True)
    qtbot.waitUntil(lambda: len(dock.last.result.maps) == 3, timeout=30000)
    assert dock.top_view.grid.count == 3 and len(dock.top_info.text().split("|")) == 3
    dock.layer_combo.setCurrentIndex(dock.layer_combo.findData("block13_expand_relu6"))
    qtbot.waitUntil(lambda: dock.last.result.layer == "block13_expand_relu6", timeout=30000)
    assert "chosen automatically" not in dock.info.text()


def test_frozen_frame_tools_fill_in_and_stop(attribution, window, qtbot):
    dock = attribution
    assert not dock.tool_buttons["SmoothGrad"].isEnabled()
    window.source.set_frozen(True)
    assert dock.tool_buttons["SmoothGrad"].isEnabled() and dock.freeze_button.isChecked()
    assert dock.run_frozen_tool("occlusion")
    dock.stop_button.click()
    qtbot.waitUntil(lambda: dock.task is None, timeout=60000)
    assert dock.detail_info.text() == "Stopped."
    dock.tool_buttons["SmoothGrad"].click()
    qtbot.waitUntil(lambda: dock.task is None, timeout=120000)
    assert dock.detail_info.text() == "SmoothGrad done"
    assert dock.detail.image.image.shape == dock.frame.rgb.shape


def test_channel_picture_updates_and_stops(attribution, qtbot):
    dock = attribution
    assert dock.visualise("block6_expand_relu6", 5, steps=6)
    qtbot.waitUntil(lambda: dock.task is None, timeout=120000)
    assert dock.picture.image.image.shape == (224, 224, 3)
    assert dock.channel.value() == 5 and dock.channel.maximum() == 191
    assert dock.visualise("block6_expand_relu6", 7)
    qtbot.waitUntil(lambda: dock.progress.value() > 0, timeout=60000)  # pictures are arriving
    dock.stop_button.click()
    qtbot.waitUntil(lambda: dock.task is None, timeout=60000)
    assert 0 < dock.progress.value() < dock.progress.maximum()  # fewer steps done than the full count
    assert "stopped early" in dock.picture_info.text()
    assert dock.build_strip(steps=3)
    qtbot.waitUntil(lambda: dock.task is None, timeout=120000)
    assert len(dock.strip_pictures) == 5 and dock.strip.grid.count == 5
    assert "stem_conv_relu6" in dock.picture_info.text() and "head_conv_relu6" in dock.picture_info.text()


def test_a_task_of_the_model_before_never_shows_its_pictures_or_result(attribution, qtbot):
    dock = attribution
    assert dock.visualise("block6_expand_relu6", 3, steps=500)
    old = dock.task
    qtbot.waitUntil(lambda: dock.progress.value() > 0 and dock.picture.grid is not None,
                    timeout=60000)  # its pictures are arriving: one is on screen
    dock.session.set_model(dock.session.model)  # a model is (re)loaded: the task is replaced by nothing
    assert dock.task is None and old.cancel.is_set() and not dock.task_progress.isVisible()
    assert dock.picture.image.image.shape == (1, 1, 3)  # cleared for the model now shown
    assert old.wait(60000)
    QCoreApplication.processEvents()  # whatever it sent on its way out has been handled
    assert dock.picture.image.image.shape == (1, 1, 3) and "drives this channel" not in dock.picture_info.text()


def test_unit_clicked_in_the_explorer_shows_its_fields(attribution, window, qtbot):
    dock = attribution
    window.explorer.select_layer("block3_expand_relu6")
    window.explorer.grid.unit_clicked.emit(5, 10, 12)
    qtbot.waitUntil(lambda: dock.task is None and dock.unit_box is not None, timeout=60000)
    assert "block3_expand_relu6 unit (10, 12)" in dock.detail_info.text()
    top, left, bottom, right = dock.unit_box
    assert 0 < top < bottom < dock.frame.rgb.shape[0] and 0 < left < right < dock.frame.rgb.shape[1]
    window.explorer.select_layer("global_pool")
    window.explorer.grid.unit_clicked.emit(0, 0, 0)
    qtbot.waitUntil(lambda: dock.task is None and "no spatial map" in dock.detail_info.text(), timeout=60000)


def test_grid_offers_to_visualise_a_channel(qtbot):
    from cnnexplorer.gui.models.activation_grid import ActivationGrid

    grid = ActivationGrid()
    qtbot.addWidget(grid)
    grid.show_activation(np.random.default_rng(0).random((4, 4, 6)).astype(np.float32))
    asked = []
    grid.visualise_requested.connect(asked.append)
    grid._on_hovered(3, 1, 1)
    (action,) = [a for a in grid.mosaic.actions() if a.text() == "Visualise this channel"]
    action.trigger()
    assert asked == [3]
