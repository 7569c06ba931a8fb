"""Every operation: the step's probability is how often a tile changes, and each tile's
explanation says it was transformed exactly when it was."""

import re

import numpy as np
import pytest

pytest.importorskip("keras")

from cnnexplorer.core.augment.autoaugment import AUTOAUGMENT_IMAGENET  # noqa: E402
from cnnexplorer.core.augment.ops import NO_MAGNITUDE, OPERATIONS  # noqa: E402
from cnnexplorer.core.augment.pipeline import Augmenter, Step  # noqa: E402
from cnnexplorer.core.frames.images import load_image  # noqa: E402
from cnnexplorer.core.infra.resources import resource  # noqa: E402

PROBABILITY, TILES = 0.5, 128

# Draws this close to "leave it as it is" may change no pixel although the step applied:
# per operation, the number drawn, its no-change value and how near counts.
IDENTITY = {
    "rotate": ("angle", 0.0, 0.01), "shear_x": ("shear_factor", 0.0, 0.001),
    "shear_y": ("shear_factor", 0.0, 0.001), "translate_x": ("translations", 0.0, 0.01),
    "translate_y": ("translations", 0.0, 0.01), "zoom": ("height_zoom", 1.0, 0.001),
    "brightness": ("rgb_delta", 0.0, 0.5), "contrast": ("contrast_factor", 1.0, 0.005),
    "color": ("factor", 1.0, 0.005), "hue": ("factor", 0.0, 0.001), "sharpness": ("factor", 0.5, 0.005),
    "solarize": ("threshold", 256.0, 0.0), "erasing": ("area", 0.0, 0.001),
}


@pytest.fixture(scope="module")
def rich():
    """A photo with full-range red and green (solarize finds bright pixels) and a dim blue channel
    (auto-contrast and equalisation have work to do)."""
    import cv2

    image = cv2.resize(load_image(resource("images", "astronaut.png")), (64, 48), interpolation=cv2.INTER_AREA)
    image[..., 2] = (image[..., 2] * 0.6 + 40).astype(np.uint8)
    return image


def drawn_numbers(line: str) -> dict[str, list[float]]:
    """``"contrast m=5 (contrast_factor 1.19)"`` → ``{"contrast_factor": [1.19]}``."""
    inside = re.search(r"\((.*)\)$", line)
    numbers: dict[str, list[float]] = {}
    key = None
    for token in inside.group(1).split(", ") if inside else []:
        if " " in token:
            key, token = token.rsplit(" ", 1)
            numbers[key] = []
        numbers[key].append(float(token))
    return numbers


def share_of_autoaugment_tiles_touched() -> float:
    """Per drawn sub-policy, the chance that at least one of its two operations applies."""
    return float(np.mean([1 - np.prod([1 - p for _, p, _ in sub]) for sub in AUTOAUGMENT_IMAGENET]))


@pytest.mark.parametrize("op", OPERATIONS)
def test_probability_is_the_share_changed_and_each_tile_says_what_it_got(op, rich):
    images, records = Augmenter([Step(op, 5, PROBABILITY)]).preview(rich, TILES, seed=7, explain=True)
    changed = np.array([not np.array_equal(image, rich) for image in images])
    for index, (was_changed, record) in enumerate(zip(changed, records)):
        if not record:
            assert not was_changed, f"{op}: tile {index} changed but its explanation says nothing happened"
        elif not was_changed:  # applied, yet no pixel moved: only a draw of next to nothing may do that
            assert op in IDENTITY, f"{op}: tile {index} is explained as {record} but is the original"
            name, still, near = IDENTITY[op]
            assert all(abs(v - still) <= near for v in drawn_numbers(record[0])[name]), (op, index, record)
    expected = PROBABILITY * (share_of_autoaugment_tiles_touched() if op == "autoaugment" else 1.0)
    assert abs(changed.mean() - expected) < 0.12, f"{op}: {changed.mean():.2f} of tiles changed, expected {expected}"


@pytest.mark.parametrize("op", [op for op in OPERATIONS if op not in NO_MAGNITUDE and op != "randaugment"])
def test_magnitude_zero_leaves_the_frame_as_it_is(op, rich):
    """Transforms are drawn up to the magnitude: at 0 there is nothing to draw. (RandAugment is left
    out: equalise and auto-contrast belong to it and have no magnitude.)"""
    images = Augmenter([Step(op, 0, 1.0)]).preview(rich, 8, seed=3)
    assert all(np.array_equal(image, rich) for image in images), op


def test_explanations_hold_for_batches_smaller_than_a_draw(rich):
    """Keras draws one blur sigma pair per batch: a 1-tile explanation still reads it."""
    _, records = Augmenter([Step("blur", 6, 1.0)]).preview(rich, 1, seed=0, explain=True)
    assert records[0][0].startswith("blur m=6 (blur_factor ")


def test_randaugment_names_the_operations_it_picked(rich):
    _, records = Augmenter([Step("randaugment", 9, 1.0, num_ops=3)]).preview(rich, 4, seed=1, explain=True)
    picked = records[0][0].split(": ")[1].split(", ")
    assert records[0][0].startswith("randaugment m=9: ") and len(picked) == 3
