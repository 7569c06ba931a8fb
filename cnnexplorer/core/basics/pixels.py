"""Course §2, image basics: pixel values, channels, bit depth and resolution of a frame."""

from __future__ import annotations

import cv2
import numpy as np

from cnnexplorer.core.i18n import N_, tr

# Keys as well as labels (scenes and settings keep them): show them through tr().
DEPTHS = (N_("1-bit"), N_("8-bit gray"), N_("24-bit colour"), N_("posterised"))
CHANNEL_GAP = 4  # white pixels after each tinted channel plane


def bit_depth(rgb: np.ndarray, depth: str, *, threshold: int = 128, levels: int = 4) -> np.ndarray:
    """The frame as it looks at ``depth``, as (H, W, 3) uint8 for display.

    1-bit: gray ≥ threshold is white (2 colours); 8-bit gray: 256 grays; 24-bit: 256³ colours;
    posterised: ``levels`` values per channel (levels³ colours).
    """
    if depth == "24-bit colour":
        return rgb
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    if depth == "8-bit gray":
        return cv2.cvtColor(gray, cv2.COLOR_GRAY2RGB)
    if depth == "1-bit":
        if not 0 <= threshold <= 255:
            raise ValueError(tr("threshold must be 0…255, got {threshold}", threshold=threshold))
        bits = np.where(gray >= threshold, 255, 0).astype(np.uint8)
        return cv2.cvtColor(bits, cv2.COLOR_GRAY2RGB)
    if depth == "posterised":
        if not 2 <= levels <= 256:
            raise ValueError(tr("levels must be 2…256, got {levels}", levels=levels))
        step = 255.0 / (levels - 1)
        index = np.floor(rgb.astype(np.float32) * levels / 256.0)
        return np.round(index * step).astype(np.uint8)
    raise ValueError(tr("depth must be one of {choices}, got {depth}", choices=DEPTHS, depth=repr(depth)))


def colour_count(depth: str, levels: int = 4) -> int:
    return {"1-bit": 2, "8-bit gray": 256, "24-bit colour": 256**3, "posterised": levels**3}[depth]


def reduce_resolution(rgb: np.ndarray, factor: int) -> np.ndarray:
    """The frame sampled at 1/``factor`` of its width and height (area averaging)."""
    if factor < 1:
        raise ValueError(tr("factor must be ≥ 1, got {factor}", factor=factor))
    h, w = rgb.shape[:2]
    size = (max(1, w // factor), max(1, h // factor))
    return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA) if factor > 1 else rgb


def channel_planes(rgb: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """R, G and B as separate (H, W) planes."""
    return [(name, np.ascontiguousarray(rgb[..., i])) for i, name in enumerate("RGB")]


def value_grid(rgb: np.ndarray, cy: int, cx: int, size: int = 8) -> tuple[np.ndarray, int, int]:
    """A ``size``×``size`` crop around (cy, cx), clipped to the frame; returns (crop, top, left)."""
    h, w = rgb.shape[:2]
    top = int(np.clip(cy - size // 2, 0, max(0, h - size)))
    left = int(np.clip(cx - size // 2, 0, max(0, w - size)))
    return rgb[top : top + size, left : left + size], top, left


def bits_per_pixel(depth: str, levels: int = 4) -> int:
    """Bits to store one pixel at ``depth``; posterised needs ⌈log₂ levels⌉ bits per channel."""
    if depth == "posterised":
        return 3 * (levels - 1).bit_length()
    return {"1-bit": 1, "8-bit gray": 8, "24-bit colour": 24}[depth]


def storage_summary(height: int, width: int, depth: str, levels: int = 4) -> str:
    """Pixels, possible colours and uncompressed size of a ``width``×``height`` image at ``depth``."""
    pixels, bits = width * height, bits_per_pixel(depth, levels)
    return tr("{width}×{height} = {pixels} pixels · {depth}: {colours} possible colours · "
              "{bits} bits per pixel → {kib} KiB uncompressed", width=width, height=height, pixels=f"{pixels:,}",
              depth=tr(depth), colours=f"{colour_count(depth, levels):,}", bits=bits,
              kib=f"{pixels * bits / 8 / 1024:,.1f}")


def tinted_channels(rgb: np.ndarray) -> np.ndarray:
    """R, G and B side by side, each plane shown in its own colour, a white gap after each (plane
    ``c`` starts at column ``plane_offsets(width)[c]``)."""
    tinted = []
    for channel, (_, plane) in enumerate(channel_planes(rgb)):
        one = np.zeros((*plane.shape, 3), np.uint8)
        one[..., channel] = plane
        tinted.append(cv2.copyMakeBorder(one, 0, 0, 0, CHANNEL_GAP, cv2.BORDER_CONSTANT, value=(255, 255, 255)))
    return np.hstack(tinted)


def plane_offsets(width: int) -> list[int]:
    """The first column of the R, G and B planes in :func:`tinted_channels` of a ``width``-wide frame."""
    return [c * (width + CHANNEL_GAP) for c in range(3)]


def frame_column(x: int, width: int, channels_shown: bool) -> int | None:
    """The frame column under column ``x`` of what is shown (the frame, or its three channel planes
    side by side); None off the picture or on a gap."""
    if channels_shown:
        x = x % (width + CHANNEL_GAP) if 0 <= x < 3 * (width + CHANNEL_GAP) else -1
    return x if 0 <= x < width else None


def value_texts(crop: np.ndarray) -> list[list[str]]:
    """What each pixel of an (h, w, 3) value grid reads: one number when the whole crop is gray,
    "R 200", "G 31", "B 7" on three lines otherwise."""
    gray = np.array_equal(crop[..., 0], crop[..., 1]) and np.array_equal(crop[..., 1], crop[..., 2])
    return [[str(int(pixel[0])) if gray else "\n".join(f"{name} {int(v)}" for name, v in zip("RGB", pixel))
             for pixel in row] for row in crop]
