"""The model explorer in a lecture scene: the zoo model, the layers shown and the view settings,
captured as plain JSON and set again (loading the model first when another one is on screen)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.models import zoo
from cnnexplorer.gui.common.keras_loader import KerasState
from cnnexplorer.gui.common.widget_state import apply_inputs, capture_inputs

if TYPE_CHECKING:
    from cnnexplorer.gui.models.explorer_dock import ModelExplorerDock

SCENE_EXCLUDED = {"tree.search", "zoo_combo", "compare_combo",  # the model's own lists: restored after it loads
                  "surgery.editor.saved_combo"}  # the user's saved kernels: not part of a scene


def explorer_scene_state(dock: ModelExplorerDock) -> dict:
    model = dock.session.model
    return {"model": model.name if model is not None else None, "layer": dock.layer_path,
            "compare": dock.compare_path, "inputs": capture_inputs(dock, exclude=SCENE_EXCLUDED)}


def apply_explorer_scene(dock: ModelExplorerDock, state: dict) -> list[str]:
    """Set ``state`` on the dock; returns what was skipped and why."""
    skipped = apply_inputs(dock, state.get("inputs", {}), exclude=SCENE_EXCLUDED)
    name, layer = state.get("model"), state.get("layer")
    layer = layer if isinstance(layer, str) and layer else None
    compare = state.get("compare") if isinstance(state.get("compare"), str) else ""
    if not isinstance(name, str) or not name:
        return skipped
    if name not in zoo.ENTRIES:
        return skipped + [tr("model {name} is not in this version's zoo; the current model stays", name=repr(name))]
    current = dock.session.model
    if current is not None and current.name == name:
        if layer is not None:
            dock.tree.select(layer)
            if dock.layer_path != layer:
                skipped.append(tr("layer {layer}: not in {model}", layer=repr(layer), model=name))
        dock.compare_with(compare)
        if dock.compare_path != compare:
            skipped.append(tr("compared layer {layer}: not in {model}", layer=repr(compare), model=name))
        return skipped

    def show_layers() -> None:
        if layer is not None:
            dock.tree.select(layer)
        dock.compare_with(compare)

    def loaded(model, name=name) -> None:  # the layers once the model's tree and choices are in
        if model is not None and model.name == name:
            dock.session.model_changed.disconnect(loaded)
            QTimer.singleShot(0, dock, show_layers)

    def load(*_) -> None:
        dock.keras.ready.disconnect(load)
        dock.load_zoo(name)

    dock.session.model_changed.connect(loaded)
    if dock.keras.state == KerasState.READY:
        dock.load_zoo(name)  # shows its progress in the banner
    else:
        dock.keras.ready.connect(load)
        dock.keras.start()
    return skipped
