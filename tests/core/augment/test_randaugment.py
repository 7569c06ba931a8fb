"""RandAugment as published: N operations drawn per image, each at the one magnitude M, and each
tile's explanation names its operations with their values."""

import re

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from cnnexplorer.core.augment.pipeline import Augmenter, Previewer, Step, preset  # noqa: E402
from cnnexplorer.core.augment.randaugment import OPERATIONS, value_at  # noqa: E402
from cnnexplorer.core.frames.images import load_image  # noqa: E402
from cnnexplorer.core.infra.resources import resource  # noqa: E402


@pytest.fixture(scope="module")
def frame():
    import cv2

    return cv2.resize(load_image(resource("images", "chelsea.png")), (96, 64), interpolation=cv2.INTER_AREA)


@pytest.fixture(scope="module")
def previewer():
    return Previewer(preset("RandAugment (N=2, M=9)"))


def test_values_at_the_magnitude_are_the_papers():
    assert value_at("rotate", 9) == pytest.approx(27.0) and value_at("rotate", 9, -1.0) == pytest.approx(-27.0)
    assert value_at("posterize", 10) == 4 and value_at("posterize", 0) == 8
    assert value_at("solarize", 10) == 0 and value_at("solarize", 0) == 256
    assert value_at("contrast", 9) == pytest.approx(1.81) and value_at("contrast", 9, -1.0) == pytest.approx(0.19)
    assert value_at("translate_x", 10) == pytest.approx(0.45)


@pytest.mark.parametrize("seed", range(4))
def test_every_tile_is_explained_by_its_own_operations_and_values(previewer, frame, seed):
    images, records = previewer.preview(frame, 16, seed, explain=True)
    picked = []
    for image, lines in zip(images, records):
        assert len(lines) == 1 and lines[0].startswith("randaugment m=9: ")
        parts = lines[0].split(": ", 1)[1].split(", ")
        assert len(parts) == 2
        for part in parts:
            op = part.split(" ")[0]
            assert op in OPERATIONS
            if op == "rotate":
                assert re.fullmatch(r"rotate [+-]27°", part)
            if op == "posterize":
                assert part == "posterize 4 bits"
        picked.append(tuple(part.split(" ")[0] for part in parts))
    assert len(set(picked)) >= 8  # drawn per image, not one pair for the whole grid


def test_the_grid_changes_the_frame_visibly_and_no_tile_is_flat(previewer, frame):
    for seed in range(6):
        images, records = previewer.preview(frame, 16, seed, explain=True)
        changed = [np.abs(image.astype(np.float32) - frame).mean() > 4 for image in images]
        assert sum(changed) >= 10, (seed, records)
        assert all(image.std() > 3 for image in images), (seed, records)  # contrast ×0.19 is faint, not flat


def test_one_rotation_alone_is_exactly_the_fixed_angle(frame):
    """With N=1, a tile whose explanation says rotate +27° is the frame turned by 27° (OpenCV's
    rotation, counter-clockwise, black outside)."""
    import cv2

    images, records = Previewer(Augmenter([Step("randaugment", 9, 1.0, num_ops=1)])).preview(
        frame, 48, seed=3, explain=True)
    rotated = [(image, line[0]) for image, line in zip(images, records) if " rotate " in line[0]]
    assert rotated
    for image, line in rotated:
        degrees = float(re.search(r"rotate ([+-][\d.]+)°", line).group(1))
        h, w = frame.shape[:2]
        matrix = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), degrees, 1.0)
        expected = cv2.warpAffine(frame.astype(np.float32), matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=0)
        assert np.abs(image.astype(np.float32) - expected).mean() < 3.0


def test_training_batches_go_through_the_same_operations(frame):
    layer = Augmenter([Step("randaugment", 9, 1.0, num_ops=2)]).as_layer()
    batch = np.repeat(frame[None].astype(np.float32), 4, axis=0)
    out = np.asarray(layer(batch, training=True))
    assert out.shape == batch.shape and np.isfinite(out).all()
    assert np.array_equal(np.asarray(layer(batch, training=False)), batch)


def test_fit_runs_the_policy_in_the_training_graph():
    layer = Augmenter([Step("randaugment", 9, 1.0, num_ops=2)]).as_layer()
    inputs = keras.Input((32, 32, 3))
    features = keras.layers.GlobalAveragePooling2D()(keras.layers.Rescaling(1 / 255)(layer(inputs)))
    model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(features))
    model.compile("adam", "sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    history = model.fit(rng.integers(0, 256, (16, 32, 32, 3)).astype("float32"), rng.integers(0, 2, 16),
                        epochs=1, batch_size=8, verbose=0)
    assert np.isfinite(history.history["loss"][0]) and float(layer.batches_seen.numpy()) == 2.0
