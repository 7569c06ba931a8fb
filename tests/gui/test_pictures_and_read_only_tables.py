"""Every picture offers right-click Save image… / Copy; read-only tables open no editor on a key."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QTableWidgetItem

from cnnexplorer.core.frames.images import load_image
from cnnexplorer.gui.common.picture_view import PictureView


def _pictures(window):
    return {"conv": window.conv_lab.views.output_view, "graph": window.explorer.graph,
            "network": window.neurons.mlp.network}


def _right_click_saves_and_copies(view, path) -> np.ndarray:
    """Right-click ``view``: the menu offers Save image… and Copy; Copy fills the clipboard and Save
    writes ``path``, both at the view's size. Returns the saved picture."""
    centre = view.rect().center()
    QApplication.sendEvent(view.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, centre,
                                                              view.mapToGlobal(centre)))
    menu = view.context_menu
    assert menu is not None and [a.text() for a in menu.actions()] == ["Save image…", "Copy"]
    menu.actions()[1].trigger()
    copied = QApplication.clipboard().image()
    assert (copied.width(), copied.height()) == (view.width(), view.height())
    menu.close()
    size = (view.height(), view.width())  # as grabbed now (a layout may resize the view afterwards)
    assert view.save_picture(path)
    saved = load_image(path)
    assert saved.shape[:2] == size
    return saved


@pytest.mark.parametrize("name", ["conv", "graph", "network"])
def test_right_click_saves_and_copies_the_picture(window, qtbot, tmp_path, name):
    window.source.set_source("pattern:circles")
    qtbot.waitUntil(lambda: window.conv_lab.result is not None, timeout=5000)
    view = _pictures(window)[name]
    if name == "network":  # the MLP's drawing, on screen as the room sees it (its layout sets its size)
        window.bring_forward("neurons")
        window.neurons.tabs.setCurrentIndex(1)  # Small MLP
        qtbot.waitUntil(view.isVisible, timeout=5000)
    else:
        view.resize(320, 240)
        view.show()
    _right_click_saves_and_copies(view, tmp_path / f"{name}.png")


def test_right_click_on_live_pictures_saves_what_is_shown(window, qtbot, tmp_path):
    window.source.set_source("pattern:circles")
    window.bring_forward("filters")
    qtbot.waitUntil(lambda: window.filter_bank.results_shown > 0, timeout=5000)
    mosaic = window.filter_bank.findChildren(PictureView)[0]
    for view in (window.source_dock.view, mosaic):
        assert np.ptp(_right_click_saves_and_copies(view, tmp_path / "picture.png")) > 0


def test_a_typed_key_opens_no_editor_in_read_only_tables(window, qtbot):
    window.source.set_source("pattern:circles")
    window.bring_forward("conv")  # the tables fill while their panels are on screen
    qtbot.waitUntil(lambda: window.conv_lab.explainer.table.item(0, 0) is not None, timeout=5000)
    window.bring_forward("basics")
    qtbot.waitUntil(lambda: window.image_basics.table.item(0, 0) is not None, timeout=5000)
    window.inception.table.setRowCount(1)
    window.inception.table.setItem(0, 0, QTableWidgetItem("1×1"))
    tables = [window.conv_lab.explainer.table, window.image_basics.table, window.inception.table]
    qtbot.waitUntil(lambda: all(t.item(0, 0) is not None for t in tables), timeout=5000)
    for table in tables:
        table.show()
        table.setFocus()
        table.setCurrentCell(0, 0)
        before = table.item(0, 0).text()
        qtbot.keyClick(table, Qt.Key.Key_5)
        qtbot.keyClick(table, Qt.Key.Key_F2)
        assert table.state() != QAbstractItemView.State.EditingState, table.objectName()
        assert table.item(0, 0).text() == before
    assert np.all([t.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers for t in tables])
