"""AutoAugment as published: the ImageNet policy, each operation at its fixed magnitude."""

import re

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from cnnexplorer.core.augment.autoaugment import AUTOAUGMENT_IMAGENET, AutoAugment, fixed_value  # noqa: E402
from cnnexplorer.core.augment.pipeline import Previewer, preset  # noqa: E402
from cnnexplorer.core.frames.images import load_image  # noqa: E402
from cnnexplorer.core.infra.resources import resource  # noqa: E402


@pytest.fixture(scope="module")
def frame():
    import cv2

    return cv2.resize(load_image(resource("images", "astronaut.png")), (96, 72))


def rotated(frame: np.ndarray, degrees: float) -> np.ndarray:
    """OpenCV's rotation about the centre, counter-clockwise for positive angles, black outside."""
    import cv2

    h, w = frame.shape[:2]
    matrix = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), degrees, 1.0)
    return cv2.warpAffine(frame.astype(np.float32), matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=0)


def rotation_error(image: np.ndarray, frame: np.ndarray, degrees: float) -> tuple[float, float]:
    """Mean absolute difference from the frame rotated by +degrees and by −degrees."""
    return tuple(float(np.abs(image.astype(np.float32) - rotated(frame, a)).mean()) for a in (degrees, -degrees))


def test_autoaugment_table_is_the_published_imagenet_policy():
    assert len(AUTOAUGMENT_IMAGENET) == 25 and all(len(sub) == 2 for sub in AUTOAUGMENT_IMAGENET)
    assert AUTOAUGMENT_IMAGENET[0] == (("posterize", 0.4, 8), ("rotate", 0.6, 9))
    assert AUTOAUGMENT_IMAGENET[14] == (("color", 0.6, 4), ("contrast", 1.0, 8))
    assert AUTOAUGMENT_IMAGENET[18] == (("shear_x", 0.6, 5), ("equalize", 1.0, None))
    ops = {op for sub in AUTOAUGMENT_IMAGENET for op, _, _ in sub}
    assert ops == {"posterize", "rotate", "solarize", "autocontrast", "equalize", "color", "contrast", "invert",
                   "sharpness", "shear_x"}
    assert all(0 <= p <= 1 and (m is None or 0 <= m <= 9) for sub in AUTOAUGMENT_IMAGENET for _, p, m in sub)


def test_magnitudes_map_onto_the_papers_ranges():
    """Ten evenly spaced values over each range of the paper's Table 6 (9 is the far end)."""
    assert fixed_value("rotate", 9) == pytest.approx(30.0) and fixed_value("rotate", 3) == pytest.approx(10.0)
    assert fixed_value("shear_x", 9) == pytest.approx(0.3)
    assert fixed_value("posterize", 0) == 8 and fixed_value("posterize", 9) == 4
    assert fixed_value("solarize", 0) == 256 and fixed_value("solarize", 9) == 0
    assert fixed_value("color", 0) == pytest.approx(0.1) and fixed_value("contrast", 9) == pytest.approx(1.9)


def test_preview_rotates_by_the_fixed_angle_either_way(frame):
    """Tiles that only got a rotation are the frame turned by exactly ±30·m/9 degrees, never by
    some angle drawn below it; both directions occur."""
    images, records = Previewer(preset("AutoAugment (ImageNet)")).preview(frame, 96, seed=4, explain=True)
    signs = set()
    for image, record in zip(images, records):
        match = re.match(r"autoaugment #\d+: rotate (\d)", record[0]) if len(record) == 1 else None
        if match:
            plus, minus = rotation_error(image, frame, 30 * int(match.group(1)) / 9)
            assert min(plus, minus) < 2.0, (record, plus, minus)
            signs.add(plus < minus)
    assert signs == {True, False}


def test_training_path_applies_the_fixed_magnitude_in_a_compiled_graph(frame):
    """The training path (every operation masked over the batch) inside a compiled Keras model."""
    policy = ((("rotate", 1.0, 9), ("shear_x", 0.0, 5)),)

    class Policy(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.policy = AutoAugment(policy)
            self.generator = keras.random.SeedGenerator(3)

        def call(self, images):
            return self.policy.batch(images, self.generator)

    model = keras.Sequential([keras.Input(frame.shape), Policy()])
    out = np.asarray(model.predict_on_batch(np.repeat(frame[None].astype(np.float32), 16, axis=0)))
    errors = [rotation_error(np.clip(image, 0, 255).round(), frame, 30.0) for image in out]
    assert all(min(e) < 2.0 for e in errors), errors
    assert {plus < minus for plus, minus in errors} == {True, False}


def test_policy_explains_each_operation_with_its_value(frame):
    policy = ((("shear_x", 1.0, 9), ("posterize", 1.0, 9)),)
    out, notes = AutoAugment(policy).eager(np.repeat(frame[None].astype(np.float32), 6, axis=0),
                                           keras.random.SeedGenerator(1))
    assert all(n[1] == "autoaugment #1: posterize 9 (4 bits)" for n in notes)
    assert {n[0] for n in notes} == {"autoaugment #1: shear_x 9 (+0.3)", "autoaugment #1: shear_x 9 (-0.3)"}
    assert np.all(np.asarray(out) % 16 == 0)  # 4 bits kept
