import numpy as np

from cnnexplorer.core.display.channel_mosaic import BLANK, channel_mosaic


def test_sorted_mosaic_puts_the_strongest_channel_first_and_scales_each_alone():
    maps = np.zeros((3, 4, 3), np.float32)
    maps[..., 0] = 1.0
    maps[..., 1] = np.arange(12, dtype=np.float32).reshape(3, 4) * 10  # mean 55
    maps[0, 0, 2], maps[2, 3, 2] = -2.0, 2.0  # signed: 0 stays mid-grey
    mosaic = channel_mosaic(maps, per_channel=True, sort=True)
    assert list(mosaic.order) == [1, 0, 2]
    first = mosaic.image[:3, :4]  # tile 0 holds channel 1, scaled to its own 1…255
    assert first.min() == 1 and first.max() == 255
    y, x = mosaic.grid.origin(2)
    signed = mosaic.image[y : y + 3, x : x + 4]
    assert signed[0, 0] == 1 and signed[2, 3] == 255 and signed[1, 1] == 128


def test_shared_scaling_keeps_channels_comparable():
    maps = np.stack([np.full((2, 2), 1.0), np.full((2, 2), 3.0)], axis=-1).astype(np.float32)
    mosaic = channel_mosaic(maps, per_channel=False)
    assert mosaic.image[0, 0] == 1 and mosaic.image[0, mosaic.grid.origin(1)[1]] == 255
    assert (mosaic.per_channel, mosaic.sort) == (False, False) and list(mosaic.order) == [0, 1]


def test_a_wide_layer_tiles_each_channel_as_its_own_scaled_bytes():
    """More channels than OpenCV takes at once (MobileNetV2's last layer has 1,280): every tile is its
    channel scaled to 1…255 on its own, gaps blank."""
    from cnnexplorer.core.display.mosaic import normalise_each

    maps = np.random.default_rng(0).standard_normal((7, 7, 1280)).astype(np.float32)
    mosaic = channel_mosaic(maps)
    expected = np.rint(1 + normalise_each(maps) * 254).astype(np.uint8)
    for channel in (0, 511, 512, 1279):
        y, x = mosaic.grid.origin(channel)
        np.testing.assert_array_equal(mosaic.image[y : y + 7, x : x + 7], expected[..., channel])
    assert mosaic.image[7, :].max() == BLANK  # the line between the first two rows of tiles


def test_no_value_reads_as_an_empty_tile():
    """32 channels tile 6×6: the last four tiles and the lines between tiles are blank, and no
    channel's value, its lowest included, takes the blank byte."""
    maps = np.random.default_rng(1).standard_normal((5, 5, 32)).astype(np.float32)
    for per_channel in (True, False):
        mosaic = channel_mosaic(maps, per_channel)
        tiles = np.zeros(mosaic.image.shape, bool)
        for channel in range(32):
            y, x = mosaic.grid.origin(channel)
            tiles[y : y + 5, x : x + 5] = True
        assert (mosaic.image[tiles] != BLANK).all() and (mosaic.image[~tiles] == BLANK).all()
        assert mosaic.image[tiles].min() == 1 and mosaic.image[tiles].max() == 255
