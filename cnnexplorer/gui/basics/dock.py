"""Image basics dock (course §2): the frame as numbers, its channels, bit depth and resolution."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGraphicsRectItem,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
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
from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.core.infra.timing import Stopwatch
from cnnexplorer.gui.common.live_dock import LiveFrameDock
from cnnexplorer.gui.common.picture_view import PictureView
from cnnexplorer.gui.common.settings_strip import SettingsStrip, beside_strip
from cnnexplorer.gui.common.stage import lesson_picture
from cnnexplorer.gui.common.widget_state import apply_inputs, capture_inputs
from cnnexplorer.gui.common.live_source import LiveSource

FACTORS = (1, 2, 4, 8, 16)
GRID = 8  # the most pixels a side the numbers show (fewer where the cells would not fit)
CELL_PAD = 10  # pixels around a cell's text
CHANNEL_NAMES = (N_("R (red)"), N_("G (green)"), N_("B (blue)"))
# The depths as the box shows them; the English key stays the item's data (bit_depth's argument, scenes).
DEPTH_LABELS = {"1-bit": N_("1-bit"), "8-bit gray": N_("8-bit gray"), "24-bit colour": N_("24-bit colour"),
                "posterised": N_("posterised")}


class ImageBasicsDock(LiveFrameDock):
    """Shows the live frame at a chosen bit depth and resolution, as channels, and as numbers.

    A lower resolution is drawn as big as the full frame, each pixel a visible block."""

    def __init__(self, controller: LiveSource, parent=None) -> None:
        super().__init__(tr("Image basics"), controller, parent)
        self.setObjectName("ImageBasicsDock")
        self.depth = QComboBox(toolTip=tr("Bits per pixel"))
        for depth in DEPTHS:
            self.depth.addItem(tr(DEPTH_LABELS.get(depth, depth)), depth)
        self.depth.setCurrentIndex(self.depth.findData("24-bit colour"))
        self.threshold = QSpinBox(minimum=0, maximum=255, value=128, prefix=tr("threshold "))
        self.levels = QSpinBox(minimum=2, maximum=64, value=4, prefix=tr("levels "))
        self.factor = QComboBox(toolTip=tr("Sample fewer pixels"))
        for factor in FACTORS:
            self.factor.addItem("1/{n}".format(n=factor) if factor > 1 else tr("full resolution"), factor)
        self.channels = QCheckBox(tr("R, G, B channels"))
        self.numbers = QCheckBox(tr("Pixel values"), checked=True,
                                 toolTip=tr("The frame as numbers beside the picture"))
        self.view = lesson_picture(PictureView(pixel_grid=True))
        self.view.setObjectName("ImageBasicsPicture")
        self.table = lesson_picture(QTableWidget(GRID, GRID, objectName="PixelValues"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)  # read-only: a typed key edits nothing
        for header in (self.table.horizontalHeader(), self.table.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            header.setMinimumSectionSize(1)
        for policy in (self.table.setHorizontalScrollBarPolicy, self.table.setVerticalScrollBarPolicy):
            policy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # as many pixels as fit, each cell whole
        self.table.setWordWrap(False)  # "R 200" stays on one line
        self.table.installEventFilter(self)
        self.table.setMinimumSize(60, 60)  # it shows as many pixels as fit the room it is given
        self.grid_size = GRID
        self.info = QLabel(objectName="ImageBasicsInfo", wordWrap=True)
        settings = QWidget(objectName="ImageBasicsSettings")
        form = QVBoxLayout(settings)
        form.setContentsMargins(0, 0, 4, 0)
        for widget in (self.depth, self.threshold, self.levels, self.factor, self.channels, self.numbers):
            form.addWidget(widget)
        form.addStretch(1)
        self.table_box = QWidget()
        table_layout = QVBoxLayout(self.table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        hint = QLabel(tr("Pixel values (click the picture to move)"), wordWrap=True)
        table_layout.addWidget(hint)
        table_layout.addWidget(self.table, 1)
        pictures = QHBoxLayout()
        pictures.addWidget(self.view, 3)
        pictures.addWidget(self.table_box, 2)
        stage = QVBoxLayout()
        stage.addLayout(pictures, 1)
        stage.addWidget(self.info)
        self.setWidget(beside_strip(SettingsStrip(settings, tr("Image")), stage, margin=4))
        self.shown: np.ndarray | None = None
        self.centre = (240, 320)
        for widget in (self.threshold, self.levels):
            widget.valueChanged.connect(self.recompute)
        for combo in (self.depth, self.factor):
            combo.currentIndexChanged.connect(self.recompute)
        self.channels.toggled.connect(self.recompute)
        self.numbers.toggled.connect(self.table_box.setVisible)
        # Where the numbers come from: one outline per picture (three with the channel planes),
        # and each channel plane's name on it.
        self.markers = []
        for _ in range(3):
            marker = QGraphicsRectItem()
            pen = QPen(QColor("#ffd400"), 2)
            pen.setCosmetic(True)
            marker.setPen(pen)
            marker.setZValue(10)
            self.view.add_item(marker)
            self.markers.append(marker)
        self.channel_labels = [pg.TextItem(tr(name), color="w", fill=(0, 0, 0, 170), anchor=(0, 0))
                               for name in CHANNEL_NAMES]
        for label in self.channel_labels:
            label.setZValue(10)
            self.view.add_item(label)
        self.view.clicked.connect(self._on_clicked)
        self.follow_frames()

    @property
    def block(self) -> float:
        """Frame pixels per shown pixel: a lower resolution is drawn as big as the full frame."""
        return self.frame.rgb.shape[0] / self.shown.shape[0]

    def recompute(self, *_) -> None:
        if self.frame is None:
            return
        depth = self.depth.currentData()
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
            self.view.show_frame(np.ascontiguousarray(display), pixel_size=self.block)
        self.info.setText(storage_summary(*shown.shape[:2], depth, self.levels.value()))
        offsets = plane_offsets(shown.shape[1])
        for label, x in zip(self.channel_labels, offsets):
            label.setPos(x * self.block, 0)
            label.setVisible(self.channels.isChecked())
        self._fill_table()
        self.result_shown(process=process.ms, draw=draw.ms)

    def _fill_table(self) -> None:
        if self.shown is None:
            return
        cy, cx = self.centre
        block = self.block
        crop, top, left = value_grid(self.shown, int(cy / block), int(cx / block), self.grid_size)
        planes = plane_offsets(self.shown.shape[1]) if self.channels.isChecked() else [0]
        for i, marker in enumerate(self.markers):
            if i < len(planes):
                marker.setRect(QRectF((planes[i] + left) * block, top * block, crop.shape[1] * block,
                                      crop.shape[0] * block))
            marker.setVisible(i < len(planes))
        self.table.setRowCount(crop.shape[0])
        self.table.setColumnCount(crop.shape[1])
        self.table.setVerticalHeaderLabels([str(top + r) for r in range(crop.shape[0])])
        self.table.setHorizontalHeaderLabels([str(left + c) for c in range(crop.shape[1])])
        for r, row in enumerate(value_texts(crop)):
            for c, text in enumerate(row):
                pixel = crop[r, c]
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setBackground(QBrush(QColor(*map(int, pixel))))
                item.setForeground(QBrush(QColor("black" if pixel.mean() > 110 else "white")))
                self.table.setItem(r, c, item)

    def fitting_grid(self) -> int:
        """How many pixels a side the table can show with every number whole (at most ``GRID``)."""
        metrics = QFontMetrics(self.table.font())
        cell_w = metrics.horizontalAdvance("R 255") + CELL_PAD
        cell_h = metrics.height() * 3 + 4  # "R 200", "G 31", "B 7"
        header_w = metrics.horizontalAdvance("0000") + CELL_PAD
        width = self.table.width() - header_w - 2 * self.table.frameWidth()
        height = self.table.height() - metrics.height() - 8 - 2 * self.table.frameWidth()
        return int(np.clip(min(width // cell_w, height // cell_h), 1, GRID))

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - the table resized: as many pixels as fit
        if watched is self.table and event.type() == QEvent.Type.Resize:
            size = self.fitting_grid()
            if size != self.grid_size:
                self.grid_size = size
                self._fill_table()
        return False

    def _on_clicked(self, _tile: int, row: int, x: int) -> None:
        if self.shown is None:
            return
        column = frame_column(x, self.shown.shape[1], self.channels.isChecked())
        if column is None or not 0 <= row < self.shown.shape[0]:
            return
        block = self.block
        self.centre = (int(row * block), int(column * block))
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
            skipped.append(tr("centre: not a pixel ({value})", value=repr(centre)))
        self.recompute()
        return skipped


if __name__ == "__main__":
    import sys

    from cnnexplorer.gui.shell.standalone import run_dock

    sys.exit(run_dock(ImageBasicsDock))
