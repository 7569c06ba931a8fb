import numpy as np

from cnnexplorer.core.frames import patterns
from cnnexplorer.core.basics.pixels import bit_depth, reduce_resolution


def show_panel(window, qtbot, dock, spec="pattern:gradient"):
    dock.show()
    dock.raise_()
    window.source.set_source(spec)
    qtbot.waitUntil(lambda: window.source.spec == spec and dock.frame is not None, timeout=5000)
    dock.recompute()


def test_filter_bank_makes_one_map_per_filter(window, qtbot):
    dock = window.filter_bank
    show_panel(window, qtbot, dock, "pattern:stripes-0")
    assert dock.maps.shape == (480, 640, 8)
    assert "conv 80 = 8·(3·3·1 + 1)" in dock.params.text()
    sobel_x, sobel_y = dock.names.index("sobel x"), dock.names.index("sobel y")
    # Vertical bars: the x-derivative fires, the y-derivative stays silent.
    assert np.abs(dock.maps[10:-10, 10:-10, sobel_x]).max() > 500
    assert np.abs(dock.maps[10:-10, 10:-10, sobel_y]).max() < 1e-3
    dock.bank_combo.setCurrentText("random")
    dock.count.setValue(12)
    dock.stride.setValue(2)
    assert dock.maps.shape == (240, 320, 12)


def test_image_basics_depths_and_resolution(window, qtbot):
    dock = window.image_basics
    show_panel(window, qtbot, dock)
    frame = patterns.gradient()
    dock.depth.setCurrentText("1-bit")
    assert set(np.unique(dock.shown)) <= {0, 255}
    np.testing.assert_array_equal(dock.shown, bit_depth(frame, "1-bit"))
    dock.depth.setCurrentText("posterised")
    dock.levels.setValue(3)
    assert len(np.unique(dock.shown)) <= 3
    dock.depth.setCurrentText("24-bit colour")
    dock.factor.setCurrentIndex(dock.factor.findData(16))
    assert dock.shown.shape == (30, 40, 3)
    np.testing.assert_array_equal(dock.shown, reduce_resolution(frame, 16))
    assert "40×30 = 1,200 pixels" in dock.info.text()


def test_image_basics_value_grid_shows_the_numbers(window, qtbot):
    dock = window.image_basics
    show_panel(window, qtbot, dock)
    frame = patterns.gradient()
    top = int(dock.table.verticalHeaderItem(0).text())
    left = int(dock.table.horizontalHeaderItem(0).text())
    assert dock.table.item(0, 0).text().split("\n") == [str(v) for v in frame[top, left]]
    dock.channels.setChecked(True)
    assert dock.view.frame.shape[1] == 3 * 644 - 0  # three tinted planes with their gaps
