"""Presenter view: one panel fills the screen, chrome hidden, type ×1.5/×2/×2.5 (remembered),
legible at 1280×720; Esc puts everything back. The help overlay lists every shortcut."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QLabel

from cnnexplorer.core.infra.settings import Settings
from cnnexplorer.gui.shell.main_window import MainWindow
from cnnexplorer.gui.shell.presenter_look import smallest_text_px
from tests.gui.shell.probe import run_probe

PANELS_WITHOUT_TENSORFLOW = "source,conv,filters,basics,neurons,training"
PRESENTER_PROBE = """
from cnnexplorer.gui.shell.presenter_look import smallest_text_px
window.source.set_source("pattern:circles")
wait_until(app, lambda: window.source.current is not None, 10)
window.presenter.set_scale(2.0)
found = {}
for name in sys.argv[1].split(","):
    window.bring_forward(name)
    window.toggle_presenter()
    dock = window.presenter.dock
    wait_until(app, lambda: False, 0.3)
    screen = app.primaryScreen().geometry()
    found[name] = {"panel": [n for n, d in window.panels.items() if d is dock][0],
                   "smallest": smallest_text_px(dock), "size": [dock.width(), dock.height()],
                   "screen": [screen.width(), screen.height()], "menu": window.menuBar().isVisible(),
                   "status": window.statusBar().isVisible(),
                   "others": [n for n, d in window.panels.items() if d is not dock and d.isVisible()]}
    window.leave_presenter()
print(json.dumps(found))
window.close()
"""


def test_presenter_view_at_1280x720_is_legible_and_fills_the_screen(tmp_path):
    found = run_probe(tmp_path, PRESENTER_PROBE, 1280, 720, PANELS_WITHOUT_TENSORFLOW, timeout_s=180)
    for name, got in found.items():
        assert got["panel"] == name
        # ×2 of 13 px, less a little where a table fits its font to whole cells (the conv explainer)
        assert got["smallest"][0] >= 20, f"{name}: smallest text {got['smallest']}"
        assert got["size"] == got["screen"] == [1280, 720], name
        assert not got["menu"] and not got["status"] and got["others"] == [], name


def test_f5_enters_esc_leaves_and_everything_comes_back(window, qtbot):
    window.conv_lab.show()
    window.conv_lab.raise_()
    label = next(w for w in window.conv_lab.findChildren(QLabel) if w.isVisible() and w.text())
    before_px = QFontInfo(label.font()).pixelSize()
    visible_before = sorted(n for n, d in window.panels.items() if d.isVisible())
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.presenter.dock is window.conv_lab
    assert not window.menuBar().isVisible() and not window.course_map.isVisible()
    assert not window.source_dock.isVisible()
    # the presenter type comes on the event loop's next turn (two short repaints, not one long)
    qtbot.waitUntil(lambda: QFontInfo(label.font()).pixelSize() >= 2 * before_px - 1, timeout=2000)
    window.presenter.set_scale(2.5)
    assert QFontInfo(label.font()).pixelSize() >= 2.5 * before_px - 1
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.presenter.active
    assert QFontInfo(label.font()).pixelSize() == before_px
    assert not window.updatesEnabled()  # the panel's own type is not painted full screen in between
    # the menus, bars and panels come back on the event loop's next turn, and are painted once, on the
    # turn after (three short turns, not one long)
    qtbot.waitUntil(lambda: sorted(n for n, d in window.panels.items() if d.isVisible()) == visible_before)
    qtbot.waitUntil(window.updatesEnabled)
    assert window.menuBar().isVisible() and window.statusBar().isVisible() and window.course_map.isVisible()
    assert window.settings.get("presenter_scale", 0.0) == 2.5


def test_presenter_size_and_contrast_are_remembered(qtbot, user_home):
    first = MainWindow(Settings())
    qtbot.addWidget(first)
    first.presenter.set_scale(1.5)
    first.presenter.set_high_contrast(True)
    first.close()
    second = MainWindow(Settings())
    qtbot.addWidget(second)
    assert second.presenter.scale == 1.5 and second.presenter.high_contrast
    second.show()
    second.presenter.enter(second.image_basics)
    qtbot.waitUntil(lambda: second.image_basics.palette().window().color().name() == "#000000", timeout=2000)
    second.leave_presenter()
    assert second.image_basics.palette().window().color().name() != "#000000"
    second.close()


def test_help_overlay_lists_every_shortcut_in_presenter_size(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_F1)
    overlay = window.help_overlay
    assert overlay.isVisible() and overlay.geometry() == window.rect()
    text = " ".join(c.text() for c in overlay.columns)
    for keys, what in (("Space", "Freeze frame"), ("F5", "Presenter view"), ("F1 / ?", "Shortcuts"), ("N", "Next source")):
        assert f">{keys}<" in text and what in text
    assert smallest_text_px(overlay)[0] >= 24
    shown = overlay.geometry()
    window.resize(window.width() - 60, window.height() - 40)
    qtbot.waitUntil(lambda: overlay.geometry() == window.rect() != shown, timeout=2000)  # follows the window
    qtbot.keyClick(overlay, Qt.Key.Key_A)
    assert not overlay.isVisible()


def test_slider_values_stay_whole_at_presenter_type(window, qtbot):
    """The number beside each of the neuron's sliders grows with presenter type and shrinks back:
    every value stays whole once the layout has settled (before the next paint)."""
    from PySide6.QtWidgets import QLineEdit

    def whole(label) -> bool:
        return label.contentsRect().width() >= label.fontMetrics().horizontalAdvance(label.text())

    window.bring_forward("neurons")
    window.presenter.set_scale(2.0)
    window.lecture.toggle_presenter()
    labels = [e for e in window.neurons.single.findChildren(QLineEdit) if e.isVisible()]
    assert len(labels) >= 8
    qtbot.waitUntil(lambda: all(QFontInfo(e.font()).pixelSize() >= 24 and whole(e) for e in labels), timeout=2000)
    window.leave_presenter()
    assert all(QFontInfo(e.font()).pixelSize() < 24 for e in labels)
    qtbot.waitUntil(lambda: all(whole(e) for e in labels), timeout=2000)


def test_a_panel_on_stage_keeps_showing_new_frames(window, qtbot):
    """On stage the panel's content covers all of it (its own region is empty): it still counts as
    on screen, so it keeps computing on every new frame."""
    window.source.set_source("pattern:circles")
    window.bring_forward("filters")
    bank = window.filter_bank
    qtbot.waitUntil(lambda: bank.results_shown > 0, timeout=10000)
    window.lecture.toggle_presenter()
    assert window.presenter.dock is bank and bank.on_screen()
    shown = bank.results_shown
    window.source.set_source("pattern:checkerboard")
    qtbot.waitUntil(lambda: bank.results_shown > shown, timeout=10000)
    window.leave_presenter()
