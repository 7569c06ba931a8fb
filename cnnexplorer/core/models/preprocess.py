"""Each model's own input preparation: fit the frame to the model's shape, convert to gray where the
model takes one channel, then scale the values.

The documented conversion (what tests compare against Keras with):
1. size: the model's (H, W); a ``None`` side follows the frame's aspect, the short side at
   ``FeedOptions.short_side`` (224), both rounded to the model's total stride;
2. fit: resize keeping the aspect so the frame covers (H, W) and cut the centre ("crop"), or so it
   fits inside and pad black ("letterbox"); torch-mode models first resize a little larger (short
   side 256 for 224), as torchvision does;
3. one-channel models: gray with Keras' luma weights (``keras.ops.image.rgb_to_grayscale``); for the
   "marker on white paper" demo, optionally inverted (255 − x) and thresholded (Otsu, 0 or 255);
4. values: see :func:`scale_values`.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from cnnexplorer.core.i18n import N_, tr

MODES = ("raw", "unit", "tf", "torch", "caffe")
MODE_TITLES = {  # shown through tr(): the keys are what files and settings keep
    "raw": N_("raw 0–255"),
    "unit": "0–1 (x / 255)",
    "tf": "−1–1 (x / 127.5 − 1)",
    "torch": N_("ImageNet mean / std"),
    "caffe": N_("Caffe BGR minus mean"),
}
FITS = ("crop", "letterbox")
LUMA = np.array([0.2989, 0.5870, 0.1140], np.float32)  # tf.image / keras.ops.image.rgb_to_grayscale
IMAGENET_MEAN = np.array([0.485, 0.456, 0.406], np.float32)
IMAGENET_STD = np.array([0.229, 0.224, 0.225], np.float32)
CAFFE_MEAN_BGR = np.array([103.939, 116.779, 123.68], np.float32)
# Per-channel scalings as 3×4 affine matrices (the last column adds): OpenCV applies one in a single
# pass over the frame, half the time of a multiply and an add.
_TORCH_AFFINE = np.hstack([np.diag(1.0 / (255.0 * IMAGENET_STD.astype(np.float64))),
                           (-IMAGENET_MEAN.astype(np.float64) / IMAGENET_STD.astype(np.float64))[:, None]])
_CAFFE_AFFINE = np.hstack([np.eye(3)[::-1], -CAFFE_MEAN_BGR.astype(np.float64)[:, None]])  # RGB → BGR, minus the mean


@dataclass(frozen=True)
class FeedOptions:
    """How a frame becomes the model's input, where the model leaves a choice. Immutable: a change is
    a new value (``dataclasses.replace``) put in place with one assignment, so a thread that reads it
    once per frame feeds with one consistent set, never half of a change."""

    fit: str = "crop"  # "crop" | "letterbox"
    invert: bool = False  # one-channel models: dark ink on white paper → white on black
    threshold: bool = False  # one-channel models: Otsu threshold to pure black and white
    short_side: int = 224  # for ``None`` input sides
    mode: str = "raw"  # the value scaling, one of MODES (see :func:`scale_values`)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(tr("preprocessing mode must be one of {choices}, got {mode!r}", choices=", ".join(MODES),
                                mode=self.mode))
        if self.fit not in FITS:
            raise ValueError(tr("fit must be one of {choices}, got {fit!r}", choices=", ".join(FITS), fit=self.fit))
        if self.short_side < 8:
            raise ValueError(tr("the short side must be at least 8 pixels, got {side}", side=self.short_side))


def feed_size(frame_hw: tuple[int, int], model_hw: tuple[int | None, int | None], stride: int = 1,
              short_side: int = 224) -> tuple[int, int]:
    """The (height, width) the frame is fed at: the model's own, or for ``None`` sides the frame's
    aspect with the short side at ``short_side`` (a fixed side sets the scale), rounded to ``stride``."""
    height, width = model_hw
    if height and width:
        return int(height), int(width)
    fh, fw = frame_hw
    scale = height / fh if height else width / fw if width else short_side / min(fh, fw)
    return int(height or _round_to(fh * scale, stride)), int(width or _round_to(fw * scale, stride))


def _round_to(value: float, stride: int) -> int:
    stride = max(1, int(stride))
    return max(stride, int(round(value / stride)) * stride)


def feed_zoom(mode: str, size_hw: tuple[int, int]) -> float:
    """How much larger than the input the frame is resized before the centre crop: torchvision's
    short side 256 for a 224 crop in "torch" mode, else none."""
    if mode != "torch":
        return 1.0
    return round(min(size_hw) * 256 / 224) / min(size_hw)


def crop_layout(frame_hw: tuple[int, int], size_hw: tuple[int, int], zoom: float = 1.0) -> tuple[int, int, int, int]:
    """Where a "crop" fit puts the input in the frame: (resized height, resized width, top, left) of
    the frame resized to cover ``size_hw`` (times ``zoom``), the input cut from its centre."""
    h, w = size_hw
    fh, fw = frame_hw
    scale = max(h / fh, w / fw) * zoom
    new_h, new_w = max(h, round(fh * scale)), max(w, round(fw * scale))
    return new_h, new_w, (new_h - h) // 2, (new_w - w) // 2


def fit_frame(rgb: np.ndarray, size_hw: tuple[int, int], fit: str = "crop", zoom: float = 1.0) -> np.ndarray:
    """Resize keeping the aspect, then centre-crop ("crop") or pad black ("letterbox") to ``size_hw``.
    ``zoom`` > 1 resizes larger before the crop (torchvision's 256 → 224)."""
    h, w = size_hw
    fh, fw = rgb.shape[:2]
    if fit == "crop":
        new_h, new_w, top, left = crop_layout((fh, fw), size_hw, zoom)
        scale = max(h / fh, w / fw) * zoom
    else:
        scale = min(h / fh, w / fw)
        new_w, new_h = min(w, max(1, round(fw * scale))), min(h, max(1, round(fh * scale)))
    # Area averaging where shrinking aliases; below 2× bilinear already touches every source pixel and
    # is ~20× faster than OpenCV's area path at a fractional ratio (640×480 → 341×256: 0.1 vs 1.9 ms).
    interpolation = cv2.INTER_AREA if scale <= 0.5 else cv2.INTER_LINEAR
    resized = cv2.resize(rgb, (new_w, new_h), interpolation=interpolation)
    if fit == "crop":
        return resized[top : top + h, left : left + w]
    top, left = (h - new_h) // 2, (w - new_w) // 2
    return cv2.copyMakeBorder(resized, top, h - new_h - top, left, w - new_w - left, cv2.BORDER_CONSTANT, value=0)


def to_gray(rgb: np.ndarray, invert: bool = False, threshold: bool = False) -> np.ndarray:
    """(H, W, 3) uint8 RGB → (H, W, 1) float32 0–255 with Keras' luma weights; optionally inverted
    and thresholded (Otsu) so a marker digit on white paper looks like MNIST."""
    gray = cv2.transform(rgb.astype(np.float32), LUMA[None])
    if invert:
        gray = np.float32(255.0) - gray
    if threshold:
        levels = np.clip(np.rint(gray), 0, 255).astype(np.uint8)
        _, binary = cv2.threshold(levels, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        gray = binary.astype(np.float32)
    return gray[..., None]


def scale_values(image: np.ndarray, mode: str) -> np.ndarray:
    """0–255 RGB (H, W, 3) or gray (H, W, 1) → the float32 values a model was trained on.

    raw: unchanged (the model rescales itself) · unit: x/255 · tf: x/127.5 − 1 (Inception, Xception) ·
    torch: (x/255 − mean)/std · caffe: BGR minus the ImageNet mean (VGG, ResNet50). On one channel,
    torch and caffe use the mean over the three channels' statistics.
    Per-channel arithmetic goes through OpenCV in one pass (``cv2.transform``): numpy broadcasting over
    3 channels is ~5× slower, about a millisecond per frame of the live forward pass.
    """
    x = image.astype(np.float32)
    if mode not in MODES:
        raise ValueError(tr("preprocessing mode must be one of {choices}, got {mode!r}", choices=", ".join(MODES),
                            mode=mode))
    if mode == "raw":
        return x
    if mode == "unit":
        return x * np.float32(1 / 255)
    if mode == "tf":
        return x * np.float32(1 / 127.5) - np.float32(1.0)
    if x.shape[-1] == 1:
        if mode == "torch":
            return (x * np.float32(1 / 255) - IMAGENET_MEAN.mean()) / IMAGENET_STD.mean()
        return x - CAFFE_MEAN_BGR.mean()
    return cv2.transform(x, _TORCH_AFFINE if mode == "torch" else _CAFFE_AFFINE)


def prepare_input(rgb: np.ndarray, shape: tuple, mode: str, options: FeedOptions = FeedOptions(),
                  stride: int = 1) -> np.ndarray:
    """One uint8 RGB frame as a batch of one for a model whose input is ``shape`` = (H, W, C), where
    H or W may be ``None`` and C is 1 or 3: (1, h, w, C) float32 (see the module's steps). ``mode``
    scales the values (a :class:`~cnnexplorer.core.models.zoo.ZooModel` passes its ``options.mode``)."""
    rgb = np.asarray(rgb)
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(tr("expected an (H, W, 3) uint8 RGB frame, got {dtype} {shape}", dtype=rgb.dtype,
                            shape=rgb.shape))
    height, width, channels = shape
    if channels not in (1, 3):
        raise ValueError(tr("the model takes {channels} channels; only 1 (gray) or 3 (RGB) can come from a camera",
                            channels=channels))
    size = feed_size(rgb.shape[:2], (height, width), stride, options.short_side)
    fitted = fit_frame(rgb, size, options.fit, feed_zoom(mode, size))
    if channels == 1:
        fitted = to_gray(fitted, options.invert, options.threshold)
    return scale_values(fitted, mode)[None]


def prepare(rgb: np.ndarray, size: int, mode: str) -> np.ndarray:
    """One frame as a batch of one for a square RGB model, (1, size, size, 3) float32."""
    return prepare_input(rgb, (size, size, 3), mode)
