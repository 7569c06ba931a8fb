import numpy as np

from cnnexplorer.gui.models.activation_grid import ActivationGrid


def test_colour_bar_holds_still_while_the_map_flickers(qtbot):
    grid = ActivationGrid()
    qtbot.addWidget(grid)
    rng = np.random.default_rng(0)
    maps = rng.uniform(0, 5.5, (7, 7, 16)).astype(np.float32)
    maps[0, 0, 0] = 5.5
    grid.show_activation(maps)
    first = grid.zoom.bar.levels()
    assert first[0] <= maps[..., 0].min() and first[1] >= 5.5
    grid.show_activation(maps * 1.05)  # a live frame later: nearly the same values
    assert grid.zoom.bar.levels() == first
    grid.show_activation(maps * 3)  # the range grew: the bar follows
    assert grid.zoom.bar.levels()[1] >= 18.0


def test_a_mosaic_made_off_the_gui_thread_is_used_only_for_the_settings_it_was_made_with(qtbot):
    from cnnexplorer.core.display.channel_mosaic import channel_mosaic

    grid = ActivationGrid()
    qtbot.addWidget(grid)
    maps = np.random.default_rng(1).random((5, 6, 4)).astype(np.float32)
    made = channel_mosaic(maps, *grid.mosaic_settings())
    grid.show_activation(maps, "5×6×4", made)
    assert np.array_equal(grid.mosaic.image, made.image)
    grid.sort.setChecked(True)  # the settings changed since: made again here, sorted
    assert list(grid.order) == list(np.argsort(maps.mean(axis=(0, 1)))[::-1])
    grid.show_activation(maps, "5×6×4", made)  # an answer made before the change is not shown
    assert list(grid.order) == list(np.argsort(maps.mean(axis=(0, 1)))[::-1])


def test_the_mosaic_menu_offers_save_and_copy_beside_visualise(qtbot, tmp_path):
    from PySide6.QtWidgets import QApplication

    grid = ActivationGrid()
    qtbot.addWidget(grid)
    grid.resize(400, 300)
    grid.show()
    grid.show_activation(np.random.default_rng(1).uniform(0, 1, (8, 8, 4)).astype(np.float32))
    texts = [action.text() for action in grid.mosaic.actions()]
    assert texts == ["Visualise this channel", "Save image…", "Copy"]
    grid.mosaic.actions()[2].trigger()
    assert QApplication.clipboard().image().width() == grid.mosaic.width()


def test_empty_tiles_show_the_background_not_the_lowest_value(qtbot):
    """32 channels tile 6×6: the four tiles past the last channel are drawn in the view's background,
    where the colour map's lowest colour would read as four channels that never fire."""
    import pyqtgraph as pg

    grid = ActivationGrid()
    qtbot.addWidget(grid)
    grid.resize(700, 500)
    grid.show()
    qtbot.waitExposed(grid)
    maps = np.random.default_rng(2).uniform(0, 1, (9, 9, 32)).astype(np.float32)
    grid.show_activation(maps)
    qtbot.waitUntil(lambda: grid.mosaic.qimage is not None)
    picture = grid.mosaic.grab().toImage()

    def colour_at(y: float, x: float) -> np.ndarray:
        colour = picture.pixelColor(grid.mosaic.widget_point(x, y).toPoint())
        return np.array([colour.red(), colour.green(), colour.blue()])

    top, left = grid.mosaic.grid.origin(31)
    y, x = top + 4, left + 4  # the middle of the last channel's tile (9×9 tiles, 1 px between)
    background = np.array(pg.mkColor(pg.getConfigOption("background")).getRgb()[:3])
    lowest = np.array(grid._cmap.map([0.0], mode="byte")[0][:3])
    empty = colour_at(y, x + 10)  # the middle of the next tile: none
    assert np.abs(empty - background).max() < 10 and np.abs(empty - lowest).max() > 40
    assert np.abs(colour_at(y, x) - background).max() > 10  # the last channel itself is drawn
