import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF, Qt

from cnnexplorer.core.basics.pixels import bit_depth, reduce_resolution
from cnnexplorer.core.frames import patterns
from cnnexplorer.gui.basics.dock import ImageBasicsDock
from tests.gui.conftest import show_dock


@pytest.fixture
def basics(lone_dock, qtbot):
    """The image basics dock by itself, on the gradient pattern."""
    window = lone_dock(ImageBasicsDock)
    return show_dock(window, qtbot, window.dock, "pattern:gradient")


@pytest.fixture
def basics_in_window(window, qtbot):
    """The dock in the main window, beside the other panels, on the gradient pattern."""
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
    scene = view.box.mapViewToScene(QPointF(x, y))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(scene))


def test_a_click_marks_where_the_numbers_come_from(basics, qtbot):
    basics.resize(1000, 700)
    qtbot.wait(50)
    click_picture(qtbot, basics, 100.5, 50.5)
    top = int(basics.table.verticalHeaderItem(0).text())
    left = int(basics.table.horizontalHeaderItem(0).text())
    n = basics.grid_size
    assert abs(top - (50 - n // 2)) <= 1 and abs(left - (100 - n // 2)) <= 1  # a screen pixel: ~1 frame pixel
    marker = basics.markers[0]
    assert marker.isVisible() and marker.rect() == QRectF(left, top, n, n)
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
    assert abs(left - (200 - basics.grid_size // 2)) <= 3  # about 2 frame pixels a screen pixel
    assert [m.rect().x() for m in basics.markers] == [left, 644 + left, 1288 + left]
    assert all(m.isVisible() for m in basics.markers)


def test_a_lower_resolution_is_shown_as_big_as_the_full_frame_in_blocks(basics, qtbot):
    basics.resize(1000, 700)
    full = basics.view.image.mapRectToView(basics.view.image.boundingRect())
    basics.factor.setCurrentIndex(basics.factor.findData(8))
    assert basics.view.image.image.shape[:2] == (60, 80)
    assert basics.view.image.mapRectToView(basics.view.image.boundingRect()) == full == QRectF(0, 0, 640, 480)
    click_picture(qtbot, basics, 324.0, 244.0)  # frame pixel (244, 324): block (30, 40) of the 1/8 frame
    assert basics.centre == (240, 320)
    n = basics.grid_size
    assert basics.markers[0].rect().width() == 8 * n  # the outline covers n blocks of 8 frame pixels


def test_every_pixel_value_shows_whole(window, basics_in_window, qtbot):
    from cnnexplorer.gui.shell.stage_audit import clipped_texts

    basics = basics_in_window

    window.resize(1280, 720)
    basics.raise_()
    qtbot.waitUntil(lambda: basics.table.isVisible() and basics.table.width() > 100, timeout=3000)
    qtbot.waitUntil(lambda: basics.grid_size == basics.fitting_grid(), timeout=3000)
    assert basics.table.item(0, 0).text().count("\n") == 2  # "R …", "G …", "B …"
    assert [t for t in clipped_texts(basics.table) if "cell" in t or "header" in t] == []
    basics.numbers.setChecked(False)
    assert not basics.table.isVisible()
