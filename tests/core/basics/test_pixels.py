"""Image basics: bit depths, resolution, channels and the numbers behind the picture."""

import numpy as np
import pytest

from cnnexplorer.core.basics.pixels import (
    DEPTHS,
    bit_depth,
    bits_per_pixel,
    colour_count,
    frame_column,
    plane_offsets,
    reduce_resolution,
    storage_summary,
    tinted_channels,
    value_grid,
    value_texts,
)

RGB = np.random.default_rng(0).integers(0, 256, (30, 40, 3), dtype=np.uint8)


@pytest.mark.parametrize("depth, levels, bits", [("1-bit", 4, 1), ("8-bit gray", 4, 8), ("24-bit colour", 4, 24),
                                                 ("posterised", 2, 3), ("posterised", 4, 6), ("posterised", 5, 9),
                                                 ("posterised", 64, 18)])
def test_bits_per_pixel_hold_every_colour(depth, levels, bits):
    assert bits_per_pixel(depth, levels) == bits
    assert 2**bits >= colour_count(depth, levels)


def test_storage_summary():
    assert storage_summary(30, 40, "24-bit colour") == (
        "40×30 = 1,200 pixels · 24-bit colour: 16,777,216 possible colours · "
        "24 bits per pixel → 3.5 KiB uncompressed"
    )


@pytest.mark.parametrize("depth", DEPTHS)
def test_bit_depth_keeps_the_shape(depth):
    shown = bit_depth(RGB, depth, levels=3)
    assert shown.shape == RGB.shape and shown.dtype == np.uint8
    assert len(np.unique(shown.reshape(-1, 3), axis=0)) <= colour_count(depth, 3)


def test_reduce_resolution():
    assert reduce_resolution(RGB, 4).shape == (7, 10, 3)
    assert reduce_resolution(RGB, 1) is RGB


def test_tinted_channels():
    strip = tinted_channels(RGB)
    assert strip.shape == (30, 3 * 44, 3)
    for channel in range(3):
        plane = strip[:, channel * 44 : channel * 44 + 40]
        np.testing.assert_array_equal(plane[..., channel], RGB[..., channel])
        assert not np.delete(plane, channel, axis=2).any()
        assert (strip[:, channel * 44 + 40 : (channel + 1) * 44] == 255).all()


def test_value_texts_gray_and_colour():
    crop, top, left = value_grid(RGB, 0, 39, size=4)
    assert (top, left) == (0, 36)
    texts = value_texts(crop)
    r, g, b = RGB[0, 36]
    assert len(texts) == 4 and texts[0][0] == f"R {r}\nG {g}\nB {b}"  # each value says which channel it is
    gray = bit_depth(crop, "8-bit gray")
    assert value_texts(gray)[1][2] == str(gray[1, 2, 0])


def test_a_click_on_the_channel_planes_finds_the_frame_column():
    assert plane_offsets(40) == [0, 44, 88] and tinted_channels(RGB).shape[1] == 3 * 44
    assert frame_column(50, 40, channels_shown=True) == 6  # the G plane's column 6
    assert frame_column(42, 40, channels_shown=True) is None  # the gap after R
    assert frame_column(50, 40, channels_shown=False) is None and frame_column(39, 40, channels_shown=False) == 39
    assert frame_column(-1, 40, channels_shown=True) is None and frame_column(3 * 44, 40, channels_shown=True) is None
