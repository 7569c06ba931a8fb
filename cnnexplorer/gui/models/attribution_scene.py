"""The Attribution panel in a lecture scene: its settings (method, layer, pinned class, looks, tab) as
plain JSON. The layer list and the class names come with the model, so settings asked for before
a model is in are set once it is (the model itself is the explorer's scene, or the bundled one)."""

from __future__ import annotations

from cnnexplorer.core.i18n import tr
from cnnexplorer.gui.common.widget_state import apply_inputs, capture_inputs
from cnnexplorer.gui.models.attribution_host import AttributionHost

SCENE_EXCLUDED = {"channel", "channel_panel.channel"}  # counted for the layer of the last picture: not a setting


class AttributionScene:
    def __init__(self, dock: AttributionHost) -> None:
        self.dock = dock
        self.pending: dict | None = None  # inputs waiting for a model that shows pictures
        dock.session.model_changed.connect(self._on_model_changed)

    def state(self) -> dict:
        return {"inputs": capture_inputs(self.dock, exclude=SCENE_EXCLUDED)}

    def apply(self, state: dict) -> list[str]:
        """Set ``state``; returns what was skipped and why (nothing yet while waiting for a model)."""
        inputs = state.get("inputs", {})
        model = self.dock.session.model
        if model is None or not model.image_input:
            self.pending = inputs
            self.dock.recompute()  # on screen with no model: the bundled one loads
            return []
        return self._set(inputs)

    def _set(self, inputs: dict) -> list[str]:
        skipped = apply_inputs(self.dock, inputs, exclude=SCENE_EXCLUDED)
        picker = self.dock.class_picker
        if isinstance(inputs, dict) and isinstance(inputs.get("class_picker"), str):
            picker.choose(picker.text())  # typed text pins its class, as on Enter
            if picker.text() and picker.pinned is None:
                skipped.append(tr("class {name}: not a class of {model}", name=repr(picker.text()),
                                  model=self.dock.session.model.name))
        return skipped

    def _on_model_changed(self, model) -> None:
        if self.pending is not None and model is not None and model.image_input:
            inputs, self.pending = self.pending, None
            self._set(inputs)
