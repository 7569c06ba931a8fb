"""The training tab in a lecture scene: its settings as a run file, and the augmentation pipeline
on hand, so one scene can set up a lesson (train without, then with augmentation; transfer)."""

from __future__ import annotations

from cnnexplorer.core.augment.pipeline import Augmenter
from cnnexplorer.core.i18n import tr
from cnnexplorer.core.training.runfile import RunFileError, run_from_dict


def training_scene_state(tab) -> dict:
    """The dataset, model and fit settings as a run file (readable, checked when read back), whose
    ``augmentation`` is the pipeline when it is ticked; a pipeline on hand but not ticked is
    ``pipeline`` (the scene then trains without it first)."""
    used = tab.used_augmenter()
    try:
        state = {"run": tab.setup.run_file(used.to_dict() if used else None).to_dict()}
    except ValueError as exc:  # a setting the run file refuses (e.g. a bad filter list): said when applied
        return {"invalid": str(exc)}
    if tab.augmenter is not None and used is None:
        state["pipeline"] = tab.augmenter.to_dict()
    return state


def apply_training_scene(tab, state: dict) -> list[str]:
    """Set what ``state`` says; returns what was skipped and why."""
    if "invalid" in state:
        return [tr("training settings: {problem}", problem=state["invalid"])]
    if tab.running:
        return [tr("training settings: a training run is going on; its settings stay")]
    try:
        run = run_from_dict(state.get("run", {}))
        pipeline = Augmenter.from_dict(state["pipeline"]) if state.get("pipeline") else None
    except (RunFileError, ValueError) as exc:
        return [tr("training settings: {problem}", problem=exc)]
    tab.setup.apply_run_file(run)
    if run.augmentation is not None:  # checked when read: it is a pipeline
        tab.set_augmenter(Augmenter.from_dict(run.augmentation))
    elif pipeline is not None:
        tab.set_augmenter(pipeline)
        tab.setup.augment.setChecked(False)
    else:  # a scene without augmentation trains without it
        tab.setup.augment.setChecked(False)
    return []
