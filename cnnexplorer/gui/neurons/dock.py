"""Neurons and backprop dock (course §1): one neuron, a small MLP, vanishing gradients."""

from __future__ import annotations

from PySide6.QtWidgets import QDockWidget, QTabWidget, QWidget

from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.gui.common.widget_state import apply_inputs, capture_inputs

PAGES = ("tabs", "single", "mlp", "vanishing")  # built on first view (or first use): start-up stays short


class NeuronDock(QDockWidget):
    """Its three pages (13 plots) are built the first time the panel comes into view, or when
    anything asks for one of them (a scene, a test): the window opens ~0.15 s sooner."""

    def __init__(self, controller=None, parent=None) -> None:
        super().__init__(tr("Neurons"), parent)
        self.setObjectName("NeuronDock")
        self.setWidget(QWidget())  # holds the panel's place until the pages exist
        self._built = False
        self.visibilityChanged.connect(lambda visible: visible and self._build())

    def __getattr__(self, name: str):
        if name in PAGES and not self.__dict__.get("_built", True):
            self._build()
            return getattr(self, name)
        raise AttributeError(name)

    def _build(self) -> None:
        if self._built:
            return
        self._built = True
        from cnnexplorer.gui.neurons.mlp_view import MlpView
        from cnnexplorer.gui.neurons.single import OneNeuronView
        from cnnexplorer.gui.neurons.vanishing_view import VanishingView

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
        if self._built:
            self.mlp.stepper.stop()
            self.vanishing.stop()

    def scene_state(self) -> dict:
        """This panel in a lecture scene: the tab shown and every setting of the three views."""
        self._build()
        return {"inputs": capture_inputs(self)}

    def apply_scene(self, state: dict) -> list[str]:
        self._build()
        self.stop()
        return apply_inputs(self, state.get("inputs", {}))


if __name__ == "__main__":
    import sys

    from cnnexplorer.gui.shell.standalone import run_dock

    sys.exit(run_dock(NeuronDock))
