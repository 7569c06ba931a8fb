"""AutoAugment's ImageNet policy as published (Cubuk et al., arXiv 1805.09501).

Each image gets one of 25 sub-policies drawn at random; each of its two operations is applied with
its probability at its FIXED magnitude: the policy's 0…9 is one of ten evenly spaced values over
the operation's range (the paper's Table 6), with a random sign where the range is symmetric
(rotate ±30°, shear ±0.3). Nothing is drawn "up to" the magnitude, unlike the ordinary steps.
"""

from __future__ import annotations

import math

import numpy as np

from cnnexplorer.core.augment.ops import VALUE_RANGE, op_name
from cnnexplorer.core.i18n import tr

# 25 sub-policies of two operations, each (operation, probability, magnitude 0…9 or None).
AUTOAUGMENT_IMAGENET = (
    (("posterize", 0.4, 8), ("rotate", 0.6, 9)), (("solarize", 0.6, 5), ("autocontrast", 0.6, None)),
    (("equalize", 0.8, None), ("equalize", 0.6, None)), (("posterize", 0.6, 7), ("posterize", 0.6, 6)),
    (("equalize", 0.4, None), ("solarize", 0.2, 4)), (("equalize", 0.4, None), ("rotate", 0.8, 8)),
    (("solarize", 0.6, 3), ("equalize", 0.6, None)), (("posterize", 0.8, 5), ("equalize", 1.0, None)),
    (("rotate", 0.2, 3), ("solarize", 0.6, 8)), (("equalize", 0.6, None), ("posterize", 0.4, 6)),
    (("rotate", 0.8, 8), ("color", 0.4, 0)), (("rotate", 0.4, 9), ("equalize", 0.6, None)),
    (("equalize", 0.0, None), ("equalize", 0.8, None)), (("invert", 0.6, None), ("equalize", 1.0, None)),
    (("color", 0.6, 4), ("contrast", 1.0, 8)), (("rotate", 0.8, 8), ("color", 1.0, 2)),
    (("color", 0.8, 8), ("solarize", 0.8, 7)), (("sharpness", 0.4, 7), ("invert", 0.6, None)),
    (("shear_x", 0.6, 5), ("equalize", 1.0, None)), (("color", 0.4, 0), ("equalize", 0.6, None)),
    (("equalize", 0.4, None), ("solarize", 0.2, 4)), (("solarize", 0.6, 5), ("autocontrast", 0.6, None)),
    (("invert", 0.6, None), ("equalize", 1.0, None)), (("color", 0.6, 4), ("contrast", 1.0, 8)),
    (("equalize", 0.8, None), ("equalize", 0.6, None)),
)

# The paper's ranges: magnitude 0 is the first value, 9 the second; signed ranges get ± per image.
RANGES = {
    "rotate": (0.0, 30.0, True),  # degrees, counter-clockwise when positive
    "shear_x": (0.0, 0.3, True),  # x moves by this much per row
    "posterize": (8.0, 4.0, False),  # bits kept
    "solarize": (256.0, 0.0, False),  # pixels at or above it are inverted
    "color": (0.1, 1.9, False),  # PIL ImageEnhance factors: 1 leaves the image as it is
    "contrast": (0.1, 1.9, False),
    "sharpness": (0.1, 1.9, False),
}


def fixed_value(op: str, magnitude: int) -> float:
    """The value of ``op`` at policy magnitude 0…9 (before any random sign)."""
    low, high, _ = RANGES[op]
    value = low + (high - low) * magnitude / 9
    return float(round(value)) if op == "posterize" else value


class AutoAugment:
    """Runs a policy (default: the ImageNet one) on a batch, drawing from the caller's generator."""

    def __init__(self, policy=AUTOAUGMENT_IMAGENET) -> None:
        import keras

        self.policy = policy
        self.equalize = keras.layers.Equalization(value_range=VALUE_RANGE)
        self.autocontrast = keras.layers.AutoContrast(value_range=VALUE_RANGE)

    def batch(self, images, generator):
        """Graph-friendly (training): every operation runs on the batch, masks pick the images."""
        import keras

        ops = keras.ops
        n = ops.shape(images)[0]
        pick = keras.random.randint((n,), 0, len(self.policy), seed=generator)
        out = images
        for k, sub in enumerate(self.policy):
            for op, p, magnitude in sub:
                apply = ops.logical_and(ops.equal(pick, k), keras.random.uniform((n,), seed=generator) < p)
                value = self._values(op, magnitude, n, generator)
                out = ops.where(ops.reshape(apply, (-1, 1, 1, 1)), self._apply(op, out, value), out)
        return out

    def eager(self, images: np.ndarray, generator) -> tuple[np.ndarray, list[list[str]]]:
        """The same policy image by image, for previews: only the drawn sub-policies run, on only
        their images (with 16 tiles ~30 image-operations instead of the 800 that masking costs).
        Returns the images and, per image, a line for each operation applied."""
        import keras

        out = np.array(images, dtype=np.float32)
        notes: list[list[str]] = [[] for _ in range(len(out))]
        pick = np.asarray(keras.random.randint((len(out),), 0, len(self.policy), seed=generator))
        for k in np.unique(pick):
            members = np.flatnonzero(pick == k)
            for op, p, magnitude in self.policy[k]:
                hit = members[np.asarray(keras.random.uniform((len(members),), seed=generator)) < p]
                if not len(hit):
                    continue
                value = self._values(op, magnitude, len(hit), generator)
                out[hit] = np.asarray(self._apply(op, out[hit], value))
                for i, v in zip(hit, np.asarray(value) if value is not None else [None] * len(hit)):
                    notes[i].append(_note(k + 1, op, magnitude, v))
        return out, notes

    def _values(self, op: str, magnitude, n, generator):
        """Per image: the operation's fixed value, with a random sign where its range has one."""
        if magnitude is None:
            return None
        import keras

        value = keras.ops.full((n,), fixed_value(op, magnitude))
        if RANGES[op][2]:
            value = keras.ops.where(keras.random.uniform((n,), seed=generator) < 0.5, -value, value)
        return value

    def _apply(self, op: str, images, value):
        import keras

        if op == "equalize":
            return self.equalize(images)
        if op == "autocontrast":
            return self.autocontrast(images)
        if op == "invert":
            return VALUE_RANGE[1] - images
        return _FIXED[op](keras.ops, images, keras.ops.reshape(value, (-1, 1, 1, 1)))


def _note(number: int, op: str, magnitude, value) -> str:
    """One applied operation of sub-policy ``number``, as the tile explainer shows it."""
    if magnitude is None:
        return tr("autoaugment #{number}: {operation}", number=number, operation=op_name(op))
    return tr("autoaugment #{number}: {operation} {magnitude} ({value})", number=number, operation=op_name(op),
              magnitude=magnitude, value=_shown(op, value))


def _shown(op: str, value: float) -> str:
    if op == "rotate":
        return f"{value:+.3g}°"
    if op == "shear_x":
        return f"{value:+.3g}"
    if op == "posterize":
        return tr("{bits} bits", bits=f"{value:.0f}")
    if op == "solarize":
        return tr("threshold {threshold}", threshold=f"{value:.0f}")
    return f"×{value:.2g}"


def _affine(ops, images, rows):
    """Each output pixel (x, y) samples the input at (a·x + b·y + c, d·x + e·y + f)."""
    return ops.image.affine_transform(images, ops.stack(rows + [ops.zeros_like(rows[0])] * 2, axis=1),
                                      interpolation="bilinear", fill_mode="constant", fill_value=0)


def _rotate(ops, images, degrees):
    h, w = (ops.cast(ops.shape(images)[i], "float32") for i in (1, 2))
    cx, cy = (w - 1) / 2, (h - 1) / 2
    theta = ops.reshape(degrees, (-1,)) * (math.pi / 180)
    c, s = ops.cos(theta), ops.sin(theta)
    return _affine(ops, images, [c, -s, cx - c * cx + s * cy, s, c, cy - s * cx - c * cy])


def _shear_x(ops, images, factor):
    """About the top-left corner, as the paper's PIL transform does."""
    f = ops.reshape(factor, (-1,))
    one, zero = ops.ones_like(f), ops.zeros_like(f)
    return _affine(ops, images, [one, f, zero, zero, one, zero])


def _posterize(ops, images, bits):
    step = ops.power(2.0, 8.0 - bits)
    return ops.floor(images / step) * step


def _solarize(ops, images, threshold):
    return ops.where(images < threshold, images, VALUE_RANGE[1] - images)


def _blend(ops, degenerate, images, factor):
    """PIL's ImageEnhance: factor 0 gives ``degenerate``, 1 the image, beyond 1 extrapolates."""
    return ops.clip(degenerate + factor * (images - degenerate), *VALUE_RANGE)


def _color(ops, images, factor):
    return _blend(ops, ops.image.rgb_to_grayscale(images), images, factor)


def _contrast(ops, images, factor):
    mean = ops.mean(ops.image.rgb_to_grayscale(images), axis=(1, 2, 3), keepdims=True)
    return _blend(ops, mean, images, factor)


def _sharpness(ops, images, factor):
    kernel = ops.reshape(ops.convert_to_tensor([1, 1, 1, 1, 5, 1, 1, 1, 1], "float32") / 13, (3, 3, 1, 1))
    padded = ops.pad(images, ((0, 0), (1, 1), (1, 1), (0, 0)), mode="symmetric")  # pad 1: the edge repeated
    smooth = ops.depthwise_conv(padded, ops.tile(kernel, (1, 1, 3, 1)), padding="valid")
    return _blend(ops, smooth, images, factor)


_FIXED = {"rotate": _rotate, "shear_x": _shear_x, "posterize": _posterize, "solarize": _solarize,
          "color": _color, "contrast": _contrast, "sharpness": _sharpness}
