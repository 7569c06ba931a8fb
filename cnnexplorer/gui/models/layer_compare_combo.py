"""The explorer's "Compare with…" list: every layer of the model, by path, for the A/B view."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QComboBox

from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.core.models.taps import LayerNode

COMPARE_OFF = N_("Compare with… (off)")  # shown through tr(); its item data is ""


class LayerCompareCombo(QComboBox):
    """Item data is the layer path; "" (the first item) is no comparison."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent, toolTip=tr("Show a second layer (B) beside the selected one (A), same frame"))
        self.set_layers([])

    def set_layers(self, nodes: list[LayerNode]) -> None:
        """Offer ``nodes`` and their children (no signal; the choice is back to off)."""
        blocker = QSignalBlocker(self)
        self.clear()
        self.addItem(tr(COMPARE_OFF), "")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(14)  # long layer names must not widen the panel

        def add(node: LayerNode) -> None:
            self.addItem(node.path, node.path)
            for child in node.children:
                add(child)

        for node in nodes:
            add(node)
        del blocker
