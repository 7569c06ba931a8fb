import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF, Qt

from cnnexplorer.core.basics.pixels import bit_depth, reduce_resolution
from cnnexplorer.core.frames import patterns
from tests.gui.conftest import show_dock


@pytest.fixture
def basics(window, qtbot):
    """The image basics dock, shown, on the gradient pattern."""
    return show_dock(window, qtbot, window.image_basics, "pattern:gradient")


def test_image_basics_depths_and_resolution(basics):
    frame = patterns.gradient()
    basics.depth.setCurrentText("1-bit")
    assert set(np.unique(basics.shown)) <= {0, 255}
    np.testing.assert_array_equal(basics.shown, bit_depth(frame, "1-bit"))
    basics.depth.setCurrentText("posterised")
    basics.levels.setValue(3)
    assert len(np.unique(basics.shown)) <= 3
    assert "6 bits per pixel" in basics.info.text()
    basics.depth.setCurrentText("24-bit colour")
    basics.factor.setCurrentIndex(basics.factor.findData(16))
    assert basics.shown.shape == (30, 40, 3)
    np.testing.assert_array_equal(basics.shown, reduce_resolution(frame, 16))
    assert "40×30 = 1,200 pixels" in basics.info.text()


def test_image_basics_value_grid_shows_the_numbers(basics):
    frame = patterns.gradient()
    top = int(basics.table.verticalHeaderItem(0).text())
    left = int(basics.table.horizontalHeaderItem(0).text())
    assert basics.table.item(0, 0).text().split("\n") == [f"{c} {v}" for c, v in zip("RGB", frame[top, left])]
    basics.channels.setChecked(True)
    assert basics.view.frame.shape[1] == 3 * 644  # three tinted planes with their gaps


def click_picture(qtbot, basics, x: float, y: float) -> None:
    view = basics.view
    scene = view.view_box.mapViewToScene(QPointF(x, y))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(scene))


def test_a_click_marks_where_the_numbers_come_from(basics, qtbot):
    basics.resize(1000, 700)
    qtbot.wait(50)
    click_picture(qtbot, basics, 100.5, 50.5)
    top = int(basics.table.verticalHeaderItem(0).text())
    left = int(basics.table.horizontalHeaderItem(0).text())
    assert (top, left) == (46, 96)
    marker = basics.markers[0]
    assert marker.isVisible() and marker.rect() == QRectF(96, 46, 8, 8)
    assert not any(m.isVisible() for m in basics.markers[1:])
    assert not any(label.isVisible() for label in basics.channel_labels)


def test_channel_planes_are_named_and_marked_and_clickable(basics, qtbot):
    basics.resize(1000, 700)
    basics.channels.setChecked(True)
    qtbot.wait(50)
    assert [label.textItem.toPlainText() for label in basics.channel_labels] == ["R (red)", "G (green)", "B (blue)"]
    assert [label.pos().x() for label in basics.channel_labels] == [0, 644, 1288]
    assert all(label.isVisible() for label in basics.channel_labels)
    click_picture(qtbot, basics, 644 + 200.5, 100.5)  # the G plane, column 200
    left = int(basics.table.horizontalHeaderItem(0).text())
    assert abs(left - 196) <= 1  # the three planes are drawn at about 2 frame pixels a screen pixel
    assert [m.rect().x() for m in basics.markers] == [left, 644 + left, 1288 + left]
    assert all(m.isVisible() for m in basics.markers)
