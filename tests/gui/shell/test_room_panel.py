"""The commands act on the panel the room sees (the one last brought forward), not on the keyboard
focus; the wheel never changes an unfocused setting; a new source while frozen shows; the layout
gives a closed panel's room to the others and Reset fits the screen."""

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QHBoxLayout, QLabel, QPushButton, QScrollArea, QWidget

from cnnexplorer.gui.common.settings_strip import SettingsStrip
from cnnexplorer.gui.common.wheel_guard import WheelGuard
from tests.gui.shell.probe import run_probe


def _click_freeze(window, qtbot):
    freeze = next(b for b in window.source_dock.findChildren(QPushButton) if b.text() in ("Freeze", "Unfreeze"))
    qtbot.mouseClick(freeze, Qt.MouseButton.LeftButton)
    assert window.source.frozen
    return freeze


def test_f5_and_ctrl_r_after_a_click_in_the_source_panel_act_on_the_panel_on_screen(window, qtbot, user_home):
    window.source.set_source("pattern:circles")
    qtbot.waitUntil(lambda: window.source.current is not None, timeout=5000)
    window.bring_forward("filters")
    freeze = _click_freeze(window, qtbot)
    freeze.setFocus()  # the keyboard focus is in the Source panel now
    assert window.source_dock.isAncestorOf(QApplication.focusWidget())
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.presenter.dock is window.filter_bank
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.presenter.active
    assert window.current_panel() is window.filter_bank  # the layout put back does not move the room's panel
    freeze.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    try:
        assert window.recorder.recording and window.recorder._widget is window.filter_bank
    finally:
        finished = []
        window.recorder.finished.connect(lambda *args: finished.append(args))
        window.toggle_recording()
        qtbot.waitUntil(lambda: bool(finished), timeout=10000)


def test_a_tab_click_makes_that_panel_the_one_on_stage(window, qtbot):
    window.bring_forward("conv")
    window.image_basics.raise_()  # what a click on its tab does
    qtbot.waitUntil(lambda: window.current_panel() is window.image_basics, timeout=2000)
    window.lecture.toggle_presenter()
    assert window.presenter.dock is window.image_basics
    window.leave_presenter()


def test_the_wheel_over_an_unfocused_combo_box_changes_nothing_and_scrolls_the_column(qtbot):
    column = QScrollArea()
    qtbot.addWidget(column)
    content = QPushButton("tall")
    content.setMinimumHeight(2000)
    combo = QComboBox(content)
    combo.addItems(["gray", "RGB", "R", "G"])
    column.setWidget(content)
    column.resize(200, 300)
    column.show()
    guard = WheelGuard()
    guard.guard(column)
    assert combo.focusPolicy() == Qt.FocusPolicy.StrongFocus  # the wheel does not give it focus
    centre = QPointF(combo.rect().center())
    event = QWheelEvent(centre, QPointF(combo.mapToGlobal(QPoint(5, 5))), QPoint(0, -120), QPoint(0, -120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(combo, event)
    assert combo.currentIndex() == 0
    assert column.verticalScrollBar().value() > 0  # the column scrolled instead
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus, timeout=2000)
    QApplication.sendEvent(combo, QWheelEvent(centre, QPointF(combo.mapToGlobal(QPoint(5, 5))), QPoint(0, -120),
                                              QPoint(0, -120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                                              Qt.ScrollPhase.NoScrollPhase, False))
    assert combo.currentIndex() == 1  # a focused control is the user's choice


def test_every_control_of_the_window_is_guarded(window, qtbot):
    for name in window.panels:  # each panel in front once: one made on first show is made now
        window.bring_forward(name)
    qtbot.waitUntil(lambda: window.training_dock.made is not None)

    def unguarded() -> list[QComboBox]:
        return [c for c in window.findChildren(QComboBox) if c.focusPolicy() == Qt.FocusPolicy.WheelFocus]

    # the look-after walks run a turn after each panel comes into view
    qtbot.waitUntil(lambda: unguarded() == [], timeout=2000)


def test_presenter_view_folds_the_settings_and_f7_opens_them(window, qtbot):
    strips = window.conv_lab.findChildren(SettingsStrip)
    assert strips, "the convolution lab keeps its settings in a strip"
    window.bring_forward("conv")
    before = [s.folded for s in strips]
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert all(s.folded for s in strips)
    qtbot.keyClick(window, Qt.Key.Key_F7)
    assert not any(s.folded for s in strips)
    qtbot.keyClick(window, Qt.Key.Key_F7)
    assert all(s.folded for s in strips)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    # the everyday window keeps them as they were, once its layout is back (the next turn)
    qtbot.waitUntil(lambda: [s.folded for s in strips] == before)


def test_a_strip_folds_on_a_narrow_panel_until_the_user_chooses(qtbot):
    panel = QWidget()
    qtbot.addWidget(panel)
    settings = QLabel("a column of settings " * 3)
    strip = SettingsStrip(settings, "Settings")
    layout = QHBoxLayout(panel)
    layout.addWidget(strip)
    layout.addWidget(QLabel("picture"), 1)
    panel.resize(strip.sizeHint().width() * 5, 300)
    panel.show()
    qtbot.waitUntil(lambda: not strip.folded, timeout=2000)
    panel.resize(strip.sizeHint().width() * 2, 300)
    qtbot.waitUntil(lambda: strip.folded, timeout=2000)  # the pictures need the room
    qtbot.waitUntil(lambda: strip.width() < 60, timeout=2000)  # a tab along the edge
    assert strip.fold_button.vertical
    qtbot.mouseClick(strip.fold_button, Qt.MouseButton.LeftButton)
    assert not strip.folded
    panel.resize(panel.width() - 10, 300)
    QApplication.processEvents()
    assert not strip.folded  # the user opened it: the width no longer decides


def test_the_frozen_tag_covers_nothing_in_presenter_view(window, qtbot):
    window.source.set_source("pattern:circles")
    qtbot.waitUntil(lambda: window.source.current is not None, timeout=5000)
    window.bring_forward("conv")
    window.source.set_frozen(True)
    window.lecture.toggle_presenter()
    badge = window.conv_lab.frozen_badge
    qtbot.waitUntil(lambda: badge.isVisible() and window.conv_lab.titleBarWidget().height() >= badge.height(),
                    timeout=3000)
    content = window.conv_lab.widget()
    assert badge.geometry().bottom() < content.geometry().top()
    window.leave_presenter()


def test_a_new_source_while_frozen_arrives_frozen_on_its_first_frame(window, qtbot):
    window.source.set_source("pattern:circles")
    qtbot.waitUntil(lambda: window.source.spec == "pattern:circles" and window.source.current is not None,
                    timeout=5000)
    window.source.set_frozen(True)
    window.source.set_source("pattern:checkerboard")
    qtbot.waitUntil(lambda: window.source.spec == "pattern:checkerboard", timeout=5000)
    qtbot.waitUntil(lambda: window.source.current.rgb[0, 0].tolist() == [0, 0, 0]
                    and window.source.current.rgb[0, 45].tolist() == [255, 255, 255], timeout=5000)
    assert window.source.frozen  # still held, on the new picture
    window.source.set_frozen(False)
    assert not window.source.frozen and window.source.spec == "pattern:checkerboard"


LAYOUT_PROBE = """
alone = window.conv_lab.width()
window.scene_list.show()
wait_until(app, lambda: window.conv_lab.width() < alone, 5)
with_scenes = window.conv_lab.width()
window.scene_list.close()
wait_until(app, lambda: window.conv_lab.width() > with_scenes, 5)
without = window.conv_lab.width()
map_height = window.course_map.height()
window.move(200, 300)
window.reset_layout()
for _ in range(5):
    app.processEvents()
frame, screen = window.frameGeometry(), app.primaryScreen().availableGeometry()
print(json.dumps({"with_scenes": with_scenes, "without": without, "map": map_height,
                  "map_lines": window.course_map.document().size().height(),
                  "frame": [frame.left(), frame.top(), frame.right(), frame.bottom()],
                  "screen": [screen.left(), screen.top(), screen.right(), screen.bottom()]}))
window.shutdown()
"""


def test_a_closed_panel_gives_its_room_and_reset_fits_a_720_screen(tmp_path):
    got = run_probe(tmp_path, LAYOUT_PROBE, 1280, 720)
    assert got["without"] > got["with_scenes"] + 100  # the labs take the scene list's room back
    assert got["map"] <= got["map_lines"] + 4  # the course map is as tall as its lines
    left, top, right, bottom = got["frame"]
    assert left >= got["screen"][0] and top >= got["screen"][1]
    assert right <= got["screen"][2] and bottom <= got["screen"][3]
