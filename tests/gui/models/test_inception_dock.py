"""The Inception view names each branch by what it does and counts its sub-branches."""

import pytest
from PySide6.QtCore import Qt

pytest.importorskip("keras")

from cnnexplorer.core.models import zoo  # noqa: E402
from cnnexplorer.core.models.inception import find_blocks  # noqa: E402


def test_branch_titles_say_what_each_branch_is(window, qtbot):
    model = zoo.load_model("mini_inception")
    window.explorer.session.set_model(model)
    dock = window.inception
    dock.show()
    dock.raise_()
    assert dock.block_combo.count() == 2
    titles = [view.title.text for view in dock.views]
    assert titles == ["1×1", "1×1 → 3×3", "1×1 → 5×5", "pool → 1×1", "inception_a_concat (concatenation)"]
    assert [dock.table.item(r, 0).text() for r in range(5)] == [*titles[:4], "block total"]
    assert dock.table.item(1, 0).toolTip() == "inception_a_3x3_reduce → inception_a_3x3"
    window.explorer.session.set_model(None)


def test_a_hidden_inception_view_leaves_the_blocks_for_when_it_is_shown(window, qtbot):
    dock = window.inception
    dock.show()
    dock.raise_()
    front = next(d for d in window.tabifiedDockWidgets(dock) if d.isVisible())
    front.raise_()
    qtbot.waitUntil(lambda: not dock.on_screen(), timeout=5000)
    window.explorer.session.set_model(zoo.load_model("mini_inception"))
    assert dock.blocks == [] and dock.block_combo.count() == 0
    dock.raise_()
    qtbot.waitUntil(lambda: dock.block_combo.count() == 2, timeout=5000)
    assert dock.block is not None and [b.title for b in dock.block.branches][0] == "1×1"
    window.explorer.session.set_model(None)
    assert dock.blocks == [] and dock.block_combo.count() == 0


def test_the_block_chosen_is_part_of_the_scene_and_waits_for_its_model(window, qtbot):
    dock = window.inception
    dock.show()
    dock.raise_()
    model = zoo.load_model("mini_inception")
    blocks = [b.concat for b in find_blocks(model.model)]
    assert len(blocks) == 2
    state = {"block": blocks[1]}
    assert dock.apply_scene(state) == []  # no model yet: chosen once one is in
    window.explorer.session.set_model(model)
    assert dock.block_combo.currentIndex() == 1 and dock.scene_state() == state
    assert dock.block.concat == blocks[1]
    dock.block_combo.setCurrentIndex(0)
    assert dock.apply_scene(state) == [] and dock.scene_state() == state
    assert dock.apply_scene({"block": "nowhere_concat"}) == ["block 'nowhere_concat': not in mini_inception"]
    assert dock.scene_state() == state
    window.explorer.session.set_model(None)


@pytest.mark.parametrize("scale", [None, 2.0])
def test_the_cost_table_shows_every_row_and_column_whole(window, qtbot, scale):
    from cnnexplorer.gui.shell.presenter_look import PresenterLook

    window.explorer.session.set_model(zoo.load_model("mini_inception"))
    dock = window.inception
    dock.show()
    dock.raise_()
    look = PresenterLook()
    if scale:
        look.apply(dock, scale)
    table = dock.table
    qtbot.waitUntil(lambda: table.rowCount() == 5 and table.height() >= table.sizeHint().height())
    viewport = table.viewport().rect()
    header = table.horizontalHeader()
    for column in range(table.columnCount()):
        title = table.horizontalHeaderItem(column).text()
        assert header.sectionSize(column) >= header.fontMetrics().horizontalAdvance(title), title
        for row in range(table.rowCount()):
            cell = table.visualRect(table.model().index(row, column))
            text = table.item(row, column).text()
            assert viewport.contains(cell), (row, column)
            assert cell.width() >= table.fontMetrics().horizontalAdvance(text), text
    assert not table.verticalScrollBar().isVisible()
    look.restore()
    window.explorer.session.set_model(None)


def test_an_empty_inception_panel_loads_mini_inception_with_one_click(window, qtbot):
    dock = window.inception
    window.source.set_source("pattern:circles")
    window.keras.start()
    window.bring_forward("inception")
    assert dock.load_button.isVisible() and "Load a model with Inception modules" in dock.info.text()
    qtbot.mouseClick(dock.load_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dock.block_combo.count() == 2 and dock.last is not None, timeout=120000)
    assert not dock.load_button.isVisible()
    assert window.explorer.session.model.name == "mini_inception"
