"""Inception module view (course §7): the branches side by side on the live frame, their
concatenation, and what the 1×1 bottlenecks save in parameters and multiply-adds."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QTableWidgetItem, QVBoxLayout, QWidget

from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.core.infra.timing import Stopwatch
from cnnexplorer.core.models.inception import InceptionBlock, cost_table, find_blocks, totals
from cnnexplorer.gui.common.live_dock import LiveFrameDock
from cnnexplorer.gui.common.picture_view import PictureView
from cnnexplorer.gui.common.stage import lesson_picture
from cnnexplorer.gui.common.translated import follow_language
from cnnexplorer.gui.models.activation_grid import COLOUR_MAPS
from cnnexplorer.gui.models.model_session import ModelSession
from cnnexplorer.gui.common.workers import LatestRequestWorker
from cnnexplorer.core.models.forward import ForwardPass, ForwardRequest, Inference
from cnnexplorer.gui.models.whole_table import WholeTable
from cnnexplorer.gui.common.live_source import LiveSource

COLUMNS = [N_("Branch"), N_("Channels"), N_("Parameters"), N_("Mult-adds"), N_("Without 1×1: parameters"),
           N_("Without 1×1: mult-adds")]  # shown through tr()
BLOCK_TOTAL = N_("block total")


class InceptionDock(LiveFrameDock):
    """An Inception block's branches side by side on the live frame, with what the 1×1 saves.

    ``load_requested(zoo_name)``: the user asked for a model with Inception blocks (the explorer loads it)."""

    load_requested = Signal(str)

    def __init__(self, controller: LiveSource, session: ModelSession, parent=None) -> None:
        super().__init__("Inception", controller, parent)  # a name: the same in every language
        self.setObjectName("InceptionDock")
        self.session = session
        self.block_combo = QComboBox(toolTip=tr("Blocks whose branches meet in a Concatenate"))
        self.info = QLabel(objectName="InceptionInfo", wordWrap=True)
        self.load_button = QPushButton(tr("Load Mini Inception"), objectName="LoadMiniInception",
                                       toolTip=tr("Open the built-in Mini Inception in the model explorer"))
        self.load_button.clicked.connect(lambda: self.load_requested.emit("mini_inception"))
        self.view = QWidget()
        self.view_row = QHBoxLayout(self.view)
        self.view_row.setContentsMargins(0, 0, 0, 0)
        # The cost table is the lesson too: every branch row, the total and the "without 1×1" columns show.
        self.table = lesson_picture(WholeTable([tr(c) for c in COLUMNS], objectName="InceptionCosts"))
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Block")))
        top.addWidget(self.block_combo, 1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(top)
        layout.addWidget(self.info)
        layout.addWidget(self.load_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.table)
        self.setWidget(body)
        self.blocks: list[InceptionBlock] = []
        self.block: InceptionBlock | None = None
        self.views: list[PictureView] = []
        self.rows: list[dict] = []
        self.last: Inference | None = None
        self.taps: tuple[str, ...] = ()
        follow_language(self, self._on_language_changed)
        self.worker = LatestRequestWorker(ForwardPass(), "InceptionForward", self)
        self.worker.result.connect(self._on_inference)
        self.worker.failed.connect(lambda error: self.info.setText(f"{type(error).__name__}: {error}"))
        self.block_combo.currentIndexChanged.connect(self._on_block_chosen)
        self._blocks_of = None  # the model whose blocks are listed (found when the dock is on screen)
        self._wanted_block: str | None = None  # a scene's block, chosen when the blocks are listed
        session.model_changed.connect(self._on_model_changed)
        self.follow_frames()
        self.visibilityChanged.connect(lambda visible: visible and self._find_blocks())
        self._on_model_changed(session.model)

    def _on_model_changed(self, model) -> None:
        if self.worker.isRunning():
            self.worker.submit(None)  # free the old model's tapping graph now, not at the next frame
        self.block, self.taps = None, ()
        self._find_blocks()

    def _find_blocks(self) -> None:
        """List the model's Inception blocks, only while the dock is on screen (InceptionV3's take
        tens of ms to walk: a hidden dock leaves them for when it is shown)."""
        model = self.session.model
        if self._blocks_of is model and model is not None:
            return
        walk = model is not None and self.on_screen()
        self._blocks_of = model if walk else None
        self.block_combo.clear()
        self.blocks = find_blocks(model.model) if walk else []
        self.load_button.setVisible(not self.blocks)
        if not self.blocks:
            self.info.setText(tr("Load a model with Inception modules (Mini Inception, InceptionV3, "
                                 "InceptionResNetV2) in the model explorer."))
            self.block, self.taps = None, ()
            self._build_views([])
            self.table.setRowCount(0)
            return
        for block in self.blocks:
            self.block_combo.addItem(tr("{block} ({count} branches)", block=block.concat, count=len(block.branches)))
        if self._wanted_block is not None:  # a scene's block, asked for before the model was in
            self._choose_wanted_block()

    def _on_block_chosen(self, index: int) -> None:
        if not 0 <= index < len(self.blocks):
            return
        self.block = self.blocks[index]
        model = self.session.model
        self.rows = cost_table(model.model, self.block)
        self._fill_table()
        self._build_views(self._view_titles())
        self.taps = (*(b.output for b in self.block.branches), self.block.concat)
        self.info.setText(tr("Input {input} → {count} branches → {concat}. Each branch's output on the live frame, "
                             "then the concatenation.", input=self.block.block_input, count=len(self.block.branches),
                             concat=self.block.concat))
        if self.wants_frame():
            self.recompute()

    def _view_titles(self) -> list[str]:
        return [*(b.title for b in self.block.branches), tr("{layer} (concatenation)", layer=self.block.concat)]

    def _on_language_changed(self, *_) -> None:
        """The branch titles are worked out from the layers, in the new language."""
        if self.block is None or self.session.model is None:
            return
        self.rows = cost_table(self.session.model.model, self.block)
        self._fill_table()
        for view, title in zip(self.views, self._view_titles()):
            view.title.setText(title)

    def _build_views(self, titles: list[str]) -> None:
        for view in self.views:
            view.deleteLater()
        self.views = [lesson_picture(PictureView(title, colour_map=COLOUR_MAPS["viridis"])) for title in titles]
        for view in self.views:
            self.view_row.addWidget(view)

    def _fill_table(self) -> None:
        total = totals(self.rows)
        rows = [*self.rows, {"branch": BLOCK_TOTAL, **total}]
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = [tr(row["branch"]), tr("{channels} (naive {naive})", channels=row["output_channels"],
                                            naive=row["naive_output_channels"]),
                      f"{row['params']:,}", f"{row['macs']:,}", f"{row['naive_params']:,}", f"{row['naive_macs']:,}"]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(row.get("layers", ""))  # the layers behind the branch's short name
                self.table.setItem(r, c, item)
        saved = 1 - total["macs"] / total["naive_macs"] if total["naive_macs"] else 0
        self.table.setToolTip(tr("The 1×1 bottlenecks save {saved} of the multiply-adds of this block (and the "
                                 "next layer reads fewer channels).", saved=f"{saved:.0%}"))

    def wants_frame(self) -> bool:
        return self.on_screen() and self.block is not None

    def recompute(self, *_) -> None:
        model = self.session.model
        if self.frame is not None and self.block is not None and model is not None and model.image_input:
            self.worker.submit(ForwardRequest(self.frame, model, self.taps))

    def _on_inference(self, inference: Inference) -> None:
        if not inference.answers(self.session.model, self.taps):
            return  # computed for the block shown before
        self.last = inference
        with Stopwatch() as draw:
            for view, output in zip(self.views, inference.outputs):
                view.show_maps(output if output.ndim == 3 else np.atleast_3d(output))
        self.result_shown(forward=inference.forward_ms, draw=draw.ms)

    def scene_state(self) -> dict:
        """This panel in a lecture scene: the block shown (the model is the explorer's scene)."""
        return {"block": self.block.concat if self.block is not None else None}

    def apply_scene(self, state: dict) -> list[str]:
        block = state.get("block")
        if not isinstance(block, str) or not block:
            return []
        self._wanted_block = block
        self._find_blocks()
        if self.blocks:
            return self._choose_wanted_block()
        return []  # chosen once the blocks of an Inception model are listed

    def _choose_wanted_block(self) -> list[str]:
        wanted, self._wanted_block = self._wanted_block, None
        index = next((i for i, b in enumerate(self.blocks) if b.concat == wanted), -1)
        if index < 0:
            return [tr("block {block}: not in {model}", block=repr(wanted), model=self.session.model.name)]
        self.block_combo.setCurrentIndex(index)
        return []
