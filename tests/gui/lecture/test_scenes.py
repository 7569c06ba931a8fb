"""Scenes: saved from one window, opened in a fresh one, the panel is pixel-identical; damaged or
newer files open as far as they can and say what was skipped; the clicker steps through them."""

import json

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage

from cnnexplorer.core.infra.settings import Settings
from cnnexplorer.core.lecture.scenes import load_script
from cnnexplorer.gui.common.workers import LatestRequestWorker
from cnnexplorer.gui.lecture.scene_dock import course_script_path
from cnnexplorer.gui.shell.main_window import MainWindow


def _set_up_conv(win):
    win.conv_lab.editor.preset_combo.setCurrentText("sobel x")
    win.conv_lab.editor.load_preset()
    win.conv_lab.controls.stride_y.setValue(2)
    win.conv_lab.controls.pool.setCurrentText("max")


def _set_up_basics(win):
    win.image_basics.depth.setCurrentIndex(0)
    win.image_basics.centre = (100, 150)


def _set_up_neurons(win):
    win.neurons.tabs.setCurrentIndex(1)
    win.neurons.mlp.hidden.setValue(4)


def _set_up_source(win):
    win.source_dock.mirror_box.setChecked(False)


SET_UPS = {"conv": _set_up_conv, "basics": _set_up_basics, "neurons": _set_up_neurons, "source": _set_up_source}


def _open_window(qtbot, settings_file) -> MainWindow:
    win = MainWindow(Settings(settings_file))  # each its own settings: another copy of the app
    qtbot.addWidget(win)
    win.show()
    return win


def _redraw_pending(dock) -> bool:
    """A debounce timer still running, or a worker with a request in hand, under ``dock``."""
    return (any(timer.isActive() for timer in dock.findChildren(QTimer))
            or not all(worker.idle() for worker in dock.findChildren(LatestRequestWorker)))


def _settle(qtbot, win, dock) -> QImage:
    """The panel's final picture: the frozen frame in, a result drawn, no redraw pending, and two grabs
    an event-loop pass apart alike (layouts and views that fit themselves have caught up)."""
    qtbot.waitUntil(lambda: win.source.current is not None and win.source.frozen, timeout=5000)
    if hasattr(dock, "results_shown"):
        qtbot.waitUntil(lambda: dock.results_shown > 0, timeout=5000)
    last = [QImage()]

    def steady() -> bool:
        picture = dock.grab().toImage()
        same, last[0] = picture == last[0], picture
        return same and not _redraw_pending(dock)

    qtbot.waitUntil(steady, timeout=5000)
    return last[0]


@pytest.mark.parametrize("panel", sorted(SET_UPS))
def test_scene_opened_in_a_new_window_is_pixel_identical(qtbot, user_home, tmp_path, panel):
    first = _open_window(qtbot, tmp_path / "first.json")
    first.scene_list.show()  # as it will be in the second window, which opens the script there
    first.source.show_source("pattern:circles", frozen=True)
    qtbot.waitUntil(lambda: first.source.frozen, timeout=5000)
    first.bring_forward(panel)
    dock = first.panels[panel]
    SET_UPS[panel](first)
    if hasattr(dock, "recompute"):
        dock.recompute()
    before = _settle(qtbot, first, dock)
    first.scene_list.add_current()
    script = tmp_path / "lecture.json"
    assert first.scene_list.save_file(script)
    first.close()

    second = _open_window(qtbot, tmp_path / "second.json")
    assert second.source.spec != "pattern:circles"
    dock = second.panels[panel]
    skipped = second.scene_list.open_file(script)
    assert skipped == []
    after = _settle(qtbot, second, dock)
    assert after.size() == before.size()
    assert after == before, f"{panel}: the reopened scene looks different"
    second.close()


def test_damaged_newer_scene_opens_as_far_as_it_can_and_says_what_was_skipped(window, qtbot, tmp_path):
    script = {"format": "cnnexplorer-lecture", "version": 99, "scenes": [
        {"title": "Kernel", "panel": "conv", "source": {"spec": "/no/such/photo.png", "frozen": True},
         "state": {"inputs": {"controls.stride_y": 3, "controls.pool": "median", "warp.drive": 1},
                   "kernel": [[1, 2], [3, "x"]]}},
        {"title": "Hologram", "panel": "hologram"},
    ]}
    path = tmp_path / "newer.json"
    path.write_text(json.dumps(script))
    skipped = window.scene_list.open_file(path)
    assert window.conv_lab.controls.stride_y.value() == 3  # what could be set, was
    text = " | ".join(skipped)
    for reason in ("newer version", "/no/such/photo.png is not there", "controls.pool: no option 'median'",
                   "warp.drive: this version has no such setting", "kernel:"):
        assert reason in text
    assert window.scene_list.status.text().startswith("newer.json:")
    assert window.scene_list.step(1)
    assert "this version has no panel 'hologram'" in window.scene_list.status.text()


def test_not_a_script_says_so_and_changes_nothing(window, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{broken")
    assert window.scene_list.open_file(path) == ["broken.json is damaged: not JSON (Expecting property name "
                                                 "enclosed in double quotes: line 1 column 2 (char 1))"]
    assert window.scene_list.script.scenes == []


def test_page_down_steps_through_the_shipped_course_script(window, qtbot):
    script, skipped = load_script(course_script_path())
    assert skipped == [] and len(script.scenes) >= 7
    sections = {scene.title.split(" ")[0] for scene in script.scenes}
    assert {"§1", "§2", "§3", "§4", "§5", "§6", "§7"} <= sections
    assert window.scene_list.open_file(course_script_path()) == []
    for row in range(1, len(script.scenes)):
        qtbot.keyClick(window, Qt.Key.Key_PageDown)
        assert window.scene_list.list.currentRow() == row
        assert window.scene_list.status.text().startswith(f"{row + 1}/"), window.scene_list.status.text()
        expected = window.panels[script.scenes[row].panel]
        assert expected.isVisible() and not expected.visibleRegion().isEmpty()
    qtbot.keyClick(window, Qt.Key.Key_PageUp)
    assert window.scene_list.list.currentRow() == len(script.scenes) - 2
    # the model scenes started loads (with progress in the explorer): let them end before closing
    qtbot.waitUntil(lambda: window.explorer.loader is None and window.keras.state != "loading", timeout=120000)
