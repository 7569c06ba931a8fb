"""Synthetic test patterns: frames whose content is known exactly, for teaching and tests."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from cnnexplorer.core.i18n import N_, tr

WIDTH, HEIGHT = 640, 480


def checkerboard(cell: int = 40) -> np.ndarray:
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    board = ((y // cell + x // cell) % 2 * 255).astype(np.uint8)
    return np.dstack([board] * 3)


def gradient() -> np.ndarray:
    """Red rises left to right, green top to bottom, blue along the diagonal."""
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    red = x / (WIDTH - 1)
    green = y / (HEIGHT - 1)
    blue = (red + green) / 2
    return (np.dstack([red, green, blue]) * 255 + 0.5).astype(np.uint8)


def circles() -> np.ndarray:
    frame = np.zeros((HEIGHT, WIDTH, 3), np.uint8)
    centre = (WIDTH // 2, HEIGHT // 2)
    for i, radius in enumerate(range(220, 0, -20)):
        colour = (255, 255, 255) if i % 2 == 0 else (0, 0, 0)
        cv2.circle(frame, centre, radius, colour, thickness=-1, lineType=cv2.LINE_AA)
    for (cx, cy), colour in (((90, 90), (255, 0, 0)), ((550, 90), (0, 255, 0)), ((90, 390), (0, 0, 255))):
        cv2.circle(frame, (cx, cy), 50, colour, thickness=-1, lineType=cv2.LINE_AA)
    return frame


def stripes(angle_deg: float, period: int = 24) -> np.ndarray:
    """Black and white bars whose normal points at ``angle_deg`` (0 = vertical bars)."""
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    theta = np.deg2rad(angle_deg)
    phase = (x * np.cos(theta) + y * np.sin(theta)) / period
    bars = ((np.floor(phase) % 2) * 255).astype(np.uint8)
    return np.dstack([bars] * 3)


def text() -> np.ndarray:
    frame = np.full((HEIGHT, WIDTH, 3), 255, np.uint8)
    lines = ["cnnexplorer", "ABCDEFGHIJKLM", "nopqrstuvwxyz", "0123456789 +-*/="]
    for i, line in enumerate(lines):
        scale = 2.0 if i == 0 else 1.4
        cv2.putText(frame, line, (30, 100 + i * 100), cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), 3, cv2.LINE_AA)
    return frame


# Keys as well as labels (source specs keep them, "pattern:NAME"): show them through tr().
PATTERNS: dict[str, Callable[[], np.ndarray]] = {
    N_("checkerboard"): checkerboard,
    N_("gradient"): gradient,
    N_("circles"): circles,
    N_("stripes-0"): lambda: stripes(0),
    N_("stripes-45"): lambda: stripes(45),
    N_("stripes-90"): lambda: stripes(90),
    N_("stripes-135"): lambda: stripes(135),
    N_("text"): text,
}


def pattern(name: str) -> np.ndarray:
    """The named pattern as a (480, 640, 3) uint8 RGB frame."""
    try:
        make = PATTERNS[name]
    except KeyError:
        raise KeyError(tr("no pattern {name}; choose from {choices}", name=repr(name),
                          choices=", ".join(PATTERNS))) from None
    return np.ascontiguousarray(make())
