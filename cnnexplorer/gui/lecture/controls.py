"""The lecture commands of the main window: scene stepping, snapshots, recording, presenter view, help."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.lecture.recording import RecordingError
from cnnexplorer.gui.lecture.scene_dock import SceneListDock
from cnnexplorer.gui.lecture.scenes import capture_scene
from cnnexplorer.gui.lecture.snapshot import save_snapshot


class LectureActions(Protocol):
    """The menu entries the controls keep in step (the window's menus provide them)."""

    next_scene: QAction
    previous_scene: QAction
    record: QAction
    record_window: QAction
    leave_presenter: QAction


class LectureControls:
    """Runs the Lecture and presenter commands on a main window, reporting in its status bar.

    Made once the window has its recorder, REC indicator, presenter view and menus: it follows their
    reports and ticks, enables and re-keys ``actions`` to match."""

    def __init__(self, window, actions: LectureActions) -> None:
        self.window = window
        self.actions = actions
        window.recorder.tick.connect(lambda seconds: window.rec_indicator.show_elapsed(seconds))
        window.recorder.finished.connect(self._on_recording_finished)
        window.recorder.replay_saved.connect(self._on_replay_saved)
        window.presenter.changed.connect(self._on_presenter_changed)

    def show_scene_list(self) -> SceneListDock:
        """The scene list, brought into view unless the presenter view is showing one panel."""
        if not self.window.presenter.active:
            self.window.scene_list.show()
        return self.window.scene_list

    def step_scene(self, delta: int) -> None:
        """Next/previous scene of the lecture script (the clicker's PageDown/PageUp)."""
        if not self.window.scene_list.step(delta) and self.window.scene_list.script.scenes:
            self.window.statusBar().showMessage(tr("Last scene") if delta > 0 else tr("First scene"), 2000)

    def on_script_changed(self, count: int) -> None:
        """→/← step scenes only while a script has some: otherwise they stay the panels' own keys."""
        arrows = count > 0
        self.actions.next_scene.setShortcuts(
            [QKeySequence("PgDown")] + ([QKeySequence("Right")] if arrows else []))
        self.actions.previous_scene.setShortcuts(
            [QKeySequence("PgUp")] + ([QKeySequence("Left")] if arrows else []))

    def snapshot(self) -> tuple[Path, Path] | None:
        """Ctrl+S: the current panel as PNG + its scene as JSON (in the data folder's snapshots),
        and the picture on the clipboard."""
        window = self.window
        dock = window.presenter.dock or window.current_panel()
        panel = next(name for name, d in window.panels.items() if d is dock)
        try:
            png, scene_file = save_snapshot(dock, capture_scene(window, panel))
        except OSError as exc:
            window.statusBar().showMessage(tr("Snapshot not saved: {error}", error=exc), 8000)
            return None
        window.statusBar().showMessage(tr("Snapshot saved: {png} (+ scene {scene}; picture copied)", png=png,
                                            scene=scene_file.name), 6000)
        return png, scene_file

    def toggle_recording(self, whole_window: bool = False) -> None:
        """Ctrl+R: start recording the current panel (or the window), or stop."""
        window = self.window
        if window.recorder.recording:
            window.recorder.stop()
            return
        try:
            path = window.recorder.start(widget=window if whole_window else None)
        except RecordingError as exc:
            self.set_record_checks(False)
            window.statusBar().showMessage(tr("Cannot record: {error}", error=exc), 8000)
            return
        self.set_record_checks(True)
        window.statusBar().showMessage(tr("Recording to {path} (Ctrl+R stops)", path=path), 4000)

    def set_record_checks(self, on: bool) -> None:
        """Tick (or untick) both record actions to match the recorder."""
        for action in (self.actions.record, self.actions.record_window):
            action.setChecked(on)

    def _on_recording_finished(self, path: str, error: str) -> None:
        """A recording ended: a warning box when it was cut short, else a status message."""
        window = self.window
        self.set_record_checks(False)
        window.rec_indicator.hide_tag()
        if error:
            window.error_box = QMessageBox(
                QMessageBox.Icon.Warning, tr("Recording stopped"),
                tr("{error}\nWhat was recorded until then is in {path}.", error=error, path=path), parent=window)
            window.error_box.setObjectName("RecordingErrorBox")
            window.error_box.open()
        else:
            window.statusBar().showMessage(tr("Recording saved: {path}", path=path), 8000)

    def save_replay(self) -> None:
        """Ctrl+Shift+S: write the instant replay, or say why there is none."""
        try:
            self.window.recorder.save_replay()
        except RecordingError as exc:
            self.window.statusBar().showMessage(
                tr("No instant replay: {error} (Lecture → Keep an instant replay)", error=exc), 6000)

    def _on_replay_saved(self, path: str, error: str) -> None:
        self.window.statusBar().showMessage(
            tr("Instant replay not saved: {error}", error=error) if error
            else tr("Instant replay saved: {path}", path=path), 8000)

    def toggle_presenter(self) -> None:
        """F5: show the current panel alone and large, or go back to the everyday layout."""
        if self.window.presenter.active:
            self.leave_presenter()
        else:
            self.window.presenter.enter(self.window.current_panel())

    def leave_presenter(self) -> None:
        self.window.presenter.leave(in_two_steps=True)  # the tab titles are made whole once the layout is back

    def _on_presenter_changed(self, active: bool) -> None:
        self.actions.leave_presenter.setEnabled(active)

    def toggle_help(self) -> None:
        """F1 / ?: the overlay listing every shortcut, or hide it."""
        overlay = self.window.help_overlay
        if overlay.isVisible():
            overlay.hide()
        else:
            overlay.show_for(self.window.actions())
