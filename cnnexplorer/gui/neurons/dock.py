"""Neurons and backprop dock (course §1): one neuron, a small MLP, vanishing gradients."""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDockWidget, QTabWidget, QVBoxLayout, QWidget

from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.gui.common.widget_state import apply_inputs, capture_inputs, fields_of

log = logging.getLogger(__name__)

PAGE_TITLES = {"single": N_("One neuron"), "mlp": N_("Small MLP"), "vanishing": N_("Vanishing gradients")}


def _page(name: str) -> QWidget:
    if name == "single":
        from cnnexplorer.gui.neurons.single import OneNeuronView

        return OneNeuronView()
    if name == "mlp":
        from cnnexplorer.gui.neurons.mlp_view import MlpView

        return MlpView()
    from cnnexplorer.gui.neurons.vanishing_view import VanishingView

    return VanishingView()


PAGE_SPACING_MS = 150  # between two pages built in the background: each is one ~60 ms step


class NeuronDock(QDockWidget):
    """Its three pages (13 plots, ~0.2 s) are not built with the window: :meth:`build_soon` builds
    them one at a time behind the window just opened; the one in front is built when the panel
    comes into view, and any page at once when something asks for it (a test). A scene sets the
    pages built now and keeps the settings of the others until they are built."""

    def __init__(self, controller=None, parent=None) -> None:
        super().__init__(tr("Neurons"), parent)
        self.setObjectName("NeuronDock")
        self.tabs = QTabWidget()
        self._holders: dict[str, QVBoxLayout] = {}
        self._pending: dict[str, dict] = {}  # a scene's settings of pages not built yet
        for name, title in PAGE_TITLES.items():
            holder = QWidget()
            self._holders[name] = QVBoxLayout(holder)
            self._holders[name].setContentsMargins(0, 0, 0, 0)
            index = self.tabs.addTab(holder, tr(title))
            self.tabs.tabBar().setTabData(index, title)  # the English title: the tab's key in scene files
        self.setWidget(self.tabs)
        self.visibilityChanged.connect(self._on_visibility_changed)
        self.tabs.currentChanged.connect(lambda index: self._build(list(PAGE_TITLES)[index]))

    def __getattr__(self, name: str):
        if name in PAGE_TITLES:  # a page not built yet: built now
            self._build(name)
            return self.__dict__[name]
        raise AttributeError(name)

    def _build(self, name: str) -> None:
        if name in self.__dict__ or self.__dict__.get("_holders") is None:
            return
        page = _page(name)
        setattr(self, name, page)
        self._holders[name].addWidget(page)
        page.show()  # now, not on the layout's next turn: whoever asked for the page may look at it
        for problem in apply_inputs(self, self._pending.pop(name, {})):
            log.warning("scene setting not applied: %s", problem)  # i18n: keep

    def _build_all(self) -> None:
        for name in PAGE_TITLES:
            self._build(name)

    def _on_visibility_changed(self, visible: bool) -> None:
        if not visible:
            return
        self._build(list(PAGE_TITLES)[self.tabs.currentIndex()])
        self.build_soon()

    def build_soon(self) -> None:
        """Build the pages not built yet, one every :data:`PAGE_SPACING_MS`: never one long stall."""
        for turn, name in enumerate(PAGE_TITLES, start=1):
            QTimer.singleShot(turn * PAGE_SPACING_MS, self, lambda name=name: self._build(name))

    def stop(self) -> None:
        """Stop any training in progress (closing the window calls it)."""
        if "mlp" in self.__dict__:
            self.mlp.stepper.stop()
        if "vanishing" in self.__dict__:
            self.vanishing.stop()

    def scene_state(self) -> dict:
        """This panel in a lecture scene: the tab shown and every setting of the three views."""
        self._build_all()
        return {"inputs": capture_inputs(self)}

    def apply_scene(self, state: dict) -> list[str]:
        inputs = state.get("inputs", {})
        if not isinstance(inputs, dict):
            return apply_inputs(self, inputs)  # says the settings are damaged
        self.stop()
        self._pending.clear()  # an earlier scene's settings never land after this one's
        fields, now = fields_of(self), {}
        for key, value in inputs.items():  # a page not built yet gets its settings when it is built
            page = fields.get(key, key).split(".", 1)[0]
            if page in PAGE_TITLES and page not in self.__dict__:
                self._pending.setdefault(page, {})[key] = value
            else:
                now[key] = value
        skipped = apply_inputs(self, now)  # the tab too: the page in front is built now
        self.build_soon()
        return skipped


if __name__ == "__main__":
    import sys

    from cnnexplorer.gui.shell.standalone import run_dock

    sys.exit(run_dock(NeuronDock))
