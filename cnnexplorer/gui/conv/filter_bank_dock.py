"""Filter bank dock: several kernels at once make a stack of feature maps (course §4).

The maps and their mosaic are computed on a worker thread (16 filters of 7×7 on a 640×480 frame
take tens of ms), only while the dock is on screen; the GUI thread only puts the result up."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout

from cnnexplorer.core.conv.filter_bank import BANKS, as_layer, bank, feature_maps, kernels_for_display, layer_summary
from cnnexplorer.core.conv.lab import lab_input
from cnnexplorer.core.display.mosaic import Grid, normalise_each, tile
from cnnexplorer.core.display.numbers import number
from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.core.infra.timing import Stopwatch
from cnnexplorer.gui.common.live_dock import LiveFrameDock
from cnnexplorer.gui.common.picture_view import PictureView
from cnnexplorer.gui.common.settings_strip import SettingsStrip, beside_strip, settings_column
from cnnexplorer.gui.common.stage import lesson_picture
from cnnexplorer.gui.common.widget_state import apply_inputs, capture_inputs
from cnnexplorer.gui.common.workers import LatestRequestWorker
from cnnexplorer.gui.common.kernel_editor import preset_label
from cnnexplorer.gui.common.plots import DIVERGING_MAP
from cnnexplorer.gui.common.live_source import LiveSource


DISPLAY_SIDE = 320  # maps are shown at most this long a side (the mosaic fills a panel, not a wall)
BANK_LABELS = {"edges": N_("edges"), "gabor": N_("gabor"), "random": N_("random")}  # the key is the item's data


@dataclass
class BankRequest:
    rgb: np.ndarray
    bank: str
    count: int
    size: int
    stride: int


@dataclass
class BankResult:
    request: BankRequest
    names: list[str]
    weights: np.ndarray
    gray_shape: tuple[int, int]
    maps: np.ndarray
    mosaic: np.ndarray  # uint8, each map shrunk by ``shrink`` for display
    grid: Grid
    shrink: int
    kernel_mosaic: np.ndarray
    kernel_grid: Grid
    process_ms: float


def shrink_maps(maps: np.ndarray, shrink: int) -> np.ndarray:
    """An (H, W, N) stack ``shrink`` times smaller a side (area average). OpenCV resizes at most 4
    channels at a time (5.x refuses more), so the maps go through in chunks of 4."""
    size = (max(1, maps.shape[1] // shrink), max(1, maps.shape[0] // shrink))
    chunks = [np.atleast_3d(cv2.resize(np.ascontiguousarray(maps[..., i:i + 4]), size, interpolation=cv2.INTER_AREA))
              for i in range(0, maps.shape[2], 4)]
    return np.concatenate(chunks, axis=2)


def compute_bank(request: BankRequest) -> BankResult:
    """The layer's feature maps on the gray frame, their mosaic and its kernels' mosaic (near square)."""
    with Stopwatch() as process:
        named = bank(request.bank, request.count, request.size)
        weights = as_layer(named)
        gray = lab_input(request.rgb, "gray")
        maps = feature_maps(gray, weights, stride=request.stride)
        shrink = max(1, math.ceil(max(maps.shape[:2]) / DISPLAY_SIDE))
        shown = normalise_each(maps)
        if shrink > 1:
            shown = shrink_maps(shown, shrink)
        mosaic, grid = tile(shown, gap=4, fill=0.0)
        mosaic = cv2.convertScaleAbs(mosaic, alpha=255.0)  # uint8: pyqtgraph's cheapest drawing path
        cols = math.ceil(math.sqrt(len(named)))
        kernel_mosaic, kernel_grid = tile(kernels_for_display(weights), cols=cols, gap=1, fill=0.0)
    return BankResult(request, [name for name, _ in named], weights, gray.shape[:2], maps, mosaic, grid, shrink,
                      kernel_mosaic, kernel_grid, process.ms)


class FilterBankDock(LiveFrameDock):
    """One conv layer of many filters on the gray frame: its kernels, its feature maps, its cost."""

    def __init__(self, controller: LiveSource, parent=None) -> None:
        super().__init__(tr("Filter bank"), controller, parent)
        self.setObjectName("FilterBankDock")
        self.bank_combo = QComboBox(toolTip=tr("Which filters make up the layer"))
        for name in BANKS:
            self.bank_combo.addItem(tr(BANK_LABELS.get(name, name)), name)
        self.count = QSpinBox(minimum=1, maximum=64, value=8, prefix=tr("filters "),
                              toolTip=tr("Gabor and random banks"))
        self.size = QSpinBox(minimum=1, maximum=15, value=3, prefix=tr("size "),
                             toolTip=tr("Kernel size (random bank)"))
        self.stride = QSpinBox(minimum=1, maximum=8, value=1, prefix=tr("stride "))
        self.kernel_view = lesson_picture(PictureView(tr("kernels"), DIVERGING_MAP, pixel_grid=True))
        self.kernel_view.setObjectName("FilterBankKernels")
        self.maps_view = lesson_picture(PictureView(tr("feature maps")))
        self.maps_view.setObjectName("FilterBankMaps")
        self.params = QLabel(objectName="FilterBankParams", wordWrap=True)
        self.readout = QLabel(objectName="FilterBankReadout")
        settings = settings_column(self.bank_combo, self.count, self.size, self.stride, stretch=True)
        settings.setObjectName("FilterBankSettings")
        views = QHBoxLayout()
        views.addWidget(self.kernel_view, 2)
        views.addWidget(self.maps_view, 5)
        stage = QVBoxLayout()
        stage.addLayout(views, 1)
        stage.addWidget(self.params)
        stage.addWidget(self.readout)
        self.setWidget(beside_strip(SettingsStrip(settings, tr("Filters")), stage, margin=4))
        self.maps: np.ndarray | None = None
        self.names: list[str] = []
        self.shrink = 1  # map pixels per shown pixel
        self.worker = LatestRequestWorker(compute_bank, "FilterBank", self)
        self.worker.result.connect(self._on_result)
        self.worker.failed.connect(lambda error: self.params.setText(f"{type(error).__name__}: {error}"))
        for spin in (self.count, self.size, self.stride):
            spin.valueChanged.connect(self.recompute)
        self.bank_combo.currentIndexChanged.connect(self.recompute)
        self.maps_view.hovered.connect(self._on_hovered)
        self.follow_frames()

    def recompute(self, *_) -> None:
        if self.frame is None or not self.on_screen():
            return  # a hidden bank does no work; it recomputes when it comes into view
        self.worker.submit(BankRequest(self.frame.rgb, self.bank_combo.currentData(), self.count.value(),
                                       self.size.value(), self.stride.value()))

    def _on_result(self, result: BankResult) -> None:
        self.maps, self.names, self.shrink = result.maps, result.names, result.shrink
        with Stopwatch() as draw:
            self.maps_view.show_image(result.mosaic, (0, 255), result.grid)
            self.kernel_view.show_image(result.kernel_mosaic, (-1, 1), result.kernel_grid)
        self.params.setText(layer_summary(result.gray_shape, result.weights, self.maps.shape))
        self.result_shown(process=result.process_ms, draw=draw.ms)

    def _on_hovered(self, index: int, y: int, x: int) -> None:
        if self.maps is not None and index < len(self.names):
            y, x = min(y * self.shrink, self.maps.shape[0] - 1), min(x * self.shrink, self.maps.shape[1] - 1)
            name = preset_label(self.names[index])  # an edge filter is named as its preset; others as they are
            self.readout.setText("{name} · ({y}, {x}) = {value}".format(name=name, y=y, x=x,
                                                                       value=number(self.maps[y, x, index])))

    def scene_state(self) -> dict:
        """This panel in a lecture scene: the bank, its filter count, kernel size and stride."""
        return {"inputs": capture_inputs(self)}

    def apply_scene(self, state: dict) -> list[str]:
        skipped = apply_inputs(self, state.get("inputs", {}))
        self.recompute()
        return skipped


if __name__ == "__main__":
    import sys

    from cnnexplorer.gui.shell.standalone import run_dock

    sys.exit(run_dock(FilterBankDock))
