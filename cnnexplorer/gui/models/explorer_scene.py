"""The model explorer in a lecture scene: the zoo model, the layers shown and the view settings,
captured as plain JSON and set again (loading the model first when another one is on screen)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QTimer, SignalInstance

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.models import zoo
from cnnexplorer.gui.common.keras_loader import KerasState
from cnnexplorer.gui.common.widget_state import apply_inputs, capture_inputs

if TYPE_CHECKING:
    from cnnexplorer.gui.common.keras_loader import KerasLoader
    from cnnexplorer.gui.models.layer_tree import LayerTreeWidget
    from cnnexplorer.gui.models.model_session import ModelSession

SCENE_EXCLUDED = {"tree.search", "zoo_combo", "compare_combo",  # the model's own lists: restored after it loads
                  "surgery.editor.saved_combo"}  # the user's saved kernels: not part of a scene


class ExplorerHost(Protocol):
    """What a scene needs of the model explorer (a QWidget whose inputs the scene keeps)."""

    session: ModelSession
    keras: KerasLoader
    tree: LayerTreeWidget
    layer_path: str
    compare_path: str
    load_requested: SignalInstance  # (zoo name or file path) a load asked for
    load_failed: SignalInstance  # (zoo name or file path) a load that failed

    def compare_with(self, path: str) -> None: ...

    def load_zoo(self, name: str) -> None: ...


def explorer_scene_state(dock: ExplorerHost) -> dict:
    model = dock.session.model
    return {"model": model.name if model is not None else None, "layer": dock.layer_path,
            "compare": dock.compare_path, "inputs": capture_inputs(dock, exclude=SCENE_EXCLUDED)}


def apply_explorer_scene(dock: ExplorerHost, state: dict) -> list[str]:
    """Set ``state`` on the dock; returns what was skipped and why."""
    ended = dock.findChild(SceneModelLoad, SceneModelLoad.NAME)
    if ended is not None:
        ended.end()  # this scene replaces the one still waiting for its model
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
    SceneModelLoad(dock, name, layer, compare).start()
    return skipped


class SceneModelLoad(QObject):
    """A scene's model on its way in: once it is on screen, the scene's layers are shown. Forgotten
    (every connection dropped) when its load fails, when another load is asked for after it, when
    TensorFlow fails to load or when another scene is applied: none of these fires on a later load."""

    NAME = "SceneModelLoad"

    def __init__(self, dock: ExplorerHost, name: str, layer: str | None, compare: str) -> None:
        super().__init__(dock, objectName=self.NAME)
        self.dock, self.name, self.layer, self.compare = dock, name, layer, compare
        self._connected: list[tuple[SignalInstance, object]] = []

    def start(self) -> None:
        dock = self.dock
        if dock.keras.state == KerasState.READY:
            dock.load_zoo(self.name)  # shows its progress in the banner
        else:
            self._connect(dock.keras.ready, self._load)
            self._connect(dock.keras.failed, self.end)
            dock.keras.start()
        self._connect(dock.session.model_changed, self._on_model_changed)
        self._connect(dock.load_failed, self._on_load_failed)
        self._connect(dock.load_requested, self._on_load_requested)

    def _connect(self, signal: SignalInstance, slot) -> None:
        signal.connect(slot)
        self._connected.append((signal, slot))

    def end(self, *_) -> None:
        for signal, slot in self._connected:
            signal.disconnect(slot)
        self._connected = []
        self.setParent(None)
        self.deleteLater()

    def _load(self, *_) -> None:
        self.dock.load_zoo(self.name)

    def _on_load_failed(self, key: str) -> None:
        if key == self.name:
            self.end()

    def _on_load_requested(self, key: str) -> None:
        if key != self.name:
            self.end()  # the newest request wins: the scene's model is not coming

    def _on_model_changed(self, model) -> None:
        if model is None or model.name != self.name:
            return  # a load asked for before ours ended first
        self.end()
        dock, layer, compare = self.dock, self.layer, self.compare

        def show_layers() -> None:  # once the model's tree and choices are in
            if dock.session.model is model:
                if layer is not None:
                    dock.tree.select(layer)
                dock.compare_with(compare)

        QTimer.singleShot(0, dock, show_layers)
