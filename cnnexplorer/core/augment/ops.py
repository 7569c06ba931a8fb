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

from cnnexplorer.core.i18n import N_, tr

VALUE_RANGE = (0, 255)
ALWAYS = (1.0, 1.0)  # a Keras "probability" factor range that always applies (RandomInvert & co.)

FLIPS = {"flip_horizontal": 2, "flip_vertical": 1}
OPERATIONS = (*FLIPS, "rotate", "shear_x", "shear_y", "translate_x", "translate_y", "zoom", "brightness", "contrast",
              "color", "hue", "sharpness", "posterize", "solarize", "grayscale", "invert", "blur", "erasing",
              "equalize", "autocontrast", "randaugment", "autoaugment")
NO_MAGNITUDE = (*FLIPS, "grayscale", "invert", "equalize", "autocontrast", "autoaugment")

# What each operation is called on screen (the ids above stay the keys in files and settings).
OP_NAMES = {
    "flip_horizontal": N_("flip_horizontal"), "flip_vertical": N_("flip_vertical"), "rotate": N_("rotate"),
    "shear_x": N_("shear_x"), "shear_y": N_("shear_y"), "translate_x": N_("translate_x"),
    "translate_y": N_("translate_y"), "zoom": N_("zoom"), "brightness": N_("brightness"), "contrast": N_("contrast"),
    "color": N_("color"), "hue": N_("hue"), "sharpness": N_("sharpness"), "posterize": N_("posterize"),
    "solarize": N_("solarize"), "grayscale": N_("grayscale"), "invert": N_("invert"), "blur": N_("blur"),
    "erasing": N_("erasing"), "equalize": N_("equalize"), "autocontrast": N_("autocontrast"),
    "randaugment": N_("randaugment"), "autoaugment": N_("autoaugment"), "identity": N_("identity"),
}
# The numbers Keras layers draw, as the tile explainer names them.
DRAWN_NAMES = {
    "angle": N_("angle"), "shear_factor": N_("shear_factor"), "translations": N_("translations"),
    "height_zoom": N_("height_zoom"), "width_zoom": N_("width_zoom"), "rgb_delta": N_("rgb_delta"),
    "contrast_factor": N_("contrast_factor"), "factor": N_("factor"), "shift_factor": N_("shift_factor"),
    "threshold": N_("threshold"), "blur_factor": N_("blur_factor"), "area": N_("area"),
}


def op_name(op: str) -> str:
    """Operation ``op`` as the screen names it, in the current language."""
    return tr(OP_NAMES[op]) if op in OP_NAMES else op


def step_label(op: str, magnitude: float) -> str:
    """An operation with its magnitude ("rotate m=5"), or its name alone when it has none."""
    if op in NO_MAGNITUDE:
        return op_name(op)
    return f"{op_name(op)} m={magnitude:g}"


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

    def __init__(self, name: str, magnitude: float, layer) -> None:
        self.name, self.magnitude, self.layer = name, magnitude, layer

    @property
    def label(self) -> str:
        return step_label(self.name, self.magnitude)

    def generators(self) -> list:
        return [g for sub in self.layer._flatten_layers() for g in sub._seed_generators]

    def draw(self, images):
        return self.layer.get_random_transformation(images, training=True)

    def apply(self, images, drawn):
        return self.layer.transform_images(images, drawn, training=True)

    def describe(self, drawn, n: int) -> list[str]:
        """One line per image: the operation and the numbers drawn for it."""
        numbers = _numbers(drawn, n)
        label = self.label
        names = {k: tr(DRAWN_NAMES[k]) if k in DRAWN_NAMES else k for k in numbers}
        lines = []
        for i in range(n):
            text = ", ".join(f"{names[k]} {', '.join(f'{v:.3g}' for v in values[i])}" for k, values in numbers.items())
            lines.append(f"{label} ({text})" if text else label)
        return lines


class Flip:
    """A mirror image: nothing to draw."""

    def __init__(self, name: str) -> None:
        self.name = name

    @property
    def label(self) -> str:
        return op_name(self.name)

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

    def __init__(self, magnitude: float) -> None:
        import keras

        self.magnitude, self.s = magnitude, magnitude / 10.0
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
        label = self.label
        return [tr("{operation} (threshold {threshold})", operation=label, threshold=f"{t:.0f}")
                for t in np.asarray(drawn["threshold"])]

    @property
    def label(self) -> str:
        return step_label("solarize", self.magnitude)


def make_op(name: str, magnitude: float):
    """The operation ``name`` (one of :data:`OPERATIONS` but the policies ``autoaugment`` and
    ``randaugment``, see :mod:`.autoaugment` and :mod:`.randaugment`) at ``magnitude``."""
    if name in FLIPS:
        return Flip(name)
    if name == "solarize":
        return Solarize(magnitude)
    layer = _layer(name, magnitude / 10.0)
    return LayerOp(name, magnitude, layer)


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
