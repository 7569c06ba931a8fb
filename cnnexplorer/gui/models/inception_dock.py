"""Inception module view (course §7): the branches side by side on the live frame, their
concatenation, and what the 1×1 bottlenecks save in parameters and multiply-adds."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

import cnnexplorer.gui  # noqa: F401  (row-major image axes)
from cnnexplorer.core.models.inception import InceptionBlock, cost_table, find_blocks, totals
from cnnexplorer.core.display.mosaic import normalise_each, tile
from cnnexplorer.core.infra.timing import Stopwatch
from cnnexplorer.gui.models.activation_grid import COLOUR_MAPS
from cnnexplorer.gui.common.live_dock import LiveFrameDock
from cnnexplorer.gui.models.explorer_dock import ModelSession
from cnnexplorer.gui.models.workers import Inference, InferenceWorker
from cnnexplorer.gui.source.controller import SourceController

COLUMNS = ["Branch", "Channels", "Parameters", "Multiply-adds", "Without 1×1: parameters", "Without 1×1: mult-adds"]


class InceptionDock(LiveFrameDock):
    def __init__(self, controller: SourceController, session: ModelSession, parent=None) -> None:
        super().__init__("Inception module", controller, parent)
        self.setObjectName("InceptionDock")
        self.session = session
        self.block_combo = QComboBox(toolTip="Blocks whose branches meet in a Concatenate")
        self.info = QLabel(objectName="InceptionInfo", wordWrap=True)
        self.view = pg.GraphicsLayoutWidget()
        self.table = QTableWidget(0, len(COLUMNS), objectName="InceptionCosts")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        top = QHBoxLayout()
        top.addWidget(QLabel("Block"))
        top.addWidget(self.block_combo, 1)
        split = QSplitter()
        split.setOrientation(pg.QtCore.Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(self.table)
        split.setSizes([420, 220])
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(top)
        layout.addWidget(self.info)
        layout.addWidget(split, 1)
        self.setWidget(body)
        self.blocks: list[InceptionBlock] = []
        self.block: InceptionBlock | None = None
        self.images: list[pg.ImageItem] = []
        self.boxes: list[pg.ViewBox] = []
        self.rows: list[dict] = []
        self.last: Inference | None = None
        self.worker = InferenceWorker()
        self.worker.result.connect(self._on_inference)
        self.worker.start()
        self.block_combo.currentIndexChanged.connect(self._on_block_chosen)
        session.model_changed.connect(self._on_model_changed)
        self.follow_frames()
        self._on_model_changed(session.model)

    def _on_model_changed(self, model) -> None:
        self.block_combo.clear()
        self.blocks = find_blocks(model.model) if model is not None else []
        if not self.blocks:
            self.info.setText("Load a model with Inception modules (Mini Inception, InceptionV3, "
                              "InceptionResNetV2) in the model explorer.")
            self.worker.configure(None, [])
            self._build_views([])
            self.table.setRowCount(0)
            return
        for block in self.blocks:
            self.block_combo.addItem(f"{block.concat} ({len(block.branches)} branches)")

    def _on_block_chosen(self, index: int) -> None:
        if not 0 <= index < len(self.blocks):
            return
        self.block = self.blocks[index]
        model = self.session.model
        self.rows = cost_table(model.model, self.block)
        self._fill_table()
        titles = [b.names[-1] if b.names else self.block.block_input for b in self.block.branches]
        self._build_views([*titles, self.block.concat])
        outputs = [b.output for b in self.block.branches] + [self.block.concat]
        self.worker.configure(model, outputs)
        self.info.setText(f"Input {self.block.block_input} → {len(self.block.branches)} branches → "
                          f"{self.block.concat}. Each branch's output on the live frame, then the concatenation.")
        self.recompute()

    def _build_views(self, titles: list[str]) -> None:
        self.view.clear()
        self.images, self.boxes = [], []
        for i, title in enumerate(titles):
            self.view.addLabel(title, row=0, col=i)
            box = self.view.addViewBox(row=1, col=i, lockAspect=True, invertY=True, enableMenu=False)
            image = pg.ImageItem(colorMap=COLOUR_MAPS["viridis"])
            box.addItem(image)
            self.boxes.append(box)
            self.images.append(image)

    def _fill_table(self) -> None:
        total = totals(self.rows)
        rows = [*self.rows, {"branch": "block total", **total}]
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = [row["branch"], f"{row['output_channels']} (naive {row['naive_output_channels']})",
                      f"{row['params']:,}", f"{row['macs']:,}", f"{row['naive_params']:,}", f"{row['naive_macs']:,}"]
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        saved = 1 - total["macs"] / total["naive_macs"] if total["naive_macs"] else 0
        self.table.setToolTip(f"The 1×1 bottlenecks save {saved:.0%} of the multiply-adds of this block "
                              "(and the next layer reads fewer channels).")

    def wants_frame(self) -> bool:
        return self.isVisible() and self.block is not None

    def recompute(self, *_) -> None:
        if self.frame is not None and self.block is not None:
            self.worker.submit(self.frame)

    def _on_inference(self, inference: Inference) -> None:
        self.last = inference
        with Stopwatch() as draw:
            for image, box, output in zip(self.images, self.boxes, inference.outputs):
                maps = output if output.ndim == 3 else np.atleast_3d(output)
                mosaic, _ = tile(normalise_each(maps), gap=1)
                image.setImage(mosaic, levels=(0, 1), autoLevels=False)
                box.autoRange(padding=0.02)
        self.controller.timer.record("draw", draw.ms)
        self.controller.timer.record("forward", inference.forward_ms, pipeline="inception view")

    def stop(self) -> None:
        self.worker.request_stop()
        self.worker.wait(30000)
