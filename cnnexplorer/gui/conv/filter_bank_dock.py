"""Filter bank dock: several kernels at once make a stack of feature maps (course §4)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

import cnnexplorer.gui  # noqa: F401  (row-major image axes)
from cnnexplorer.core.conv.lab import lab_input, parameter_counts
from cnnexplorer.core.conv.filter_bank import BANKS, as_layer, bank, feature_maps
from cnnexplorer.core.display.mosaic import normalise_each, tile
from cnnexplorer.core.infra.timing import Stopwatch
from cnnexplorer.gui.conv.views import DIVERGING_MAP
from cnnexplorer.gui.common.live_dock import LiveFrameDock
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
        self.view = pg.GraphicsLayoutWidget()
        self.kernel_box = self.view.addViewBox(row=0, col=0, lockAspect=True, invertY=True, enableMenu=False)
        self.maps_box = self.view.addViewBox(row=0, col=1, lockAspect=True, invertY=True, enableMenu=False)
        self.view.ci.layout.setColumnStretchFactor(1, 5)
        self.kernel_image = pg.ImageItem(colorMap=DIVERGING_MAP)
        self.maps_image = pg.ImageItem()
        self.kernel_box.addItem(self.kernel_image)
        self.maps_box.addItem(self.maps_image)
        self.params = QLabel(objectName="FilterBankParams", wordWrap=True)
        self.readout = QLabel()
        controls = QHBoxLayout()
        for widget in (self.bank_combo, self.count, self.size, self.stride):
            controls.addWidget(widget)
        controls.addStretch(1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(controls)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.params)
        layout.addWidget(self.readout)
        self.setWidget(body)
        self.maps: np.ndarray | None = None
        self.names: list[str] = []
        self._grid = None
        for spin in (self.count, self.size, self.stride):
            spin.valueChanged.connect(self.recompute)
        self.bank_combo.currentIndexChanged.connect(self.recompute)
        self.view.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.follow_frames()

    def recompute(self, *_) -> None:
        if self.frame is None:
            return
        named = bank(self.bank_combo.currentText(), self.count.value(), self.size.value())
        weights = as_layer(named)
        gray = lab_input(self.frame.rgb, "gray")
        with Stopwatch() as process:
            self.maps = feature_maps(gray, weights, stride=self.stride.value())
        self.controller.timer.record("process", process.ms, pipeline="filter bank")
        self.names = [name for name, _ in named]
        with Stopwatch() as draw:
            mosaic, self._grid = tile(normalise_each(self.maps), gap=4)
            self.maps_image.setImage(mosaic, levels=(0, 1), autoLevels=False)
            kernel_stack = weights[:, :, 0, :] / (np.abs(weights).max(axis=(0, 1, 2)) + 1e-12)
            kernel_mosaic, _ = tile(kernel_stack, cols=1, gap=1, fill=0.0)
            self.kernel_image.setImage(kernel_mosaic, levels=(-1, 1), autoLevels=False)
            self.maps_box.autoRange(padding=0.01)
            self.kernel_box.autoRange(padding=0.05)
        self.controller.timer.record("draw", draw.ms)
        k = weights.shape[0]
        counts = parameter_counts((*gray.shape, 1), (k, k), len(named), self.maps.shape[:2])
        self.params.setText(
            f"{len(named)} filters of {k}×{k} over 1 channel → {self.maps.shape[0]}×{self.maps.shape[1]}×"
            f"{len(named)} feature maps.  Parameters: conv {counts['conv']:,} "
            f"= {len(named)}·({k}·{k}·1 + 1)  vs a dense layer with the same input and output: "
            f"{counts['dense']:,} ({counts['dense'] / counts['conv']:.3g}× more)"
        )

    def _on_mouse_moved(self, scene_pos) -> None:
        if self._grid is None or not self.maps_box.sceneBoundingRect().contains(scene_pos):
            return
        point = self.maps_box.mapSceneToView(scene_pos)
        hit = self._grid.locate(point.y(), point.x())
        if hit is not None:
            index, y, x = hit
            self.readout.setText(f"{self.names[index]} · ({y}, {x}) = {self.maps[y, x, index]:.4g}")


if __name__ == "__main__":
    import sys

    from cnnexplorer.gui.common.standalone import run_dock

    sys.exit(run_dock(FilterBankDock))
