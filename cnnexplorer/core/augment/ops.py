"""The ordinary augmentation operations: a magnitude 0…10 sets how far each image's transform may
go, and the numbers are drawn uniformly up to it (in either direction where that makes sense).

Each operation draws its per-image numbers first (:meth:`draw`) and then applies them
(:meth:`apply`), so the tile explainer reports the very numbers that made the picture. Whether an
image is transformed at all is the step's probability alone: layers that would toss their own coin
are given a certain one.
"""

from __future__ import annotations

import math

import numpy as np

VALUE_RANGE = (0, 255)
ALWAYS = (1.0, 1.0)  # a Keras "probability" factor range that always applies (RandomInvert & co.)

FLIPS = {"flip_horizontal": 2, "flip_vertical": 1}
OPERATIONS = (*FLIPS, "rotate", "shear_x", "shear_y", "translate_x", "translate_y", "zoom", "brightness", "contrast",
              "color", "hue", "sharpness", "posterize", "solarize", "grayscale", "invert", "blur", "erasing",
              "equalize", "autocontrast", "randaugment", "autoaugment")
NO_MAGNITUDE = (*FLIPS, "grayscale", "invert", "equalize", "autocontrast", "autoaugment")


def _layer(name: str, s: float):
    """The Keras layer for operation ``name`` at strength ``s`` = magnitude / 10."""
    import keras

    L, r = keras.layers, VALUE_RANGE
    table = {
        "rotate": lambda: L.RandomRotation((-s * 30 / 360, s * 30 / 360), fill_mode="constant"),
        "shear_x": lambda: L.RandomShear(x_factor=0.3 * s, y_factor=0.0),
        "shear_y": lambda: L.RandomShear(x_factor=0.0, y_factor=0.3 * s),
        "translate_x": lambda: L.RandomTranslation(0.0, (-0.45 * s, 0.45 * s), fill_mode="constant"),
        "translate_y": lambda: L.RandomTranslation((-0.45 * s, 0.45 * s), 0.0, fill_mode="constant"),
        "zoom": lambda: L.RandomZoom((-0.5 * s, 0.5 * s), fill_mode="constant"),
        "brightness": lambda: L.RandomBrightness((-0.9 * s, 0.9 * s), value_range=r),
        "contrast": lambda: L.RandomContrast(0.9 * s, value_range=r),
        "color": lambda: L.RandomSaturation((0.5 - 0.45 * s, 0.5 + 0.45 * s), value_range=r),
        "hue": lambda: L.RandomHue((0.0, s), value_range=r),  # a turn of up to ±s/2
        "sharpness": lambda: L.RandomSharpness((0.5 - 0.45 * s, 0.5 + 0.45 * s), value_range=r),
        "posterize": lambda: L.RandomPosterization((max(1, round(8 - 4 * s)), 8), value_range=r),
        "grayscale": lambda: L.RandomGrayscale(1.0),
        "invert": lambda: L.RandomInvert(ALWAYS, value_range=r),
        "blur": lambda: L.RandomGaussianBlur(ALWAYS, sigma=(0.01, 0.1 + 2.9 * s), value_range=r),
        "erasing": lambda: L.RandomErasing(ALWAYS, scale=(0.0, 0.3 * s), value_range=r),
        "equalize": lambda: L.Equalization(value_range=r),
        "autocontrast": lambda: L.AutoContrast(value_range=r),
    }
    return table[name]()


class LayerOp:
    """An operation done by a Keras preprocessing layer."""

    def __init__(self, label: str, layer) -> None:
        self.label, self.layer = label, layer

    def generators(self) -> list:
        return [g for sub in self.layer._flatten_layers() for g in sub._seed_generators]

    def draw(self, images):
        return self.layer.get_random_transformation(images, training=True)

    def apply(self, images, drawn):
        return self.layer.transform_images(images, drawn, training=True)

    def describe(self, drawn, n: int) -> list[str]:
        """One line per image: the operation and the numbers drawn for it."""
        numbers = _numbers(drawn, n)
        lines = []
        for i in range(n):
            text = ", ".join(f"{k} {', '.join(f'{v:.3g}' for v in values[i])}" for k, values in numbers.items())
            lines.append(self.label + (f" ({text})" if text else ""))
        return lines


class Flip:
    """A mirror image: nothing to draw."""

    def __init__(self, name: str) -> None:
        self.name = self.label = name

    def generators(self) -> list:
        return []

    def draw(self, images):
        return None

    def apply(self, images, drawn):
        import keras

        return keras.ops.flip(images, axis=FLIPS[self.name])

    def describe(self, drawn, n: int) -> list[str]:
        return [self.label] * n


class Solarize:
    """Pixels at or above a whole threshold drawn in 256 − 256·s … 256 are inverted (256: none).

    Keras' ``Solarization`` leaves the lower end of its threshold range unscaled: even at factor 0
    it draws thresholds anywhere in 0…255."""

    def __init__(self, label: str, s: float) -> None:
        import keras

        self.label, self.s = label, s
        self.generator = keras.random.SeedGenerator()

    def generators(self) -> list:
        return [self.generator]

    def draw(self, images):
        import keras

        n = keras.ops.shape(images)[0]
        top = float(math.floor(256 * self.s))
        below = keras.ops.floor(keras.random.uniform((n,), 0.0, top + 1.0, seed=self.generator))
        return {"threshold": 256.0 - keras.ops.minimum(below, top)}

    def apply(self, images, drawn):
        import keras

        threshold = keras.ops.reshape(drawn["threshold"], (-1, 1, 1, 1))
        return keras.ops.where(images < threshold, images, VALUE_RANGE[1] - images)

    def describe(self, drawn, n: int) -> list[str]:
        return [f"{self.label} (threshold {t:.0f})" for t in np.asarray(drawn["threshold"])]


def make_op(name: str, magnitude: float):
    """The operation ``name`` (one of :data:`OPERATIONS` but the policies ``autoaugment`` and
    ``randaugment``, see :mod:`.autoaugment` and :mod:`.randaugment`) at ``magnitude``."""
    label = name if name in NO_MAGNITUDE else f"{name} m={magnitude:g}"
    s = magnitude / 10.0
    if name in FLIPS:
        return Flip(name)
    if name == "solarize":
        return Solarize(label, s)
    layer = _layer(name, s)
    return LayerOp(label, layer)


_NOT_SHOWN = ("rotation_matrix", "fill_value", "input_shape")
_PER_BATCH = ("blur_factor",)  # Keras draws one blur sigma (y, x) for the whole batch


def _numbers(drawn, n: int) -> dict[str, np.ndarray]:
    """The numbers a Keras layer drew, one row per image: per-batch draws (the blur's sigma) are
    repeated, yes/no flags and matrices left out, an erasing mask shown as its share of the image."""
    if not isinstance(drawn, dict):
        return {}
    out = {}
    for key, value in drawn.items():
        if key in _NOT_SHOWN or isinstance(value, dict):
            continue
        array = np.asarray(value)
        if key == "batch_masks":
            out["area"] = array.reshape(n, -1).mean(axis=1, keepdims=True)
            continue
        if array.ndim == 0 or array.dtype == bool:
            continue
        if key in _PER_BATCH:
            rows = np.broadcast_to(array.reshape(1, -1), (n, array.size))
        elif array.shape[0] == n:
            rows = array.reshape(n, -1)
        else:
            continue
        if rows.shape[1] <= 2:
            out[key] = rows
    return out
