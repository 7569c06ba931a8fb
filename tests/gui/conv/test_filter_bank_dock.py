import numpy as np

from tests.gui.conftest import show_dock


def test_filter_bank_makes_one_map_per_filter(window, qtbot):
    dock = show_dock(window, qtbot, window.filter_bank, "pattern:stripes-0")
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
