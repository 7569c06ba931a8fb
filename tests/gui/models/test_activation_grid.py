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
