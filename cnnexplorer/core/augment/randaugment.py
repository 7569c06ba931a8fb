"""RandAugment as published (Cubuk et al., arXiv 1909.13719): each image gets N operations drawn
uniformly from 14, every one at the same magnitude M (0…10, 10 the far end of its range, with a
random sign where the range is symmetric). Nothing is drawn "up to" M.

Keras' ``RandAugment`` layer is not used: it draws the N operations once per batch (all 16 preview
tiles got the same pair, at seed 0 a mild sharpness + contrast that barely shows) and reads M/10 as
each layer's own factor: rotations up to ±324°, brightness shifts up to ±230 which, followed by
1-bit posterizing, leave flat grey tiles. Ranges here are the paper's (timm's "increasing" variant
for the enhancements: factor 1 ± 0.9·M/10, posterize 8 → 4 bits, solarize threshold 256 → 0).
"""

from __future__ import annotations

import numpy as np

from cnnexplorer.core.augment.autoaugment import _FIXED, _affine, _blend
from cnnexplorer.core.augment.ops import VALUE_RANGE, op_name
from cnnexplorer.core.i18n import N_, tr

OPERATIONS = ("identity", "autocontrast", "equalize", "rotate", "solarize", "color", "posterize", "contrast",
              "brightness", "sharpness", "shear_x", "shear_y", "translate_x", "translate_y")

# (value at M = 0, value at M = 10, random sign of the change): the value is linear in M between them.
RANGES = {
    "rotate": (0.0, 30.0, True),  # degrees
    "shear_x": (0.0, 0.3, True), "shear_y": (0.0, 0.3, True),
    "translate_x": (0.0, 0.45, True), "translate_y": (0.0, 0.45, True),  # a share of the width / height
    "solarize": (256.0, 0.0, False),  # pixels at or above the threshold are inverted
    "posterize": (8.0, 4.0, False),  # bits kept
    "color": (1.0, 1.9, True), "contrast": (1.0, 1.9, True), "brightness": (1.0, 1.9, True),
    "sharpness": (1.0, 1.9, True),  # PIL ImageEnhance factors: 1 leaves the image as it is
}


def value_at(op: str, magnitude: float, sign: float = 1.0) -> float:
    """``op``'s value at magnitude 0…10; ``sign`` −1 takes the change the other way (signed ops)."""
    start, end, _ = RANGES[op]
    value = start + sign * (end - start) * magnitude / 10.0
    return float(round(value)) if op == "posterize" else value


def _shear_y(ops, images, factor):
    f = ops.reshape(factor, (-1,))
    one, zero = ops.ones_like(f), ops.zeros_like(f)
    return _affine(ops, images, [one, zero, zero, f, one, zero])


def _translate(ops, images, share, axis: int):
    size = ops.cast(ops.shape(images)[2 if axis == 0 else 1], "float32")
    shift = ops.reshape(share, (-1,)) * size
    one, zero = ops.ones_like(shift), ops.zeros_like(shift)
    if axis == 0:
        return _affine(ops, images, [one, zero, -shift, zero, one, zero])
    return _affine(ops, images, [one, zero, zero, zero, one, -shift])


def _brightness(ops, images, factor):
    return _blend(ops, ops.zeros_like(images), images, factor)


_APPLY = {**_FIXED, "shear_y": _shear_y, "brightness": _brightness,
          "translate_x": lambda ops, images, v: _translate(ops, images, v, 0),
          "translate_y": lambda ops, images, v: _translate(ops, images, v, 1)}


# Each drawn operation's phrase: (message, its field, how the value is written).
_PHRASES = {
    "rotate": (N_("rotate {degrees}°"), "degrees", "+.3g"),
    "translate_x": (N_("translate_x {share}"), "share", "+.0%"),
    "translate_y": (N_("translate_y {share}"), "share", "+.0%"),
    "posterize": (N_("posterize {bits} bits"), "bits", ".0f"),
    "solarize": (N_("solarize threshold {threshold}"), "threshold", ".0f"),
    "shear_x": (N_("shear_x {factor}"), "factor", "+.3g"),
    "shear_y": (N_("shear_y {factor}"), "factor", "+.3g"),
    "color": (N_("color ×{factor}"), "factor", ".2f"),
    "contrast": (N_("contrast ×{factor}"), "factor", ".2f"),
    "brightness": (N_("brightness ×{factor}"), "factor", ".2f"),
    "sharpness": (N_("sharpness ×{factor}"), "factor", ".2f"),
}


def _shown(op: str, value: float | None) -> str:
    """One drawn operation and its value, as the tile explainer shows it."""
    if value is None:
        return op_name(op)
    if op in _PHRASES:
        message, field, spec = _PHRASES[op]
        return tr(message, **{field: format(value, spec)})
    return f"{op_name(op)} ×{value:.2f}"


class RandAugment:
    """``num_ops`` operations per image at ``magnitude``, drawn from the caller's generator."""

    def __init__(self, magnitude: float, num_ops: int) -> None:
        import keras

        self.magnitude, self.num_ops = float(magnitude), int(num_ops)
        self.equalize = keras.layers.Equalization(value_range=VALUE_RANGE)
        self.autocontrast = keras.layers.AutoContrast(value_range=VALUE_RANGE)

    @property
    def label(self) -> str:
        return f"{op_name('randaugment')} m={self.magnitude:g}"

    def batch(self, images, generator):
        """Graph-friendly (training): every operation runs on the batch, the draws pick the images."""
        import keras

        ops = keras.ops
        n = ops.shape(images)[0]
        out = images
        for _ in range(self.num_ops):
            pick = keras.random.randint((n,), 0, len(OPERATIONS), seed=generator)
            for k, op in enumerate(OPERATIONS):
                changed = self._apply(op, out, self._values(op, n, generator))
                out = ops.where(ops.reshape(ops.equal(pick, k), (-1, 1, 1, 1)), changed, out)
        return out

    def eager(self, images: np.ndarray, generator) -> tuple[np.ndarray, list[list[str]]]:
        """The same, running each drawn operation on only its images (previews); per image, one line
        naming its operations and their values."""
        import keras

        out = np.array(images, dtype=np.float32)
        parts: list[list[str]] = [[] for _ in range(len(out))]
        for _ in range(self.num_ops):
            pick = np.asarray(keras.random.randint((len(out),), 0, len(OPERATIONS), seed=generator))
            for k in np.unique(pick):
                op, members = OPERATIONS[k], np.flatnonzero(pick == k)
                value = self._values(op, len(members), generator)
                out[members] = np.asarray(self._apply(op, out[members], value))
                shown = np.asarray(value) if value is not None else [None] * len(members)
                for i, v in zip(members, shown):
                    parts[i].append(_shown(op, None if v is None else float(v)))
        label = self.label
        return out, [[f"{label}: {', '.join(p)}"] for p in parts]

    def _values(self, op: str, n, generator):
        """Per image: the operation's value at the magnitude, its sign drawn where the range has one."""
        if op not in RANGES:
            return None
        import keras

        value = keras.ops.full((n,), value_at(op, self.magnitude))
        if RANGES[op][2]:
            flipped = keras.ops.full((n,), value_at(op, self.magnitude, -1.0))
            value = keras.ops.where(keras.random.uniform((n,), seed=generator) < 0.5, flipped, value)
        return value

    def _apply(self, op: str, images, value):
        import keras

        if op == "identity":
            return images
        if op == "equalize":
            return self.equalize(images)
        if op == "autocontrast":
            return self.autocontrast(images)
        return _APPLY[op](keras.ops, images, keras.ops.reshape(value, (-1, 1, 1, 1)))
