import struct
import zlib

import cv2
import numpy as np
import pytest
from PIL import Image

from cnnexplorer.core.frames.images import MAX_SIDE, ImageLoadError, load_image
from cnnexplorer.core.infra.resources import resource


def _is_rgb8(array):
    return array.dtype == np.uint8 and array.ndim == 3 and array.shape[2] == 3 and array.flags.c_contiguous


def test_sample_photo_loads_as_rgb():
    rgb = load_image(resource("images", "chelsea.png"))
    assert _is_rgb8(rgb) and rgb.shape == (300, 451, 3)
    bgr = cv2.imread(str(resource("images", "chelsea.png")))
    np.testing.assert_array_equal(rgb, bgr[:, :, ::-1])


def test_jpeg_equals_opencv_decode():
    path = resource("images", "rocket.jpg")
    rgb = load_image(path)
    bgr = cv2.imread(str(path))
    assert rgb.shape == bgr.shape
    # Two libjpeg builds may round a few values differently; the picture is the same.
    assert np.abs(rgb.astype(int) - bgr[:, :, ::-1].astype(int)).mean() < 1.0


@pytest.mark.parametrize(
    "content, problem",
    [(b"", "empty"), (b"hello, I am text\n" * 10, "not an image"), (b"\x89PNG\r\n\x1a\n", "")],
)
def test_bad_bytes_named_png_raise(tmp_path, content, problem):
    path = tmp_path / "picture.png"
    path.write_bytes(content)
    with pytest.raises(ImageLoadError, match="picture.png") as info:
        load_image(path)
    assert problem in str(info.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ImageLoadError, match="no such file"):
        load_image(tmp_path / "nope.png")
    with pytest.raises(ImageLoadError, match="folder"):
        load_image(tmp_path)


@pytest.mark.parametrize("name", ["chelsea.png", "rocket.jpg"])
@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_files_are_rejected_not_half_grey(tmp_path, name, keep):
    data = resource("images", name).read_bytes()
    path = tmp_path / f"cut_{name}"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(ImageLoadError, match="truncated|corrupt"):
        load_image(path)


def test_16_bit_png_scales_to_8_bit(tmp_path):
    gray16 = np.tile(np.linspace(0, 65535, 64).astype(np.uint16), (8, 1))
    path = tmp_path / "deep.png"
    cv2.imwrite(str(path), gray16)
    rgb = load_image(path)
    assert _is_rgb8(rgb)
    np.testing.assert_array_equal(rgb[..., 0], rgb[..., 2])
    expected = np.round(gray16 / 257.0).astype(np.uint8)
    assert np.abs(rgb[..., 0].astype(int) - expected).max() <= 1


def test_16_bit_colour_png(tmp_path):
    bgr16 = np.zeros((4, 4, 3), np.uint16)
    bgr16[..., 2] = 65535  # red in BGR order
    path = tmp_path / "deep_colour.png"
    cv2.imwrite(str(path), bgr16)
    rgb = load_image(path)
    assert _is_rgb8(rgb)
    assert rgb[0, 0].tolist() == [255, 0, 0]


def test_rgba_is_composited_on_white(tmp_path):
    rgba = np.zeros((2, 2, 4), np.uint8)
    rgba[0, 0] = (255, 0, 0, 255)  # opaque red
    rgba[0, 1] = (0, 0, 255, 0)  # fully transparent blue → white
    rgba[1, 0] = (0, 0, 0, 128)  # half black → mid grey
    path = tmp_path / "alpha.png"
    Image.fromarray(rgba, "RGBA").save(path)
    rgb = load_image(path)
    assert rgb[0, 0].tolist() == [255, 0, 0]
    assert rgb[0, 1].tolist() == [255, 255, 255]
    assert abs(int(rgb[1, 0, 0]) - 127) <= 1


def test_grayscale_palette_and_one_pixel(tmp_path):
    Image.fromarray(np.full((3, 5), 77, np.uint8), "L").save(tmp_path / "gray.png")
    assert load_image(tmp_path / "gray.png").tolist() == np.full((3, 5, 3), 77).tolist()

    palette = Image.new("P", (4, 4))
    palette.putpalette([10, 20, 30, 200, 100, 0] + [0] * 762)
    palette.putpixel((1, 1), 1)
    palette.save(tmp_path / "palette.gif")
    rgb = load_image(tmp_path / "palette.gif")
    assert rgb[0, 0].tolist() == [10, 20, 30] and rgb[1, 1].tolist() == [200, 100, 0]

    Image.new("RGB", (1, 1), (1, 2, 3)).save(tmp_path / "one.png")
    assert load_image(tmp_path / "one.png").tolist() == [[[1, 2, 3]]]


def test_exif_rotation_is_applied(tmp_path):
    image = Image.new("RGB", (40, 20), (255, 0, 0))
    exif = image.getexif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    path = tmp_path / "rotated.jpg"
    image.save(path, exif=exif.tobytes())
    assert load_image(path).shape == (40, 20, 3)


def test_non_ascii_path(tmp_path):
    folder = tmp_path / "고양이 ünïcode"
    folder.mkdir()
    path = folder / "사진.png"
    path.write_bytes(resource("images", "coins.png").read_bytes())
    assert load_image(path).shape == (303, 384, 3)


def test_large_jpeg_is_decoded_downscaled(tmp_path):
    big = np.zeros((6000, 9000, 3), np.uint8)
    big[:, 4500:] = 255
    path = tmp_path / "big.jpg"
    cv2.imwrite(str(path), big, [cv2.IMWRITE_JPEG_QUALITY, 50])
    rgb = load_image(path)
    assert max(rgb.shape[:2]) <= MAX_SIDE
    assert rgb.shape[1] / rgb.shape[0] == pytest.approx(1.5, rel=0.01)
    assert rgb[:, : rgb.shape[1] // 3].mean() < 10 and rgb[:, -rgb.shape[1] // 3 :].mean() > 245


def test_large_png_is_downscaled(tmp_path):
    path = tmp_path / "wide.png"
    cv2.imwrite(str(path), np.full((100, 5000, 3), 200, np.uint8))
    assert load_image(path).shape == (82, MAX_SIDE, 3)


def _png_header_only(width, height):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_huge_png_is_refused_before_decoding(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header_only(20000, 20000))  # would be 1.2 GB decoded
    with pytest.raises(ImageLoadError, match="too large"):
        load_image(path)
