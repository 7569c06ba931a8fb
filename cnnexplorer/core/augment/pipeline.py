"""Augmentation pipelines: one definition for the live preview and for training (course §6).

A pipeline is a list of steps, each an operation (see :mod:`.ops`, or the published AutoAugment
policy in :mod:`.autoaugment`), a magnitude 0…10 and a probability per image.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from cnnexplorer.core.augment.autoaugment import AutoAugment
from cnnexplorer.core.augment.ops import OPERATIONS, make_op
from cnnexplorer.core.augment.randaugment import RandAugment
from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.core.infra.store import NamedJsonStore


@dataclass
class Step:
    op: str
    magnitude: float = 5.0
    probability: float = 1.0
    enabled: bool = True
    num_ops: int = 2  # RandAugment only

    def __post_init__(self) -> None:
        if self.op not in OPERATIONS:
            raise ValueError(tr("unknown augmentation {op}; choose from {choices}", op=repr(self.op),
                                  choices=", ".join(OPERATIONS)))
        if not 0.0 <= float(self.magnitude) <= 10.0:
            raise ValueError(tr("{op}: magnitude must be 0…10, got {magnitude}", op=self.op,
                                magnitude=self.magnitude))
        if not 0.0 <= float(self.probability) <= 1.0:
            raise ValueError(tr("{op}: probability must be 0…1, got {probability}", op=self.op,
                                  probability=self.probability))
        if not 1 <= int(self.num_ops) <= 10:
            raise ValueError(tr("{op}: RandAugment applies 1…10 operations, got {count}", op=self.op,
                                count=self.num_ops))


POLICIES = ("autoaugment", "randaugment")  # draw per image from the caller's generator


class _Applied:
    """One step made concrete: its operation, and the per-image coin of its probability."""

    def __init__(self, step: Step) -> None:
        self.step = step
        if step.op == "autoaugment":
            self.op = AutoAugment()
        elif step.op == "randaugment":
            self.op = RandAugment(step.magnitude, step.num_ops)
        else:
            self.op = make_op(step.op, step.magnitude)

    def generators(self) -> list:
        """Every random-number generator this step draws from (to reseed for a repeatable preview)."""
        return [] if self.step.op in POLICIES else self.op.generators()

    def __call__(self, images, generator, records: list[list[str]] | None = None, eager: bool = False):
        """``eager``: the caller runs eagerly (a preview), so data-dependent shortcuts are allowed;
        ``records`` (eager only): per image, a line is added for what was applied to it."""
        import keras

        ops = keras.ops
        chosen = keras.random.uniform((ops.shape(images)[0],), seed=generator) < self.step.probability
        if self.step.op in POLICIES:
            if eager:
                return self._policy_eager(images, generator, records, np.asarray(chosen))
            transformed = self.op.batch(images, generator)
        else:
            drawn = self.op.draw(images)
            transformed = self.op.apply(images, drawn)
            if records is not None:
                lines = self.op.describe(drawn, len(records))
                for i in np.flatnonzero(np.asarray(chosen)):
                    records[i].append(lines[i])
        return ops.where(ops.reshape(chosen, (-1, 1, 1, 1)), transformed, images)

    def _policy_eager(self, images, generator, records, chosen: np.ndarray) -> np.ndarray:
        """Only the images the step's coin chose go through the policy (AutoAugment, RandAugment)."""
        out = np.array(images, dtype=np.float32)
        members = np.flatnonzero(chosen)
        if len(members):
            out[members], notes = self.op.eager(out[members], generator)
            if records is not None:
                for i, lines in zip(members, notes):
                    records[i].extend(lines)
        return out




@dataclass
class Augmenter:
    steps: list[Step] = field(default_factory=list)
    name: str = N_("custom")  # a key as well as a label: shown through tr(), saved as it is

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
            return cls([Step(**step) for step in data["steps"]], str(data.get("name", N_("custom"))))
        except (KeyError, TypeError) as exc:
            raise ValueError(tr("not an augmentation pipeline: {problem}", problem=exc)) from None

    def save(self, folder: Path | None = None) -> Path:
        return NamedJsonStore("augmenters", folder).save(self.name, self.to_dict())

    @classmethod
    def load(cls, name: str, folder: Path | None = None) -> Augmenter:
        try:
            return cls.from_dict(NamedJsonStore("augmenters", folder).load(name))
        except ValueError as exc:
            raise ValueError(tr("pipeline {name}: {problem}", name=repr(name), problem=exc)) from None


class Previewer:
    """Repeated previews of one pipeline: its layers are built once and reseeded per preview.

    It runs eagerly: an edited pipeline shows at once, with no graph to retrace, and the explained
    path draws the very same numbers."""

    def __init__(self, augmenter: Augmenter) -> None:
        import keras

        self.augmenter = augmenter
        self.applied = [_Applied(step) for step in augmenter.steps if step.enabled]
        self.mask_generator = keras.random.SeedGenerator(0)

    def _reseed(self, seed: int) -> None:
        self.mask_generator.state.assign(np.array([seed, 0], "int64"))
        for i, applied in enumerate(self.applied):
            for j, generator in enumerate(applied.generators()):
                generator.state.assign(np.array([seed * 1009 + 1000 * (i + 1) + j, 0], "int64"))

    def _run(self, batch, records):
        for applied in self.applied:
            batch = applied(batch, self.mask_generator, records, eager=True)
        return batch

    def preview(self, rgb: np.ndarray, n: int = 16, seed: int = 0, explain: bool = False, size: int | None = None):
        """As :meth:`Augmenter.preview`; ``size`` first scales the frame so its long side is ``size``
        (tiles on screen are small: augmenting fewer pixels keeps the grid live)."""
        batch = np.repeat(np.asarray(fit_size(rgb, size), np.float32)[None], n, axis=0)
        self._reseed(seed)
        records: list[list[str]] | None = [[] for _ in range(n)] if explain else None
        out = self._run(batch, records)
        images = [np.clip(np.asarray(image), 0, 255).round().astype(np.uint8) for image in np.asarray(out)]
        return (images, records) if explain else images


def fit_size(rgb: np.ndarray, size: int | None) -> np.ndarray:
    """The frame shrunk so its long side is at most ``size`` (None: as it is)."""
    if not size or max(rgb.shape[:2]) <= size:
        return rgb
    import cv2

    scale = size / max(rgb.shape[:2])
    return cv2.resize(rgb, (round(rgb.shape[1] * scale), round(rgb.shape[0] * scale)), interpolation=cv2.INTER_AREA)


def saved_pipelines(folder: Path | None = None) -> list[str]:
    return NamedJsonStore("augmenters", folder).names()


def _augment_layer_class():
    import keras

    class AugmentLayer(keras.layers.Layer):
        """Applies an :class:`Augmenter` to training batches; counts the batches it transformed."""

        def __init__(self, augmenter: Augmenter, **kwargs) -> None:
            super().__init__(**kwargs)
            self.augmenter = augmenter
            self.generator = keras.random.SeedGenerator(0)
            self.applied = [_Applied(step) for step in augmenter.steps if step.enabled]
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


# Keys are saved (as pipeline names) and compared: show them through tr().
PRESETS = {
    N_("light"): [Step("flip_horizontal", probability=0.5), Step("rotate", 2, 0.5), Step("brightness", 2, 0.5)],
    N_("heavy"): [Step("flip_horizontal", probability=0.5), Step("rotate", 6, 0.8), Step("zoom", 4, 0.7),
              Step("translate_x", 3, 0.5), Step("translate_y", 3, 0.5), Step("contrast", 5, 0.7),
              Step("color", 5, 0.5), Step("erasing", 4, 0.3)],
    N_("medical (no flips)"): [Step("rotate", 2, 0.5), Step("zoom", 2, 0.5), Step("brightness", 2, 0.5),
                           Step("contrast", 2, 0.5)],
    N_("AutoAugment (ImageNet)"): [Step("autoaugment")],
    N_("RandAugment (N=2, M=9)"): [Step("randaugment", 9, 1.0, num_ops=2)],
}


def preset(name: str) -> Augmenter:
    if name not in PRESETS:
        raise ValueError(tr("no preset {name}; choose from {choices}", name=repr(name), choices=", ".join(PRESETS)))
    return Augmenter([Step(**asdict(s)) for s in PRESETS[name]], name)
