"""Load any image file a user may drop on the app as an (H, W, 3) uint8 RGB array, or say why not."""

from __future__ import annotations

import warnings
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from cnnexplorer.core.i18n import tr

MAX_SIDE = 4096
"""Longer images are downscaled to this long side."""

MAX_FULL_DECODE_PIXELS = 64_000_000
"""Formats that cannot decode at reduced size (all but JPEG) are refused above this many pixels."""

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".ppm", ".pgm")


class ImageLoadError(ValueError):
    """An image file could not be read; the message names the file and the problem."""


def load_image(path: str | Path, *, max_side: int = MAX_SIDE) -> np.ndarray:
    """Read ``path`` as an (H, W, 3) uint8 RGB array.

    Handles 8/16-bit, grayscale, palette and alpha images (composited on white), EXIF rotation and
    any path Python can open. Truncated, empty and non-image files raise :class:`ImageLoadError`.
    Images with a side over ``max_side`` come back downscaled to it; huge JPEGs are decoded at
    reduced size (never the full image), huge images of other formats are refused.
    """
    path = Path(path)
    _check_file(path)
    try:
        with warnings.catch_warnings():
            # Our own size policy below replaces Pillow's decompression-bomb warning.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                image = _decode(path, image, max_side)
    except ImageLoadError:
        raise
    except UnidentifiedImageError:
        raise ImageLoadError(tr("{name}: not an image file, or a format cnnexplorer cannot read",
                                name=path.name)) from None
    except Image.DecompressionBombError as exc:
        raise ImageLoadError(tr("{name}: too large to load safely ({problem})", name=path.name, problem=exc)) from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageLoadError(tr("{name}: the file is corrupt or truncated ({problem})", name=path.name,
                                problem=exc)) from None
    rgb = _to_rgb8(image, path)
    return _fit_side(rgb, max_side)


def _check_file(path: Path) -> None:
    if not path.exists():
        raise ImageLoadError(tr("{path}: no such file", path=path))
    if path.is_dir():
        raise ImageLoadError(tr("{path}: is a folder, not an image file", path=path))
    if path.stat().st_size == 0:
        raise ImageLoadError(tr("{name}: the file is empty", name=path.name))


def _decode(path: Path, image: Image.Image, max_side: int) -> Image.Image:
    width, height = image.size
    if width < 1 or height < 1:
        raise ImageLoadError(tr("{name}: the image has no pixels ({width}×{height})", name=path.name, width=width,
                                height=height))
    if image.format == "JPEG":
        # Decode at 1/2, 1/4 or 1/8 scale straight from the DCT: the full image is never built.
        scale = max(width, height) / max_side
        if scale > 1:
            image.draft("RGB", (int(width / scale) + 1, int(height / scale) + 1))
    elif width * height > MAX_FULL_DECODE_PIXELS:
        if image.format:
            raise ImageLoadError(tr("{name}: {width}×{height} is too large to load (limit {limit} megapixels for "
                                    "{format})", name=path.name, width=width, height=height,
                                    limit=MAX_FULL_DECODE_PIXELS // 1_000_000, format=image.format))
        raise ImageLoadError(tr("{name}: {width}×{height} is too large to load (limit {limit} megapixels for "
                                "this format)", name=path.name, width=width, height=height,
                                limit=MAX_FULL_DECODE_PIXELS // 1_000_000))
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        raise ImageLoadError(tr("Pillow is set to accept truncated images; cnnexplorer refuses to guess"))
    image.load()  # raises OSError on a truncated file
    return ImageOps.exif_transpose(image)


def _to_rgb8(image: Image.Image, path: Path) -> np.ndarray:
    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        values = np.asarray(image, dtype=np.float64)
        top = 65535.0 if values.max(initial=0) > 255 or mode.startswith("I;16") else 255.0
        gray = np.clip(values / top * 255.0 + 0.5, 0, 255).astype(np.uint8)
        return np.ascontiguousarray(np.repeat(gray[:, :, None], 3, axis=2))
    if mode == "F":
        values = np.nan_to_num(np.asarray(image, dtype=np.float64))
        low, high = values.min(initial=0), values.max(initial=0)
        gray = ((values - low) / (high - low or 1.0) * 255.0 + 0.5).astype(np.uint8)
        return np.ascontiguousarray(np.repeat(gray[:, :, None], 3, axis=2))
    if mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode in ("RGBA", "LA", "PA", "La", "RGBa"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    rgb = np.asarray(image.convert("RGB"), dtype=np.uint8)
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ImageLoadError(tr("{name}: unsupported image layout {mode} {shape}", name=path.name, mode=mode,
                                shape=rgb.shape))
    return np.ascontiguousarray(rgb)


def _fit_side(rgb: np.ndarray, max_side: int) -> np.ndarray:
    height, width = rgb.shape[:2]
    if max(height, width) <= max_side:
        return rgb
    scale = max_side / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
