import base64
import gc
import threading

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDockWidget, QMessageBox

from cnnexplorer.core.frames import patterns
from cnnexplorer.core.infra.resources import resource
from cnnexplorer.core.infra.settings import Settings
from cnnexplorer.gui.shell.main_window import MainWindow
from tests.gui.conftest import shown_frame


def test_docks_have_names_and_view_toggles(window):
    docks = window.findChildren(QDockWidget)
    assert docks and all(d.objectName() for d in docks)
    toggles = [a.text() for a in window.menu_actions.panels_menu.actions()]
    assert sorted(d.windowTitle() for d in docks) == sorted(toggles)
    assert {"Source", "Convolution lab", "Filter bank", "Image basics"} <= set(toggles)
    window.menu_actions.panels_menu.actions()[0].trigger()
    assert window.source_dock.isHidden()


def test_opens_on_a_pattern_and_shows_it(window, qtbot):
    window.source.set_source("pattern:checkerboard")
    qtbot.waitUntil(lambda: shown_frame(window) is not None, timeout=5000)
    np.testing.assert_array_equal(shown_frame(window), patterns.checkerboard())
    assert "640×480" in window.source_dock.status.text()


def test_hover_readout_gives_pixel_values(window, qtbot):
    window.source.set_source("pattern:gradient")
    qtbot.waitUntil(lambda: shown_frame(window) is not None, timeout=5000)
    r, g, b = patterns.gradient()[100, 320]
    assert window.source_dock.view.pixel_text(320, 100) == f"x 320, y 100 · R {r} G {g} B {b}"
    assert window.source_dock.view.pixel_text(640, 0) == ""


def test_next_source_shortcut_cycles(window, qtbot):
    window.source.set_source("pattern:checkerboard")
    qtbot.waitUntil(lambda: window.source.spec == "pattern:checkerboard", timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: window.source.spec == "pattern:gradient", timeout=5000)
    assert window.source_dock.source_combo.currentData() == "pattern:gradient"


def test_freeze_holds_the_frame(window, qtbot, video_file):
    window.source.set_source(str(video_file))
    qtbot.waitUntil(lambda: window.source.current is not None and window.source.current.index > 3, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.source.frozen and window.source_dock.freeze_button.isChecked()
    held = window.source.current.index
    changed, arrived = [], []
    window.source.frame_changed.connect(changed.append)
    window.source._active.frame_ready.connect(lambda: arrived.append(1))
    qtbot.waitUntil(lambda: len(arrived) >= 5, timeout=5000)  # the video goes on underneath
    assert window.source.current.index == held and changed == []
    window.source_dock.freeze_button.click()
    qtbot.waitUntil(lambda: window.source.current.index > held, timeout=5000)


def test_hud_shows_the_rate_of_the_panel_in_front(window, qtbot, video_file):
    window.source.set_source(str(video_file))
    window.conv_lab.raise_()
    qtbot.waitUntil(lambda: window.conv_lab.results_shown >= 3, timeout=10000)
    window.hud.refresh()
    assert window.hud.text().startswith("convolution lab") and "fps" in window.hud.text()
    assert "draw" in window.hud.text()
    window.filter_bank.raise_()
    qtbot.waitUntil(lambda: window.filter_bank.results_shown >= 3, timeout=10000)
    window.hud.refresh()
    assert window.hud.text().startswith("filter bank")


def test_bad_file_keeps_previous_frame_and_says_why(window, qtbot, tmp_path):
    window.source.set_source("pattern:circles")
    qtbot.waitUntil(lambda: window.source.spec == "pattern:circles", timeout=5000)
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8\xff garbage")
    window.open_path(str(bad))
    qtbot.waitUntil(lambda: window.error_box is not None and window.error_box.isVisible(), timeout=5000)
    assert "broken.jpg" in window.error_box.text()
    assert window.source.spec == "pattern:circles"
    np.testing.assert_array_equal(shown_frame(window), patterns.circles())
    window.error_box.close()


def test_drop_a_file_opens_it(window, qtbot, tmp_path):
    path = tmp_path / "dropped.png"
    path.write_bytes(resource("images", "coins.png").read_bytes())
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    qtbot.waitUntil(lambda: window.source.spec == str(path), timeout=5000)
    assert shown_frame(window).shape == (303, 384, 3)
    assert window.settings.recent_files()[0] == str(path)


def test_start_without_camera_falls_back_to_sample(window, qtbot):
    window.settings.set("camera_index", 9)  # no such camera here
    window.start_background_work()
    qtbot.waitUntil(lambda: window.source.spec == "sample:chelsea", timeout=10000)
    assert shown_frame(window).shape == (300, 451, 3)
    assert window.keras.state in ("loading", "ready")


def test_layout_is_saved_and_restored(qtbot, user_home):
    first = MainWindow(Settings())
    qtbot.addWidget(first)
    first.show()
    first.source_dock.setFloating(True)
    first.resize(700, 520)  # the 800×600 offscreen screen clamps widths: check the height
    saved_height = first.height()
    first.close()
    second = MainWindow(Settings())
    qtbot.addWidget(second)
    second.show()
    assert second.source_dock.isFloating()
    assert second.height() == saved_height < 600
    second.reset_layout()
    assert not second.source_dock.isFloating() and second.source_dock.isVisible()
    second.close()


@pytest.mark.parametrize("state", ["!!not base64!!", base64.b64encode(b"garbage bytes").decode(), 12])
def test_corrupt_saved_layout_falls_back_to_default(qtbot, user_home, state):
    settings = Settings()
    settings.set("window_state", state)
    settings.set("window_geometry", state)
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    assert win.source_dock.isVisible() and not win.source_dock.isFloating()
    win.close()


def test_about_dialog_lists_versions(window, qtbot):
    about = next(a for a in window.menuBar().actions() if a.text() == "&Help").menu().actions()[0]
    about.trigger()
    box = window.findChild(QMessageBox, "AboutDialog")
    qtbot.waitUntil(lambda: box is not None and box.isVisible(), timeout=2000)
    for name in ("Python", "Qt", "PySide6", "OpenCV", "Keras"):
        assert name in box.text()
    box.close()


@pytest.mark.parametrize("saved", ["camera:/nowhere", "/deleted/photo.png", "sample:gone"])
def test_unusable_saved_source_falls_back_to_sample(window, qtbot, saved):
    window.settings.set("source", saved)
    window.start_background_work()
    qtbot.waitUntil(lambda: window.source.spec == "sample:chelsea", timeout=10000)
    if window.error_box is not None:
        window.error_box.close()


class _Cycle:
    """A reference cycle that records on which thread the collector freed it."""

    freed_on: list[str] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        _Cycle.freed_on.append(threading.current_thread().name)


def test_cycles_are_freed_on_the_gui_thread_while_the_window_is_open(window, qtbot):
    assert not gc.isenabled()
    _Cycle.freed_on.clear()
    _Cycle()
    worker = threading.Thread(target=lambda: [[object()] for _ in range(200_000)], name="allocating worker")
    worker.start()  # allocates far past the thresholds: automatic collection would run there
    worker.join()
    assert _Cycle.freed_on == []
    qtbot.waitUntil(lambda: _Cycle.freed_on == [threading.main_thread().name], timeout=5000)
    window.close()
    assert gc.isenabled()


def test_closing_while_keras_imports_gives_collection_back_for_good(window):
    """Collections pause while TensorFlow imports; a window closed meanwhile still turns automatic
    collection back on, and Keras arriving after the close restarts nothing."""
    window.collector.pause()  # as when the import starts
    window.close()
    assert gc.isenabled()
    window.collector.set_aside_long_lived()  # as when the import ends, late
    assert not window.collector.collecting() and gc.isenabled()


def test_full_collections_wait_for_thirty_middle_ones(window):
    """A full collection is a visible hitch with TensorFlow loaded: it must stay rare."""
    generations = []

    def record(phase, info):
        if phase == "start":
            generations.append(info["generation"])

    gc.collect()  # counts from zero
    gc.callbacks.append(record)
    try:
        keep = []
        for _ in range(400):  # a middle collection every 12 young ones, a full one after 31 of those
            keep.append([[] for _ in range(gc.get_threshold()[0] + 50)])  # past the young threshold
            window.collector.collect_due()
    finally:
        gc.callbacks.remove(record)
    assert generations.count(2) == 1 and generations.count(1) >= 25


def test_what_lives_as_long_as_the_app_is_set_aside_and_later_cycles_are_still_freed(window, qtbot):
    """A full collection walks TensorFlow's ~300k objects unless they are frozen once Keras is in:
    then it costs ~10 ms instead of a visible hitch, and a model replaced later is still freed."""
    gc.unfreeze()  # as in the app's own process: nothing set aside before the window
    try:
        window.collector.set_aside_long_lived()
        assert gc.get_freeze_count() > 0
        _Cycle.freed_on.clear()
        _Cycle()  # created after: the collector's, as a replaced model would be
        window.collector.collect_soon()
        qtbot.waitUntil(lambda: _Cycle.freed_on == [threading.main_thread().name], timeout=6000)
    finally:
        window.close()  # whatever failed: the collector gives back what it set aside
    assert gc.get_freeze_count() == 0  # the last window gives everything back to the collector


def test_what_the_process_set_aside_itself_stays_set_aside(window, qtbot):
    """A host that froze objects itself keeps them frozen: the window's collector neither adds to
    them nor thaws them when it closes (Python can only thaw everything at once)."""
    gc.freeze()
    frozen = gc.get_freeze_count()
    window.collector.set_aside_long_lived()
    assert gc.get_freeze_count() <= frozen  # nothing added (frozen objects may still be freed by their counts)
    _Cycle.freed_on.clear()
    _Cycle()
    window.collector.collect_soon()
    qtbot.waitUntil(lambda: _Cycle.freed_on == [threading.main_thread().name], timeout=6000)
    window.close()
    assert gc.get_freeze_count() > 0


def test_no_collection_walks_tensorflow_while_it_imports(window, qtbot):
    """The import thread needs the GIL that a collection on the GUI thread would hold: none runs
    until Keras is in, its objects are then set aside, and collections go on."""
    collections = []

    def record(phase, info):
        if phase == "start":
            collections.append(window.keras.state.value)

    keep = [[[] for _ in range(gc.get_threshold()[0] + 50)]]  # young objects past the threshold
    gc.callbacks.append(record)
    try:
        window.keras.start()
        qtbot.waitUntil(lambda: window.keras.state.value != "loading", timeout=120_000)
        assert window.keras.state.value == "ready" and gc.get_freeze_count() > 0
        assert "loading" not in collections
        keep.append([[] for _ in range(gc.get_threshold()[0] + 50)])
        qtbot.waitUntil(lambda: "ready" in collections, timeout=5000)  # the timer collects again
    finally:
        gc.callbacks.remove(record)


class _Named(_Cycle):
    freed: list[str] = []

    def __init__(self, name: str, uses=None) -> None:
        super().__init__()
        self.name, self.uses = name, uses

    def __del__(self) -> None:
        _Named.freed.append(self.name)


def test_a_replaced_model_is_freed_a_collection_after_what_was_built_on_it(window, qtbot):
    """Two shorter pauses of the GUI thread instead of one: the tapping model built over the old
    model's layers goes first, the model (kept through that collection) a second later."""
    _Named.freed.clear()
    old = _Named("model")
    _Named("tapping model", uses=old)  # garbage already, as the worker let go of it
    window.collector.collect_soon(old)
    del old
    gc.collect()  # any collection before the staged one: the retired model is kept
    assert _Named.freed == ["tapping model"]
    qtbot.waitUntil(lambda: _Named.freed == ["tapping model", "model"], timeout=6000)


def test_the_training_tab_is_made_when_it_first_comes_to_the_front(window, qtbot, tmp_path):
    """A quarter of the window's build, spent only for a lecturer who opens it; the course map's
    link opens it as before."""
    qtbot.waitExposed(window)
    assert window.training_dock.made is None
    window.course_map.panel_requested.emit("training")
    qtbot.waitUntil(lambda: window.training_dock.made is not None)
    tab = window.training_dock.made
    assert window.training is tab and window.training_dock.widget() is tab and tab.isVisible()
    assert window.threads_alive() == []
    trained = str(tmp_path / "trained.keras")  # the tab's links to the other panels are made with it
    with qtbot.waitSignal(window.explorer.load_requested, timeout=2000) as asked:
        tab.open_in_explorer.emit(trained)
    assert asked.args == [trained]
