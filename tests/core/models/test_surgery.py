"""Network surgery against Keras: edited, knocked-out and BN-folded filters, undone bit for bit."""

import threading

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from cnnexplorer.core.frames.frame import Frame  # noqa: E402
from cnnexplorer.core.frames.images import load_image  # noqa: E402
from cnnexplorer.core.models.forward import ForwardPass, ForwardRequest  # noqa: E402
from cnnexplorer.core.infra.resources import resource  # noqa: E402
from cnnexplorer.core.models import zoo  # noqa: E402
from cnnexplorer.core.models.surgery import (  # noqa: E402
    Edit,
    FilterIndexError,
    SurgeryError,
    ablate,
    edit_kernel,
    folded_kernel,
    knockout_sweep,
    redo,
    save_copy,
    undo,
)

SOBEL = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], np.float32)
RNG = np.random.default_rng(7)


def _small():
    inputs = keras.Input((12, 12, 3))
    x = keras.layers.Conv2D(4, 3, name="conv")(inputs)
    x = keras.layers.DepthwiseConv2D(3, depth_multiplier=2, name="depthwise")(x)
    x = keras.layers.Conv2D(5, 1, use_bias=False, name="plain")(x)
    x = keras.layers.BatchNormalization(name="plain_bn")(x)
    x = keras.layers.ReLU(name="relu")(x)
    x = keras.layers.GlobalAveragePooling2D(name="pool")(x)
    model = keras.Model(inputs, keras.layers.Dense(3, name="head")(x))
    bn = model.get_layer("plain_bn")
    bn.set_weights([RNG.uniform(0.5, 2, 5), RNG.normal(0, 1, 5), RNG.normal(0, 1, 5), RNG.uniform(0.5, 2, 5)])
    return model


def _batch():
    return RNG.uniform(-1, 1, (1, 12, 12, 3)).astype(np.float32)


def _tap(model, name, batch):
    return np.asarray(keras.Model(model.inputs, model.get_layer(name).output).predict_on_batch(batch))[0]


def _same_weights(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a, b))


def test_edit_conv_depthwise_dense_equals_keras_and_undoes_bit_for_bit():
    model, batch = _small(), _batch()
    original = model.get_weights()
    model.predict_on_batch(batch)
    predict_function = model.predict_function
    edits = [edit_kernel(model, "conv", 2, SOBEL, bias=0.5),  # 2-D: every input channel
             edit_kernel(model, "depthwise", 5, SOBEL.T),  # channel 2, multiplier 1
             edit_kernel(model, "head", 1, np.arange(5, dtype=np.float32), bias=-1.0)]
    assert all(isinstance(e, Edit) for e in edits)
    expected = [w.copy() for w in original]
    expected[0][..., 2] = SOBEL[:, :, None]
    expected[1][2] = 0.5
    expected[2][:, :, 2, 1] = SOBEL.T
    expected[-2][:, 1] = np.arange(5)
    expected[-1][1] = -1.0
    assert _same_weights(model.get_weights(), expected)  # nothing else changed
    oracle = keras.models.clone_model(model)
    oracle.set_weights(expected)
    np.testing.assert_allclose(model.predict_on_batch(batch), oracle.predict_on_batch(batch), rtol=1e-5, atol=1e-6)
    assert model.predict_function is predict_function  # assigned in place: no new function
    for edit in reversed(edits):
        undo(model, edit)
    assert _same_weights(model.get_weights(), original)
    redo(model, edits[0])
    assert np.array_equal(model.get_weights()[0][..., 2], np.repeat(SOBEL[:, :, None], 3, axis=2))


def test_folded_kernel_is_what_the_frame_meets_and_edits_write_back_through_bn():
    model, batch = _small(), _batch()
    original = model.get_weights()
    folded = folded_kernel(model, "plain", 3)
    assert folded.batch_norm == "plain_bn" and folded.kernel.shape == (1, 1, 8)
    kernel, bias = folded
    dw = _tap(model, "depthwise", batch)
    np.testing.assert_allclose(dw @ kernel[0, 0] + bias, _tap(model, "plain_bn", batch)[..., 3], rtol=1e-4, atol=1e-5)
    wanted = RNG.normal(0, 1, (1, 1, 8)).astype(np.float32)
    edit = edit_kernel(model, "plain", 3, wanted, bias=0.25, folded=True)
    again = folded_kernel(model, "plain", 3)
    np.testing.assert_allclose(again.kernel, wanted, rtol=1e-5, atol=1e-6)
    assert again.bias == pytest.approx(0.25, abs=1e-5)
    np.testing.assert_allclose(_tap(model, "plain_bn", batch)[..., 3], dw @ wanted[0, 0] + 0.25, rtol=1e-4, atol=1e-5)
    undo(model, edit)
    assert _same_weights(model.get_weights(), original)
    unfolded = folded_kernel(model, "conv", 0)
    assert unfolded.batch_norm is None and np.array_equal(unfolded.kernel, original[0][..., 0])


def test_ablate_silences_the_channel_even_through_bn():
    model, batch = _small(), _batch()
    original = model.get_weights()
    edit = ablate(model, "plain", [1, 4])
    out = _tap(model, "plain_bn", batch)
    np.testing.assert_allclose(out[..., [1, 4]], 0.0, atol=1e-5)
    assert np.abs(out[..., 0]).max() > 1e-3
    assert edit.filters == (1, 4)
    second = ablate(model, "conv", 0)
    assert np.abs(_tap(model, "conv", batch)[..., 0]).max() == 0.0
    undo(model, second)
    undo(model, edit)
    assert _same_weights(model.get_weights(), original)


def test_bad_edits_leave_the_model_as_it_was(tmp_path):
    model = _small()
    original = model.get_weights()
    with pytest.raises(SurgeryError, match="3×3×3 or 3×3; the kernel given is 5×5"):
        edit_kernel(model, "conv", 0, np.zeros((5, 5)))
    with pytest.raises(SurgeryError, match="NaN or infinite"):
        edit_kernel(model, "conv", 0, np.full((3, 3), np.nan))
    with pytest.raises(SurgeryError, match="NaN or infinite"):
        edit_kernel(model, "conv", 0, SOBEL, bias=np.inf)
    with pytest.raises(FilterIndexError, match="0…3"):
        edit_kernel(model, "conv", 4, SOBEL)
    with pytest.raises(IndexError):
        ablate(model, "head", [0, 3])
    with pytest.raises(SurgeryError, match="no kernel"):
        ablate(model, "pool", 0)
    with pytest.raises(SurgeryError, match="no bias"):
        edit_kernel(model, "plain", 0, np.ones((1, 1, 8)), bias=1.0)
    with pytest.raises(SurgeryError, match="no layer"):
        ablate(model, "nope", 0)
    assert _same_weights(model.get_weights(), original)
    a, b = keras.Input((8, 8, 3)), keras.Input((8, 8, 3))
    two = keras.Model([a, b], keras.layers.Conv2D(2, 3, name="conv")(keras.layers.Add()([a, b])))
    with pytest.raises(SurgeryError, match="2 inputs"):
        ablate(two, "conv", 0)


def test_the_source_file_is_never_touched(tmp_path):
    path = tmp_path / "model.keras"
    _small().save(path)
    before = path.read_bytes()
    opened = zoo.open_file(path)
    edit_kernel(opened.model, "conv", 0, SOBEL)
    ablate(opened.model, "plain", 2)
    assert path.read_bytes() == before


def test_bundled_mobilenet_first_layer_folds_through_its_bn():
    bundled = zoo.load_model("mobilenet_v2")
    batch = bundled.prepare(load_image(resource("images", "chelsea.png")))
    folded = folded_kernel(bundled.model, "stem_conv", 7)
    assert folded.batch_norm == "stem_conv_bn" and folded.kernel.shape == (3, 3, 3)
    padded = _tap(bundled.model, "stem_conv_pad", batch)
    patch = padded[10:13, 20:23, :]  # stride 2: output (5, 10) reads rows 10–12, columns 20–22
    expected = _tap(bundled.model, "stem_conv_bn", batch)[5, 10, 7]
    assert float((patch * folded.kernel).sum() + folded.bias) == pytest.approx(float(expected), rel=1e-4, abs=1e-4)
    before = np.asarray(bundled.model.predict_on_batch(batch))[0]
    edit = ablate(bundled.model, "stem_conv", range(32))
    assert not np.allclose(np.asarray(bundled.model.predict_on_batch(batch))[0], before)
    undo(bundled.model, edit)
    np.testing.assert_array_equal(np.asarray(bundled.model.predict_on_batch(batch))[0], before)


def test_knockout_sweep_ranks_filters_and_restores_the_weights():
    model, batch = _small(), _batch()
    original = model.get_weights()
    before = np.asarray(model.predict_on_batch(batch))[0]
    top = int(np.argmax(before))
    seen = []
    rows = knockout_sweep(model, "plain", batch, progress=lambda done, total: seen.append((done, total)))
    assert sorted(r.filter_index for r in rows) == list(range(5)) and seen[-1] == (5, 5)
    assert [r.drop for r in rows] == sorted((r.drop for r in rows), reverse=True)
    edit = ablate(model, "plain", rows[0].filter_index)
    after = np.asarray(model.predict_on_batch(batch))[0]
    assert rows[0].drop == pytest.approx(float(before[top] - after[top]), abs=1e-6)
    undo(model, edit)
    assert _same_weights(model.get_weights(), original)
    stop = threading.Event()
    stop.set()
    assert knockout_sweep(model, "plain", batch, cancel=stop) == []


def test_save_copy_writes_a_new_file_only(tmp_path):
    model = _small()
    edit_kernel(model, "conv", 0, SOBEL)
    path = save_copy(model, tmp_path / "edited.keras", ["a", "b", "c"], "tf")
    reopened = zoo.open_file(path)
    assert np.array_equal(reopened.model.get_layer("conv").get_weights()[0][..., 0], np.repeat(SOBEL[:, :, None], 3, 2))
    assert reopened.class_names == ["a", "b", "c"] and reopened.preprocessing == "tf"
    before = path.read_bytes()
    with pytest.raises(SurgeryError, match="already exists"):
        save_copy(model, path)
    assert path.read_bytes() == before


def test_logits_of_a_softmax_head_follow_the_edits():
    inputs = keras.Input((12, 12, 3))
    x = keras.layers.GlobalAveragePooling2D(name="pool")(keras.layers.Conv2D(4, 3, name="conv")(inputs))
    model = keras.Model(inputs, keras.layers.Dense(3, activation="softmax", name="head")(x))
    rgb = (RNG.uniform(0, 255, (30, 40, 3))).astype(np.uint8)
    wrapped = zoo.wrap(model)
    forward = ForwardPass()
    request = ForwardRequest(Frame(rgb, 1, 0.0, 0.0, "test"), wrapped, ("conv",), logits=True)
    edit_kernel(model, "head", 2, np.ones(4, np.float32), bias=3.0)
    inference = forward(request)
    linear = keras.Model(inputs, keras.layers.Dense(3, name="linear_head")(x))
    linear.get_layer("linear_head").set_weights(model.get_layer("head").get_weights())
    batch = wrapped.prepare(rgb)
    np.testing.assert_allclose(inference.logits, np.asarray(linear.predict_on_batch(batch))[0], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(inference.scores, np.asarray(keras.ops.softmax(inference.logits)), rtol=1e-5, atol=1e-6)
    assert len(inference.outputs) == 1 and inference.outputs[0].shape == (10, 10, 4)
    assert forward(ForwardRequest(request.frame, wrapped, ("conv",))).logits is None
