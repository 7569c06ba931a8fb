"""The lab's output lies over the input windows it came from."""

import numpy as np
import pytest

from cnnexplorer.core.conv.lab import LabSettings, run_lab
from cnnexplorer.core.conv.placement import output_placement


def place(shape=(20, 30), **settings):
    s = LabSettings(**settings)
    out = run_lab(np.zeros((*shape, 3), np.uint8), s).output
    return output_placement(s, (*shape, 3), out.shape), out.shape


def test_same_padding_stride_1_covers_the_input_exactly():
    placement, shape = place()
    assert (placement.x, placement.y, placement.width, placement.height) == (0, 0, 30, 20)
    assert (placement.rows, placement.cols) == shape == (20, 30)


def test_valid_stride_2_sits_over_window_centres():
    placement, shape = place(padding="valid", stride=(2, 2))
    assert shape == (9, 14)
    assert placement.pixel_size == (2, 2)
    # Output (0, 0) comes from input rows and columns 0…2: its centre is input pixel (1, 1), at 1.5.
    assert placement.centre_of(0, 0) == (1.5, 1.5)
    assert placement.centre_of(8, 13) == (1.5 + 2 * 13, 1.5 + 2 * 8)


def test_pooling_and_dilation():
    placement, _ = place(padding="valid", dilation=(2, 1), pool="max", pool_size=2, pool_stride=2)
    # k_eff = 5 rows: the first conv row is centred on input row 2; a 2×2 pool adds half a conv step.
    assert placement.pixel_size == (2, 2)
    assert placement.centre_of(0, 0) == (1.5 + 0.5, 2.5 + 0.5)


@pytest.mark.parametrize("settings", [dict(), dict(padding="full", stride=(3, 2)), dict(pool="avg")])
def test_index_at_inverts_centre_of(settings):
    placement, shape = place(**settings)
    for oy, ox in [(0, 0), (shape[0] - 1, shape[1] - 1), (shape[0] // 2, 1)]:
        assert placement.index_at(*placement.centre_of(oy, ox)) == (oy, ox)
    assert placement.index_at(placement.x - 0.01, placement.y) is None
    assert placement.index_at(placement.x + placement.width, placement.y) is None


def test_the_nearest_output_pixel_to_an_input_point():
    placement, _ = place(shape=(480, 640))
    x, y = placement.centre_of(240, 320)
    strided, shape = place(shape=(480, 640), stride=(2, 2))
    assert shape == (240, 320) and strided.nearest_index(x, y) == (120, 160)  # not clamped to the corner
    pooled, _ = place(shape=(480, 640), stride=(2, 2), pool="max")
    assert pooled.nearest_index(x, y) == (60, 80)
    assert strided.nearest_index(-50, 1e6) == (239, 0)  # off the picture: the nearest edge pixel
