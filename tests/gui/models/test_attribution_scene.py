"""The Attribution panel in a lecture scene (course §5, "Grad-CAM on the pretrained model"): the
state is set once the model is in, and the map shown lies on the cat; an empty tab says why."""

import numpy as np
import pytest

pytest.importorskip("keras")

from cnnexplorer.gui.models.attribution_dock import AUTOMATIC  # noqa: E402

CAT = {"Egyptian cat", "tiger cat", "tabby"}
GRAD_CAM_ON_THE_CAT = {"inputs": {"method": "gradcam", "layer_combo": AUTOMATIC,
                                  "class_picker": "", "top3": True, "tabs": "Top-3"}}


def test_grad_cam_scene_shows_the_top_class_map_on_the_cat(window, qtbot):
    dock = window.attribution
    window.source.set_source("sample:chelsea")
    window.source.set_frozen(True)
    window.keras.start()
    dock.show()
    dock.raise_()
    assert dock.top_info.text() == "Waiting for the model…" or dock.session.model is not None
    assert dock.apply_scene(GRAD_CAM_ON_THE_CAT) == []  # before the model is in: set once it is
    qtbot.waitUntil(lambda: dock.last is not None and len(dock.last.result.maps) == 3, timeout=180000)
    assert dock.method.currentText() == "gradcam" and dock.class_picker.pinned is None
    assert dock.tabs.tabText(dock.tabs.currentIndex()) == "Top-3" and dock.top_view.isVisible()
    assert dock.last.top[0][0] in CAT
    heat = np.asarray(dock.heat, np.float64)
    rows, cols = heat.shape[:2]
    peak_y, peak_x = np.unravel_index(np.argmax(heat), heat.shape[:2])
    # Chelsea's face fills the middle of the photo; the wall and the chair are at its sides.
    assert 0.2 <= peak_x / cols <= 0.8
    middle = heat[:, round(cols * 0.25):round(cols * 0.75)].mean()
    sides = np.concatenate([heat[:, :round(cols * 0.1)], heat[:, round(cols * 0.9):]], axis=1).mean()
    assert middle > 2 * sides
    state = dock.scene_state()["inputs"]
    assert {k: state[k] for k in GRAD_CAM_ON_THE_CAT["inputs"]} == GRAD_CAM_ON_THE_CAT["inputs"]


def test_the_top3_tab_shows_three_maps_when_chosen_and_says_why_when_off(attribution, qtbot):
    dock = attribution
    assert dock.tabs.tabText(dock.tabs.currentIndex()) != "Top-3" and not dock.top3.isChecked()
    dock.tabs.setCurrentWidget(dock.top_tab)
    assert dock.top3.isChecked()
    qtbot.waitUntil(lambda: len(dock.last.result.maps) == 3, timeout=60000)
    assert dock.top_view.isVisible() and not dock.top3_button.isVisible()
    assert len(dock.top_info.text().split("|")) == 3
    dock.top3.setChecked(False)  # the user's choice: one map only
    assert not dock.top_view.isVisible()
    assert "top-3 side by side" in dock.top_info.text() and dock.top3_button.isVisible()
    dock.top3.setChecked(True)
    dock.tabs.setCurrentIndex(0)
    assert dock.top3.isChecked()  # ticked by the user, kept when the tab is left
