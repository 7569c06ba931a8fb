import numpy as np
from PySide6.QtCore import QCoreApplication, QPointF

from tests.gui.conftest import show_dock


def _shown(dock, qtbot, shape):
    qtbot.waitUntil(lambda: dock.maps is not None and dock.maps.shape == shape and dock.worker.idle(), timeout=10000)


def test_filter_bank_makes_one_map_per_filter(window, qtbot):
    dock = show_dock(window, qtbot, window.filter_bank, "pattern:stripes-0")
    _shown(dock, qtbot, (480, 640, 8))
    assert "conv 80 = 8·(3·3·1 + 1)" in dock.params.text()
    sobel_x, sobel_y = dock.names.index("sobel x"), dock.names.index("sobel y")
    # Vertical bars: the x-derivative fires, the y-derivative stays silent.
    assert np.abs(dock.maps[10:-10, 10:-10, sobel_x]).max() > 500
    assert np.abs(dock.maps[10:-10, 10:-10, sobel_y]).max() < 1e-3
    dock.bank_combo.setCurrentText("random")
    dock.count.setValue(12)
    dock.stride.setValue(2)
    _shown(dock, qtbot, (240, 320, 12))


def test_kernels_are_shown_on_a_near_square_grid_big_enough_to_read(window, qtbot):
    window.resize(1280, 720)
    dock = show_dock(window, qtbot, window.filter_bank, "pattern:stripes-0")
    dock.bank_combo.setCurrentText("random")
    dock.count.setValue(16)
    dock.size.setValue(7)
    _shown(dock, qtbot, (480, 640, 16))
    grid = dock.kernel_view.grid
    assert (grid.rows, grid.cols) == (4, 4)
    box = dock.kernel_view.box
    kernel_px = box.mapViewToScene(QPointF(7, 0)).x() - box.mapViewToScene(QPointF(0, 0)).x()
    assert kernel_px >= 28  # 4 screen pixels a weight at least, not a 20-px strip of 16 kernels


def test_a_bank_tabbed_behind_another_panel_does_no_work(window, qtbot):
    dock = show_dock(window, qtbot, window.filter_bank, "pattern:stripes-0")
    _shown(dock, qtbot, (480, 640, 8))
    front = next(d for d in window.tabifiedDockWidgets(dock) if d.isVisible())
    front.raise_()
    qtbot.waitUntil(lambda: not dock.on_screen(), timeout=5000)
    qtbot.waitUntil(dock.worker.idle, timeout=10000)  # a result already on its way lands first:
    QCoreApplication.processEvents()  # idle comes once it is sent, and it lands on the GUI thread's next turn
    shown = dock.results_shown
    dock.count.setValue(16)
    with qtbot.waitSignal(window.source.frame_changed, timeout=5000):  # the new frame reached the bank
        window.source.set_source("pattern:stripes-45")
    assert dock.worker.idle() and dock.results_shown == shown
    dock.raise_()
    qtbot.waitUntil(lambda: dock.results_shown > shown, timeout=10000)


def test_maps_are_shown_shrunk_and_hover_reads_the_full_size_map(window, qtbot):
    dock = show_dock(window, qtbot, window.filter_bank, "pattern:stripes-0")
    _shown(dock, qtbot, (480, 640, 8))
    grid = dock.maps_view.grid
    assert dock.shrink == 2 and (grid.tile_h, grid.tile_w) == (240, 320)
    dock.maps_view.hovered.emit(3, 100, 150)  # the mouse over tile 3 at shown pixel (100, 150)
    assert dock.readout.text() == f"{dock.names[3]} · (200, 300) = {dock.maps[200, 300, 3]:.4g}"


def test_the_bank_reopens_from_its_scene_in_a_fresh_dock(window, qtbot):
    import json

    from cnnexplorer.gui.common.workers import stop_threads
    from cnnexplorer.gui.conv.filter_bank_dock import FilterBankDock

    dock = show_dock(window, qtbot, window.filter_bank, "pattern:stripes-0")
    dock.bank_combo.setCurrentText("random")
    dock.count.setValue(6)
    dock.size.setValue(5)
    dock.stride.setValue(2)
    _shown(dock, qtbot, (240, 320, 6))
    state = json.loads(json.dumps(dock.scene_state()))
    fresh = FilterBankDock(window.source)
    qtbot.addWidget(fresh)
    fresh.show()
    assert fresh.scene_state() != state
    assert fresh.apply_scene(state) == []
    _shown(fresh, qtbot, (240, 320, 6))
    assert fresh.scene_state() == state
    np.testing.assert_array_equal(fresh.maps, dock.maps)
    np.testing.assert_array_equal(fresh.maps_view.image.image, dock.maps_view.image.image)
    assert fresh.params.text() == dock.params.text()
    assert stop_threads(fresh, 5000) == []


def test_more_than_four_maps_shrink_in_chunks():
    """OpenCV 5 resizes at most 4 channels at once ("cn <= 4"): 7 maps go through in chunks."""
    from cnnexplorer.gui.conv.filter_bank_dock import shrink_maps

    maps = np.random.default_rng(0).random((40, 60, 7), dtype=np.float32)
    small = shrink_maps(maps, 2)
    assert small.shape == (20, 30, 7)
    np.testing.assert_allclose(small[..., 5], maps[..., 5].reshape(20, 2, 30, 2).mean(axis=(1, 3)), atol=1e-5)
    assert shrink_maps(maps[..., :1], 4).shape == (10, 15, 1)
