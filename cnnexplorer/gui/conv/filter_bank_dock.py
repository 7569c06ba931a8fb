"""Filter bank dock: several kernels at once make a stack of feature maps (course §4)."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from cnnexplorer.core.conv.filter_bank import BANKS, as_layer, bank, feature_maps, kernels_for_display, layer_summary
from cnnexplorer.core.conv.lab import lab_input
from cnnexplorer.core.display.mosaic import tile
from cnnexplorer.core.infra.timing import Stopwatch
from cnnexplorer.gui.common.live_dock import LiveFrameDock
from cnnexplorer.gui.common.mosaic_view import MosaicView
from cnnexplorer.gui.conv.views import DIVERGING_MAP
from cnnexplorer.gui.source.controller import SourceController


class FilterBankDock(LiveFrameDock):
    """One conv layer of many filters on the gray frame: its kernels, its feature maps, its cost."""

    def __init__(self, controller: SourceController, parent=None) -> None:
        super().__init__("Filter bank", controller, parent)
        self.setObjectName("FilterBankDock")
        self.bank_combo = QComboBox(toolTip="Which filters make up the layer")
        self.bank_combo.addItems(list(BANKS))
        self.count = QSpinBox(minimum=1, maximum=64, value=8, prefix="filters ", toolTip="Gabor and random banks")
        self.size = QSpinBox(minimum=1, maximum=15, value=3, prefix="size ", toolTip="Kernel size (random bank)")
        self.stride = QSpinBox(minimum=1, maximum=8, value=1, prefix="stride ")
        self.kernel_view = MosaicView(colour_map=DIVERGING_MAP)
        self.maps_view = MosaicView()
        views = QHBoxLayout()
        views.addWidget(self.kernel_view, 1)
        views.addWidget(self.maps_view, 5)
        self.params = QLabel(objectName="FilterBankParams", wordWrap=True)
        self.readout = QLabel()
        controls = QHBoxLayout()
        for widget in (self.bank_combo, self.count, self.size, self.stride):
            controls.addWidget(widget)
        controls.addStretch(1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(controls)
        layout.addLayout(views, 1)
        layout.addWidget(self.params)
        layout.addWidget(self.readout)
        self.setWidget(body)
        self.maps: np.ndarray | None = None
        self.names: list[str] = []
        for spin in (self.count, self.size, self.stride):
            spin.valueChanged.connect(self.recompute)
        self.bank_combo.currentIndexChanged.connect(self.recompute)
        self.maps_view.hovered.connect(self._on_hovered)
        self.follow_frames()

    def recompute(self, *_) -> None:
        if self.frame is None:
            return
        named = bank(self.bank_combo.currentText(), self.count.value(), self.size.value())
        weights = as_layer(named)
        gray = lab_input(self.frame.rgb, "gray")
        with Stopwatch() as process:
            self.maps = feature_maps(gray, weights, stride=self.stride.value())
        self.names = [name for name, _ in named]
        with Stopwatch() as draw:
            self.maps_view.show_maps(self.maps, gap=4)
            kernel_mosaic, kernel_grid = tile(kernels_for_display(weights), cols=1, gap=1, fill=0.0)
            self.kernel_view.show_image(kernel_mosaic, (-1, 1), kernel_grid)
        self.params.setText(layer_summary(gray.shape, weights, self.maps.shape))
        self.result_shown(process=process.ms, draw=draw.ms)

    def _on_hovered(self, index: int, y: int, x: int) -> None:
        if self.maps is not None and index < len(self.names):
            self.readout.setText(f"{self.names[index]} · ({y}, {x}) = {self.maps[y, x, index]:.4g}")


if __name__ == "__main__":
    import sys

    from cnnexplorer.gui.common.standalone import run_dock

    sys.exit(run_dock(FilterBankDock))
