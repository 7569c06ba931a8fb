"""A fresh start on a small projector screen: the window fits, nothing is cut off, the course map
is compact; single-key shortcuts leave typing alone; FROZEN shows on every live view."""


import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication, QLineEdit, QTableWidget

from cnnexplorer.gui.common.live_dock import LiveFrameDock

LANGUAGE = "en"


@pytest.mark.long
@pytest.mark.parametrize("setup", ["window-1280x720", "presenter-x2-1920x1080"])  # the window before presenter view
def test_default_window_fits_the_screen_with_nothing_cut_off(stage_walks, setup):
    """A fresh start on the set-up's screen (1280×720, 1920×1080), seen from its stage walk."""
    got = stage_walks.report(setup, LANGUAGE)["first_view"]
    assert got["window"][0] <= got["screen"][0] and got["window"][1] <= got["screen"][1]
    assert got["status_bottom"] < got["window_height"]  # the status bar is inside the window
    titles = [t[0] for t in got["tabs"]]
    assert {"Convolution lab", "Training", "Augmentation lab"} <= set(titles)
    cut = [t for t in got["tabs"] if not (t[1] and t[2]) or t[3] != "ElideNone"]
    assert cut == []
    assert got["map_height"] <= 0.15 * got["window_height"]  # a map, not a panel
    assert got["map_scroll"] == 0  # yet every section is on it
    assert got["explorer_shown"] and got["explorer_in_view"] == [True, True]  # top-5 and Compare wholly in view


def test_course_map_links_bring_the_panel_forward(window, qtbot):
    window.filter_bank.raise_()
    assert 'href="panel:augment"' in window.course_map.toHtml()
    window.course_map.anchorClicked.emit(QUrl("panel:augment"))
    qtbot.waitUntil(lambda: window.augment.on_screen(), timeout=2000)


@pytest.mark.parametrize("key", [Qt.Key.Key_Space, Qt.Key.Key_N])
def test_single_key_shortcuts_do_not_fire_while_typing_a_kernel_weight(window, qtbot, key):
    window.conv_lab.show()
    window.conv_lab.raise_()
    grid = window.conv_lab.findChild(QTableWidget, "KernelGrid")
    grid.setCurrentCell(1, 1)
    grid.setFocus()
    qtbot.waitUntil(grid.hasFocus, timeout=2000)
    spec = window.source.spec
    qtbot.keyClick(grid, key)  # starts editing the cell, as typing "5" does
    assert not window.source.frozen and window.source.spec == spec
    field = QApplication.focusWidget()
    assert isinstance(field, QLineEdit)  # the cell's editor took the key
    qtbot.keyClick(field, Qt.Key.Key_Space)
    assert not window.source.frozen
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    window.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not field, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.source.frozen  # outside a field Space still freezes


def test_frozen_shows_on_every_live_view(window, qtbot):
    window.source.set_source("pattern:circles")
    qtbot.waitUntil(lambda: window.source.current is not None, timeout=5000)
    live = [window.source_dock] + [d for d in window.panels.values() if isinstance(d, LiveFrameDock)]
    assert len(live) >= 6
    window.source.set_frozen(True)
    for dock in live:
        dock.show()
        dock.raise_()
        qtbot.waitUntil(lambda d=dock: d.frozen_badge.isVisible(), timeout=2000)
        badge = dock.frozen_badge
        assert badge.text() == "FROZEN" and dock.rect().contains(badge.geometry())
        assert dock.children()[-1] is badge  # drawn over everything else in the dock
    dock = window.explorer
    dock.setFloating(True)
    width = dock.width()
    dock.resize(width - 80, dock.height())
    qtbot.waitUntil(lambda: dock.width() < width, timeout=2000)
    qtbot.waitUntil(lambda: dock.frozen_badge.geometry().right() < dock.width() - 40, timeout=2000)  # kept in its corner
    dock.setFloating(False)
    window.source.set_frozen(False)
    assert not any(d.frozen_badge.isVisible() for d in live)
