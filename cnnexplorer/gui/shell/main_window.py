"""The main window: a central course map, dockable panels, menus, shortcuts and the timing HUD."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMainWindow, QMessageBox, QSizePolicy, QToolBar, QWidget

from cnnexplorer.core.frames.images import IMAGE_SUFFIXES
from cnnexplorer.core.i18n import SETTING as LANGUAGE_SETTING
from cnnexplorer.core.i18n import resolve_language, tr
from cnnexplorer.core.infra.settings import Settings
from cnnexplorer.core.frames.sources import DEFAULT_SAMPLE, VIDEO_SUFFIXES, CameraSource
from cnnexplorer.core.infra.timing import PipelineTimer
from cnnexplorer.gui.augment.dock import AugmentDock
from cnnexplorer.gui.conv.lab_dock import ConvLabDock
from cnnexplorer.gui.shell.course_map import CourseMap
from cnnexplorer.gui.conv.filter_bank_dock import FilterBankDock
from cnnexplorer.gui.shell.collector import GuiThreadCollector
from cnnexplorer.gui.shell.hud import TimingHud
from cnnexplorer.gui.basics.dock import ImageBasicsDock
from cnnexplorer.gui.models.attribution_dock import AttributionDock
from cnnexplorer.gui.models.inception_dock import InceptionDock
from cnnexplorer.gui.common.built_on_show import DockBuiltOnShow
from cnnexplorer.gui.common.hangul_font import ensure_hangul_font
from cnnexplorer.gui.common.keras_loader import KerasLoader
from cnnexplorer.gui.common.language import choose_language, start_language, switch_language
from cnnexplorer.gui.common.plots import configure_pyqtgraph
from cnnexplorer.gui.common.wheel_guard import WheelGuard
from cnnexplorer.gui.common.workers import SHUTDOWN_TIMEOUT_MS, stop_threads, threads_alive
from cnnexplorer.gui.models.explorer_dock import ModelExplorerDock
from cnnexplorer.gui.models.model_session import ModelSession
from cnnexplorer.gui.neurons.dock import NeuronDock
from cnnexplorer.gui.source.controller import SourceController
from cnnexplorer.gui.source.dock import SourceDock
from cnnexplorer.gui.source.names import shown_label
from cnnexplorer.gui.lecture.recorder import RecIndicator, Recorder
from cnnexplorer.gui.lecture.scene_dock import SceneListDock
from cnnexplorer.gui.lecture.scenes import apply_scene, capture_scene
from cnnexplorer.gui.lecture.controls import LectureControls
from cnnexplorer.gui.shell.help_overlay import HelpOverlay
from cnnexplorer.gui.shell.menus import build_menus
from cnnexplorer.gui.shell.panel_links import PanelLinks
from cnnexplorer.gui.shell.presenter import PresenterView
from cnnexplorer.gui.shell.room_panel import RoomPanel
from cnnexplorer.gui.shell.typing_guard import TypingGuard
from cnnexplorer.gui.shell.window_layout import STATE_VERSION, WindowLayout
from cnnexplorer.gui.training.tab import TrainingTab

log = logging.getLogger(__name__)


def file_filter() -> str:
    """The open dialog's filters, in the current language."""
    images, videos = (" ".join(f"*{s}" for s in suffixes) for suffixes in (IMAGE_SUFFIXES, VIDEO_SUFFIXES))
    return ";;".join((tr("Images and videos ({patterns})", patterns=f"{images} {videos}"),
                      tr("Images ({patterns})", patterns=images), tr("Videos ({patterns})", patterns=videos),
                      tr("All files ({patterns})", patterns="*")))


class MainWindow(QMainWindow):
    """Owns the models (source, timings, Keras loader) and the docks that view them."""

    def __init__(self, settings: Settings | None = None, parent=None) -> None:
        configure_pyqtgraph()  # before any image item exists
        ensure_hangul_font()  # before any widget exists: Hangul must not draw as boxes, and no widget sees the change
        super().__init__(parent)
        self.setObjectName("MainWindow")
        # The program's name, in every language.
        self.setWindowTitle("cnnexplorer")  # i18n: keep
        self.setAcceptDrops(True)
        self.settings = settings or Settings()
        start_language(self.settings.get(LANGUAGE_SETTING, "system"))
        self.dock_layout = WindowLayout(self, self.settings)
        self.collector = GuiThreadCollector(parent=self)  # before any worker thread starts
        self.timer = PipelineTimer()
        self.keras = KerasLoader(self)
        # Connected before any panel's: TensorFlow's objects are set aside before a model loads.
        self.keras.started.connect(self.collector.pause)
        self.keras.ready.connect(self.collector.set_aside_long_lived)
        self.keras.failed.connect(self.collector.resume)
        self.source = SourceController(self.timer, parent=self)
        self.panels: dict[str, QDockWidget] = {}
        self.error_box: QMessageBox | None = None
        self._closed = False  # shut down: every thread stopped, the layout and settings saved

        self.course_map = CourseMap()
        self.course_map.panel_requested.connect(self.bring_forward)
        # A bar as tall as its lines, not the central widget: a closed panel gives its room to the others.
        self.course_map_bar = QToolBar(tr("Course map"), objectName="CourseMapBar", movable=False, floatable=False)
        self.course_map_bar.addWidget(self.course_map)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.course_map_bar)
        centre = QWidget(objectName="EmptyCentre")  # no height: the panels below share all of it
        centre.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        centre.setMaximumHeight(0)
        self.setCentralWidget(centre)
        self.hud = TimingHud(self.timer)
        self.statusBar().addPermanentWidget(self.hud)

        self.recorder = Recorder(lambda: self.presenter.dock or self.current_panel(), parent=self)
        self.rec_indicator = RecIndicator(self)
        self.presenter = PresenterView(self, self.settings, STATE_VERSION)
        self.help_overlay = HelpOverlay(self)
        self.menu_actions = build_menus(self)  # not "actions": QWidget.actions() lists every window action
        self.menu_actions.contrast.setChecked(self.presenter.high_contrast)
        self.lecture = LectureControls(self, self.menu_actions)
        self.source_dock = SourceDock(self.source)
        self.source_dock.open_file_requested.connect(self.open_file_dialog)
        self.add_panel("source", self.source_dock, Qt.DockWidgetArea.LeftDockWidgetArea, sections=("2",))
        self.conv_lab = ConvLabDock(self.source)
        self.add_panel("conv", self.conv_lab, Qt.DockWidgetArea.BottomDockWidgetArea, sections=("4",))
        self.filter_bank = FilterBankDock(self.source)
        self.add_panel("filters", self.filter_bank, Qt.DockWidgetArea.BottomDockWidgetArea, sections=("4",))
        self.image_basics = ImageBasicsDock(self.source)
        self.add_panel("basics", self.image_basics, Qt.DockWidgetArea.BottomDockWidgetArea, sections=("2",))
        self.neurons = NeuronDock()
        self.add_panel("neurons", self.neurons, Qt.DockWidgetArea.BottomDockWidgetArea, sections=("1",))
        self.model_session = ModelSession(self)
        self.model_session.model_replaced.connect(self.collector.collect_soon)  # free the old one
        self.explorer = ModelExplorerDock(self.source, self.keras, self.model_session)
        self.add_panel("model", self.explorer, Qt.DockWidgetArea.BottomDockWidgetArea, sections=("3", "5"))
        self.inception = InceptionDock(self.source, self.model_session)
        self.add_panel("inception", self.inception, Qt.DockWidgetArea.BottomDockWidgetArea, sections=("7",))
        self.attribution = AttributionDock(self.source, self.model_session, self.keras)
        self.add_panel("attribution", self.attribution, Qt.DockWidgetArea.BottomDockWidgetArea, sections=("5",))
        self.augment = AugmentDock(self.source, self.keras)
        self.add_panel("augment", self.augment, Qt.DockWidgetArea.BottomDockWidgetArea, sections=("6",))
        self.training_dock = DockBuiltOnShow(tr("Training"), "TrainingDock", lambda: TrainingTab(
            lambda: self.source.current.rgb if self.source.current else None))
        self.add_panel("training", self.training_dock, Qt.DockWidgetArea.BottomDockWidgetArea,
                       sections=("1", "3", "5", "6"))

        self.scene_list = SceneListDock(lambda: capture_scene(self), lambda scene: apply_scene(self, scene))
        self.scene_list.script_changed.connect(self.lecture.on_script_changed)
        self.add_panel("scenes", self.scene_list, Qt.DockWidgetArea.RightDockWidgetArea)
        self._refresh_course_map()  # once, every panel in: each refresh lays the map's table out again
        self.scene_list.hide()  # opens with a script or with "Add current as scene"
        self.links = PanelLinks(self)

        self.source.source_changed.connect(self._on_source_changed)
        self.source.source_failed.connect(self._on_source_failed)
        self.source.state_changed.connect(self._on_source_state)

        self.room = RoomPanel(self.panels, default=self.conv_lab, parent=self)
        # leaving presenter view puts the layout back, and every dock shown again reports itself: the
        # panel that was on stage stays the room's (the stage's dock is taken when entering)
        self.presenter.entered.connect(self.room.choose)
        self.presenter.left.connect(self.room.choose)
        self.presenter.left.connect(lambda *_: self.show_whole_tab_titles())
        self.wheel_guard = WheelGuard(self)
        self.wheel_guard.guard(self)
        for dock in self.panels.values():
            if dock is not self.scene_list:
                self.room.follow(dock)
            # controls and pictures a panel builds later (a model's, a run's) are looked after too, on
            # a later turn: the panel coming into view paints first (a walk over its widgets waits)
            dock.visibilityChanged.connect(
                lambda shown, d=dock: shown and QTimer.singleShot(1, self, lambda: self._look_after(d)))
        self.typing_guard = TypingGuard(self)
        self.typing_guard.attach()
        self.dock_layout.start()
        self.room.choose(self.conv_lab)

    # -- panels ---------------------------------------------------------------------------------
    @property
    def training(self) -> TrainingTab:
        """The training tab, made here if it has not been shown yet."""
        return self.training_dock.content()

    def add_panel(self, name: str, dock: QDockWidget, area: Qt.DockWidgetArea, sections: tuple[str, ...] = ()) -> None:
        """Register a dock: stable objectName, a View-menu toggle, and its course sections (the
        course map is written once all are in)."""
        if not dock.objectName():
            raise ValueError(tr("The dock for panel “{name}” needs an objectName (saved layouts key on it).", name=name))
        self.panels[name] = dock
        dock.course_sections = sections
        self.addDockWidget(area, dock)
        first_in_area = next((d for d in self.panels.values() if d is not dock and self.dockWidgetArea(d) == area), None)
        if first_in_area is not None and area == Qt.DockWidgetArea.BottomDockWidgetArea:
            self.tabifyDockWidget(first_in_area, dock)  # the labs share the big bottom area as tabs
        self.menu_actions.panels_menu.addAction(dock.toggleViewAction())

    def _refresh_course_map(self) -> None:
        by_section: dict[str, list[tuple[str, str]]] = {}
        for name, panel in self.panels.items():
            for section in getattr(panel, "course_sections", ()):
                by_section.setdefault(section, []).append((name, panel.windowTitle()))
        self.course_map.set_panels(by_section)

    def bring_forward(self, name: str) -> None:
        """Show panel ``name`` and raise it over the docks it is tabbed with."""
        dock = self.panels.get(name)
        if dock is not None:
            dock.show()
            dock.raise_()
            self.room.choose(dock)

    def _look_after(self, dock: QDockWidget) -> None:
        self.wheel_guard.guard(dock)
        self.room.watch_pictures(dock)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.dock_layout.on_show()

    def show_whole_tab_titles(self) -> None:
        self.dock_layout.show_whole_tab_titles()

    # -- commands -------------------------------------------------------------------------------
    def open_file_dialog(self) -> None:
        start = str(Path(self.settings.recent_files()[0]).parent) if self.settings.recent_files() else ""
        path, _ = QFileDialog.getOpenFileName(self, tr("Open image or video"), start, file_filter())
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> None:
        """Open a file as the source; the current frame stays until the file has loaded."""
        self.source.set_source(str(path))

    def toggle_fullscreen(self) -> None:
        self.setWindowState(self.windowState() ^ Qt.WindowState.WindowFullScreen)

    def current_panel(self) -> QDockWidget:
        """The panel the room sees: the one last brought forward (see :class:`RoomPanel`)."""
        return self.room.current()

    # The lecture commands, carried out by the lecture controls (the menus and shortcuts call these).
    def step_scene(self, delta: int) -> None:
        self.lecture.step_scene(delta)

    def snapshot(self) -> tuple[Path, Path] | None:
        return self.lecture.snapshot()

    def toggle_recording(self, whole_window: bool = False) -> None:
        self.lecture.toggle_recording(whole_window)

    def _set_record_checks(self, on: bool) -> None:
        self.lecture.set_record_checks(on)

    def save_replay(self) -> None:
        self.lecture.save_replay()

    def toggle_presenter(self) -> None:
        self.lecture.toggle_presenter()

    def leave_presenter(self) -> None:
        self.lecture.leave_presenter()

    def toggle_help(self) -> None:
        self.lecture.toggle_help()

    def set_language(self, choice: str) -> None:
        """View → Language ("system", "en" or "ko"): every text changes now and the scene stays."""
        choose_language(choice)
        self.settings.set(LANGUAGE_SETTING, choice)
        switch_language(self, resolve_language(choice, choice))
        for code, action in self.menu_actions.languages.items():
            action.setChecked(code == choice)

    def reset_layout(self) -> None:
        self.presenter.leave()
        self.dock_layout.reset()
        self.room.choose(self.conv_lab)  # the default layout's panel in front

    def start_background_work(self, source_spec: str | None = None) -> None:
        """After the window is up: open the first source, import Keras behind it and then the
        explorer's model, whatever panel is in front."""
        last = self.settings.get("source", "")
        if source_spec:
            self.source.set_source(source_spec, fallback=DEFAULT_SAMPLE)
        elif last:
            self.source.set_source(last, fallback=DEFAULT_SAMPLE)
        else:
            camera = self.settings.get("camera_index", 0)
            self.source.set_source(f"camera:{camera}", fallback=DEFAULT_SAMPLE)
        self.keras.start()
        self.explorer.preload()
        # The neurons panel's pages once that is done (the model in, or no Keras): not while
        # TensorFlow imports or the explorer's first answer is on its way, which would wait for them.
        once = Qt.ConnectionType.SingleShotConnection
        build_pages = self.neurons.build_soon
        self.model_session.model_changed.connect(lambda _model: self.links.after_explorer_answers(build_pages), once)
        self.keras.failed.connect(lambda _error: self.neurons.build_soon(), once)

    # -- source events --------------------------------------------------------------------------
    def _on_source_changed(self, spec: str, label: str) -> None:
        source = self.source.active_source
        if isinstance(source, CameraSource):
            if isinstance(source.device, int):  # a path standing in for a camera is not kept
                self.settings.set("source", spec)
                self.settings.set("camera_index", source.device)
        else:
            self.settings.set("source", spec)
            if Path(spec).is_file():
                self.settings.add_recent_file(spec)
        self.statusBar().showMessage(tr("Source: {label}", label=shown_label(spec, label)), 4000)

    def _on_source_failed(self, spec: str, message: str) -> None:
        self.statusBar().showMessage(tr("Could not open {spec}: {message}", spec=spec, message=message), 10000)
        if not spec.startswith("camera"):
            self.error_box = QMessageBox(QMessageBox.Icon.Warning, tr("Could not open source"), message, parent=self)
            self.error_box.setObjectName("SourceErrorBox")
            self.error_box.open()

    def _on_source_state(self, state: str, message: str) -> None:
        if state == "lost":
            self.statusBar().showMessage(message, 5000)

    def save_layout(self) -> None:
        self.dock_layout.save()

    # -- drag and drop --------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            self.open_path(files[0])
            event.acceptProposedAction()

    # -- closing ---------------------------------------------------------------------------------
    def closeEvent(self, event) -> None:  # noqa: N802
        if self._closed:  # closed again, or shut down before: everything has stopped already
            super().closeEvent(event)
            return
        if self.training_dock.made is not None and self.training.running:
            answer = QMessageBox.question(
                self, tr("Training is running"),
                tr("Stop training and quit? The model trained so far is saved in the run folder."),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.presenter.leave()  # the saved layout is the everyday one
        self.save_layout()
        try:
            self.settings.save()
        except OSError as exc:
            log.error("could not save settings: %s", exc)
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self, timeout_ms: int = SHUTDOWN_TIMEOUT_MS) -> list[str]:
        """Stop every thread this window owns, all at once, and wait for them with one deadline.

        Returns the names of threads still running after it (logged; see :func:`stop_threads`)."""
        self._closed = True
        deadline = time.perf_counter() + timeout_ms / 1000
        self.neurons.stop()
        self.recorder.shutdown(max(0.0, deadline - time.perf_counter()))  # the files are finished first
        self.source.request_stop()
        still = stop_threads(self, timeout_ms)  # the Keras import too: a task thread under self.keras
        if still:
            log.error("threads still running after %d ms at exit: %s", timeout_ms, ", ".join(still))
        self.collector.stop()
        self.typing_guard.detach()
        return still

    def threads_alive(self) -> list[str]:
        """Names of the running threads this window owns (its QThread children, the Keras import's too)."""
        return threads_alive(self)


def schedule_start(window: MainWindow, source_spec: str | None) -> None:
    """Open sources and import Keras only once the event loop runs: the window paints first."""
    QTimer.singleShot(0, lambda: window.start_background_work(source_spec))
