"""The model explorer's layout: the settings made before talking (model, feed) in a strip that folds
on stage; under it the layer tree (navigation used live) and the top-5, always in view; the tabs
(activations, first-layer filters, graph, surgery) take the rest."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QSplitter, QTabWidget, QVBoxLayout, QWidget

from cnnexplorer.core.i18n import tr
from cnnexplorer.gui.common.settings_strip import SettingsStrip, settings_column
from cnnexplorer.gui.common.stage import lesson_picture
from cnnexplorer.gui.models.surgery_scroll import SurgeryScroll


def lay_out_explorer(dock: QWidget) -> QSplitter:
    """Place the dock's widgets; returns the splitter between the left column and the tabs."""
    activations_tab = QWidget()
    tab_layout = QVBoxLayout(activations_tab)
    layer_row = QHBoxLayout()
    layer_row.addWidget(dock.layer_label, 1)
    layer_row.addWidget(dock.compare_combo)
    tab_layout.addLayout(layer_row)
    tab_layout.addWidget(dock.problem)
    grids = QHBoxLayout()
    grids.addWidget(dock.grid, 1)
    grids.addWidget(dock.grid_b, 1)
    tab_layout.addLayout(grids, 1)
    dock.tabs = QTabWidget(usesScrollButtons=False)  # every tab's name in full
    dock.tabs.addTab(activations_tab, tr("Activations"))
    dock.tabs.addTab(dock.filters, tr("First-layer filters"))
    dock.tabs.addTab(lesson_picture(dock.graph), tr("Graph"))
    surgery_scroll = SurgeryScroll(dock.surgery)  # the editor and the sweep need room: scroll, never widen
    dock.surgery_tab = surgery_scroll
    dock.tabs.addTab(surgery_scroll, tr("Surgery"))
    # The left column: the strip of settings, the edited badge, the layer tree and the top-5.
    left = QWidget()
    left_layout = QVBoxLayout(left)
    left_layout.setContentsMargins(0, 0, 0, 0)
    left_layout.addWidget(SettingsStrip(_model_settings(dock), tr("Model"), side=False))
    left_layout.addWidget(dock.edited_badge)
    left_layout.addWidget(dock.tree, 1)
    left_layout.addWidget(lesson_picture(dock.predictions))
    split = QSplitter()
    split.addWidget(left)
    split.addWidget(dock.tabs)
    split.setChildrenCollapsible(False)
    split.setStretchFactor(1, 1)
    dock.setWidget(split)
    return split


def fit_left_column(split: QSplitter) -> None:
    """The left column as wide as it asks (the layer names at the current type), the tabs the rest."""
    left = split.widget(0).sizeHint().width()
    split.setSizes([left, max(split.width() - left, 1)])


def _model_settings(dock: QWidget) -> QWidget:
    """The strip's content: the model, where it comes from, and how the frame is fed to it."""
    content = settings_column(dock.zoo_combo, (dock.load_button, dock.open_button), *dock.weights.widgets,
                              dock.banner, dock.summary, dock.feed, stretch=True)
    for label in (dock.banner, dock.summary):  # long lines wrap to the strip's width, never widen it
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return content
