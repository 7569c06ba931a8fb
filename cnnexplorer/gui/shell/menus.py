"""The main window's menu bar: File, View, Lecture and Help, with the shortcuts they carry."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QToolButton

from cnnexplorer.core.frames.patterns import PATTERNS
from cnnexplorer.core.frames.sources import samples
from cnnexplorer.core.i18n import LANGUAGES, tr
from cnnexplorer.core.i18n import SETTING as LANGUAGE_SETTING
from cnnexplorer.gui.common.settings_strip import FOLD_KEY
from cnnexplorer.gui.lecture.scene_dock import course_script_path
from cnnexplorer.gui.shell.about import show_about
from cnnexplorer.gui.source.names import camera_label, pattern_name, sample_name


@dataclass(frozen=True)
class Actions:
    """The menu entries other code ticks, enables or re-keys, and the two menus it fills."""

    recent_menu: QMenu  # File → Recent files, filled each time it opens
    panels_menu: QMenu  # View → Panels: one toggle per dock, added with the dock
    freeze: QAction
    leave_presenter: QAction  # enabled only while the presenter view is on
    contrast: QAction
    languages: dict[str, QAction]  # "system" and each language code → its checkable entry
    next_scene: QAction  # also → while a lecture script has scenes
    previous_scene: QAction
    snapshot: QAction
    record: QAction
    record_window: QAction
    replay: QAction


def build_menus(window) -> Actions:
    """Fill the window's menu bar; returns the entries other code drives."""
    actions = Actions(**_build_file_menu(window), **_build_view_menu(window), **_build_lecture_menu(window))
    help_menu = window.menuBar().addMenu(tr("&Help"))
    add_action(window, help_menu, tr("&About cnnexplorer"), lambda: show_about(window, window.keras))
    help_action = add_action(window, help_menu, tr("&Shortcuts"), window.toggle_help, "F1")
    help_action.setShortcuts([QKeySequence("F1"), QKeySequence("?")])
    return actions


def add_action(window, menu, text: str, slot, shortcut=None) -> QAction:
    """A menu entry that is also a window action, so its shortcut works while the menu bar is hidden."""
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda *_: slot())
    menu.addAction(action)
    window.addAction(action)  # shortcuts work even while the menu bar is hidden (full screen)
    return action


def _build_file_menu(window) -> dict:
    source = window.source
    file_menu = window.menuBar().addMenu(tr("&File"))
    add_action(window, file_menu, tr("&Open image or video…"), window.open_file_dialog, QKeySequence.StandardKey.Open)
    recent_menu = file_menu.addMenu(tr("Recent files"))
    recent_menu.aboutToShow.connect(lambda: _fill_recent_menu(window, recent_menu))
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
    return {"recent_menu": recent_menu}


def _fill_recent_menu(window, menu: QMenu) -> None:
    menu.clear()
    recent = window.settings.recent_files()
    for path in recent:
        add_action(window, menu, path, lambda p=path: window.open_path(p))
    if not recent:
        menu.addAction(tr("(none yet)")).setEnabled(False)


def _build_view_menu(window) -> dict:
    source, presenter = window.source, window.presenter
    view_menu = window.menuBar().addMenu(tr("&View"))
    panels_menu = view_menu.addMenu(tr("Panels"))
    view_menu.addSeparator()
    freeze = add_action(window, view_menu, tr("&Freeze frame"), source.toggle_frozen, "Space")
    freeze.setCheckable(True)
    source.frozen_changed.connect(freeze.setChecked)
    add_action(window, view_menu, tr("&Next source"), lambda: source.next_source(1), "N")
    add_action(window, view_menu, tr("&Previous source"), lambda: source.next_source(-1), "Shift+N")
    add_action(window, view_menu, tr("Full &screen"), window.toggle_fullscreen, "F11")
    presenter_menu = view_menu.addMenu(tr("&Presenter view"))
    add_action(window, presenter_menu, tr("&Presenter view of the current panel"), window.toggle_presenter, "F5")
    leave_presenter = add_action(window, presenter_menu, tr("&Leave presenter view"), window.leave_presenter, "Esc")
    leave_presenter.setEnabled(False)
    add_action(window, presenter_menu, tr("&Bigger type"), lambda: presenter.step_scale(1), "Ctrl+=")
    add_action(window, presenter_menu, tr("&Smaller type"), lambda: presenter.step_scale(-1), "Ctrl+-")
    add_action(window, presenter_menu, tr("Open or fold the panel's &settings"),
               lambda: presenter.toggle_settings(presenter.dock or window.current_panel()), FOLD_KEY)
    contrast = add_action(window, presenter_menu, tr("&High contrast"),
                          lambda: presenter.set_high_contrast(not presenter.high_contrast), "F6")
    contrast.setCheckable(True)
    languages = _build_language_menu(window, view_menu.addMenu(tr("&Language")))
    view_menu.addSeparator()
    add_action(window, view_menu, tr("&Reset layout"), window.reset_layout, "Ctrl+Shift+R")
    return {"panels_menu": panels_menu, "freeze": freeze, "leave_presenter": leave_presenter,
            "contrast": contrast, "languages": languages}


def _build_language_menu(window, menu) -> dict[str, QAction]:
    """System, then each language named in itself (so anyone can find their own)."""
    group = QActionGroup(menu)
    chosen = window.settings.get(LANGUAGE_SETTING, "system")
    actions = {}
    for code, name in (("system", tr("System")), *LANGUAGES.items()):
        action = group.addAction(name)
        action.setCheckable(True)
        action.setChecked(code == chosen)
        action.triggered.connect(lambda *_, c=code: window.set_language(c))
        menu.addAction(action)
        actions[code] = action
    return actions


def _build_lecture_menu(window) -> dict:
    """Its entries call the window's lecture controls when chosen (the controls are made after it)."""
    lecture_menu = window.menuBar().addMenu(tr("&Lecture"))
    next_scene = add_action(window, lecture_menu, tr("&Next scene"), lambda: window.step_scene(1), "PgDown")
    previous_scene = add_action(window, lecture_menu, tr("&Previous scene"), lambda: window.step_scene(-1), "PgUp")
    add_action(window, lecture_menu, tr("&Add current as scene"),
               lambda: window.lecture.show_scene_list().add_current(), "Ctrl+D")
    add_action(window, lecture_menu, tr("&Open lecture script…"),
               lambda: window.lecture.show_scene_list()._open_dialog(), "Ctrl+Shift+O")
    add_action(window, lecture_menu, tr("Open the &course script"),
               lambda: window.scene_list.open_file(course_script_path()))
    lecture_menu.addSeparator()
    snapshot = add_action(window, lecture_menu, tr("&Snapshot of the current panel"), window.snapshot, "Ctrl+S")
    record = add_action(window, lecture_menu, tr("&Record the current panel"), window.toggle_recording, "Ctrl+R")
    record.setCheckable(True)
    record_window = add_action(window, lecture_menu, tr("Record the whole &window"),
                               lambda: window.toggle_recording(whole_window=True))
    record_window.setCheckable(True)
    replay = add_action(window, lecture_menu, tr("&Keep an instant replay (30 s)"),
                        lambda: window.recorder.keep_replay(replay.isChecked()))
    replay.setCheckable(True)
    add_action(window, lecture_menu, tr("Save the instant &replay"), window.save_replay, "Ctrl+Shift+S")
    snapshot.setIconText(tr("Snapshot"))
    snapshot_button = QToolButton(objectName="SnapshotButton", autoRaise=True)
    snapshot_button.setDefaultAction(snapshot)  # on the menu bar's row: no extra height
    snapshot_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    window.menuBar().setCornerWidget(snapshot_button, Qt.Corner.TopRightCorner)
    return {"next_scene": next_scene, "previous_scene": previous_scene, "snapshot": snapshot, "record": record,
            "record_window": record_window, "replay": replay}
