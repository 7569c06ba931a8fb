import pytest

from cnnexplorer.core.display.colormap import bar_levels


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
