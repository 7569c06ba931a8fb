"""The training tab in a lecture scene: its run settings, saved and applied to a fresh tab."""

import json

from tests.gui.training.fresh_tab import fresh_tab



def test_the_training_settings_reopen_in_a_fresh_tab(qtbot):
    first = fresh_tab(qtbot)
    setup = first.setup
    setup.shape_classes.setValue(3)
    setup.per_class.setValue(60)
    setup.image_size.setValue(48)
    setup.filters.setText("8, 16")
    setup.batch_norm.setChecked(True)
    setup.dropout.setValue(0.3)
    setup.optimizer.setCurrentIndex(setup.optimizer.count() - 1)
    setup.learning_rate.setValue(0.01)
    setup.epochs.setValue(4)
    setup.seed.setValue(7)
    state = json.loads(json.dumps(first.scene_state()))  # as read back from a scene file
    assert state["run"]["fit"]["epochs"] == 4 and state["run"]["model"]["filters"] == [8, 16]
    second = fresh_tab(qtbot)
    assert second.scene_state() != state
    assert second.apply_scene(state) == []
    assert second.scene_state() == state
    qtbot.wait(50)
    assert second.setup.grab().toImage() == first.setup.grab().toImage()


def test_a_bad_training_scene_says_what_was_skipped(qtbot):
    tab = fresh_tab(qtbot)
    before = tab.scene_state()
    skipped = tab.apply_scene({"run": {"version": 1, "seed": 0}})
    assert len(skipped) == 1 and "training settings" in skipped[0]
    assert tab.scene_state() == before
    tab.setup.filters.setText("eight")
    assert "invalid" in tab.scene_state()
