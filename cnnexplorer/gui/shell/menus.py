"""The main window's menu bar: File, View, Lecture and Help, with the shortcuts they carry."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QToolButton

from cnnexplorer.core.frames.patterns import PATTERNS
from cnnexplorer.core.frames.sources import samples
from cnnexplorer.core.i18n import LANGUAGES, tr
from cnnexplorer.core.i18n import SETTING as LANGUAGE_SETTING
from cnnexplorer.gui.common.settings_strip import FOLD_KEY
from cnnexplorer.gui.lecture.scene_dock import course_script_path
from cnnexplorer.gui.shell.about import show_about
from cnnexplorer.gui.source.names import camera_label, pattern_name, sample_name


def build_menus(window) -> None:
    """Fill the window's menu bar; the actions other code drives are kept as window attributes."""
    _build_file_menu(window)
    _build_view_menu(window)
    _build_lecture_menu(window)
    help_menu = window.menuBar().addMenu(tr("&Help"))
    add_action(window, help_menu, tr("&About cnnexplorer"), lambda: show_about(window, window.keras))
    help_action = add_action(window, help_menu, tr("&Shortcuts"), window.toggle_help, "F1")
    help_action.setShortcuts([QKeySequence("F1"), QKeySequence("?")])


def add_action(window, menu, text: str, slot, shortcut=None) -> QAction:
    """A menu entry that is also a window action, so its shortcut works while the menu bar is hidden."""
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda *_: slot())
    menu.addAction(action)
    window.addAction(action)  # shortcuts work even while the menu bar is hidden (full screen)
    return action


def _build_file_menu(window) -> None:
    source = window.source
    file_menu = window.menuBar().addMenu(tr("&File"))
    add_action(window, file_menu, tr("&Open image or video…"), window.open_file_dialog, QKeySequence.StandardKey.Open)
    window.recent_menu = file_menu.addMenu(tr("Recent files"))
    window.recent_menu.aboutToShow.connect(lambda: _fill_recent_menu(window))
    samples_menu = file_menu.addMenu(tr("Samples"))
    for name in samples():
        add_action(window, samples_menu, sample_name(name), lambda n=name: source.set_source(f"sample:{n}"))
    patterns_menu = file_menu.addMenu(tr("Patterns"))
    for name in PATTERNS:
        add_action(window, patterns_menu, pattern_name(name), lambda n=name: source.set_source(f"pattern:{n}"))
    camera_menu = file_menu.addMenu(tr("Camera"))
    for index in range(4):
        add_action(window, camera_menu, camera_label(index), lambda i=index: source.set_source(f"camera:{i}"))
    file_menu.addSeparator()
    add_action(window, file_menu, tr("&Quit"), window.close, QKeySequence.StandardKey.Quit)


def _fill_recent_menu(window) -> None:
    window.recent_menu.clear()
    recent = window.settings.recent_files()
    for path in recent:
        add_action(window, window.recent_menu, path, lambda p=path: window.open_path(p))
    if not recent:
        window.recent_menu.addAction(tr("(none yet)")).setEnabled(False)


def _build_view_menu(window) -> None:
    source, presenter = window.source, window.presenter
    view_menu = window.menuBar().addMenu(tr("&View"))
    window.panels_menu = view_menu.addMenu(tr("Panels"))
    view_menu.addSeparator()
    window.freeze_action = add_action(window, view_menu, tr("&Freeze frame"), source.toggle_frozen, "Space")
    window.freeze_action.setCheckable(True)
    source.frozen_changed.connect(window.freeze_action.setChecked)
    add_action(window, view_menu, tr("&Next source"), lambda: source.next_source(1), "N")
    add_action(window, view_menu, tr("&Previous source"), lambda: source.next_source(-1), "Shift+N")
    add_action(window, view_menu, tr("Full &screen"), window.toggle_fullscreen, "F11")
    presenter_menu = view_menu.addMenu(tr("&Presenter view"))
    add_action(window, presenter_menu, tr("&Presenter view of the current panel"), window.toggle_presenter, "F5")
    window.leave_presenter_action = add_action(window, presenter_menu, tr("&Leave presenter view"),
                                               window.leave_presenter, "Esc")
    window.leave_presenter_action.setEnabled(False)
    add_action(window, presenter_menu, tr("&Bigger type"), lambda: presenter.step_scale(1), "Ctrl+=")
    add_action(window, presenter_menu, tr("&Smaller type"), lambda: presenter.step_scale(-1), "Ctrl+-")
    add_action(window, presenter_menu, tr("Open or fold the panel's &settings"),
               lambda: presenter.toggle_settings(presenter.dock or window.current_panel()), FOLD_KEY)
    window.contrast_action = add_action(window, presenter_menu, tr("&High contrast"),
                                        lambda: presenter.set_high_contrast(not presenter.high_contrast), "F6")
    window.contrast_action.setCheckable(True)
    _build_language_menu(window, view_menu.addMenu(tr("&Language")))
    view_menu.addSeparator()
    add_action(window, view_menu, tr("&Reset layout"), window.reset_layout, "Ctrl+Shift+R")


def _build_language_menu(window, menu) -> None:
    """System, then each language named in itself (so anyone can find their own)."""
    group = QActionGroup(menu)
    chosen = window.settings.get(LANGUAGE_SETTING, "system")
    window.language_actions = {}
    for code, name in (("system", tr("System")), *LANGUAGES.items()):
        action = group.addAction(name)
        action.setCheckable(True)
        action.setChecked(code == chosen)
        action.triggered.connect(lambda *_, c=code: window.set_language(c))
        menu.addAction(action)
        window.language_actions[code] = action


def _build_lecture_menu(window) -> None:
    lecture_menu = window.menuBar().addMenu(tr("&Lecture"))
    lecture = window.lecture
    window.next_scene_action = add_action(window, lecture_menu, tr("&Next scene"), lambda: window.step_scene(1), "PgDown")
    window.previous_scene_action = add_action(window, lecture_menu, tr("&Previous scene"),
                                              lambda: window.step_scene(-1), "PgUp")
    add_action(window, lecture_menu, tr("&Add current as scene"), lambda: lecture.show_scene_list().add_current(), "Ctrl+D")
    add_action(window, lecture_menu, tr("&Open lecture script…"),
               lambda: lecture.show_scene_list()._open_dialog(), "Ctrl+Shift+O")
    add_action(window, lecture_menu, tr("Open the &course script"),
               lambda: window.scene_list.open_file(course_script_path()))
    lecture_menu.addSeparator()
    window.snapshot_action = add_action(window, lecture_menu, tr("&Snapshot of the current panel"),
                                        window.snapshot, "Ctrl+S")
    window.record_action = add_action(window, lecture_menu, tr("&Record the current panel"),
                                      window.toggle_recording, "Ctrl+R")
    window.record_action.setCheckable(True)
    window.record_window_action = add_action(window, lecture_menu, tr("Record the whole &window"),
                                             lambda: window.toggle_recording(whole_window=True))
    window.record_window_action.setCheckable(True)
    window.replay_action = add_action(window, lecture_menu, tr("&Keep an instant replay (30 s)"),
                                      lambda: window.recorder.keep_replay(window.replay_action.isChecked()))
    window.replay_action.setCheckable(True)
    add_action(window, lecture_menu, tr("Save the instant &replay"), window.save_replay, "Ctrl+Shift+S")
    window.snapshot_action.setIconText(tr("Snapshot"))
    snapshot_button = QToolButton(objectName="SnapshotButton", autoRaise=True)
    snapshot_button.setDefaultAction(window.snapshot_action)  # on the menu bar's row: no extra height
    snapshot_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    window.menuBar().setCornerWidget(snapshot_button, Qt.Corner.TopRightCorner)
