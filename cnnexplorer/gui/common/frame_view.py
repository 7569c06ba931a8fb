"""A pyqtgraph view of one RGB frame: aspect kept, zoom and pan with the mouse, a message overlay."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel

from cnnexplorer.gui.common.picture_menu import PictureMenu
from cnnexplorer.gui.common.plots import configure_pyqtgraph


class FrameView(PictureMenu, pg.GraphicsLayoutWidget):
    """Shows frames with ``show_frame``; ``set_greyed`` dims the picture and writes a message on it.

    ``hovered`` carries the pixel under the mouse as text: "x 12, y 40 · R 200 G 31 B 7".
    """

    hovered = Signal(str)

    def __init__(self, parent=None) -> None:
        configure_pyqtgraph()
        super().__init__(parent)
        self.setObjectName("FrameView")
        self.view_box = self.addViewBox(lockAspect=True, invertY=True, enableMenu=False)
        self.image_item = pg.ImageItem()
        self.view_box.addItem(self.image_item)
        self._frame: np.ndarray | None = None
        self._greyed = False
        self._overlay = QLabel(self)
        self._overlay.setStyleSheet(
            "QLabel { background: rgba(20, 20, 20, 190); color: #ffcc66; padding: 6px 10px;"
            " border-radius: 4px; font-weight: bold; }"
        )
        self._overlay.hide()
        self._overlay.move(10, 10)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)

    @property
    def frame(self) -> np.ndarray | None:
        return self._frame

    def show_frame(self, rgb: np.ndarray) -> None:
        first = self._frame is None or self._frame.shape != rgb.shape
        self._frame = rgb
        self._draw()
        if first:
            self.view_box.autoRange(padding=0)

    def set_greyed(self, greyed: bool, message: str = "") -> None:
        self._overlay.setText(message)
        self._overlay.adjustSize()
        self._overlay.setVisible(bool(message))
        if greyed != self._greyed:
            self._greyed = greyed
            self._draw()

    def overlay_text(self) -> str:
        return self._overlay.text() if self._overlay.isVisible() else ""

    def _draw(self) -> None:
        if self._frame is None:
            return
        shown = self._frame
        if self._greyed:
            gray = shown.mean(axis=2, dtype=np.float32) * 0.45 + 40
            shown = np.repeat(gray.astype(np.uint8)[:, :, None], 3, axis=2)
        self.image_item.setImage(shown, levels=(0, 255), autoLevels=False)


    def pixel_text(self, x: int, y: int) -> str:
        """The readout for pixel column ``x``, row ``y`` (empty outside the frame)."""
        frame = self._frame
        if frame is None or not (0 <= y < frame.shape[0] and 0 <= x < frame.shape[1]):
            return ""
        r, g, b = (int(v) for v in frame[y, x])
        return f"x {x}, y {y} · R {r} G {g} B {b}"

    def _on_mouse_moved(self, scene_pos) -> None:
        point = self.view_box.mapSceneToView(scene_pos)
        self.hovered.emit(self.pixel_text(int(np.floor(point.x())), int(np.floor(point.y()))))
