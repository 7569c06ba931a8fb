"""Data augmentation from Keras preprocessing layers: one definition for the live preview and
for training (course §6), with AutoAugment's ImageNet policy and RandAugment.

Every step has an operation, a magnitude 0…10 (AutoAugment's scale; a transform is drawn
uniformly up to it, in either direction where that makes sense) and a probability per image.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from cnnexplorer.core.infra.paths import atomic_write_bytes, data_dir

VALUE_RANGE = (0, 255)

# AutoAugment's ImageNet policy (Cubuk et al., arXiv 1805.09501): 25 sub-policies of two
# operations, each (operation, probability, magnitude 0…9 or None).
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


def _layer(name: str, m: float, seed):
    """The Keras layer for operation ``name`` at magnitude ``m`` (0…10)."""
    import keras

    L, r = keras.layers, VALUE_RANGE
    s = m / 10.0
    table = {
        "rotate": lambda: L.RandomRotation((-s * 30 / 360, s * 30 / 360), fill_mode="constant", seed=seed),
        "shear_x": lambda: L.RandomShear(x_factor=0.3 * s, y_factor=0.0, seed=seed),
        "shear_y": lambda: L.RandomShear(x_factor=0.0, y_factor=0.3 * s, seed=seed),
        "translate_x": lambda: L.RandomTranslation(0.0, (-0.45 * s, 0.45 * s), fill_mode="constant", seed=seed),
        "translate_y": lambda: L.RandomTranslation((-0.45 * s, 0.45 * s), 0.0, fill_mode="constant", seed=seed),
        "zoom": lambda: L.RandomZoom((-0.5 * s, 0.5 * s), fill_mode="constant", seed=seed),
        "brightness": lambda: L.RandomBrightness((-0.9 * s, 0.9 * s), value_range=r, seed=seed),
        "contrast": lambda: L.RandomContrast(0.9 * s, value_range=r, seed=seed),
        "color": lambda: L.RandomSaturation((0.5 - 0.45 * s, 0.5 + 0.45 * s), value_range=r, seed=seed),
        "hue": lambda: L.RandomHue((0.5 - 0.5 * s, 0.5 + 0.5 * s), value_range=r, seed=seed),
        "sharpness": lambda: L.RandomSharpness((0.5 - 0.45 * s, 0.5 + 0.45 * s), value_range=r, seed=seed),
        "posterize": lambda: L.RandomPosterization((max(1, round(8 - 4 * s)), 8), value_range=r, seed=seed),
        "solarize": lambda: L.Solarization(threshold_factor=(1.0 - s, 1.0), value_range=r, seed=seed),
        "grayscale": lambda: L.RandomGrayscale(1.0, seed=seed),
        "invert": lambda: L.RandomInvert(1.0, value_range=r, seed=seed),
        "blur": lambda: L.RandomGaussianBlur(1.0, sigma=(0.01, 0.1 + 2.9 * s), value_range=r, seed=seed),
        "erasing": lambda: L.RandomErasing(1.0, scale=(0.02, 0.02 + 0.3 * s), value_range=r, seed=seed),
        "equalize": lambda: L.Equalization(value_range=r),
        "autocontrast": lambda: L.AutoContrast(value_range=r),
    }
    return table[name]()


FLIPS = {"flip_horizontal": 2, "flip_vertical": 1}
OPERATIONS = (*FLIPS, "rotate", "shear_x", "shear_y", "translate_x", "translate_y", "zoom", "brightness", "contrast",
              "color", "hue", "sharpness", "posterize", "solarize", "grayscale", "invert", "blur", "erasing",
              "equalize", "autocontrast", "randaugment", "autoaugment")
NO_MAGNITUDE = (*FLIPS, "grayscale", "invert", "equalize", "autocontrast", "autoaugment")


@dataclass
class Step:
    op: str
    magnitude: float = 5.0
    probability: float = 1.0
    enabled: bool = True
    num_ops: int = 2  # RandAugment only

    def __post_init__(self) -> None:
        if self.op not in OPERATIONS:
            raise ValueError(f"unknown augmentation {self.op!r}; choose from {', '.join(OPERATIONS)}")
        if not 0.0 <= float(self.magnitude) <= 10.0:
            raise ValueError(f"{self.op}: magnitude must be 0…10, got {self.magnitude}")
        if not 0.0 <= float(self.probability) <= 1.0:
            raise ValueError(f"{self.op}: probability must be 0…1, got {self.probability}")
        if not 1 <= int(self.num_ops) <= 10:
            raise ValueError(f"{self.op}: RandAugment applies 1…10 operations, got {self.num_ops}")


def _draws(transformation) -> dict[str, np.ndarray]:
    """The per-image numbers a Keras layer drew (angles, deltas, factors) for the tile explainer."""
    if not isinstance(transformation, dict):
        return {}
    out = {}
    for key, value in transformation.items():
        array = np.asarray(value)
        if array.ndim >= 1 and key not in ("rotation_matrix", "batch_masks", "fill_value", "input_shape"):
            out[key] = array.reshape(array.shape[0], -1)
    return out


class _Applied:
    """One step made concrete: its layer(s) and per-image application."""

    def __init__(self, step: Step, seed) -> None:
        self.step = step
        if step.op == "randaugment":
            import keras

            self.layer = keras.layers.RandAugment(VALUE_RANGE, num_ops=step.num_ops, factor=step.magnitude / 10.0,
                                                  seed=seed)
        elif step.op == "autoaugment":
            self.policy = [[(_layer(op, (mag or 0) * 10 / 9, _sub(seed, 10 * k + j)), op, p, mag)
                            for j, (op, p, mag) in enumerate(sub)] for k, sub in enumerate(AUTOAUGMENT_IMAGENET)]
        elif step.op not in FLIPS:
            self.layer = _layer(step.op, step.magnitude, seed)

    def generators(self) -> list:
        """Every random-number generator this step draws from (to reseed for a repeatable preview)."""
        layers = [layer for sub in self.policy for layer, *_ in sub] if self.step.op == "autoaugment" else (
            [self.layer] if hasattr(self, "layer") else [])
        return [g for layer in layers for sub in layer._flatten_layers() for g in sub._seed_generators]

    def __call__(self, images, generator, records: list[list[str]] | None, eager: bool = False):
        """``eager``: the caller runs eagerly (a preview), so data-dependent shortcuts are allowed."""
        import keras

        ops = keras.ops
        n = ops.shape(images)[0]
        chosen = keras.random.uniform((n,), seed=generator) < self.step.probability
        if self.step.op == "autoaugment":
            transformed = (self._autoaugment_eager(images, generator, records, chosen) if eager
                           else self._autoaugment(images, generator))
        elif self.step.op in FLIPS:
            transformed = ops.flip(images, axis=FLIPS[self.step.op])
        elif self.step.op in ("equalize", "autocontrast", "randaugment"):
            transformed = self.layer(images, training=True) if self.step.op == "randaugment" else self.layer(images)
        else:
            t = self.layer.get_random_transformation(images, training=True)
            transformed = self.layer.transform_images(images, t, training=True)
            if records is not None:
                self._record(records, chosen, _draws(t))
                return ops.where(ops.reshape(chosen, (-1, 1, 1, 1)), transformed, images)
        if records is not None:
            self._record(records, chosen, {})
        return ops.where(ops.reshape(chosen, (-1, 1, 1, 1)), transformed, images)

    def _record(self, records, chosen, draws) -> None:
        mask = np.asarray(chosen)
        for i, applied in enumerate(mask):
            if applied and self.step.op != "autoaugment":
                numbers = ", ".join(f"{k} {', '.join(f'{v:.3g}' for v in values[i])}" for k, values in draws.items())
                magnitude = "" if self.step.op in NO_MAGNITUDE else f" m={self.step.magnitude:g}"
                records[i].append(f"{self.step.op}{magnitude}" + (f" ({numbers})" if numbers else ""))

    def _autoaugment(self, images, generator):
        """Graph-friendly (training): every operation runs on the batch, masks pick the images."""
        import keras

        ops = keras.ops
        n = ops.shape(images)[0]
        pick = keras.random.randint((n,), 0, len(self.policy), seed=generator)
        out = images
        for k, sub in enumerate(self.policy):
            in_sub = ops.equal(pick, k)
            for layer, op, p, _ in sub:
                apply = ops.logical_and(in_sub, keras.random.uniform((n,), seed=generator) < p)
                out = ops.where(ops.reshape(apply, (-1, 1, 1, 1)), _autoaugment_op(layer, op, out), out)
        return out

    def _autoaugment_eager(self, images, generator, records, chosen):
        """The same policy run image by image: only the sub-policies drawn, on only their images
        (with 16 tiles, ~30 image-operations instead of the 800 that masking all 50 costs)."""
        import keras

        out = np.array(images, dtype=np.float32)
        pick = np.asarray(keras.random.randint((out.shape[0],), 0, len(self.policy), seed=generator))
        chosen = np.asarray(chosen)
        for k in np.unique(pick):
            members = np.flatnonzero(pick == k)
            for layer, op, p, mag in self.policy[k]:
                hit = members[np.asarray(keras.random.uniform((len(members),), seed=generator)) < p]
                if not len(hit):
                    continue
                out[hit] = np.asarray(_autoaugment_op(layer, op, out[hit]))
                if records is not None:
                    for i in hit[chosen[hit]]:
                        records[i].append(_autoaugment_note(k, op, mag))
        return out


def _autoaugment_op(layer, op: str, images):
    if op in ("equalize", "autocontrast"):
        return layer(images)
    return layer.transform_images(images, layer.get_random_transformation(images, training=True), training=True)


def _autoaugment_note(k: int, op: str, magnitude) -> str:
    return f"autoaugment #{k + 1}: {op}" + ("" if magnitude is None else f" {magnitude}")


def _sub(seed, index: int):
    return None if seed is None else int(seed) * 1009 + index


_NAME = re.compile(r"^[\w][\w .+-]{0,63}$")


@dataclass
class Augmenter:
    steps: list[Step] = field(default_factory=list)
    name: str = "custom"

    # -- one definition, two uses ----------------------------------------------------------------
    def preview(self, rgb: np.ndarray, n: int = 16, seed: int = 0, explain: bool = False):
        """``n`` augmented uint8 versions of one frame; the same seed gives the same images.

        With ``explain``, also one list per image of the operations applied and the numbers drawn.
        """
        return Previewer(self).preview(rgb, n, seed, explain)

    def as_layer(self):
        """The Keras layer ``fit`` applies to every training batch (and skips when not training)."""
        return _augment_layer_class()(self)

    # -- storage ----------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {"name": self.name, "steps": [asdict(step) for step in self.steps]}

    @classmethod
    def from_dict(cls, data: dict) -> Augmenter:
        try:
            return cls([Step(**step) for step in data["steps"]], str(data.get("name", "custom")))
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not an augmentation pipeline: {exc}") from None

    def save(self, folder: Path | None = None) -> Path:
        if not _NAME.match(self.name):
            raise ValueError(f"pipeline name {self.name!r}: letters, digits, spaces, . + - (at most 64)")
        path = (folder or data_dir() / "augmenters") / f"{self.name}.json"
        atomic_write_bytes(path, json.dumps(self.to_dict(), indent=1).encode("utf-8"))
        return path

    @classmethod
    def load(cls, name: str, folder: Path | None = None) -> Augmenter:
        path = (folder or data_dir() / "augmenters") / f"{name}.json"
        try:
            return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise ValueError(f"{path.name}: {exc}") from None


class Previewer:
    """Repeated previews of one pipeline: its layers are built once and reseeded per preview.

    It runs eagerly: an edited pipeline shows at once, with no graph to retrace, and the explained
    path draws the very same numbers."""

    def __init__(self, augmenter: Augmenter) -> None:
        import keras

        self.augmenter = augmenter
        self.applied = [_Applied(step, None) for step in augmenter.steps if step.enabled]
        self.mask_generator = keras.random.SeedGenerator(0)

    def _reseed(self, seed: int) -> None:
        self.mask_generator.state.assign(np.array([seed, 0], "int64"))
        for i, applied in enumerate(self.applied):
            for j, generator in enumerate(applied.generators()):
                generator.state.assign(np.array([_sub(seed, 1000 * (i + 1) + j), 0], "int64"))

    def _run(self, batch, records):
        for applied in self.applied:
            batch = applied(batch, self.mask_generator, records, eager=True)
        return batch

    def preview(self, rgb: np.ndarray, n: int = 16, seed: int = 0, explain: bool = False, size: int | None = None):
        """As :meth:`Augmenter.preview`; ``size`` first scales the frame so its long side is ``size``
        (tiles on screen are small: augmenting fewer pixels keeps the grid live)."""
        if size and max(rgb.shape[:2]) > size:
            import cv2

            scale = size / max(rgb.shape[:2])
            rgb = cv2.resize(rgb, (round(rgb.shape[1] * scale), round(rgb.shape[0] * scale)),
                             interpolation=cv2.INTER_AREA)
        batch = np.repeat(np.asarray(rgb, np.float32)[None], n, axis=0)
        self._reseed(seed)
        records: list[list[str]] | None = [[] for _ in range(n)] if explain else None
        out = self._run(batch, records)
        images = [np.clip(np.asarray(image), 0, 255).round().astype(np.uint8) for image in np.asarray(out)]
        return (images, records) if explain else images


def saved_pipelines(folder: Path | None = None) -> list[str]:
    folder = folder or data_dir() / "augmenters"
    return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []


def _augment_layer_class():
    import keras

    class AugmentLayer(keras.layers.Layer):
        """Applies an :class:`Augmenter` to training batches; counts the batches it transformed."""

        def __init__(self, augmenter: Augmenter, **kwargs) -> None:
            super().__init__(**kwargs)
            self.augmenter = augmenter
            self.generator = keras.random.SeedGenerator(0)
            self.applied = [_Applied(step, None) for step in augmenter.steps if step.enabled]
            self.batches_seen = self.add_weight(shape=(), initializer="zeros", trainable=False, name="batches_seen")

        def call(self, images, training=None):
            if not training:
                return images
            self.batches_seen.assign_add(1.0)
            for applied in self.applied:
                images = applied(images, self.generator, None)
            return images

        def compute_output_shape(self, input_shape):
            return input_shape

    return AugmentLayer


PRESETS = {
    "light": [Step("flip_horizontal", probability=0.5), Step("rotate", 2, 0.5), Step("brightness", 2, 0.5)],
    "heavy": [Step("flip_horizontal", probability=0.5), Step("rotate", 6, 0.8), Step("zoom", 4, 0.7),
              Step("translate_x", 3, 0.5), Step("translate_y", 3, 0.5), Step("contrast", 5, 0.7),
              Step("color", 5, 0.5), Step("erasing", 4, 0.3)],
    "medical (no flips)": [Step("rotate", 2, 0.5), Step("zoom", 2, 0.5), Step("brightness", 2, 0.5),
                           Step("contrast", 2, 0.5)],
    "AutoAugment (ImageNet)": [Step("autoaugment")],
    "RandAugment (N=2, M=9)": [Step("randaugment", 9, 1.0, num_ops=2)],
}


def preset(name: str) -> Augmenter:
    if name not in PRESETS:
        raise ValueError(f"no preset {name!r}; choose from {', '.join(PRESETS)}")
    return Augmenter([Step(**asdict(s)) for s in PRESETS[name]], name)
