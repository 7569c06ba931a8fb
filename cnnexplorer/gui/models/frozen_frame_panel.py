"""The Attribution panel's Frozen frame / unit tab: SmoothGrad, integrated gradients and occlusion
on the frozen frame, and a unit's receptive field (the theoretical box on the frame and live view,
the effective field as the heat map inside it)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.core.models.attribution import effective_receptive_field, occlusion, receptive_field, saliency
from cnnexplorer.core.models.attribution.live import blend
from cnnexplorer.core.models.attribution.network import node_output
from cnnexplorer.gui.common.live_source import LiveSource
from cnnexplorer.gui.common.picture_view import PictureView
from cnnexplorer.gui.common.stage import lesson_picture
from cnnexplorer.gui.models.attribution_host import AttributionHost

# Button name (shown through tr(); the key of ``tool_buttons``) → method.
FROZEN_TOOLS = {"SmoothGrad": "smoothgrad", N_("Integrated gradients"): "integrated", N_("Occlusion"): "occlusion"}
TOOL_LABELS = {"smoothgrad": "SmoothGrad", "integrated": N_("integrated gradients"), "occlusion": N_("occlusion")}
OCCLUSION_PATCH, OCCLUSION_STRIDE = 32, 8


class FrozenFramePanel(QWidget):
    """Runs its tools as the dock's one stoppable task; occlusion passes arrive through the dock's relay."""

    def __init__(self, dock: AttributionHost, controller: LiveSource) -> None:
        super().__init__()
        self.dock = dock
        self.freeze_button = QPushButton(tr("Freeze (Space)"), checkable=True)
        self.tool_buttons = {name: QPushButton(tr(name)) for name in FROZEN_TOOLS}
        self.detail = lesson_picture(PictureView())
        self.detail_info = QLabel(tr("Freeze the frame (Space), then run a tool on it; or click a point of the "
                                     "live map: the receptive field of the unit there."), objectName="DetailInfo", wordWrap=True)
        self.unit_box: tuple[float, float, float, float] | None = None
        self.box_items: list[tuple[PictureView, pg.QtWidgets.QGraphicsRectItem]] = []
        layout = QVBoxLayout(self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.freeze_button)
        for button in self.tool_buttons.values():
            buttons.addWidget(button)
        layout.addLayout(buttons)
        layout.addWidget(self.detail, 1)
        layout.addWidget(self.detail_info)
        self.freeze_button.toggled.connect(controller.set_frozen)
        controller.frozen_changed.connect(self._on_frozen_changed)
        for name, button in self.tool_buttons.items():
            button.clicked.connect(lambda _=False, n=name: self.run_frozen_tool(FROZEN_TOOLS[n]))
        self._on_frozen_changed(controller.frozen)

    def _on_frozen_changed(self, frozen: bool) -> None:
        self.freeze_button.blockSignals(True)
        self.freeze_button.setChecked(frozen)
        self.freeze_button.blockSignals(False)
        for button in self.tool_buttons.values():
            button.setEnabled(frozen)
            button.setToolTip("" if frozen else tr("Freeze the frame first (Space)"))

    def run_frozen_tool(self, method: str) -> bool:
        dock = self.dock
        model, frame = dock.session.model, dock.frame
        if model is None or frame is None:
            return False
        rgb, pinned = frame.rgb, dock.class_picker.pinned
        index = pinned if pinned is not None else (dock.last.result.classes[0] if dock.last is not None else None)
        dock.tabs.setCurrentWidget(self)
        relay = dock.relay
        if method == "occlusion":
            def work(task):
                passes = occlusion(model, rgb, index, OCCLUSION_PATCH, OCCLUSION_STRIDE, cancel=task.cancel)
                found, count = None, 0
                for found in passes:  # coarse to fine: each pass shown as it ends
                    count += 1
                    task.progress.emit(count, 3)
                    relay.picture.emit("detail", (rgb, found))
                return rgb, found
        else:
            def work(task):
                return rgb, saliency(model, rgb, index, method, progress=task.progress.emit, cancel=task.cancel)
        label = tr(TOOL_LABELS[method])
        self.unit_box = None
        self.clear_boxes()
        self.detail_info.setText(tr("{method} on the frozen frame…", method=label))
        return dock.start_task(f"Attribution[{method}]", work,
                               lambda result: self.show_detail(result, tr("{method} done", method=label)), label)

    def show_detail(self, result, message: str) -> None:
        """``result`` is (frame, heat map or None), blended with the dock's opacity and colours."""
        rgb, heat = result
        if heat is not None:
            opacity, colours = self.dock.opacity.value() / 100.0, self.dock.colours.currentData()
            self.detail.show_image(blend(rgb, heat, opacity, colours), (0, 255))
        self.detail_info.setText(message)
        self.draw_box()

    # -- a unit's receptive field -------------------------------------------------------------------
    def show_unit(self, layer: str, y: float, x: float, channel: int | None = None, *, unit: bool = False) -> bool:
        """The receptive field of a unit of ``layer``: the theoretical box on the frame and the effective
        field (the unit's input gradient) inside it. (``y``, ``x``) is a frame point, or with ``unit``
        the unit's row and column in the layer's map (a click on the explorer's activation grid)."""
        model, frame = self.dock.session.model, self.dock.frame
        if model is None or frame is None or not layer:
            return False
        rgb = frame.rgb

        def work(_task):
            field = receptive_field(model, layer)
            rows, cols = (int(d) for d in node_output(model.model.get_layer(layer)).shape[1:3])
            unit_y, unit_x = (int(y), int(x)) if unit else field.unit_at(y, x, rgb.shape)
            unit_y, unit_x = min(max(unit_y, 0), rows - 1), min(max(unit_x, 0), cols - 1)
            erf = effective_receptive_field(model, rgb, layer, unit_y, unit_x, channel)
            return field, (unit_y, unit_x), rgb, erf

        self.detail_info.setText(tr("receptive field of a unit of {layer}…", layer=layer))
        return self.dock.start_task("Attribution[receptive field]", work, self._on_unit, tr("receptive field"))

    def _on_unit(self, result) -> None:
        field, (unit_y, unit_x), rgb, erf = result
        self.unit_box = field.box(unit_y, unit_x, rgb.shape)
        self.dock.tabs.setCurrentWidget(self)
        size, stride, pad = field.size, field.stride, field.padding
        flag = tr(" · branches disagree: the largest shown") if field.branches_disagree else ""
        # The square root shows the field's faint tails next to its bright centre.
        self.show_detail((rgb, np.sqrt(erf)), tr(
            "{layer} unit ({y}, {x}): theoretical field {height}×{width} input pixels (stride {stride}, padding "
            "{padding}){flag}. The heat map (square root) is the effective field — the unit's input gradient — "
            "mostly the box's centre.", layer=field.layer, y=unit_y, x=unit_x, height=size[0], width=size[1],
            stride=stride[0], padding=pad[0], flag=flag))

    def draw_box(self) -> None:
        """The unit's theoretical field as a box on the live view and on the detail view."""
        self.clear_boxes()
        if self.unit_box is None:
            return
        top, left, bottom, right = self.unit_box
        for view in (self.dock.view, self.detail):
            item = pg.QtWidgets.QGraphicsRectItem(left, top, right - left, bottom - top)
            item.setPen(pg.mkPen("#00ff66", width=2, cosmetic=True))
            view.box.addItem(item)
            self.box_items.append((view, item))

    def clear_boxes(self) -> None:
        for view, item in self.box_items:
            view.box.removeItem(item)
        self.box_items = []
