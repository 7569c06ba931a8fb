"""conv2d / pool2d against TensorFlow and Keras, the fast path against the reference."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cnnexplorer.core.conv.ops import conv2d, conv2d_reference, explain_pixel, output_size, pool2d

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")


def tf_conv(image, kernel, stride, padding, dilation, border):
    """The oracle: explicit padding done by np.pad, then TensorFlow's VALID convolution."""
    x = np.asarray(image, np.float32)
    x = x if x.ndim == 3 else x[..., None]
    k = np.asarray(kernel, np.float32)
    (sy, sx), (dy, dx) = stride, dilation
    kh, kw = k.shape[:2]
    keff = ((kh - 1) * dy + 1, (kw - 1) * dx + 1)
    pads = []
    for n, ke, s, p in ((x.shape[0], keff[0], sy, padding[0]), (x.shape[1], keff[1], sx, padding[1])):
        if p == "same":
            total = max((-(-n // s) - 1) * s + ke - n, 0)
            pads.append((total // 2, total - total // 2))
        elif p == "full":
            pads.append((ke - 1, ke - 1))
        elif p == "valid":
            pads.append((0, 0))
        else:
            pads.append((p, p))
    mode = {"zero": "constant", "reflect": "reflect", "replicate": "edge"}[border]
    x = np.pad(x, (*pads, (0, 0)), mode=mode)
    if x.shape[0] < keff[0] or x.shape[1] < keff[1]:
        return None
    batch = tf.constant(x[None])
    # TF refuses stride > 1 together with dilation > 1: convolve densely, then subsample.
    if k.ndim == 2:
        filt = np.repeat(k[:, :, None, None], x.shape[2], axis=2)
        out = tf.nn.depthwise_conv2d(batch, filt, [1, 1, 1, 1], "VALID", dilations=(dy, dx))
    else:
        filt = k[..., None] if k.ndim == 3 else k
        out = tf.nn.conv2d(batch, filt, 1, "VALID", dilations=(dy, dx))
    out = out.numpy()[0][::sy, ::sx]
    return out[..., 0] if k.ndim == 3 else out if (k.ndim == 4 or np.ndim(image) == 3) else out[..., 0]


def check_close(ours, theirs):
    assert ours.shape == theirs.shape
    scale = max(1.0, float(np.abs(theirs).max(initial=0)))
    np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-4 * scale)


@st.composite
def conv_cases(draw):
    h, w = draw(st.integers(1, 14)), draw(st.integers(1, 14))
    channels = draw(st.sampled_from([None, 1, 3]))
    kh, kw = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    layout = draw(st.sampled_from(["depthwise", "summed", "keras"]))
    c = channels or 1
    kshape = {"depthwise": (kh, kw), "summed": (kh, kw, c), "keras": (kh, kw, c, draw(st.integers(1, 3)))}[layout]
    pad = st.one_of(st.sampled_from(["valid", "same", "full"]), st.integers(0, 3))
    padding = draw(pad) if draw(st.booleans()) else (draw(st.integers(0, 3)), draw(st.integers(0, 3)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    border = draw(st.sampled_from(["zero", "reflect", "replicate"]))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    image = rng.uniform(0, 255, (h, w) if channels is None else (h, w, channels)).astype(np.float32)
    kernel = rng.normal(size=kshape).astype(np.float32)
    return image, kernel, stride, padding, dilation, border


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(conv_cases())
def test_conv2d_equals_tensorflow(case):
    image, kernel, stride, padding, dilation, border = case
    pair = padding if isinstance(padding, tuple) else (padding, padding)
    if border == "reflect":
        # np.pad's reflect needs at least 2 pixels to mirror; TF has no such border at all
        if min(image.shape[:2]) < 2 and any(p not in ("valid", 0) for p in pair):
            return
    ours = conv2d(image, kernel, stride=stride, padding=padding, dilation=dilation, border=border)
    theirs = tf_conv(image, kernel, stride, pair, dilation, border)
    if theirs is None:
        assert ours.size == 0
        return
    check_close(ours, theirs)
    check_close(conv2d_reference(image, kernel, stride=stride, padding=padding, dilation=dilation, border=border), ours)
    for axis, (n, k, s, p, d) in enumerate(zip(image.shape[:2], kernel.shape[:2], stride, pair, dilation)):
        assert output_size(n, k, stride=s, padding=p, dilation=d) == ours.shape[axis]


@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_same_padding_matches_tf_same_on_frames(stride, k):
    rng = np.random.default_rng(k * 10 + stride)
    image = rng.integers(0, 256, (48, 64, 3), dtype=np.uint8)
    kernel = rng.normal(size=(k, k, 3, 2)).astype(np.float32)
    theirs = tf.nn.conv2d(image[None].astype(np.float32), kernel, stride, "SAME").numpy()[0]
    check_close(conv2d(image, kernel, stride=stride, padding="same"), theirs)
    depthwise = rng.normal(size=(k, k)).astype(np.float32)
    filt = np.repeat(depthwise[:, :, None, None], 3, axis=2)
    theirs = tf.nn.depthwise_conv2d(image[None].astype(np.float32), filt, [1, stride, stride, 1], "SAME").numpy()[0]
    check_close(conv2d(image, depthwise, stride=stride, padding="same"), theirs)


def test_keras_conv2d_layer_agrees():
    rng = np.random.default_rng(3)
    layer = keras.layers.Conv2D(4, (3, 5), strides=(2, 1), padding="same", dilation_rate=1, use_bias=False)
    image = rng.uniform(size=(1, 21, 17, 3)).astype(np.float32)
    expected = np.asarray(layer(image))[0]
    check_close(conv2d(image[0], layer.get_weights()[0], stride=(2, 1), padding="same"), expected)


def test_large_kernels_on_a_frame_match_reference():
    rng = np.random.default_rng(5)
    frame = rng.integers(0, 256, (120, 160, 3), dtype=np.uint8)
    for k in (11, 15):
        kernel = rng.normal(size=(k, k)).astype(np.float32)
        fast = conv2d(frame, kernel, padding="same", border="reflect")
        check_close(fast, conv2d_reference(frame, kernel, padding="same", border="reflect"))


@pytest.mark.parametrize("border", ["zero", "reflect", "replicate"])
@pytest.mark.parametrize("k, dilation, stride", [(11, 2, 1), (7, 3, 2), (13, 1, 1), (5, 4, 3)])
def test_wide_kernels_on_uint8_frames_equal_tensorflow(k, dilation, stride, border):
    """Kernels wider than 11 taps (dilation counted) filter the uint8 frame without a float copy."""
    rng = np.random.default_rng(k * dilation + stride)
    frame = rng.integers(0, 256, (60, 80, 3), dtype=np.uint8)
    for kernel in (rng.normal(size=(k, k)), rng.normal(size=(k, k, 3))):
        kernel = kernel.astype(np.float32)
        ours = conv2d(frame, kernel, stride=stride, padding="same", dilation=dilation, border=border)
        check_close(ours, tf_conv(frame, kernel, (stride, stride), ("same", "same"), (dilation, dilation), border))


@pytest.mark.parametrize("mode", ["max", "avg"])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("size, stride", [(2, None), (3, 2), ((2, 3), (1, 2)), (3, 3)])
def test_pool2d_equals_keras(mode, padding, size, stride):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(11, 13, 3)).astype(np.float32)
    layer_cls = keras.layers.MaxPooling2D if mode == "max" else keras.layers.AveragePooling2D
    expected = np.asarray(layer_cls(pool_size=size, strides=stride, padding=padding)(x[None]))[0]
    ours = pool2d(x, size, stride=stride, mode=mode, padding=padding)
    check_close(ours, expected)
    check_close(pool2d(x[..., 0], size, stride=stride, mode=mode, padding=padding), expected[..., 0])


@pytest.mark.parametrize("channels", [1, 4, 5, 16])
def test_pool2d_any_channel_count(channels):
    x = np.random.default_rng(channels).normal(size=(9, 10, channels)).astype(np.float32)
    for mode, layer_cls in (("max", keras.layers.MaxPooling2D), ("avg", keras.layers.AveragePooling2D)):
        expected = np.asarray(layer_cls(3, strides=2, padding="same")(x[None]))[0]
        check_close(pool2d(x, 3, stride=2, mode=mode, padding="same"), expected)


def test_explain_pixel_sums_to_the_output():
    rng = np.random.default_rng(9)
    image = rng.integers(0, 256, (20, 24, 3), dtype=np.uint8)
    kernel = rng.normal(size=(3, 3)).astype(np.float32)
    settings_ = dict(stride=2, padding="same", dilation=2, border="reflect")
    out = conv2d(image, kernel, **settings_)
    for oy, ox in [(0, 0), (5, 7), (out.shape[0] - 1, out.shape[1] - 1)]:
        explained = explain_pixel(image, kernel, oy, ox, channel=1, **settings_)
        assert explained.total == pytest.approx(out[oy, ox, 1], rel=1e-5, abs=1e-3)
        np.testing.assert_allclose(explained.products, explained.inputs * explained.weights)
    summed = rng.normal(size=(3, 3, 3))
    out = conv2d(image, summed, padding=1)
    assert explain_pixel(image, summed, 0, 0, padding=1).total == pytest.approx(out[0, 0], rel=1e-5)
    corner = explain_pixel(image, kernel, 0, 0, channel=0, padding=1)
    assert corner.rows.tolist() == [-1, 0, 1] and corner.inputs[0].tolist() == [0, 0, 0]  # zero padding


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(kernel=[[np.nan, 0], [0, 0]]), "finite"),
        (dict(kernel=[[1.0, np.inf]]), "finite"),
        (dict(stride=0), "stride"),
        (dict(dilation=(1, 0)), "dilation"),
        (dict(kernel=np.ones((3, 3, 2))), "input channels"),
        (dict(padding="bogus"), "padding"),
        (dict(padding=-1), "padding"),
        (dict(border="wrap"), "border"),
    ],
)
def test_bad_arguments_raise_value_error(kwargs, message):
    args = dict(kernel=np.ones((3, 3)), **{k: v for k, v in kwargs.items() if k != "kernel"})
    args["kernel"] = kwargs.get("kernel", args["kernel"])
    with pytest.raises(ValueError, match=message):
        conv2d(np.zeros((8, 8, 3)), args.pop("kernel"), **args)


def test_kernel_larger_than_image_gives_empty_output():
    out = conv2d(np.zeros((4, 5, 3)), np.ones((7, 7)))
    assert out.shape == (0, 0, 3)
    assert conv2d(np.zeros((4, 5)), np.ones((3, 9))).shape == (2, 0)
    assert output_size(4, 7) == 0
    assert pool2d(np.zeros((1, 5)), 2).shape == (0, 2)


def test_output_size_formulas():
    assert output_size(480, 3, padding="same", stride=2) == 240
    assert output_size(481, 3, padding="same", stride=2) == 241
    assert output_size(480, 3, padding=1, stride=2) == 240  # ⌊(480 + 2 − 3)/2⌋ + 1
    assert output_size(10, 3, padding="full") == 12
    assert output_size(10, 3, dilation=2) == 6  # k_eff = 5


@settings(max_examples=120, deadline=None)
@given(
    st.integers(1, 12), st.integers(1, 12), st.integers(1, 6),
    st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), st.integers(1, 4),
    st.sampled_from(["max", "avg"]), st.sampled_from(["valid", "same"]),
)
def test_pool2d_property_equals_keras(h, w, c, ph, pw, sy, sx, mode, padding):
    x = np.random.default_rng(h * w * c).normal(size=(h, w, c)).astype(np.float32)
    ours = pool2d(x, (ph, pw), stride=(sy, sx), mode=mode, padding=padding)
    if ours.size == 0:
        assert padding == "valid" and (ph > h or pw > w)
        return
    layer_cls = keras.layers.MaxPooling2D if mode == "max" else keras.layers.AveragePooling2D
    expected = np.asarray(layer_cls((ph, pw), strides=(sy, sx), padding=padding)(x[None]))[0]
    check_close(ours, expected)
