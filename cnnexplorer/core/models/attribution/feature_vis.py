"""What one channel responds to: activation maximisation as Lucid does it (Olah et al. 2017).

The image is parameterised in a decorrelated space — a Fourier spectrum scaled by 1/frequency
and colours through the square root of ImageNet's colour covariance — which turns plain gradient
ascent into pictures in a hundred steps or so instead of high-frequency noise. Each step sees the
image through a random jitter, scale and rotation, so only patterns that survive them grow. For a
layer that ends in ReLU/ReLU6 the pre-activation is maximised: ReLU6 passes no gradient above 6.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.models.attribution.errors import AttributionError
from cnnexplorer.core.models.attribution.network import describe, node_output, spatial_layer
from cnnexplorer.core.models.per_model import cached
from cnnexplorer.core.models.graph import inbound_tensors
from cnnexplorer.core.models.preprocess import CAFFE_MEAN_BGR, IMAGENET_MEAN, IMAGENET_STD

DEFAULT_STEPS = 80  # a deep MobileNetV2 layer in under 10 s on two CPU cores
LEARNING_RATE = 0.05
# Square root of ImageNet's RGB colour covariance (Lucid's ``color_correlation_svd_sqrt``).
COLOUR_SQRT = np.array([[0.26, 0.09, 0.02], [0.27, 0.00, -0.05], [0.27, -0.09, 0.03]], np.float32)
JITTER_PX, SCALE_RANGE, ROTATE_DEG = 8.0, 0.1, 10.0


def visualize_channel(model, layer_path: str, channel: int, *, size: int = 224, steps: int = DEFAULT_STEPS,
                      on_step: Callable[[np.ndarray], None] | None = None,
                      cancel: threading.Event | None = None, seed: int = 0) -> np.ndarray:
    """An image (size, size, 3) uint8 that drives ``channel`` of ``layer_path`` hard.

    ``on_step(image)`` gets the image so far (uint8) after every step; a set ``cancel`` ends early
    and the current image is returned."""
    handle = describe(model)
    keras_model = handle.model
    layer = spatial_layer(keras_model, layer_path)
    channels = int(node_output(layer).shape[-1])
    if isinstance(channel, bool) or not isinstance(channel, (int, np.integer)) or not 0 <= channel < channels:
        raise AttributionError(tr("channel must be 0…{last} for {layer!r}, got {channel!r}", last=channels - 1,
                                  layer=layer_path, channel=channel))
    if not 16 <= int(size) <= 1024 or steps < 1:
        raise AttributionError(tr("size must be 16…1024 pixels and steps ≥ 1, got {size} and {steps}", size=size,
                                  steps=steps))
    optimiser = cached(keras_model, ("visualize", layer_path, int(size)),
                       lambda: ChannelOptimiser(keras_model, layer, int(size), handle.preprocessing))
    return optimiser.run(int(channel), int(steps), seed, on_step, cancel)


class ChannelOptimiser:
    """The compiled ascent step for one (model, layer, image size); reset for every channel."""

    def __init__(self, model, layer, size: int, preprocessing: str) -> None:
        import keras
        import tensorflow as tf

        self.lock = threading.Lock()  # one optimisation at a time owns the variables
        self.size, self.traces = size, 0
        source, finish = _pre_activation(layer)
        tap = keras.Model(model.inputs, source)
        input_hw = tuple(d or size for d in model.inputs[0].shape[1:3])
        fy = np.fft.fftfreq(size)[:, None]
        fx = np.fft.rfftfreq(size)[None, :]
        freqs = np.sqrt(fx * fx + fy * fy)
        scale = (1.0 / np.maximum(freqs, 1.0 / size)) * size / 4.0  # Lucid: 1/f, ×√(hw), ÷4
        self._scale = tf.constant(scale.astype(np.float32))
        self._shape = (2, 3, *freqs.shape)
        self.spectrum = tf.Variable(tf.zeros(self._shape), trainable=True)
        self._m = tf.Variable(tf.zeros(self._shape))
        self._v = tf.Variable(tf.zeros(self._shape))
        colours = tf.constant((COLOUR_SQRT / np.max(np.linalg.norm(COLOUR_SQRT, axis=0))).T)
        to_input = _value_scaling(preprocessing)

        def image():
            spectrum = tf.complex(self.spectrum[0] * self._scale, self.spectrum[1] * self._scale)
            planes = tf.signal.irfft2d(spectrum, fft_length=[size, size])  # (3, size, size)
            pixels = tf.reshape(tf.transpose(planes, (1, 2, 0)), (-1, 3))
            return tf.sigmoid(tf.reshape(tf.matmul(pixels, colours), (size, size, 3)))

        @tf.function(autograph=False, input_signature=[tf.TensorSpec((), tf.int32), tf.TensorSpec((), tf.int32),
                                      tf.TensorSpec((), tf.int32)])
        def step(channel, number, seed):
            self.traces += 1
            with tf.GradientTape() as tape:
                picture = image()
                seen = _random_view(picture, input_hw, size, tf.stack([seed, number]))
                response = finish(tap([to_input(seen)], training=False))
                objective = tf.reduce_mean(tf.gather(response, channel, axis=-1))
                loss = -objective
            grad = tape.gradient(loss, self.spectrum)
            t = tf.cast(number, tf.float32) + 1.0  # Adam (Kingma & Ba), written out: state reset per image
            self._m.assign(0.9 * self._m + 0.1 * grad)
            self._v.assign(0.999 * self._v + 0.001 * grad * grad)
            m_hat = self._m / (1.0 - tf.pow(0.9, t))
            v_hat = self._v / (1.0 - tf.pow(0.999, t))
            self.spectrum.assign_sub(LEARNING_RATE * m_hat / (tf.sqrt(v_hat) + 1e-8))
            return objective, picture

        self._step = step
        self._render = tf.function(image, autograph=False)

    def run(self, channel: int, steps: int, seed: int, on_step, cancel) -> np.ndarray:
        with self.lock:
            rng = np.random.default_rng(seed)
            self.spectrum.assign(rng.normal(0.0, 0.01, self._shape).astype(np.float32))
            self._m.assign(np.zeros(self._shape, np.float32))
            self._v.assign(np.zeros(self._shape, np.float32))
            for number in range(steps):
                if cancel is not None and cancel.is_set():
                    break
                self._step(np.int32(channel), np.int32(number), np.int32(seed))
                if on_step is not None:
                    on_step(_to_uint8(self._render()))
            return _to_uint8(self._render())


def _pre_activation(layer):
    """(tensor to tap, function of it giving the map to maximise): the input of a ReLU/ReLU6
    layer, a fused-ReLU convolution recomputed without its activation, else the layer's output."""
    kind = type(layer).__name__
    if kind in ("ReLU", "Activation") and _ends_in_relu(layer):
        (tensor,) = inbound_tensors(layer)
        return tensor, lambda x: x
    if kind == "Conv2D" and _ends_in_relu(layer):
        (tensor,) = inbound_tensors(layer)

        def convolve(x):
            out = layer.convolution_op(x, layer.kernel)
            return out + layer.bias if layer.use_bias else out

        return tensor, convolve
    return node_output(layer), lambda x: x


def _value_scaling(mode: str):
    """An image in [0, 1] → the values the model was trained on (as ``scale_values``, in TF)."""
    import tensorflow as tf

    if mode == "torch":
        return lambda x: (x - IMAGENET_MEAN) / IMAGENET_STD
    if mode == "caffe":
        return lambda x: tf.reverse(x, axis=[-1]) * 255.0 - CAFFE_MEAN_BGR
    if mode == "tf":
        return lambda x: x * 2.0 - 1.0
    return lambda x: x


def _random_view(picture, input_hw, size: int, seed):
    """The picture as the model sees it in one step: randomly shifted, scaled and rotated, resampled
    to the model's input size, grey where the view leaves the picture (a batch of one)."""
    import tensorflow as tf

    rnd = tf.random.stateless_uniform((4,), seed, -1.0, 1.0)
    angle = rnd[0] * ROTATE_DEG * np.pi / 180.0
    zoom = 1.0 + rnd[1] * SCALE_RANGE
    out_h, out_w = input_hw
    k = size / out_w / zoom  # picture pixels per input pixel
    cos, sin = k * tf.cos(angle), k * tf.sin(angle)
    cx, cy = out_w / 2.0, out_h / 2.0
    tx, ty = size / 2.0 + rnd[2] * JITTER_PX, size / 2.0 + rnd[3] * JITTER_PX
    transform = tf.stack([cos, sin, tx - cos * cx - sin * cy, -sin, cos, ty + sin * cx - cos * cy, 0.0, 0.0])
    return tf.raw_ops.ImageProjectiveTransformV3(
        images=picture[None], transforms=transform[None], output_shape=tf.constant([out_h, out_w]),
        fill_value=0.5, interpolation="BILINEAR", fill_mode="CONSTANT")


def _to_uint8(image) -> np.ndarray:
    return np.clip(np.asarray(image) * 255.0 + 0.5, 0, 255).astype(np.uint8)


def depth_layers(model, count: int = 5) -> list[str]:
    """``count`` layers spread evenly from the first to the last spatial map, preferring those that
    end in a ReLU: the rungs of a "one channel per depth" strip (edges → textures → parts)."""
    from cnnexplorer.core.models.attribution.network import describe, spatial_layers

    keras_model = describe(model).model
    names = spatial_layers(keras_model)
    relu = [n for n in names if _ends_in_relu(keras_model.get_layer(n))]
    pool = relu if len(relu) >= count else names
    if not pool:
        raise AttributionError(tr("{model} has no layer with a spatial map", model=keras_model.name))
    picks = np.linspace(0, len(pool) - 1, min(count, len(pool))).round().astype(int)
    return [pool[i] for i in dict.fromkeys(picks)]


def _ends_in_relu(layer) -> bool:
    kind = type(layer).__name__
    activation = getattr(layer, "activation", None)
    return kind == "ReLU" or getattr(activation, "__name__", "") in ("relu", "relu6")
