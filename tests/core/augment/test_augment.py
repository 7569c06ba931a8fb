"""Augmentation: one pipeline for preview and training, seeded, checked op by op."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from cnnexplorer.core.training import builders, datasets  # noqa: E402
from cnnexplorer.core.augment.ops import OPERATIONS  # noqa: E402
from cnnexplorer.core.augment.pipeline import (  # noqa: E402
    PRESETS,
    Augmenter,
    Previewer,
    Step,
    preset,
    saved_pipelines,
)
from cnnexplorer.core.frames.images import load_image  # noqa: E402
from cnnexplorer.core.infra.resources import resource  # noqa: E402
from cnnexplorer.core.training.fit import TrainConfig, run_training  # noqa: E402


@pytest.fixture(scope="module")
def frame():
    import cv2

    return cv2.resize(load_image(resource("images", "astronaut.png")), (96, 72))


def test_same_seed_same_images_other_seed_other_images(frame):
    pipeline = preset("heavy")
    first = pipeline.preview(frame, 8, seed=5)
    again = pipeline.preview(frame, 8, seed=5)
    other = pipeline.preview(frame, 8, seed=6)
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert any(not np.array_equal(a, b) for a, b in zip(first, other))
    assert all(image.dtype == np.uint8 and image.shape == frame.shape for image in first)


def test_explained_preview_is_the_shown_one(frame):
    previewer = Previewer(preset("heavy"))
    shown = previewer.preview(frame, 8, seed=2)
    explained, records = previewer.preview(frame, 8, seed=2, explain=True)
    assert all(np.array_equal(a, b) for a, b in zip(shown, explained))
    assert any(records) and all(isinstance(r, list) for r in records)


def test_flip_equals_numpy_and_zero_rotation_is_identity(frame):
    flipped = Augmenter([Step("flip_horizontal")]).preview(frame, 2, seed=0)
    assert all(np.array_equal(image, np.fliplr(frame)) for image in flipped)
    upside = Augmenter([Step("flip_vertical")]).preview(frame, 1, seed=0)[0]
    assert np.array_equal(upside, np.flipud(frame))
    still = Augmenter([Step("rotate", magnitude=0)]).preview(frame, 3, seed=1)
    assert all(np.abs(image.astype(int) - frame).max() <= 1 for image in still)
    never = Augmenter([Step("flip_horizontal", probability=0.0)]).preview(frame, 3, seed=1)
    assert all(np.array_equal(image, frame) for image in never)


def test_brightness_moves_the_mean_the_way_it_drew(frame):
    images, records = Augmenter([Step("brightness", magnitude=6)]).preview(frame, 12, seed=3, explain=True)
    for image, record in zip(images, records):
        delta = float(record[0].split("rgb_delta ")[1].rstrip(")"))
        change = image.astype(float).mean() - frame.astype(float).mean()
        assert np.sign(change) == np.sign(delta) or abs(delta) < 2


def test_every_operation_changes_the_picture(frame):
    dim = (frame // 2 + 40).astype(np.uint8)  # low contrast: auto-contrast and equalisation have work to do
    for op in OPERATIONS:
        images = Augmenter([Step(op, magnitude=8, probability=1.0)]).preview(dim, 4, seed=11)
        assert any(not np.array_equal(image, dim) for image in images), op


@pytest.mark.parametrize("bad", [dict(op="warp"), dict(op="rotate", magnitude=11), dict(op="rotate", magnitude=-1),
                                 dict(op="zoom", probability=1.5), dict(op="randaugment", num_ops=0)])
def test_out_of_range_values_raise(bad):
    with pytest.raises(ValueError):
        Step(**bad)


def test_round_trip_and_saved_by_name(tmp_path):
    for name in PRESETS:
        pipeline = preset(name)
        assert Augmenter.from_dict(pipeline.to_dict()) == pipeline
    mine = Augmenter([Step("zoom", 3, 0.4), Step("hue", 2, 0.2, enabled=False)], "my pipeline")
    mine.save(tmp_path)
    assert saved_pipelines(tmp_path) == ["my pipeline"]
    assert Augmenter.load("my pipeline", tmp_path) == mine
    with pytest.raises(ValueError):
        Augmenter.from_dict({"nope": 1})


def test_fit_trains_on_batches_that_went_through_the_pipeline(tmp_path):
    data = datasets.shapes(("circle", "square"), size=24, per_class=16)
    pipeline = Augmenter([Step("flip_horizontal", probability=0.5), Step("rotate", 3, 0.5)])
    layer = pipeline.as_layer()
    result = run_training(lambda: builders.small_cnn(data.image_shape, 2), data,
                          TrainConfig(epochs=2, batch_size=8), run_dir=tmp_path, augment=layer)
    assert int(layer.batches_seen.numpy()) == 2 * 4  # every training batch, never validation
    assert layer.augmenter is pipeline
    saved = keras.saving.load_model(result.last_path)
    assert not any(type(x).__name__ == "AugmentLayer" for x in saved.layers)  # training only
    batch = np.repeat(data.x_train[:1].astype("float32"), 4, axis=0)
    np.testing.assert_array_equal(np.asarray(layer(batch, training=False)), batch)


def test_autoaugment_preview_runs_only_the_drawn_sub_policies_yet_matches_training(frame):
    """Previews run each drawn sub-policy on its own images; training masks all 50 operations over
    the batch. Same policy: about as many images come out untouched either way."""
    pipeline = preset("AutoAugment (ImageNet)")
    shown = Previewer(pipeline).preview(frame, 64, seed=4)
    explained, records = Previewer(pipeline).preview(frame, 64, seed=4, explain=True)
    assert all(np.array_equal(a, b) for a, b in zip(shown, explained))
    for image, record in zip(explained, records):
        assert all(r.startswith("autoaugment #") for r in record)
        if not record:
            assert np.array_equal(image, frame)  # no operation drawn: the original
    layer = pipeline.as_layer()
    batch = np.repeat(frame[None].astype(np.float32), 64, axis=0)
    trained = np.clip(np.asarray(layer(batch, training=True)), 0, 255).round().astype(np.uint8)
    untouched_preview = np.mean([np.array_equal(image, frame) for image in shown])
    untouched_training = np.mean([np.array_equal(image, frame) for image in trained])
    assert abs(untouched_preview - untouched_training) < 0.2
    assert 0.05 < untouched_preview < 0.8
