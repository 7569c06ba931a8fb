"""Neurons and backprop dock (course §1): one neuron, a small MLP, vanishing gradients."""

from __future__ import annotations

from PySide6.QtWidgets import QDockWidget, QTabWidget

from cnnexplorer.gui.common.widget_state import apply_inputs, capture_inputs
from cnnexplorer.gui.neurons.mlp_view import MlpView
from cnnexplorer.gui.neurons.single import OneNeuronView
from cnnexplorer.gui.neurons.vanishing_view import VanishingView


class NeuronDock(QDockWidget):
    def __init__(self, controller=None, parent=None) -> None:
        super().__init__("Neurons", parent)
        self.setObjectName("NeuronDock")
        self.tabs = QTabWidget()
        self.single = OneNeuronView()
        self.mlp = MlpView()
        self.vanishing = VanishingView()
        self.tabs.addTab(self.single, "One neuron")
        self.tabs.addTab(self.mlp, "Small MLP")
        self.tabs.addTab(self.vanishing, "Vanishing gradients")
        self.setWidget(self.tabs)

    def stop(self) -> None:
        """Stop any training in progress (closing the window calls it)."""
        self.mlp.stepper.stop()
        self.vanishing.stop()

    def scene_state(self) -> dict:
        """This panel in a lecture scene: the tab shown and every setting of the three views."""
        return {"inputs": capture_inputs(self)}

    def apply_scene(self, state: dict) -> list[str]:
        self.stop()
        return apply_inputs(self, state.get("inputs", {}))


if __name__ == "__main__":
    import sys

    from cnnexplorer.gui.common.standalone import run_dock

    sys.exit(run_dock(NeuronDock))
