"""Attribution panel (course §5): where in the frame the evidence for a class lies, live; saliency
and occlusion on a frozen frame; what one channel responds to; how much of the frame a unit sees.

Live: one compiled Grad-CAM call per frame on a newest-request-wins worker, overlaid on the frame.
Everything slower (SmoothGrad, integrated gradients, occlusion, channel pictures, a unit's fields)
runs as one stoppable task at a time with a progress bar, filling its view in as it goes."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QSlider,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.core.infra.timing import Stopwatch
from cnnexplorer.core.models import zoo
from cnnexplorer.core.models.attribution import AttributionError, Cancelled, spatial_layers
from cnnexplorer.core.models.attribution.cam import METHODS, cam_runner
from cnnexplorer.core.models.attribution.live import COLOUR_MAPS, CamAnswer, CamRequest, MapSmoother, answer, blend
from cnnexplorer.gui.common.keras_loader import KerasLoader, KerasState
from cnnexplorer.gui.common.live_dock import LiveFrameDock
from cnnexplorer.gui.common.live_source import LiveSource
from cnnexplorer.gui.common.picture_view import PictureView
from cnnexplorer.gui.common.settings_strip import SettingsStrip, beside_strip
from cnnexplorer.gui.common.stage import lesson_picture
from cnnexplorer.gui.common.task_progress import TaskProgress
from cnnexplorer.gui.common.workers import LatestRequestWorker, TaskRunner, TaskThread, run_task
from cnnexplorer.gui.models.attribution_scene import AttributionScene
from cnnexplorer.gui.models.attribution_tools import ClassPicker, PictureRelay
from cnnexplorer.gui.models.channel_picture_panel import STRIP_STEPS, ChannelPicturePanel
from cnnexplorer.gui.models.model_session import ModelSession
from cnnexplorer.gui.models.frozen_frame_panel import FrozenFramePanel
from cnnexplorer.gui.models.top_three_panel import TopThreePanel

AUTOMATIC = N_("automatic (last map ≥ 7×7)")  # shown through tr(); its item data is ""


class AttributionDock(LiveFrameDock):
    """The live map, and tabs beside it; the Frozen frame / unit and Channel picture tabs are panels
    of their own that run their work through this dock's one stoppable task (``start_task``)."""

    def __init__(self, controller: LiveSource, session: ModelSession | None = None,
                 keras: KerasLoader | None = None, parent=None) -> None:
        super().__init__(N_("Attribution"), controller, parent)  # LiveFrameDock shows it through tr()
        self.setObjectName("AttributionDock")
        self.session = session or ModelSession(self)
        self.keras = keras  # the app's one Keras import: no model is loaded before it is done
        self.method = QComboBox(toolTip=tr("Grad-CAM, Grad-CAM++, or Eigen-CAM (no gradient: the same map for any class)"))
        self.method.addItems(list(METHODS))
        self.layer_combo = QComboBox(objectName="CamLayer", toolTip=tr("The layer whose map is explained"))
        self.follow_tree = QCheckBox(tr("follow the explorer's layer"))
        self.class_picker = ClassPicker()
        self.top3 = QCheckBox(tr("top-3 side by side"))
        self.opacity = QSlider(Qt.Orientation.Horizontal, minimum=0, maximum=100, value=55, toolTip=tr("Opacity"))
        self.colours = QComboBox(toolTip=tr("Colour map"))
        for key in COLOUR_MAPS:  # names (jet, viridis…): shown as they are, the key in the item's data
            self.colours.addItem(key, key)
        self.smoothing = QSlider(Qt.Orientation.Horizontal, minimum=0, maximum=90, value=50,
                                 toolTip=tr("Smoothing over frames (0: none)"))
        self.view = PictureView()
        self.view.setToolTip(tr("Click a point: the receptive field of the unit of this layer there"))
        self.info = QLabel(objectName="AttributionInfo", wordWrap=True)
        self.top_tab = TopThreePanel(self.top3)
        self.top_view, self.top_info, self.top3_button = self.top_tab.view, self.top_tab.info, self.top_tab.button
        self.frozen_panel = FrozenFramePanel(self, controller)
        self.freeze_button, self.tool_buttons = self.frozen_panel.freeze_button, self.frozen_panel.tool_buttons
        self.detail, self.detail_info = self.frozen_panel.detail, self.frozen_panel.detail_info
        self.channel_panel = ChannelPicturePanel(self)
        self.channel, self.picture = self.channel_panel.channel, self.channel_panel.picture
        self.picture_info, self.strip = self.channel_panel.picture_info, self.channel_panel.strip
        self.tasks = TaskRunner(self)  # the one stoppable task at a time
        self.task_progress = TaskProgress(self.tasks)
        self.progress, self.stop_button = self.task_progress.bar, self.task_progress.stop_button
        self._layout()

        self.relay = self._new_relay()
        self.worker = LatestRequestWorker(answer, "AttributionCam", self)
        self.worker.result.connect(self._on_answer)
        self.worker.failed.connect(self._on_failed)
        self.loader: TaskThread | None = None
        self.preparing: TaskThread | None = None
        self.smoother = MapSmoother()
        self.last: CamAnswer | None = None
        self.heat: np.ndarray | None = None  # the live map, smoothed over frames
        for signal in (self.method.currentIndexChanged, self.layer_combo.currentIndexChanged, self.top3.toggled,
                       self.class_picker.pinned_changed):
            signal.connect(self._on_settings_changed)
        for signal in (self.opacity.valueChanged, self.colours.currentIndexChanged):
            signal.connect(self._redraw)
        self.top3.toggled.connect(self._show_top_state)
        self.view.clicked.connect(lambda _tile, y, x: self.show_unit(self.cam_layer(), y + 0.5, x + 0.5))
        self.session.model_changed.connect(self._on_model_changed)
        if keras is not None:
            keras.ready.connect(lambda *_: self.recompute() if self.on_screen() else None)
        self._on_model_changed(self.session.model)
        self.scene = AttributionScene(self)  # after the dock's own model hook: the layer list is in first
        self.follow_frames()

    def _layout(self) -> None:
        """Settings in a strip at the left (folded on stage); the live map and the tabs take the rest."""
        settings = QWidget()
        column = QVBoxLayout(settings)
        column.setContentsMargins(0, 0, 4, 0)
        for widget in (QLabel(tr("Method")), self.method, QLabel(tr("Layer")), self.layer_combo, self.follow_tree,
                       QLabel(tr("Class")), self.class_picker, self.top3, QLabel(tr("Opacity")), self.opacity,
                       QLabel(tr("Colour map")), self.colours, QLabel(tr("Smoothing over frames")), self.smoothing):
            column.addWidget(widget)
        column.addStretch(1)
        for combo in (self.method, self.layer_combo):  # as wide as the longest layer name, whenever it comes
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.settings_strip = SettingsStrip(settings, tr("Settings"))
        live = QWidget()
        live_layout = QVBoxLayout(live)
        live_layout.setContentsMargins(0, 0, 0, 0)
        live_layout.addWidget(lesson_picture(self.view), 1)
        live_layout.addWidget(self.info)
        self.tabs = QTabWidget(usesScrollButtons=False)  # every tab's name in full: the splitter makes room
        self.tabs.addTab(self.frozen_panel, tr("Frozen frame / unit"))
        self.tabs.addTab(self.channel_panel, tr("Channel picture"))
        self.tabs.addTab(self.top_tab, tr("Top-3"))  # last: choosing it computes three maps a frame, not before
        self._top3_by_tab = False  # "top-3 side by side" was ticked by choosing the tab
        self.tabs.currentChanged.connect(self._on_tab_chosen)
        self.top3.toggled.connect(lambda *_: setattr(self, "_top3_by_tab", False))
        self.split = split = QSplitter()
        split.addWidget(live)
        split.addWidget(self.tabs)
        split.setSizes([700, 500])
        pictures = QVBoxLayout()
        pictures.addWidget(split, 1)
        pictures.addWidget(self.task_progress)
        self.setWidget(beside_strip(self.settings_strip, pictures))

    def changeEvent(self, event) -> None:  # noqa: N802 - bigger type (presenter view): every tab's name in full
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            QTimer.singleShot(0, self, self._fit_tabs)

    def _fit_tabs(self) -> None:
        total, need = sum(self.split.sizes()), self.tabs.tabBar().sizeHint().width() + 4
        if self.split.sizes()[1] < need < total:
            self.split.setSizes([total - need, need])

    def _on_tab_chosen(self, index: int) -> None:
        """The Top-3 tab shows the top three maps when chosen (and stops computing them when left,
        unless the user ticked them for the live map too)."""
        on_top3 = self.tabs.widget(index) is self.top_tab
        if on_top3 and not self.top3.isChecked():
            self.top3.setChecked(True)
            self._top3_by_tab = True  # after the toggle: a toggle by hand clears it
        elif not on_top3 and self._top3_by_tab:
            self.top3.setChecked(False)

    def _show_top_state(self) -> None:
        self.top_tab.show_state(self.last, self.session.model)

    # -- the model and the settings ------------------------------------------------------------
    def _on_model_changed(self, model: zoo.ZooModel | None) -> None:
        self._drop_task()
        self.smoother.reset()
        self.last, self.heat, self.frozen_panel.unit_box = None, None, None
        self.frozen_panel.clear_boxes()
        for view in (self.view, self.top_view, self.detail, self.picture):
            if view.grid is not None:  # PictureView.clear() leaves the view black for later images
                view.show_image(np.zeros((1, 1, 3), np.uint8), (0, 255))
        self.layer_combo.blockSignals(True)
        self.layer_combo.clear()
        usable = model is not None and model.image_input
        if usable:
            self.layer_combo.addItem(tr(AUTOMATIC), "")
            for name in spatial_layers(model.model):
                self.layer_combo.addItem(name, name)
        self.layer_combo.blockSignals(False)
        self.class_picker.set_names(model.class_names if usable else None)
        if model is None:
            self.info.setText(tr("No model yet: the bundled MobileNetV2 loads when this panel is shown "
                                 "(or load one in the model explorer)."))
        elif not usable:
            self.info.setText(f"{model.name}: {model.reason}")
        else:
            self.info.setText(tr("{model}: computing…", model=model.name))
            if self.wants_frame():
                self.recompute()
        self.settings_strip.updateGeometry()  # the layer list's longest name sets the strip's width
        self._show_top_state()

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
        self.worker.submit(CamRequest(self.frame, model, *self._request_settings()))

    def _request_settings(self) -> tuple[str | None, str, tuple[int | None, ...]]:
        """The layer (``None``: chosen automatically), the method and the classes (``None``: the next
        most likely) that the settings ask for now."""
        pinned = self.class_picker.pinned
        classes = (pinned,) if pinned is not None else ((None, None, None) if self.top3.isChecked() else (None,))
        return self.layer_combo.currentData() or None, self.method.currentText(), classes

    def _on_answer(self, reply: CamAnswer) -> None:
        if reply.request.model is not self.session.model:
            return  # computed for the model shown before
        self.last = reply
        with Stopwatch() as draw:
            self.heat = self.smoother(reply.result.maps[0], self.smoothing.value() / 100.0)
            self._redraw()
            name, probability = reply.top[0]
            automatic = "" if self.layer_combo.currentData() else tr(" (chosen automatically: the last map ≥ 7×7)")
            pinned = tr(" · pinned") if self.class_picker.pinned is not None else ""
            self.info.setText(tr("Layer {layer}{automatic} · {method} for “{name}” {probability}{pinned} · {ms} ms",
                                 layer=reply.result.layer, automatic=automatic, method=reply.request.method,
                                 name=zoo.shown_class_name(name), probability=f"{probability:.1%}", pinned=pinned,
                                 ms=f"{reply.ms:.0f}"))
        self.result_shown(cam=reply.ms, draw=draw.ms)

    def _redraw(self, *_) -> None:
        reply = self.last
        if reply is None or self.heat is None:
            return
        rgb = reply.request.frame.rgb
        opacity, colours = self.opacity.value() / 100.0, self.colours.currentData()
        self.view.show_image(blend(rgb, self.heat, opacity, colours), (0, 255))
        if len(reply.result.maps) > 1:
            self.top_tab.show_maps(reply, opacity, colours)
        self._show_top_state()
        self.frozen_panel.draw_box()

    def _on_failed(self, error: Exception) -> None:
        known = isinstance(error, (AttributionError, zoo.ZooError))
        self.info.setText(str(error) if known else f"{type(error).__name__}: {error}")

    def prepare(self) -> None:
        """Off screen, build the map function of the current model and settings in the background
        (~0.5 s for MobileNetV2: its tapping model and the model's input check), so that the first
        map once the panel is brought forward costs one pass. On screen the panel computes anyway."""
        model = self.session.model
        closed = not self.window().isVisible()  # a window closing starts no thread
        if model is None or not model.image_input or self.on_screen() or closed or self.preparing is not None:
            return
        layer, method, classes = self._request_settings()
        self.preparing = run_task(lambda: cam_runner(model.model, layer, method, len(classes)), "AttributionPrepare", self,
                                  on_failed=lambda _error: None,  # the panel says why once it computes a map
                                  on_finished=self._on_prepared)

    def _on_prepared(self) -> None:
        self.preparing = None

    def _load_default(self) -> None:
        """The bundled MobileNetV2, the first time the panel is on screen with no model."""
        keras_ready = self.keras is None or self.keras.state == KerasState.READY
        idle = self.loader is None and not self.session.loading  # the explorer's preload counts
        if idle and self.session.model is None and self.on_screen() and keras_ready:
            self.info.setText(tr("loading MobileNetV2…"))
            self.loader = run_task(lambda: zoo.load_model("mobilenet_v2"), "AttributionModelLoader", self,
                                   self._on_default_loaded, self._on_failed, self._on_loader_finished)

    def _on_default_loaded(self, model: zoo.ZooModel) -> None:
        if self.session.model is None:  # the explorer may have loaded one meanwhile
            self.session.set_model(model)

    def _on_loader_finished(self) -> None:
        self.loader = None

    def scene_state(self) -> dict:
        """This panel in a lecture scene: its settings (the model is the explorer's scene)."""
        return self.scene.state()

    def apply_scene(self, state: dict) -> list[str]:
        return self.scene.apply(state)

    # -- one stoppable task at a time -------------------------------------------------------------
    @property
    def task(self) -> TaskThread | None:
        """The stoppable task running, if any."""
        return self.tasks.task

    def start_task(self, name: str, work, on_done, message: str) -> bool:
        """Run ``work(task)`` on a task thread; ``on_done(result)`` on the GUI thread."""
        if self.tasks.running:
            self.detail_info.setText(tr("Another computation is running: stop it first."))
            return False
        self.task_progress.begin(message + " %p%")
        self.tasks.start(work, name, on_done, self._on_task_failed)
        return True

    def stop_task(self) -> None:
        """Stop: the task ends early and shows what it has."""
        self.tasks.stop()

    def _drop_task(self) -> None:
        """Another model: the task under way stops, and nothing it computed (pictures included) is shown."""
        if self.tasks.running:
            self.tasks.discard()
            self.relay.mute()
            self.relay = self._new_relay()

    def _new_relay(self) -> PictureRelay:
        relay = PictureRelay(self)
        relay.shown.connect(self._on_picture)
        return relay

    def _on_task_failed(self, error: Exception) -> None:
        if isinstance(error, Cancelled):
            self.detail_info.setText(tr("Stopped."))
        else:
            known = isinstance(error, AttributionError)
            self.detail_info.setText(str(error) if known else f"{type(error).__name__}: {error}")

    # -- the frozen frame and a unit's receptive field (the Frozen frame / unit tab) ---------------
    @property
    def unit_box(self) -> tuple[float, float, float, float] | None:
        return self.frozen_panel.unit_box

    def run_frozen_tool(self, method: str) -> bool:
        return self.frozen_panel.run_frozen_tool(method)

    def show_unit(self, layer: str, y: float, x: float, channel: int | None = None, *, unit: bool = False) -> bool:
        return self.frozen_panel.show_unit(layer, y, x, channel, unit=unit)

    # -- a channel's picture (the Channel picture tab) ---------------------------------------------
    @property
    def strip_pictures(self) -> list[np.ndarray]:
        return self.channel_panel.strip_pictures

    def visualise(self, layer: str, channel: int, steps: int | None = None) -> bool:
        return self.channel_panel.visualise(layer, channel, steps)

    def build_strip(self, steps: int = STRIP_STEPS) -> bool:
        return self.channel_panel.build_strip(steps)

    def _on_picture(self, kind: str, payload) -> None:
        if kind == "picture":
            self.channel_panel.show_step(payload)
        elif kind == "strip":
            self.channel_panel.add_to_strip(payload)
        elif kind == "detail":
            self.frozen_panel.show_detail(payload, self.detail_info.text())


if __name__ == "__main__":
    import sys

    from cnnexplorer.gui.shell.standalone import run_dock

    sys.exit(run_dock(lambda controller: AttributionDock(controller)))
