"""Attribution panel (course §5): where in the frame the evidence for a class lies, live; saliency
and occlusion on a frozen frame; what one channel responds to; how much of the frame a unit sees.

Live: one compiled Grad-CAM call per frame on a newest-request-wins worker, overlaid on the frame.
Everything slower (SmoothGrad, integrated gradients, occlusion, channel pictures, a unit's fields)
runs as one stoppable task at a time with a progress bar, filling its view in as it goes."""

from __future__ import annotations

import cv2
import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSlider,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cnnexplorer.core.infra.timing import Stopwatch
from cnnexplorer.core.models import zoo
from cnnexplorer.core.models.attribution import (
    AttributionError,
    Cancelled,
    depth_layers,
    effective_receptive_field,
    occlusion,
    receptive_field,
    saliency,
    spatial_layers,
    visualize_channel,
)
from cnnexplorer.core.models.attribution.cam import METHODS
from cnnexplorer.core.models.attribution.feature_vis import DEFAULT_STEPS
from cnnexplorer.core.models.attribution.live import COLOUR_MAPS, CamAnswer, CamRequest, MapSmoother, answer, blend
from cnnexplorer.core.models.attribution.network import node_output
from cnnexplorer.gui.common.keras_loader import KerasLoader, KerasState
from cnnexplorer.gui.common.live_dock import LiveFrameDock
from cnnexplorer.gui.common.mosaic_view import MosaicView
from cnnexplorer.gui.common.workers import LatestRequestWorker, TaskThread
from cnnexplorer.gui.models.attribution_tools import ClassPicker, PictureRelay
from cnnexplorer.gui.models.explorer_dock import ModelSession
from cnnexplorer.gui.source.controller import SourceController

AUTOMATIC = "automatic (last map ≥ 7×7)"
FROZEN_TOOLS = {"SmoothGrad": "smoothgrad", "Integrated gradients": "integrated", "Occlusion": "occlusion"}
OCCLUSION_PATCH, OCCLUSION_STRIDE = 32, 8
TILE = 160  # side of each top-3 tile
STRIP_SIZE, STRIP_STEPS = 128, 48  # each rung of the depth strip


class AttributionDock(LiveFrameDock):
    def __init__(self, controller: SourceController, session: ModelSession | None = None,
                 keras: KerasLoader | None = None, parent=None) -> None:
        super().__init__("Attribution", controller, parent)
        self.setObjectName("AttributionDock")
        self.session = session or ModelSession(self)
        self.keras = keras  # the app's one Keras import: no model is loaded before it is done
        self.method = QComboBox(toolTip="Grad-CAM, Grad-CAM++, or Eigen-CAM (no gradient: the same map for any class)")
        self.method.addItems(list(METHODS))
        self.layer_combo = QComboBox(objectName="CamLayer", toolTip="The layer whose map is explained")
        self.follow_tree = QCheckBox("follow the explorer's layer")
        self.class_picker = ClassPicker()
        self.top3 = QCheckBox("top-3 side by side")
        self.opacity = QSlider(Qt.Orientation.Horizontal, minimum=0, maximum=100, value=55, toolTip="Opacity")
        self.colours = QComboBox(toolTip="Colour map")
        self.colours.addItems(list(COLOUR_MAPS))
        self.smoothing = QSlider(Qt.Orientation.Horizontal, minimum=0, maximum=90, value=50,
                                 toolTip="Smoothing over frames (0: none)")
        self.view = MosaicView()
        self.view.setToolTip("Click a point: the receptive field of the unit of this layer there")
        self.info = QLabel(objectName="AttributionInfo", wordWrap=True)
        self.top_view = MosaicView()
        self.top_info = QLabel(objectName="TopInfo", wordWrap=True)
        self.freeze_button = QPushButton("Freeze (Space)", checkable=True)
        self.tool_buttons = {name: QPushButton(name) for name in FROZEN_TOOLS}
        self.detail = MosaicView()
        self.detail_info = QLabel(objectName="DetailInfo", wordWrap=True)
        self.channel = QSpinBox(prefix="channel ", maximum=0)
        self.visualise_button = QPushButton("Visualise this channel")
        self.picture = MosaicView()
        self.picture_info = QLabel(objectName="PictureInfo", wordWrap=True)
        self.strip_button = QPushButton("Strip: one channel per depth")
        self.strip = MosaicView()
        self.strip_pictures: list[np.ndarray] = []
        self.progress = QProgressBar(maximum=1000)
        self.stop_button = QPushButton("Stop")
        self._layout()

        self.relay = PictureRelay(self)
        self.relay.picture.connect(self._on_picture)
        self.worker = LatestRequestWorker(answer, "AttributionCam", self)
        self.worker.result.connect(self._on_answer)
        self.worker.failed.connect(self._on_failed)
        self.task: TaskThread | None = None
        self.loader: TaskThread | None = None
        self.smoother = MapSmoother()
        self.last: CamAnswer | None = None
        self.heat: np.ndarray | None = None  # the live map, smoothed over frames
        self.box_items: list[tuple[MosaicView, pg.QtWidgets.QGraphicsRectItem]] = []
        self.unit_box: tuple[float, float, float, float] | None = None
        self.vis_layer = ""
        for signal in (self.method.currentIndexChanged, self.layer_combo.currentIndexChanged, self.top3.toggled,
                       self.class_picker.pinned_changed):
            signal.connect(self._on_settings_changed)
        for signal in (self.opacity.valueChanged, self.colours.currentIndexChanged):
            signal.connect(self._redraw)
        self.freeze_button.toggled.connect(controller.set_frozen)
        controller.frozen_changed.connect(self._on_frozen_changed)
        for name, button in self.tool_buttons.items():
            button.clicked.connect(lambda _=False, n=name: self.run_frozen_tool(FROZEN_TOOLS[n]))
        self.visualise_button.clicked.connect(lambda: self.visualise(self.vis_layer or self.cam_layer(),
                                                                     self.channel.value()))
        self.strip_button.clicked.connect(self.build_strip)
        self.stop_button.clicked.connect(self.stop_task)
        self.view.clicked.connect(lambda _tile, y, x: self.show_unit(self.cam_layer(), y + 0.5, x + 0.5))
        self.session.model_changed.connect(self._on_model_changed)
        if keras is not None:
            keras.ready.connect(lambda *_: self.recompute() if self.on_screen() else None)
        self._on_model_changed(self.session.model)
        self._on_frozen_changed(controller.frozen)
        self._busy(False)
        self.follow_frames()

    def _layout(self) -> None:
        controls = QHBoxLayout()
        for widget in (QLabel("Method"), self.method, QLabel("Layer"), self.layer_combo, self.follow_tree):
            controls.addWidget(widget)
        controls.addStretch(1)
        looks = QHBoxLayout()
        for widget in (self.class_picker, self.top3, QLabel("Opacity"), self.opacity, self.colours,
                       QLabel("Smoothing"), self.smoothing):
            looks.addWidget(widget)
        live = QWidget()
        live_layout = QVBoxLayout(live)
        live_layout.setContentsMargins(0, 0, 0, 0)
        live_layout.addWidget(self.view, 1)
        live_layout.addWidget(self.info)
        top_tab = QWidget()
        top_layout = QVBoxLayout(top_tab)
        top_layout.addWidget(self.top_view, 1)
        top_layout.addWidget(self.top_info)
        frozen_tab = QWidget()
        frozen_layout = QVBoxLayout(frozen_tab)
        buttons = QHBoxLayout()
        buttons.addWidget(self.freeze_button)
        for button in self.tool_buttons.values():
            buttons.addWidget(button)
        frozen_layout.addLayout(buttons)
        frozen_layout.addWidget(self.detail, 1)
        frozen_layout.addWidget(self.detail_info)
        channel_tab = QWidget()
        channel_layout = QVBoxLayout(channel_tab)
        row = QHBoxLayout()
        row.addWidget(self.channel)
        row.addWidget(self.visualise_button)
        row.addWidget(self.strip_button)
        channel_layout.addLayout(row)
        channel_layout.addWidget(self.picture, 3)
        channel_layout.addWidget(self.picture_info)
        channel_layout.addWidget(self.strip, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(top_tab, "Top-3")
        self.tabs.addTab(frozen_tab, "Frozen frame / unit")
        self.tabs.addTab(channel_tab, "Channel picture")
        split = QSplitter()
        split.addWidget(live)
        split.addWidget(self.tabs)
        split.setSizes([700, 500])
        tasks = QHBoxLayout()
        tasks.addWidget(self.progress, 1)
        tasks.addWidget(self.stop_button)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(controls)
        layout.addLayout(looks)
        layout.addWidget(split, 1)
        layout.addLayout(tasks)
        self.setWidget(body)

    # -- the model and the settings ------------------------------------------------------------
    def _on_model_changed(self, model: zoo.ZooModel | None) -> None:
        self.stop_task()
        self.smoother.reset()
        self.last, self.heat, self.unit_box = None, None, None
        self._clear_boxes()
        for view in (self.view, self.top_view, self.detail, self.picture):
            if view.grid is not None:  # MosaicView.clear() leaves the view black for later images
                view.show_image(np.zeros((1, 1, 3), np.uint8), (0, 255))
        self.layer_combo.blockSignals(True)
        self.layer_combo.clear()
        usable = model is not None and model.image_input
        if usable:
            self.layer_combo.addItem(AUTOMATIC, "")
            for name in spatial_layers(model.model):
                self.layer_combo.addItem(name, name)
        self.layer_combo.blockSignals(False)
        self.class_picker.set_names(model.class_names if usable else None)
        if model is None:
            self.info.setText("No model yet: the bundled MobileNetV2 loads when this panel is shown "
                              "(or load one in the model explorer).")
        elif not usable:
            self.info.setText(f"{model.name}: {model.reason}")
        else:
            self.info.setText(f"{model.name}: computing…")
            if self.wants_frame():
                self.recompute()

    def cam_layer(self) -> str:
        """The layer explained now (the automatic choice once a map has been computed)."""
        chosen = self.layer_combo.currentData() or ""
        return chosen or (self.last.result.layer if self.last is not None else "")

    def follow_layer(self, path: str) -> None:
        """The explorer's layer tree picked ``path``: explain it too, when asked to follow."""
        if self.follow_tree.isChecked():
            index = self.layer_combo.findData(path)
            if index >= 0:
                self.layer_combo.setCurrentIndex(index)

    def _on_settings_changed(self, *_) -> None:
        self.smoother.reset()
        if self.wants_frame():
            self.recompute()

    # -- live maps -----------------------------------------------------------------------------------
    def wants_frame(self) -> bool:
        return self.on_screen() and self.session.model is not None

    def recompute(self, *_) -> None:
        model = self.session.model
        if model is None:
            self._load_default()
            return
        if self.frame is None or not model.image_input:
            return
        pinned = self.class_picker.pinned
        classes = (pinned,) if pinned is not None else ((None, None, None) if self.top3.isChecked() else (None,))
        layer = self.layer_combo.currentData() or None
        self.worker.submit(CamRequest(self.frame, model, layer, self.method.currentText(), classes))

    def _on_answer(self, reply: CamAnswer) -> None:
        if reply.request.model is not self.session.model:
            return  # computed for the model shown before
        self.last = reply
        with Stopwatch() as draw:
            self.heat = self.smoother(reply.result.maps[0], self.smoothing.value() / 100.0)
            self._redraw()
            name, probability = reply.top[0]
            automatic = "" if self.layer_combo.currentData() else " (chosen automatically: the last map ≥ 7×7)"
            pinned = " · pinned" if self.class_picker.pinned is not None else ""
            self.info.setText(f"Layer {reply.result.layer}{automatic} · {reply.request.method} for "
                              f"“{name}” {probability:.1%}{pinned} · {reply.ms:.0f} ms")
        self.result_shown(cam=reply.ms, draw=draw.ms)

    def _redraw(self, *_) -> None:
        reply = self.last
        if reply is None or self.heat is None:
            return
        rgb = reply.request.frame.rgb
        opacity, colours = self.opacity.value() / 100.0, self.colours.currentText()
        self.view.show_image(blend(rgb, self.heat, opacity, colours), (0, 255))
        if len(reply.result.maps) > 1:
            height = TILE
            width = max(1, round(rgb.shape[1] * TILE / rgb.shape[0]))
            tiles = [cv2.resize(blend(rgb, m, opacity, colours), (width, height), interpolation=cv2.INTER_AREA)
                     for m in reply.result.maps]
            self.top_view.show_tiles(np.stack(tiles).astype(np.float32) / 255.0, cols=len(tiles))
            self.top_info.setText("   |   ".join(f"{n} {p:.1%}" for n, p in reply.top))
        self._draw_box()

    def _on_failed(self, error: Exception) -> None:
        known = isinstance(error, (AttributionError, zoo.ZooError))
        self.info.setText(str(error) if known else f"{type(error).__name__}: {error}")

    def _load_default(self) -> None:
        """The bundled MobileNetV2, the first time the panel is on screen with no model."""
        keras_ready = self.keras is None or self.keras.state == KerasState.READY
        if self.loader is None and self.session.model is None and self.on_screen() and keras_ready:
            self.info.setText("loading MobileNetV2…")
            self.loader = task = TaskThread(lambda: zoo.load_model("mobilenet_v2"), "AttributionModelLoader", self)
            task.done.connect(self._on_default_loaded)
            task.failed.connect(self._on_failed)
            task.finished.connect(self._on_loader_finished)
            task.finished.connect(task.deleteLater)
            task.start()

    def _on_default_loaded(self, model: zoo.ZooModel) -> None:
        if self.session.model is None:  # the explorer may have loaded one meanwhile
            self.session.set_model(model)

    def _on_loader_finished(self) -> None:
        self.loader = None

    # -- one stoppable task at a time -------------------------------------------------------------
    def _start_task(self, name: str, work, on_done, message: str) -> bool:
        """Run ``work(task)`` on a task thread; ``on_done(result)`` on the GUI thread."""
        if self.task is not None:
            self.detail_info.setText("Another computation is running: stop it first.")
            return False
        self.task = task = TaskThread(lambda: work(task), name, self)
        task.progress.connect(self._on_progress)
        task.done.connect(on_done)
        task.failed.connect(self._on_task_failed)
        task.finished.connect(self._on_task_finished)
        task.finished.connect(task.deleteLater)
        self.progress.setValue(0)
        self.progress.setFormat(message + " %p%")
        self._busy(True)
        task.start()
        return True

    def stop_task(self) -> None:
        if self.task is not None:
            self.task.request_stop()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setValue(int(1000 * done / total) if total else 0)

    def _on_task_failed(self, error: Exception) -> None:
        if isinstance(error, Cancelled):
            self.detail_info.setText("Stopped.")
        else:
            known = isinstance(error, AttributionError)
            self.detail_info.setText(str(error) if known else f"{type(error).__name__}: {error}")

    def _on_task_finished(self) -> None:
        self.task = None
        self._busy(False)

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.stop_button.setVisible(busy)

    # -- frozen frame: SmoothGrad, integrated gradients, occlusion -------------------------------
    def _on_frozen_changed(self, frozen: bool) -> None:
        self.freeze_button.blockSignals(True)
        self.freeze_button.setChecked(frozen)
        self.freeze_button.blockSignals(False)
        for button in self.tool_buttons.values():
            button.setEnabled(frozen)
            button.setToolTip("" if frozen else "Freeze the frame first (Space)")

    def run_frozen_tool(self, method: str) -> bool:
        model, frame = self.session.model, self.frame
        if model is None or frame is None:
            return False
        rgb, pinned = frame.rgb, self.class_picker.pinned
        index = pinned if pinned is not None else (self.last.result.classes[0] if self.last is not None else None)
        self.tabs.setCurrentIndex(1)
        if method == "occlusion":
            def work(task):
                passes = occlusion(model, rgb, index, OCCLUSION_PATCH, OCCLUSION_STRIDE, cancel=task.cancel)
                found, count = None, 0
                for found in passes:  # coarse to fine: each pass shown as it ends
                    count += 1
                    task.progress.emit(count, 3)
                    self.relay.picture.emit("detail", (rgb, found))
                return rgb, found
        else:
            def work(task):
                return rgb, saliency(model, rgb, index, method, progress=task.progress.emit, cancel=task.cancel)
        label = {"smoothgrad": "SmoothGrad", "integrated": "integrated gradients", "occlusion": "occlusion"}[method]
        self.unit_box = None
        self._clear_boxes()
        self.detail_info.setText(f"{label} on the frozen frame…")
        return self._start_task(f"Attribution[{method}]", work,
                                lambda result: self._show_detail(result, f"{label} done"), label)

    def _show_detail(self, result, message: str) -> None:
        rgb, heat = result
        if heat is not None:
            self.detail.show_image(blend(rgb, heat, self.opacity.value() / 100.0, self.colours.currentText()), (0, 255))
        self.detail_info.setText(message)
        self._draw_box()

    # -- a unit's receptive field -------------------------------------------------------------------
    def show_unit(self, layer: str, y: float, x: float, channel: int | None = None, *, unit: bool = False) -> bool:
        """The receptive field of a unit of ``layer``: the theoretical box on the frame and the effective
        field (the unit's input gradient) inside it. (``y``, ``x``) is a frame point, or with ``unit``
        the unit's row and column in the layer's map (a click on the explorer's activation grid)."""
        model, frame = self.session.model, self.frame
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

        self.detail_info.setText(f"receptive field of a unit of {layer}…")
        return self._start_task("Attribution[receptive field]", work, self._on_unit, "receptive field")

    def _on_unit(self, result) -> None:
        field, (unit_y, unit_x), rgb, erf = result
        self.unit_box = field.box(unit_y, unit_x, rgb.shape)
        self.tabs.setCurrentIndex(1)
        size, stride, pad = field.size, field.stride, field.padding
        flag = " · branches disagree: the largest shown" if field.branches_disagree else ""
        # The square root shows the field's faint tails next to its bright centre.
        self._show_detail((rgb, np.sqrt(erf)), f"{field.layer} unit ({unit_y}, {unit_x}): theoretical field "
                                      f"{size[0]}×{size[1]} input pixels (stride {stride[0]}, padding {pad[0]}){flag}. "
                                      "The heat map (square root) is the effective field — the unit's input "
                                      "gradient — mostly the box's centre.")

    def _draw_box(self) -> None:
        self._clear_boxes()
        if self.unit_box is None:
            return
        top, left, bottom, right = self.unit_box
        for view in (self.view, self.detail):
            item = pg.QtWidgets.QGraphicsRectItem(left, top, right - left, bottom - top)
            item.setPen(pg.mkPen("#00ff66", width=2, cosmetic=True))
            view.box.addItem(item)
            self.box_items.append((view, item))

    def _clear_boxes(self) -> None:
        for view, item in self.box_items:
            view.box.removeItem(item)
        self.box_items = []

    # -- a channel's picture --------------------------------------------------------------------
    def set_channel_layer(self, layer: str) -> None:
        model = self.session.model
        if model is None:
            return
        try:
            channels = int(node_output(model.model.get_layer(layer)).shape[-1])
        except (ValueError, AttributeError):
            return
        self.vis_layer = layer
        self.channel.setMaximum(channels - 1)

    def visualise(self, layer: str, channel: int, steps: int | None = None) -> bool:
        """Activation maximisation of ``channel`` of ``layer``; the picture updates at every step."""
        model = self.session.model
        if model is None or not layer:
            return False
        self.set_channel_layer(layer)
        self.channel.setValue(channel)
        self.tabs.setCurrentIndex(2)
        extra = {} if steps is None else {"steps": steps}
        total = steps or DEFAULT_STEPS

        def work(task):
            count = [0]

            def on_step(image):
                count[0] += 1
                task.progress.emit(count[0], total)
                self.relay.picture.emit("picture", image)

            return visualize_channel(model, layer, channel, on_step=on_step, cancel=task.cancel, **extra)

        self.picture_info.setText(f"{layer}, channel {channel}: optimising…")
        return self._start_task("Attribution[visualise]", work,
                                lambda image: self._on_visualised(layer, channel, image), f"channel {channel}")

    def _on_visualised(self, layer: str, channel: int, image) -> None:
        self.picture.show_image(image, (0, 255))
        stopped = self.task is not None and self.task.cancel.is_set()
        self.picture_info.setText(f"{layer}, channel {channel}: an image that drives this channel hard"
                                  + (" (stopped early)" if stopped else "") + ".")

    def build_strip(self, steps: int = STRIP_STEPS) -> bool:
        """Channel 0 of layers spread over the depth, side by side, filled in one by one."""
        model = self.session.model
        if model is None:
            return False
        self.tabs.setCurrentIndex(2)
        self.strip_pictures = []

        def work(task):
            layers = depth_layers(model)
            for done, layer in enumerate(layers):
                if task.cancel.is_set():
                    break
                picture = visualize_channel(model, layer, 0, size=STRIP_SIZE, steps=steps, cancel=task.cancel)
                self.relay.picture.emit("strip", picture)
                task.progress.emit(done + 1, len(layers))
            return layers

        self.picture_info.setText("Strip: channel 0 of layers from the first to the last map…")
        return self._start_task("Attribution[strip]", work, self._on_strip_done, "strip")

    def _on_strip_done(self, layers: list[str]) -> None:
        self.picture_info.setText("Strip, left to right: channel 0 of " + ", ".join(layers[: len(self.strip_pictures)])
                                  + " — edges and colours first, then textures, then parts.")

    def _on_picture(self, kind: str, payload) -> None:
        if kind == "picture":
            self.picture.show_image(payload, (0, 255))
        elif kind == "strip":
            self.strip_pictures.append(payload)
            tiles = np.stack(self.strip_pictures).astype(np.float32) / 255.0
            self.strip.show_tiles(tiles, cols=len(self.strip_pictures))
        elif kind == "detail":
            self._show_detail(payload, self.detail_info.text())


if __name__ == "__main__":
    import sys

    from cnnexplorer.gui.common.standalone import run_dock

    sys.exit(run_dock(lambda controller: AttributionDock(controller)))
