"""Image basics dock (course §2): the frame as numbers, its channels, bit depth and resolution."""

from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cnnexplorer.core.basics.pixels import DEPTHS, bit_depth, channel_planes, colour_count, reduce_resolution, value_grid
from cnnexplorer.core.infra.timing import Stopwatch
from cnnexplorer.gui.common.frame_view import FrameView
from cnnexplorer.gui.common.live_dock import LiveFrameDock
from cnnexplorer.gui.source.controller import SourceController

FACTORS = (1, 2, 4, 8, 16)
GRID = 8


class ImageBasicsDock(LiveFrameDock):
    """Shows the live frame at a chosen bit depth and resolution, as channels, and as numbers."""

    def __init__(self, controller: SourceController, parent=None) -> None:
        super().__init__("Image basics", controller, parent)
        self.setObjectName("ImageBasicsDock")
        self.depth = QComboBox(toolTip="Bits per pixel")
        self.depth.addItems(list(DEPTHS))
        self.depth.setCurrentText("24-bit colour")
        self.threshold = QSpinBox(minimum=0, maximum=255, value=128, prefix="threshold ")
        self.levels = QSpinBox(minimum=2, maximum=64, value=4, prefix="levels ")
        self.factor = QComboBox(toolTip="Sample fewer pixels")
        for factor in FACTORS:
            self.factor.addItem(f"1/{factor}" if factor > 1 else "full resolution", factor)
        self.channels = QCheckBox("R, G, B channels")
        self.view = FrameView()
        self.table = QTableWidget(GRID, GRID, objectName="PixelValues")
        for header in (self.table.horizontalHeader(), self.table.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.info = QLabel(objectName="ImageBasicsInfo", wordWrap=True)
        controls = QHBoxLayout()
        for widget in (self.depth, self.threshold, self.levels, self.factor, self.channels):
            controls.addWidget(widget)
        controls.addStretch(1)
        split = QSplitter()
        split.addWidget(self.view)
        table_box = QWidget()
        table_layout = QVBoxLayout(table_box)
        table_layout.addWidget(QLabel("Pixel values (click the picture to move)"))
        table_layout.addWidget(self.table)
        split.addWidget(table_box)
        split.setSizes([700, 420])
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(controls)
        layout.addWidget(split, 1)
        layout.addWidget(self.info)
        self.setWidget(body)
        self.shown: np.ndarray | None = None
        self.centre = (240, 320)
        for widget in (self.threshold, self.levels):
            widget.valueChanged.connect(self.recompute)
        for combo in (self.depth, self.factor):
            combo.currentIndexChanged.connect(self.recompute)
        self.channels.toggled.connect(self.recompute)
        self.view.scene().sigMouseClicked.connect(self._on_clicked)
        self.follow_frames()

    def recompute(self, *_) -> None:
        if self.frame is None:
            return
        depth = self.depth.currentText()
        self.threshold.setVisible(depth == "1-bit")
        self.levels.setVisible(depth == "posterised")
        with Stopwatch() as process:
            small = reduce_resolution(self.frame.rgb, self.factor.currentData())
            shown = bit_depth(small, depth, threshold=self.threshold.value(), levels=self.levels.value())
        self.controller.timer.record("process", process.ms, pipeline="image basics")
        self.shown = shown
        display = shown
        if self.channels.isChecked():
            display = np.hstack([_tint(plane, i) for i, (_, plane) in enumerate(channel_planes(shown))])
        with Stopwatch() as draw:
            self.view.show_frame(np.ascontiguousarray(display))
        self.controller.timer.record("draw", draw.ms)
        h, w = shown.shape[:2]
        colours = colour_count(depth, self.levels.value())
        bits = {"1-bit": 1, "8-bit gray": 8, "24-bit colour": 24}.get(depth, 3 * int(np.ceil(np.log2(self.levels.value()))))
        self.info.setText(
            f"{w}×{h} = {w * h:,} pixels · {depth}: {colours:,} possible colours · "
            f"{bits} bits per pixel → {w * h * bits / 8 / 1024:,.1f} KiB uncompressed"
        )
        self._fill_table()

    def _fill_table(self) -> None:
        cy, cx = self.centre
        scale = self.shown.shape[0] / self.frame.rgb.shape[0]
        crop, top, left = value_grid(self.shown, int(cy * scale), int(cx * scale), GRID)
        gray = crop.ndim == 3 and np.array_equal(crop[..., 0], crop[..., 1]) and np.array_equal(crop[..., 1], crop[..., 2])
        self.table.setRowCount(crop.shape[0])
        self.table.setColumnCount(crop.shape[1])
        self.table.setVerticalHeaderLabels([str(top + r) for r in range(crop.shape[0])])
        self.table.setHorizontalHeaderLabels([str(left + c) for c in range(crop.shape[1])])
        for (r, c), _ in np.ndenumerate(crop[..., 0]):
            pixel = crop[r, c]
            text = str(int(pixel[0])) if gray else "\n".join(str(int(v)) for v in pixel)
            item = QTableWidgetItem(text)
            item.setBackground(QBrush(QColor(*map(int, pixel))))
            item.setForeground(QBrush(QColor("black" if pixel.mean() > 110 else "white")))
            self.table.setItem(r, c, item)

    def _on_clicked(self, event) -> None:
        if self.shown is None or self.channels.isChecked():
            return
        point = self.view.view_box.mapSceneToView(event.scenePos())
        scale = self.frame.rgb.shape[0] / self.shown.shape[0]
        y, x = int(point.y() * scale), int(point.x() * scale)
        if 0 <= y < self.frame.rgb.shape[0] and 0 <= x < self.frame.rgb.shape[1]:
            self.centre = (y, x)
            self._fill_table()


def _tint(plane: np.ndarray, channel: int) -> np.ndarray:
    """One channel shown in its own colour."""
    rgb = np.zeros((*plane.shape, 3), np.uint8)
    rgb[..., channel] = plane
    return cv2.copyMakeBorder(rgb, 0, 0, 0, 4, cv2.BORDER_CONSTANT, value=(255, 255, 255))


if __name__ == "__main__":
    import sys

    from cnnexplorer.gui.common.standalone import run_dock

    sys.exit(run_dock(ImageBasicsDock))
