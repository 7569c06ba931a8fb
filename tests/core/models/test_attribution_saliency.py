"""Input-gradient maps and occlusion: against tf.GradientTape, completeness, alignment, cancel."""

import threading

import numpy as np
import pytest

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

from cnnexplorer.core.models import zoo  # noqa: E402
from cnnexplorer.core.models.attribution import (  # noqa: E402
    AttributionError,
    Cancelled,
    CropGeometry,
    occlusion,
    saliency,
)
from cnnexplorer.core.models.attribution.saliency import input_gradients, integrated_gradients  # noqa: E402
from cnnexplorer.core.models.preprocess import fit_frame, prepare  # noqa: E402

from tests.core.models.attribution_models import logits, masked_linear, tiny_classifier  # noqa: E402

RNG = np.random.default_rng(5)


def resize_crop(rgb, size, short_side=None):
    """The feed's square centre crop (torch: the short side first to ``short_side``)."""
    return fit_frame(rgb, (size, size), "crop", (short_side or size) / size)


def frame(height=16, width=16):
    return RNG.integers(0, 256, (height, width, 3), dtype=np.uint8)


def test_input_gradients_match_gradient_tape():
    model = tiny_classifier()
    batch = RNG.normal(0, 1, (3, 16, 16, 3)).astype(np.float32)
    scores, grads = input_gradients(model)(batch, 2)
    x = tf.constant(batch)
    with tf.GradientTape() as tape:
        tape.watch(x)
        pooled = keras.Model(model.inputs, model.get_layer("pool").output)(x)
        dense = model.get_layer("predictions")
        score = tf.reduce_sum((tf.matmul(pooled, dense.kernel) + dense.bias)[:, 2])
    np.testing.assert_allclose(grads, tape.gradient(score, x).numpy(), rtol=1e-4, atol=1e-7)
    np.testing.assert_allclose(scores, logits(model, batch), rtol=1e-5, atol=1e-6)


def test_vanilla_saliency_is_the_gradient_magnitude():
    model = tiny_classifier()
    rgb = frame()
    batch = prepare(rgb, 16, "unit")
    _, grads = input_gradients(model)(batch, 1)
    expected = np.abs(grads[0]).max(axis=-1)
    np.testing.assert_allclose(saliency(model, rgb, 1), expected / expected.max(), rtol=1e-4, atol=1e-6)


def test_integrated_gradients_add_up_to_the_score_difference():
    """Completeness (Sundararajan et al. 2017): Σ attributions = score(x) − score(black)."""
    handle = zoo.wrap(tiny_classifier())
    batch = prepare(frame(), 16, "unit")
    attributions = integrated_gradients(handle, batch, 3, steps=64)
    black = np.zeros_like(batch)
    difference = logits(handle.model, batch)[0, 3] - logits(handle.model, black)[0, 3]
    assert attributions.sum() == pytest.approx(difference, rel=0.02, abs=1e-4)


@pytest.mark.parametrize("method", ["vanilla", "smoothgrad", "integrated"])
def test_maps_light_up_where_the_score_looks_on_a_non_square_frame(method):
    """The score reads only the top-left quadrant of the model's input; on a 32×80 frame the crop
    is frame columns 24…56, so the map must live in rows 0…16, columns 24…40."""
    model = masked_linear()
    rgb = frame(32, 80)
    assert resize_crop(rgb, 16).shape == (16, 16, 3)
    found = saliency(model, rgb, 0, method)
    assert found.shape == (32, 80) and found.max() == pytest.approx(1.0)
    outside = found.copy()
    outside[:17, 23:41] = 0
    assert outside.max() < 0.05
    assert found[:15, 25:39].min() > 0.05 if method != "integrated" else found[:15, 25:39].mean() > 0.2


def test_crop_geometry_undoes_resize_crop_exactly():
    """A ramp holding each input column's centre coordinate comes back as the frame's own
    coordinate in the model's input: x_input = (x + ½)·resized/width − left."""
    geometry = CropGeometry.of(48, 100, 16, "unit")
    ramp = np.tile(np.arange(16, dtype=np.float32) + 0.5, (16, 1))
    frame_map = geometry.to_frame(ramp)
    xs = np.arange(100)
    expected = (xs + 0.5) * geometry.resized_w / 100 - geometry.left
    inside = (expected > 0.5) & (expected < 15.5)
    np.testing.assert_allclose(frame_map[24, inside], expected[inside], atol=1e-3)
    assert not frame_map[:, expected < -0.01].any() and not frame_map[:, expected > 16.01].any()


def test_occlusion_fills_in_coarse_to_fine_and_finds_the_window():
    model = masked_linear()
    rgb = np.full((16, 16, 3), 200, np.uint8)
    maps = list(occlusion(model, rgb, 0, 4, 1))  # strides 4, 2, 1
    assert len(maps) == 3
    for found in maps:
        assert found.shape == (16, 16)
        assert found[:8, :8].mean() > 0.5 and found[11:, 11:].max() == 0  # no patch there touches the window
    assert len({m.tobytes() for m in maps}) == 3  # each pass refines the last


def test_cancel_stops_long_maps():
    model = tiny_classifier()
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        saliency(model, frame(), method="smoothgrad", cancel=cancel)
    passes = occlusion(model, frame(), None, 4, 2, cancel=cancel)
    with pytest.raises(Cancelled):
        next(passes)
    seen = []
    passes = occlusion(model, frame(), None, 4, 2)
    seen.append(next(passes))
    passes.close()  # a consumer that stops iterating stops the work
    assert len(seen) == 1


@pytest.mark.parametrize("bad, message", [
    (lambda m: saliency(m, frame(), method="guided"), "method"),
    (lambda m: saliency(m, frame(), class_index=9), "out of range"),
    (lambda m: saliency(m, np.zeros((1, 5, 3), np.uint8)), "too small"),
    (lambda m: occlusion(m, frame(), None, 0, 2), "patch"),
    (lambda m: occlusion(m, frame(), None, 4, 0), "stride"),
    (lambda m: occlusion(m, frame(), None, 2.5, 1), "integers"),
    (lambda m: occlusion(m, frame(), 12, 4, 2), "out of range"),
])
def test_bad_input_is_refused_at_the_call(bad, message):
    with pytest.raises(AttributionError, match=message):
        bad(tiny_classifier())


def test_saliency_refuses_a_model_that_ignores_its_input():
    inputs = keras.Input((16, 16, 3))
    x = keras.layers.Conv2D(2, 3, kernel_initializer="zeros", bias_initializer="ones")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(3)(keras.layers.Flatten()(x)))
    with pytest.raises(AttributionError, match="does not depend"):
        saliency(model, frame())


@pytest.mark.parametrize("height, width, mode", [(48, 100, "unit"), (90, 40, "torch"), (300, 451, "caffe")])
def test_crop_geometry_follows_resize_crop(height, width, mode):
    """``resize_crop`` itself, run on frames holding their own column and row numbers, lands each
    input pixel where :class:`CropGeometry` says (guards the two against drifting apart)."""
    size = 16
    geometry = CropGeometry.of(height, width, size, mode)
    short_side = round(size * 256 / 224) if mode == "torch" else None
    columns = np.tile(np.arange(width, dtype=np.float32), (height, 1))
    rows = np.tile(np.arange(height, dtype=np.float32)[:, None], (1, width))
    frame = np.dstack([columns, rows, rows])
    crop = resize_crop(frame, size, short_side)
    centres = np.arange(size) + 0.5
    expected_x = [geometry.input_to_frame(0, c)[1] - 0.5 for c in centres]
    expected_y = [geometry.input_to_frame(c, 0)[0] - 0.5 for c in centres]
    np.testing.assert_allclose(crop[size // 2, :, 0], expected_x, atol=0.05 * width / size)
    np.testing.assert_allclose(crop[:, size // 2, 1], expected_y, atol=0.05 * height / size)
