"""The scene list: a lecture script's scenes, stepped through with a clicker (PageDown/PageUp,
→/←), added from what is on screen, saved and opened as JSON."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.infra.paths import data_dir
from cnnexplorer.core.infra.resources import resource
from cnnexplorer.core.lecture.scenes import Scene, SceneFileError, Script, load_script, save_script


def file_filter() -> str:
    """The script dialogs' filters, in the current language."""
    return ";;".join((tr("Lecture scripts ({patterns})", patterns="*.json"),
                      tr("All files ({patterns})", patterns="*")))


def shown_title(scene: Scene) -> str:
    """A scene's title in the current language where it is one of ours (the course script's), else as written."""
    return tr(scene.title) if scene.title else scene.title


def course_script_path() -> Path:
    """The script shipped with the app: the seven sections of the course."""
    return resource("lectures", "course.json")


class SceneListDock(QDockWidget):
    """Shows ``script``; ``capture()`` makes a scene of what is on screen and ``show_scene(scene)``
    puts one on screen, returning what it skipped. ``stepped(row)`` fires after a scene is shown."""

    stepped = Signal(int)
    script_changed = Signal(int)  # number of scenes

    def __init__(self, capture: Callable[[], Scene], show_scene: Callable[[Scene], list[str]], parent=None) -> None:
        super().__init__(tr("Scenes"), parent)
        self.setObjectName("SceneListDock")
        self._capture, self._show_scene = capture, show_scene
        self.script = Script()
        self.path: Path | None = None
        self.list = QListWidget(objectName="SceneList")
        self.add_button = QPushButton(tr("Add current as scene"), toolTip=tr("The panel in front with its settings (Ctrl+D)"))
        self.remove_button = QPushButton(tr("Remove"))
        self.open_button = QPushButton(tr("Open…"))
        self.save_button = QPushButton(tr("Save…"))
        self.course_button = QPushButton(tr("Course script"), toolTip=tr("The shipped script: the seven course sections"))
        self.status = QLabel(objectName="SceneStatus", wordWrap=True)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.save_button, self.course_button):
            buttons.addWidget(button)
        edit = QHBoxLayout()
        edit.addWidget(self.add_button, 1)
        edit.addWidget(self.remove_button)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.list, 1)
        layout.addLayout(edit)
        layout.addWidget(self.status)
        self.setWidget(body)

        self.add_button.clicked.connect(self.add_current)
        self.remove_button.clicked.connect(self.remove_current)
        self.open_button.clicked.connect(self._open_dialog)
        self.save_button.clicked.connect(self._save_dialog)
        self.course_button.clicked.connect(lambda: self.open_file(course_script_path()))
        self.list.currentRowChanged.connect(self._on_row_changed)

    # -- editing ------------------------------------------------------------------------------------
    def set_script(self, script: Script, path: Path | None = None) -> None:
        self.script, self.path = script, path
        with QSignalBlocker(self.list):
            self.list.clear()
            self.list.addItems([f"{i + 1}. {shown_title(scene)}" for i, scene in enumerate(script.scenes)])
        self.script_changed.emit(len(script.scenes))

    def add_current(self) -> Scene:
        scene = self._capture()
        row = self.list.currentRow() + 1 if self.list.currentRow() >= 0 else len(self.script.scenes)
        self.script.scenes.insert(row, scene)
        self.set_script(self.script, self.path)
        with QSignalBlocker(self.list):
            self.list.setCurrentRow(row)
        self.status.setText(tr("Added “{title}”", title=shown_title(scene)))
        return scene

    def remove_current(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.script.scenes):
            del self.script.scenes[row]
            self.set_script(self.script, self.path)
            with QSignalBlocker(self.list):
                self.list.setCurrentRow(min(row, len(self.script.scenes) - 1))

    # -- stepping -----------------------------------------------------------------------------------
    def step(self, delta: int) -> bool:
        """Show the next (+1) or previous (-1) scene; False at either end or with no scenes."""
        row = self.list.currentRow() + delta if self.list.currentRow() >= 0 else (0 if delta > 0 else -1)
        if not 0 <= row < len(self.script.scenes):
            return False
        self.list.setCurrentRow(row)  # shows it
        return True

    def show_row(self, row: int) -> list[str]:
        if not 0 <= row < len(self.script.scenes):
            return []
        with QSignalBlocker(self.list):
            self.list.setCurrentRow(row)
        scene = self.script.scenes[row]
        skipped = self._show_scene(scene)
        self.status.setText(tr("Skipped: {reasons}", reasons="; ".join(skipped)) if skipped
                            else f"{row + 1}/{len(self.script.scenes)}: {shown_title(scene)}")
        self.stepped.emit(row)
        return skipped

    def _on_row_changed(self, row: int) -> None:
        self.show_row(row)

    # -- files ----------------------------------------------------------------------------------------
    def open_file(self, path: Path | str) -> list[str]:
        """Open a script (or a snapshot's single scene) and show its first scene; returns what was
        skipped, reading the file and showing that scene."""
        path = Path(path)
        try:
            script, skipped = load_script(path)
        except SceneFileError as exc:
            self.status.setText(str(exc))
            return [str(exc)]
        self.set_script(script, path)
        self.show()
        self.raise_()
        skipped += self.show_row(0) if script.scenes else [tr("no scenes in it")]
        if skipped:
            self.status.setText(f"{path.name}: " + "; ".join(skipped))
        return skipped

    def save_file(self, path: Path | str) -> bool:
        try:
            save_script(path, self.script)
        except OSError as exc:
            self.status.setText(tr("Could not save {name}: {error}", name=Path(path).name, error=exc))
            return False
        self.path = Path(path)
        self.status.setText(tr("Saved {count} scenes to {name}", count=len(self.script.scenes), name=self.path.name))
        return True

    def _open_dialog(self) -> None:
        start = str(self.path.parent if self.path else data_dir())
        path, _ = QFileDialog.getOpenFileName(self, tr("Open a lecture script"), start, file_filter())
        if path:
            self.open_file(path)

    def _save_dialog(self) -> None:
        start = str(self.path or data_dir() / "lecture.json")
        path, _ = QFileDialog.getSaveFileName(self, tr("Save the lecture script"), start, file_filter())
        if path:
            self.save_file(path)
