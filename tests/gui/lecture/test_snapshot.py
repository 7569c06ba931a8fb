"""Snapshot (Ctrl+S): PNG of the panel + its scene beside it + the clipboard. (Right-click on a
picture: see test_pictures_and_read_only_tables.py.)"""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cnnexplorer.core.frames.images import load_image
from cnnexplorer.core.lecture.scenes import load_script


def test_ctrl_s_saves_png_and_scene_and_copies(window, qtbot, user_home):
    window.source.show_source("pattern:checkerboard", frozen=True)
    qtbot.waitUntil(lambda: window.source.frozen, timeout=5000)
    window.bring_forward("basics")
    qtbot.waitUntil(lambda: window.image_basics.results_shown > 0, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    (png,) = (user_home / "snapshots").glob("basics-*.png")
    picture = load_image(png)
    assert picture.shape[:2] == (window.image_basics.height(), window.image_basics.width())
    script, skipped = load_script(png.with_suffix(".json"))
    assert skipped == [] and script.scenes[0].panel == "basics"
    assert script.scenes[0].source == {"spec": "pattern:checkerboard", "frozen": True, "mirror": True,
                                       "camera_size": window.source_dock.camera_size.currentText()}
    copied = QApplication.clipboard().image()
    assert (copied.width(), copied.height()) == (picture.shape[1], picture.shape[0])
    assert "Snapshot saved" in window.statusBar().currentMessage()


def test_snapshot_to_a_read_only_folder_says_why(window, user_home):
    (user_home / "snapshots").write_text("a file where the folder should be")
    assert window.snapshot() is None
    assert "Snapshot not saved" in window.statusBar().currentMessage()
