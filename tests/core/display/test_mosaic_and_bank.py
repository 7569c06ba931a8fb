import numpy as np
import pytest

from cnnexplorer.core.conv.ops import conv2d
from cnnexplorer.core.conv.lab import parameter_counts
from cnnexplorer.core.conv.filter_bank import BANKS, as_layer, bank, feature_maps
from cnnexplorer.core.display.mosaic import kernel_tiles, normalise_each, tile, tile_rgb


def test_tile_places_every_map_and_locates_points():
    stack = np.arange(5 * 4 * 7, dtype=np.float32).reshape(5, 4, 7)
    mosaic, grid = tile(stack, cols=3, gap=1)
    assert (grid.rows, grid.cols) == (3, 3) and mosaic.shape == (3 * 6 - 1, 3 * 5 - 1)
    for i in range(7):
        y, x = grid.origin(i)
        np.testing.assert_array_equal(mosaic[y : y + 5, x : x + 4], stack[..., i])
        assert grid.locate(y + 2.5, x + 3.2) == (i, 2, 3)
    assert grid.locate(5.5, 0) is None  # the gap row
    assert grid.locate(13, 11) is None  # the empty 9th cell


def test_normalise_each_keeps_zero_centred_for_signed_maps():
    stack = np.stack([np.array([[-2.0, 0.0, 1.0]]), np.array([[3.0, 5.0, 7.0]])], axis=-1)
    out = normalise_each(stack)
    np.testing.assert_allclose(out[..., 0], [[0.0, 0.5, 0.75]])
    np.testing.assert_allclose(out[..., 1], [[0.0, 0.5, 1.0]])


@pytest.mark.parametrize("name", BANKS)
def test_banks_make_one_layer_of_feature_maps(name):
    named = bank(name, count=6, size=5)
    weights = as_layer(named)
    assert weights.shape[3] == len(named) and weights.shape[2] == 1
    gray = np.random.default_rng(0).integers(0, 256, (30, 40)).astype(np.uint8)
    maps = feature_maps(gray, weights)
    assert maps.shape == (30, 40, len(named))
    for i in range(len(named)):
        expected = conv2d(gray, weights[..., 0, i], padding="same")
        np.testing.assert_allclose(maps[..., i], expected, rtol=1e-5, atol=1e-3)
    centre = weights.shape[0] // 2
    small = named[0][1]
    half = small.shape[0] // 2
    np.testing.assert_array_equal(weights[centre - half : centre + half + 1, centre - half : centre + half + 1, 0, 0], small)


def test_parameter_counts_conv_vs_dense():
    counts = parameter_counts((480, 640, 1), (3, 3), 8, (480, 640))
    assert counts["conv"] == 8 * (9 + 1) == 80
    assert counts["dense"] == 480 * 640 * (480 * 640 * 8) + 480 * 640 * 8


def test_tile_rgb_places_each_colour_image_in_its_cell():
    rng = np.random.default_rng(0)
    images = rng.random((5, 4, 6, 3)).astype(np.float32)
    mosaic, grid = tile_rgb(images, cols=3, gap=1)
    assert mosaic.shape == (2 * 4 + 1, 3 * 6 + 2, 3) and (grid.rows, grid.cols, grid.count) == (2, 3, 5)
    for index in range(5):
        y, x = grid.origin(index)
        np.testing.assert_array_equal(mosaic[y:y + 4, x:x + 6], images[index])
    assert grid.locate(5, 7 + 2) == (4, 0, 2)
    np.testing.assert_array_equal(mosaic[4, :], 1.0)  # the gap row is white


def test_tile_rgb_keeps_bytes_as_bytes_with_white_gaps():
    images = np.random.default_rng(1).integers(0, 256, (3, 4, 5, 3), dtype=np.uint8)
    mosaic, grid = tile_rgb(images, cols=2, gap=2)
    float_mosaic, _ = tile_rgb(images / np.float32(255), cols=2, gap=2)
    assert mosaic.dtype == np.uint8 and mosaic.shape == float_mosaic.shape
    np.testing.assert_array_equal(mosaic, np.round(float_mosaic * 255).astype(np.uint8))
    y, x = grid.origin(2)
    np.testing.assert_array_equal(mosaic[y:y + 4, x:x + 5], images[2])
    assert (mosaic[4:6, :] == 255).all()  # the gap rows are white in bytes too


def test_kernel_tiles_centre_zero_at_mid_gray_per_filter():
    kernels = np.zeros((3, 3, 3, 2), np.float32)
    kernels[0, 0, 0, 0], kernels[1, 1, 2, 0] = 2.0, -1.0
    kernels[2, 2, 1, 1] = 0.5
    tiles = kernel_tiles(kernels)
    assert tiles.shape == (2, 3, 3, 3)
    assert tiles[0, 0, 0, 0] == 1.0 and tiles[0, 1, 1, 2] == 0.25 and tiles[0, 2, 2, 2] == 0.5
    assert tiles[1, 2, 2, 1] == 1.0
    gray = kernel_tiles(np.ones((5, 5, 8, 4), np.float32))  # not RGB: the first channel, as gray
    assert gray.shape == (4, 5, 5, 3) and np.all(gray == 1.0)
