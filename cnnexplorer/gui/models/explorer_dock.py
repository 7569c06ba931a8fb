"""Model explorer dock (course §5): a pretrained or user model, its layer tree, live activations
of the selected layer, top-5 predictions, first-layer filters and the model's graph."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
)

from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.core.models import zoo
from cnnexplorer.core.models.files import ModelLoadError
from cnnexplorer.core.models.model_input import output_classes
from cnnexplorer.core.models.taps import LayerNode
from cnnexplorer.core.infra.timing import Stopwatch
from cnnexplorer.gui.models.activation_grid import ActivationGrid
from cnnexplorer.gui.models.feed_panel import FeedPanel
from cnnexplorer.gui.models.graph_view import GraphView
from cnnexplorer.gui.common.keras_loader import KerasLoader, KerasState
from cnnexplorer.gui.models.layer_compare_combo import LayerCompareCombo
from cnnexplorer.gui.models.layer_tree import LayerTreeWidget
from cnnexplorer.gui.common.live_dock import LiveFrameDock
from cnnexplorer.gui.models.panels import FirstLayerFilters, Predictions
from cnnexplorer.gui.models.surgery_panel import EditedBadge, SurgeryPanel
from cnnexplorer.gui.common.workers import LatestRequestWorker, TaskThread, run_task
from cnnexplorer.core.models.forward import FeedError, ForwardPass, ForwardRequest, Inference, keras_cause
from cnnexplorer.gui.common.live_source import LiveSource
from cnnexplorer.gui.models.explorer_layout import fit_left_column, lay_out_explorer
from cnnexplorer.gui.models.explorer_scene import apply_explorer_scene, explorer_scene_state
from cnnexplorer.gui.models.model_session import ModelSession, with_layer_tree
from cnnexplorer.gui.models.weights_download import WeightsDownload, weights_banner

log = logging.getLogger(__name__)

class ModelExplorerDock(LiveFrameDock):
    send_kernel = Signal(object)
    load_requested = Signal(str)  # the zoo name or file path of a load just asked for
    load_failed = Signal(str)  # the zoo name or file path of a load that failed

    def __init__(self, controller: LiveSource, keras: KerasLoader, session: ModelSession | None = None,
                 parent=None) -> None:
        super().__init__(N_("Model explorer"), controller, parent)  # LiveFrameDock shows it through tr()
        self.setObjectName("ModelExplorerDock")
        self.keras = keras
        self.session = session or ModelSession(self)
        self.zoo_combo = QComboBox(toolTip=tr("Pretrained models"))
        self.zoo_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # an opened file's name too
        for name in zoo.available():
            self.zoo_combo.addItem(tr(zoo.ENTRIES[name].title), name)  # the zoo marks its titles
        self.load_button = QPushButton(tr("Load"))
        self.open_button = QPushButton(tr("Open file…"))
        self.weights = WeightsDownload(self)
        self.banner = QLabel(objectName="ModelBanner", wordWrap=True)
        self.summary = QLabel(objectName="ModelSummary", wordWrap=True)
        self.feed = FeedPanel(self.session)
        self.problem = QLabel(objectName="FeedProblem", wordWrap=True, visible=False)
        self.problem.setStyleSheet("background: #f2dede; padding: 4px;")
        self.tree = LayerTreeWidget()
        self.grid = ActivationGrid()
        self.predictions = Predictions()
        self.filters = FirstLayerFilters()
        self.graph = GraphView()
        self.surgery = SurgeryPanel()  # the main window hands it the convolution lab's kernel
        self.surgery.frozen_batch = self._frame_batch
        self.edited_badge = EditedBadge()
        self.layer_label = QLabel(objectName="LayerLabel")
        # A/B: a second layer of the same model on the same frame, tapped by the same forward pass
        self.compare_combo = LayerCompareCombo()
        self.grid_b = ActivationGrid()
        self.grid_b.setObjectName("ActivationGridB")
        self.grid_b.setVisible(False)
        self.compare_path = ""

        self.split = lay_out_explorer(self)

        self.worker = LatestRequestWorker(ForwardPass(), "ExplorerForward", self)
        self.worker.result.connect(self._on_inference)
        self.worker.failed.connect(self._on_inference_failed)
        self.loader: TaskThread | None = None
        self.loading_key = ""  # the zoo name or file path being loaded
        self.loading_path: str | None = None  # the file being loaded, None for a zoo model
        self._next_load = None  # a load asked for while another runs: it goes next
        self._preload = False  # load the default model as soon as Keras is ready, on screen or not
        self.layer_path = ""
        self.last: Inference | None = None
        self.shown_problem = ""  # the refusal on screen: explained and logged once
        self.unsafe_box: QMessageBox | None = None
        self.weights.show_busy(False)
        self._set_waiting_for_keras()

        self.load_button.clicked.connect(self._load_chosen)
        self.open_button.clicked.connect(self._open_file_dialog)
        self.weights.download_button.clicked.connect(lambda: self.weights.start(self.zoo_combo.currentData()))
        self.weights.downloaded.connect(self.load_zoo)
        self.weights.message.connect(self.banner.setText)
        self.weights.ended.connect(self._on_download_ended)
        self.zoo_combo.currentIndexChanged.connect(self._update_load_buttons)
        self.tree.layer_selected.connect(self.select_layer)
        self.compare_combo.activated.connect(lambda _i: self.compare_with(self.compare_combo.currentData()))
        compare_action = QAction(tr("Compare with this layer"), self.tree.tree)
        compare_action.triggered.connect(self._compare_with_tree_current)
        self.tree.tree.addAction(compare_action)
        self.tree.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.tree.layer_selected.connect(self.graph.show_layer)
        self.graph.layer_clicked.connect(self.tree.select)
        self.filters.send_kernel.connect(self.send_kernel)
        self.feed.changed.connect(self.recompute)
        self.feed.class_names_changed.connect(self.recompute)
        self.surgery.weights_changed.connect(self._on_weights_changed)
        self.surgery.edits_changed.connect(self.edited_badge.show_count)
        self.surgery.pins.changed.connect(self.recompute)
        keras.ready.connect(self._on_keras_ready)
        self.follow_frames()

    def changeEvent(self, event) -> None:  # noqa: N802 - presenter view's type: the layer names need more room
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            QTimer.singleShot(0, self, lambda: fit_left_column(self.split))

    # -- loading --------------------------------------------------------------------------------
    def _set_waiting_for_keras(self) -> None:
        ready = self.keras.state == KerasState.READY
        for button in (self.load_button, self.open_button):
            button.setEnabled(ready)
        if not ready:
            self.banner.setText(tr("loading TensorFlow…"))
        self._update_load_buttons()

    def _on_keras_ready(self, *_) -> None:
        self._set_waiting_for_keras()
        self._load_default()

    def preload(self) -> None:
        """Open the bundled MobileNetV2 as soon as Keras is ready, whatever panel is in front, so
        the first model scene finds it loaded (a hidden explorer still runs no frames through it)."""
        self._preload = True
        self._load_default()

    def _load_default(self) -> None:
        """Open the bundled MobileNetV2 the first time the explorer is on screen (or preloads) with
        Keras ready."""
        wanted = self._preload or self.on_screen()
        if wanted and self.keras.state == KerasState.READY and self.session.model is None and self.loader is None:
            self.load_zoo("mobilenet_v2")

    def _load_chosen(self) -> None:
        name = self.zoo_combo.currentData()
        if name is not None:  # None: the placeholder naming an opened file
            self.load_zoo(name)

    def load_zoo(self, name: str) -> None:
        self._start_loader(lambda: zoo.load_model(name), name, None,
                           tr("loading {model}…", model=tr(zoo.ENTRIES[name].title)))

    def load_file(self, path: str, safe_mode: bool = True) -> None:
        self._start_loader(lambda: zoo.open_file(path, safe_mode=safe_mode), path, path,
                           tr("opening {path}…", path=path))

    def _start_loader(self, load, key: str, path: str | None, message: str) -> None:
        self.load_requested.emit(key)
        if self.loader is not None:
            self._next_load = (load, key, path, message)  # the newest request wins once this one ends
            return
        self._run_loader(load, key, path, message)

    def _run_loader(self, load, key: str, path: str | None, message: str) -> None:
        self.loading_key, self.loading_path = key, path
        self.session.loading = True
        self.loader = run_task(lambda: with_layer_tree(load()), f"ModelLoader[{path or message}]", self,
                               self._on_loaded, self._on_load_failed, self._on_loader_finished)
        self.weights.show_busy(True)
        self.banner.setText(message)

    def _on_loader_finished(self) -> None:
        self.loader = None
        self.session.loading = False
        self.weights.show_busy(False)
        if self._next_load is not None:
            load, self._next_load = self._next_load, None
            self._run_loader(*load)

    def _open_file_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Open a Keras model"), "",
                                              tr("Keras models (*.keras *.h5 *.hdf5)"))
        if path:
            self.load_file(path)

    def _on_loaded(self, loaded: tuple[zoo.ZooModel, list[LayerNode], int | None]) -> None:
        model, nodes, params = loaded
        self.session.loading = self._next_load is not None  # frames go to this model now, unless another follows
        if self.worker.isRunning():
            self.worker.submit(None)  # let go of the old model now, even if no frame follows
        self.session.set_model(model)
        self._show_model_name(model)
        colour, text = weights_banner(model)
        self.banner.setStyleSheet(f"background: {colour}; padding: 4px;")
        self.banner.setText(f"{model.name}: {text}")
        keras_model = model.model
        count = "?" if params is None else f"{params:,}"
        fields = {"params": count, "input": model.input_text(), "layers": len(keras_model.layers)}
        self.summary.setText(tr("{params} parameters · input {input} · {layers} layers", **fields) if model.image_input
                             else tr("{params} parameters · input {input} · {layers} layers · activations off: {reason}",
                                     reason=model.reason, **fields))
        self.feed.set_model(model)
        self._show_problem("")
        self.grid.clear("")
        no_scores = model.image_input and output_classes(keras_model) is None
        self.predictions.clear(model.class_names_note if no_scores else "")
        self.surgery.set_model(model)
        self.tree.set_nodes(nodes)
        fit_left_column(self.split)
        self.compare_combo.set_layers(nodes)
        self.compare_with("")
        for name, view, show, why in (
                ("first-layer filters", self.filters, lambda m: self.filters.set_model(m, model.random_weights),
                 N_("The first-layer filters view could not show this model (see the log).")),
                ("graph", self.graph, self.graph.set_model, N_("The graph view could not show this model (see the log)."))):
            try:  # a view that cannot draw this model must not stop it from opening
                show(keras_model)
            except Exception:  # noqa: BLE001
                log.exception("the %s view could not show %s", name, model.name)
                view.setToolTip(tr(why))
        self.layer_path = ""
        default = next((n.path for n in nodes if n.class_name.startswith("Conv")), nodes[-1].path)
        self.tree.select(default)  # drives select_layer, which sends the frame to the new model
        if not model.image_input:
            self.grid.clear(model.reason)
        self._update_load_buttons()

    def _show_model_name(self, model: zoo.ZooModel) -> None:
        """The dropdown names the model on screen: its zoo entry, or the opened file as placeholder."""
        blocker = QSignalBlocker(self.zoo_combo)
        index = self.zoo_combo.findData(model.name) if model.path is None else -1
        self.zoo_combo.setPlaceholderText(model.name if index < 0 else "")
        self.zoo_combo.setCurrentIndex(index)
        del blocker

    def _on_load_failed(self, error: Exception) -> None:
        known = isinstance(error, (ModelLoadError, zoo.ZooError))
        message = str(error) if known else f"{type(error).__name__}: {error}"
        self.banner.setText(message)
        self.banner.setStyleSheet("background: #f2dede; padding: 4px;")
        self.load_failed.emit(self.loading_key)
        self.session.loading = self._next_load is not None
        self.recompute()  # the model still shown answers the frames again
        if isinstance(error, ModelLoadError) and error.unsafe and self.loading_path:
            path = self.loading_path
            self.unsafe_box = QMessageBox(
                QMessageBox.Icon.Warning, tr("Untrusted code in the model file"),
                tr("{message}\n\nLoad it anyway? Only do this for files you trust.", message=message),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
            self.unsafe_box.setObjectName("UnsafeModelBox")
            self.unsafe_box.setDefaultButton(QMessageBox.StandardButton.No)
            self.unsafe_box.accepted.connect(lambda: self._load_anyway(path))
            self.unsafe_box.open()

    def _load_anyway(self, path: str) -> None:
        self.load_file(path, safe_mode=False)  # queued behind the refused load if it is still ending

    def _update_load_buttons(self, *_) -> None:
        """Load for a zoo entry once Keras is ready; Download for its ImageNet weights when they are missing."""
        name = self.zoo_combo.currentData()
        self.weights.offer_for(name)
        self.load_button.setEnabled(self.keras.state == KerasState.READY and zoo.ENTRIES.get(name) is not None)

    def _on_download_ended(self) -> None:
        self.weights.show_busy(self.loader is not None)
        self._update_load_buttons()

    # -- live activations ------------------------------------------------------------------------
    def select_layer(self, path: str) -> None:
        self.layer_path = path
        model = self.session.model
        self.layer_label.setText(tr("Layer: {path}", path=path))
        self.grid.clear(tr("computing {path}…", path=path))  # never the previous layer's maps under this name
        self.surgery.set_layer(path)
        if model is not None and model.image_input:
            self.recompute()

    def compare_with(self, path: str) -> None:
        """Show layer ``path`` (B) beside the selected layer (A); "" turns the comparison off."""
        index = self.compare_combo.findData(path)
        if index < 0:
            return
        self.compare_combo.setCurrentIndex(index)
        self.compare_path = path
        self.grid_b.setVisible(bool(path))
        self.grid_b.clear(tr("computing {path}…", path=path) if path else "")
        model = self.session.model
        if path and model is not None and model.image_input:
            self.recompute()

    def _compare_with_tree_current(self) -> None:
        item = self.tree.tree.currentItem()
        if item is not None:
            self.compare_with(next((p for p, i in self.tree.items.items() if i is item), ""))

    def tapped_paths(self) -> tuple[str, ...]:
        """The layers the forward pass taps: A, and B when compared (once if they are the same)."""
        if self.compare_path and self.compare_path != self.layer_path:
            return self.layer_path, self.compare_path
        return (self.layer_path,)

    def wants_frame(self) -> bool:
        return self.on_screen() and self.session.model is not None

    def recompute(self, *_) -> None:
        """On screen: the newest frame to the network, or the default model loaded if none is.
        Hidden (a preloaded model, a closed window), it runs nothing: coming into view recomputes.
        While another model loads, the one shown answers no new frame: the load has the CPU."""
        if not self.on_screen() or self.session.loading:
            return
        model = self.session.model
        if model is None:
            self._load_default()
        elif self.frame is not None and model.image_input and self.layer_path:
            self.worker.submit(ForwardRequest(self.frame, model, self.tapped_paths(), logits=bool(self.surgery.pins.pinned),
                                              mosaic=self.grid.mosaic_settings()))

    def _on_inference(self, inference: Inference) -> None:
        if not inference.answers(self.session.model, self.tapped_paths()):
            return  # computed for the model or layer shown before
        self.last = inference
        self._show_problem("")
        model = inference.model
        with Stopwatch() as draw:
            if inference.top:
                self.predictions.show_top(inference.top)
                note = model.class_names_note if model.class_names is None else ""
                self.predictions.note.setText(note)
                self.predictions.note.setVisible(bool(note))
            else:
                self.predictions.clear(model.class_names_note)
            self.surgery.pins.show_scores(inference.scores, inference.logits)
            if inference.outputs:
                activation = inference.outputs[0]
                self.grid.show_activation(activation, "×".join(map(str, activation.shape)), inference.mosaic)
                if self.compare_path:
                    activation_b = inference.outputs[-1]
                    self.grid_b.show_activation(activation_b, f"B: {self.compare_path} · "
                                                + "×".join(map(str, activation_b.shape)),
                                                inference.mosaics[-1] if inference.mosaics else None)
        self.result_shown(forward=inference.forward_ms, draw=draw.ms)

    def _on_inference_failed(self, error: Exception) -> None:
        text = str(error) if isinstance(error, FeedError) else f"{type(error).__name__}: {keras_cause(error)}"
        if text != self.shown_problem:  # the same refusal, frame after frame: said and logged once
            log.warning("model explorer: %s", text)  # i18n: keep
            self.grid.clear("")
            self.grid_b.clear("")
            self.predictions.clear("")
            self._show_problem(text)

    # -- surgery ------------------------------------------------------------------------------------
    def _on_weights_changed(self) -> None:
        model = self.session.model
        if model is not None:
            self.filters.set_model(model.model, model.random_weights)
        self.recompute()

    def _frame_batch(self):
        """The frozen (current) frame as the model's input, for the knock-out sweep."""
        model = self.session.model
        if model is None or self.frame is None or not model.image_input:
            return None
        return model.prepare(self.frame.rgb)

    def _show_problem(self, text: str) -> None:
        self.shown_problem = text
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def scene_state(self) -> dict:
        """This panel in a lecture scene: the zoo model, the layer shown and the view settings."""
        return explorer_scene_state(self)

    def apply_scene(self, state: dict) -> list[str]:
        return apply_explorer_scene(self, state)
