"""Test media made on the fly: a video file stands in for a camera."""

from pathlib import Path

import cv2
import numpy as np


def write_video(path: Path, frames: int = 30, size=(160, 120), fps: float = 30.0, still: bool = False) -> list:
    """An MJPG .avi whose frame i shows i as a bright bar (or the same frame if ``still``)."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, size)
    assert writer.isOpened()
    written = []
    for i in range(frames):
        bgr = np.zeros((size[1], size[0], 3), np.uint8)
        bgr[:, : size[0] // 4] = (40, 80, 160)  # asymmetric: mirroring shows
        if not still:
            x = 8 + (i * 5) % (size[0] - 16)
            bgr[:, x : x + 8] = 255
        writer.write(bgr)
        written.append(bgr)
    writer.release()
    return written


def count_frames(path: Path) -> int:
    """How many frames a video file decodes to."""
    capture = cv2.VideoCapture(str(path))
    count = 0
    while capture.read()[0]:
        count += 1
    capture.release()
    return count
