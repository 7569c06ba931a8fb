import numpy as np
import pytest

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
    assert basics.table.item(0, 0).text().split("\n") == [str(v) for v in frame[top, left]]
    basics.channels.setChecked(True)
    assert basics.view.frame.shape[1] == 3 * 644  # three tinted planes with their gaps
