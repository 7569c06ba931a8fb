"""Neurons and backprop dock (course §1): one neuron, a small MLP, vanishing gradients."""

from __future__ import annotations

from PySide6.QtWidgets import QDockWidget, QTabWidget

from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.gui.common.widget_state import apply_inputs, capture_inputs
from cnnexplorer.gui.neurons.mlp_view import MlpView
from cnnexplorer.gui.neurons.single import OneNeuronView
from cnnexplorer.gui.neurons.vanishing_view import VanishingView


class NeuronDock(QDockWidget):
    def __init__(self, controller=None, parent=None) -> None:
        super().__init__(tr("Neurons"), parent)
        self.setObjectName("NeuronDock")
        self.tabs = QTabWidget()
        self.single = OneNeuronView()
        self.mlp = MlpView()
        self.vanishing = VanishingView()
        for page, title in ((self.single, N_("One neuron")), (self.mlp, N_("Small MLP")),
                            (self.vanishing, N_("Vanishing gradients"))):
            index = self.tabs.addTab(page, tr(title))
            self.tabs.tabBar().setTabData(index, title)  # the English title: the tab's key in scene files
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

    from cnnexplorer.gui.shell.standalone import run_dock

    sys.exit(run_dock(NeuronDock))
