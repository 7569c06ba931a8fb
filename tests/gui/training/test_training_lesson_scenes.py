"""Lesson scenes of the training tab: with and without augmentation (§6) and transfer learning (§5)
each set up by one scene state; the run before stays on the plots, dashed, beside the new one."""

import json

import pytest

from cnnexplorer.core.augment.pipeline import preset
from tests.gui.training.fresh_tab import fresh_tab

RUN = {"version": 1, "seed": 0,
       "dataset": {"kind": "shapes", "size": 32, "classes": 5, "per_class": 40, "folder": ""},
       "model": {"kind": "cnn", "filters": [16, 32, 32], "kernel": 3, "activation": "relu", "batch_norm": False,
                 "dropout": 0.0, "unfreeze": 0, "path": ""},
       "fit": {"optimizer": "adam", "learning_rate": 0.002, "batch_size": 16, "epochs": 20, "early_stopping": 0,
               "tensorboard": False},
       "augmentation": None}
WITHOUT_THEN_WITH_AUGMENTATION = {"run": RUN, "pipeline": preset("light").to_dict()}
TRANSFER = {"run": {**RUN, "dataset": {**RUN["dataset"], "size": 96},
                    "model": {**RUN["model"], "kind": "transfer", "dropout": 0.2},
                    "fit": {**RUN["fit"], "epochs": 5}}}



def test_a_scene_sets_up_training_without_then_with_augmentation(qtbot):
    tab = fresh_tab(qtbot, 1280, 720)
    assert tab.apply_scene(json.loads(json.dumps(WITHOUT_THEN_WITH_AUGMENTATION))) == []
    setup = tab.setup
    assert setup.per_class.value() == 40 and setup.epochs.value() == 20 and setup.batch_size.value() == 16
    assert tab.augmenter.name == "light"  # on hand, one tick away
    assert setup.augment.isEnabled() and not setup.augment.isChecked()
    assert tab.scene_state() == WITHOUT_THEN_WITH_AUGMENTATION
    setup.augment.setChecked(True)  # the second run: the same settings, augmented
    assert tab.scene_state()["run"]["augmentation"] == preset("light").to_dict()


def test_a_scene_with_the_pipeline_ticked_trains_augmented(qtbot):
    tab = fresh_tab(qtbot, 1280, 720)
    state = {"run": {**RUN, "augmentation": preset("heavy").to_dict()}}
    assert tab.apply_scene(state) == []
    assert tab.augmenter.name == "heavy" and tab.setup.augment.isChecked()
    assert tab.apply_scene({"run": RUN}) == []  # a scene without augmentation trains without it
    assert not tab.setup.augment.isChecked()
    assert tab.apply_scene({"run": RUN, "pipeline": {"steps": "nonsense"}})[0].startswith("training settings:")


def test_a_scene_sets_up_transfer_learning(qtbot):
    tab = fresh_tab(qtbot, 1280, 720)
    assert tab.apply_scene(TRANSFER) == []
    assert tab.setup.model_kind.currentData() == "transfer" and tab.setup.image_size.value() == 96
    assert tab.setup.unfreeze.isEnabled() and tab.setup.unfreeze.value() == 0
    assert tab.scene_state() == TRANSFER


@pytest.mark.parametrize("augmented", [False, True])
def test_the_run_before_stays_dashed_beside_the_next(qtbot, augmented):
    pytest.importorskip("keras")
    tab = fresh_tab(qtbot, 1280, 720)
    small = {**RUN, "dataset": {**RUN["dataset"], "size": 16, "classes": 3, "per_class": 20},
             "model": {**RUN["model"], "filters": [8]}, "fit": {**RUN["fit"], "epochs": 2, "batch_size": 8}}
    assert tab.apply_scene({"run": small, "pipeline": preset("light").to_dict()}) == []
    tab.load_dataset()
    qtbot.waitUntil(lambda: tab.dataset is not None and tab.start_button.isEnabled(), timeout=30000)
    results = tab.results
    def train() -> None:
        before = tab.result
        # Start takes once the last run's worker has gone (its result can come a moment before that)
        qtbot.waitUntil(lambda: tab.start() or tab.running, timeout=10000)
        qtbot.waitUntil(lambda: tab.result is not before and not tab.running and tab.start_button.isEnabled(),
                        timeout=120000)

    for run in range(2):
        tab.setup.augment.setChecked(augmented and run == 1)
        train()
    first_val = results.previous_val_loss.getData()[1]
    assert len(first_val) == 2 and len(results.val_loss.getData()[1]) == 2
    label = "validation, run before: small CNN, not augmented"
    assert results.previous_label == label
    for plot in (results.loss_plot, results.acc_plot):
        assert label in [item.text for _, item in plot.legend.items]
    train()  # a third run: the second becomes the run before
    second = "augmented" if augmented else "not augmented"
    assert results.previous_label == "validation, run before: small CNN, {second}".format(second=second)
    assert [item.text for _, item in results.loss_plot.legend.items].count(results.previous_label) == 1
