"""The Attribution panel's Top-3 tab: the maps of the three most likely classes side by side, or
why there are none and what to do."""

from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QVBoxLayout, QWidget

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.models import zoo
from cnnexplorer.core.models.attribution.live import CamAnswer, blend
from cnnexplorer.gui.common.picture_view import PictureView
from cnnexplorer.gui.common.stage import lesson_picture

TILE = 160  # side of each top-3 tile


class TopThreePanel(QWidget):
    """Follows ``top3``, the settings' "top-3 side by side" box (its button ticks it)."""

    def __init__(self, top3: QCheckBox) -> None:
        super().__init__()
        self.top3 = top3
        self.view = PictureView()
        self.info = QLabel(objectName="TopInfo", wordWrap=True)
        self.button = QPushButton(tr("Show the top 3 classes"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(lesson_picture(self.view), 1)
        layout.addStretch(0)
        self.button.clicked.connect(lambda: top3.setChecked(True))

    def show_maps(self, reply: CamAnswer, opacity: float, colours: str) -> None:
        """Each of the answer's maps over its frame, one tile a class, and the classes named."""
        rgb = reply.request.frame.rgb
        width = max(1, round(rgb.shape[1] * TILE / rgb.shape[0]))
        tiles = [cv2.resize(blend(rgb, m, opacity, colours), (width, TILE), interpolation=cv2.INTER_AREA)
                 for m in reply.result.maps]
        self.view.show_tiles(np.stack(tiles), cols=len(tiles))
        self.info.setText("   |   ".join(f"{zoo.shown_class_name(n)} {p:.1%}" for n, p in reply.top))

    def show_state(self, reply: CamAnswer | None, model: zoo.ZooModel | None) -> None:
        """The maps when there are three, or why there are none and what to do."""
        shown = self.top3.isChecked() and reply is not None and len(reply.result.maps) > 1
        self.view.setVisible(shown)
        self.button.setVisible(not shown and model is not None and not self.top3.isChecked())
        if shown:
            return
        if model is None:
            self.info.setText(tr("Waiting for the model…"))
        elif not model.image_input:
            self.info.setText(tr("This model takes no picture: no class maps."))
        elif self.top3.isChecked():
            self.info.setText(tr("Computing the maps of the three top classes…"))
        else:
            self.info.setText(tr("The maps of the three top classes side by side: tick “{option}” in the "
                                 "settings, or press the button.", option=self.top3.text()))
