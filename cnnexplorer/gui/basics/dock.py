"""Image basics dock (course §2): the frame as numbers, its channels, bit depth and resolution."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGraphicsRectItem,
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

from cnnexplorer.core.basics.pixels import (
    DEPTHS,
    bit_depth,
    frame_column,
    plane_offsets,
    reduce_resolution,
    storage_summary,
    tinted_channels,
    value_grid,
    value_texts,
)
from cnnexplorer.core.infra.timing import Stopwatch
from cnnexplorer.gui.common.frame_view import FrameView
from cnnexplorer.gui.common.live_dock import LiveFrameDock
from cnnexplorer.gui.common.widget_state import apply_inputs, capture_inputs
from cnnexplorer.gui.source.controller import SourceController

FACTORS = (1, 2, 4, 8, 16)
GRID = 8
CHANNEL_NAMES = ("R (red)", "G (green)", "B (blue)")


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
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)  # read-only: a typed key edits nothing
        for header in (self.table.horizontalHeader(), self.table.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)  # "R 200" stays on one line
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
        split.setSizes([600, 520])
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
        # Where the numbers come from: one outline per picture (three with the channel planes),
        # and each channel plane's name on it.
        self.markers = []
        for _ in range(3):
            marker = QGraphicsRectItem()
            pen = QPen(QColor("#ffd400"), 2)
            pen.setCosmetic(True)
            marker.setPen(pen)
            marker.setZValue(10)
            self.view.view_box.addItem(marker)
            self.markers.append(marker)
        self.channel_labels = [pg.TextItem(name, color="w", fill=(0, 0, 0, 170), anchor=(0, 0)) for name in CHANNEL_NAMES]
        for label in self.channel_labels:
            label.setZValue(10)
            self.view.view_box.addItem(label)
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
        self.shown = shown
        display = shown
        if self.channels.isChecked():
            display = tinted_channels(shown)
        with Stopwatch() as draw:
            self.view.show_frame(np.ascontiguousarray(display))
        self.info.setText(storage_summary(*shown.shape[:2], depth, self.levels.value()))
        offsets = plane_offsets(shown.shape[1])
        for label, x in zip(self.channel_labels, offsets):
            label.setPos(x, 0)
            label.setVisible(self.channels.isChecked())
        self._fill_table()
        self.result_shown(process=process.ms, draw=draw.ms)

    def _fill_table(self) -> None:
        cy, cx = self.centre
        scale = self.shown.shape[0] / self.frame.rgb.shape[0]
        crop, top, left = value_grid(self.shown, int(cy * scale), int(cx * scale), GRID)
        planes = plane_offsets(self.shown.shape[1]) if self.channels.isChecked() else [0]
        for i, marker in enumerate(self.markers):
            if i < len(planes):
                marker.setRect(QRectF(planes[i] + left, top, crop.shape[1], crop.shape[0]))
            marker.setVisible(i < len(planes))
        self.table.setRowCount(crop.shape[0])
        self.table.setColumnCount(crop.shape[1])
        self.table.setVerticalHeaderLabels([str(top + r) for r in range(crop.shape[0])])
        self.table.setHorizontalHeaderLabels([str(left + c) for c in range(crop.shape[1])])
        for r, row in enumerate(value_texts(crop)):
            for c, text in enumerate(row):
                pixel = crop[r, c]
                item = QTableWidgetItem(text)
                item.setBackground(QBrush(QColor(*map(int, pixel))))
                item.setForeground(QBrush(QColor("black" if pixel.mean() > 110 else "white")))
                self.table.setItem(r, c, item)

    def _on_clicked(self, event) -> None:
        if self.shown is None:
            return
        point = self.view.view_box.mapSceneToView(event.scenePos())
        column = frame_column(int(np.floor(point.x())), self.shown.shape[1], self.channels.isChecked())
        row = int(np.floor(point.y()))
        if column is None or not 0 <= row < self.shown.shape[0]:
            return
        scale = self.frame.rgb.shape[0] / self.shown.shape[0]
        self.centre = (int(row * scale), int(column * scale))
        self._fill_table()

    def scene_state(self) -> dict:
        """This panel in a lecture scene: its settings and the pixel whose numbers are shown."""
        return {"inputs": capture_inputs(self), "centre": list(self.centre)}

    def apply_scene(self, state: dict) -> list[str]:
        skipped = apply_inputs(self, state.get("inputs", {}))
        centre = state.get("centre")
        if isinstance(centre, list) and len(centre) == 2 and all(isinstance(v, int) and v >= 0 for v in centre):
            self.centre = tuple(centre)
        elif centre is not None:
            skipped.append(f"centre: not a pixel ({centre!r})")
        self.recompute()
        return skipped


if __name__ == "__main__":
    import sys

    from cnnexplorer.gui.common.standalone import run_dock

    sys.exit(run_dock(ImageBasicsDock))
