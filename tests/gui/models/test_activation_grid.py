import numpy as np
import pytest

from cnnexplorer.gui.models.activation_grid import ActivationGrid, bar_levels


@pytest.mark.parametrize("low, high", [(0.0, 6.1), (-1.234, 3.3), (-0.0012, 0.0043), (100.0, 100.5)])
def test_bar_levels_enclose_the_range_with_little_to_spare(low, high):
    lo, hi = bar_levels(low, high)
    assert lo <= low and hi >= high
    assert (hi - lo) <= 1.5 * (high - low)


def test_bar_levels_keep_the_current_scale_while_it_still_fits():
    assert bar_levels(0.1, 6.05, current=(0.0, 7.0)) == (0.0, 7.0)
    assert bar_levels(0.1, 7.5, current=(0.0, 7.0)) != (0.0, 7.0)  # outgrown
    assert bar_levels(0.1, 2.0, current=(0.0, 7.0)) != (0.0, 7.0)  # the data shrank to a corner


def test_flat_map_gets_a_usable_range():
    lo, hi = bar_levels(2.0, 2.0)
    assert lo == 2.0 and hi > lo


def test_colour_bar_holds_still_while_the_map_flickers(qtbot):
    grid = ActivationGrid()
    qtbot.addWidget(grid)
    rng = np.random.default_rng(0)
    maps = rng.uniform(0, 5.5, (7, 7, 16)).astype(np.float32)
    maps[0, 0, 0] = 5.5
    grid.show_activation(maps)
    first = grid.colour_bar.levels()
    assert first[0] <= maps[..., 0].min() and first[1] >= 5.5
    grid.show_activation(maps * 1.05)  # a live frame later: nearly the same values
    assert grid.colour_bar.levels() == first
    grid.show_activation(maps * 3)  # the range grew: the bar follows
    assert grid.colour_bar.levels()[1] >= 18.0
