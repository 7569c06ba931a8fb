import numpy as np
import pytest

from cnnexplorer.core.display.colormap import bar_levels, to_bytes


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


def test_to_bytes_maps_the_levels_onto_the_lookup_table_and_clips_outside():
    values = np.array([[-3.0, -1.0, 0.0], [1.0, 5.0, np.nan]], np.float32)
    shown = to_bytes(values, (-1.0, 1.0))
    assert shown.dtype == np.uint8
    np.testing.assert_array_equal(shown, [[0, 0, 128], [255, 255, 128]])  # NaN as 0
    np.testing.assert_array_equal(to_bytes(np.array([np.inf, -np.inf, 0.5], np.float32), (0.0, 1.0)), [255, 0, 128])
    flat = to_bytes(np.full((2, 2), 7.0), (7.0, 7.0))  # empty range: no division by zero
    assert flat.dtype == np.uint8 and (flat == 0).all()
