"""Each model's own input preparation: resize the short side, centre-crop, then scale the values."""

from __future__ import annotations

import cv2
import numpy as np

MODES = ("torch", "caffe", "tf", "unit")
IMAGENET_MEAN = np.array([0.485, 0.456, 0.406], np.float32)
IMAGENET_STD = np.array([0.229, 0.224, 0.225], np.float32)
CAFFE_MEAN_BGR = np.array([103.939, 116.779, 123.68], np.float32)


def resize_crop(rgb: np.ndarray, size: int, short_side: int | None = None) -> np.ndarray:
    """Scale so the short side is ``short_side`` (default: ``size``), then cut the centre size×size."""
    h, w = rgb.shape[:2]
    target = short_side or size
    scale = target / min(h, w)
    new_w, new_h = max(size, round(w * scale)), max(size, round(h * scale))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    resized = cv2.resize(rgb, (new_w, new_h), interpolation=interpolation)
    top, left = (new_h - size) // 2, (new_w - size) // 2
    return resized[top : top + size, left : left + size]


def scale_values(rgb: np.ndarray, mode: str) -> np.ndarray:
    """uint8 RGB → the float32 values a model was trained on.

    torch: (x/255 − mean)/std · caffe: BGR minus the ImageNet mean (VGG, ResNet50) ·
    tf: x/127.5 − 1 (Inception, Xception) · unit: x/255.
    """
    x = rgb.astype(np.float32)
    if mode == "torch":
        return (x / 255.0 - IMAGENET_MEAN) / IMAGENET_STD
    if mode == "caffe":
        return x[..., ::-1] - CAFFE_MEAN_BGR
    if mode == "tf":
        return x / 127.5 - 1.0
    if mode == "unit":
        return x / 255.0
    raise ValueError(f"preprocessing mode must be one of {MODES}, got {mode!r}")


def prepare(rgb: np.ndarray, size: int, mode: str) -> np.ndarray:
    """One frame as a batch of one, (1, size, size, 3) float32."""
    rgb = np.asarray(rgb)
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(f"expected an (H, W, 3) uint8 RGB frame, got {rgb.dtype} {rgb.shape}")
    short_side = round(size * 256 / 224) if mode == "torch" else None
    return scale_values(resize_crop(rgb, size, short_side), mode)[None]
