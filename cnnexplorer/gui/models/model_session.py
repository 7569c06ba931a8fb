"""The model being explored, shared by the explorer, the Inception view and the Attribution panel;
and what the explorer's loader thread works out about a model before it reaches the GUI thread."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from cnnexplorer.core.models import zoo
from cnnexplorer.core.models.taps import LayerNode, layer_tree


def with_layer_tree(model: zoo.ZooModel) -> tuple[zoo.ZooModel, list[LayerNode], int | None]:
    """On the loader thread: what the explorer shows of a model that takes a walk over its layers
    (the parameter count is None for a model that cannot count them: one never built)."""
    try:
        params = model.model.count_params()
    except ValueError:
        params = None
    return model, layer_tree(model.model), params


class ModelSession(QObject):
    """The model on screen; ``model_replaced`` hands the one before to whoever frees it."""

    model_changed = Signal(object)  # ZooModel | None
    model_replaced = Signal(object)  # the ZooModel that was on screen before: to be freed

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.model: zoo.ZooModel | None = None
        self.loading = False  # the explorer is loading one: the others wait for it, never load a second

    def set_model(self, model: zoo.ZooModel | None) -> None:
        old, self.model = self.model, model
        self.model_changed.emit(model)
        if old is not None and old is not model:
            self.model_replaced.emit(old)

    def change_feed(self, **changes) -> None:
        """Feed the model's frames with ``changes`` (fields of
        :class:`~cnnexplorer.core.models.preprocess.FeedOptions`): a new options value put in place by one
        assignment, so a worker thread that reads ``options`` once per frame feeds with the old value or
        the new one, never half of each."""
        if self.model is not None:
            self.model.options = replace(self.model.options, **changes)
