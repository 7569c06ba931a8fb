"""Snapshot (Ctrl+S): PNG of the panel + its scene beside it + the clipboard; right-click on any
picture: Save image… and Copy."""

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication

from cnnexplorer.core.frames.images import load_image
from cnnexplorer.core.lecture.scenes import load_script
from cnnexplorer.gui.common.mosaic_view import MosaicView


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


def test_right_click_on_pictures_offers_save_and_copy(window, qtbot, tmp_path):
    window.source.set_source("pattern:circles")
    window.bring_forward("filters")
    qtbot.waitUntil(lambda: window.filter_bank.results_shown > 0, timeout=5000)
    mosaic = window.filter_bank.findChildren(MosaicView)[0]
    for view in (window.source_dock.view, mosaic):
        centre = view.rect().center()
        QApplication.sendEvent(view.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, centre, view.mapToGlobal(centre)))
        menu = view.context_menu
        assert menu is not None and [a.text() for a in menu.actions()] == ["Save image…", "Copy"]
        menu.actions()[1].trigger()
        copied = QApplication.clipboard().image()
        assert (copied.width(), copied.height()) == (view.width(), view.height())
        menu.close()
        path = tmp_path / "picture.png"
        assert view.save_picture(path)
        saved = load_image(path)
        assert saved.shape[:2] == (view.height(), view.width()) and np.ptp(saved) > 0
