"""MobileNetV2 laid out exactly like torchvision's, so its BSD ImageNet weights load unchanged.

The bundled ``resources/models/mobilenet_v2_imagenet.keras`` was built with this function and
``resources/models/convert_mobilenet_v2.py``. Differences from ``keras.applications.MobileNetV2``
that the weights need: BatchNorm ε = 1e-5, symmetric padding before every stride-2 convolution,
and torchvision's preprocessing (see :data:`PREPROCESSING`).
"""

from __future__ import annotations

# (expansion t, channels c, repeats n, first stride s), as in the MobileNetV2 paper and torchvision.
SETTINGS = ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1))
INPUT_SIZE = 224
PREPROCESSING = "torch"  # RGB / 255, minus ImageNet mean, over ImageNet std; short side 256, centre 224
EPSILON = 1e-5


def build(classes: int = 1000, input_size: int = INPUT_SIZE):
    """The Keras model (random weights); layer names say where each torchvision tensor goes."""
    import keras
    from keras import layers

    def conv_bn(x, filters, kernel, stride, name, relu=True, depthwise=False):
        if kernel > 1:
            x = layers.ZeroPadding2D(kernel // 2, name=f"{name}_pad")(x)
        if depthwise:
            x = layers.DepthwiseConv2D(kernel, stride, padding="valid", use_bias=False, name=name)(x)
        else:
            x = layers.Conv2D(filters, kernel, stride, padding="valid", use_bias=False, name=name)(x)
        x = layers.BatchNormalization(epsilon=EPSILON, name=f"{name}_bn")(x)
        return layers.ReLU(6.0, name=f"{name}_relu6")(x) if relu else x

    inputs = keras.Input((input_size, input_size, 3), name="image")
    x = conv_bn(inputs, 32, 3, 2, "stem_conv")
    channels, block = 32, 0
    for t, c, n, s in SETTINGS:
        for i in range(n):
            block += 1
            stride = s if i == 0 else 1
            shortcut = x
            if t != 1:
                x = conv_bn(x, channels * t, 1, 1, f"block{block}_expand")
            x = conv_bn(x, 0, 3, stride, f"block{block}_depthwise", depthwise=True)
            x = conv_bn(x, c, 1, 1, f"block{block}_project", relu=False)
            if stride == 1 and channels == c:
                x = layers.Add(name=f"block{block}_add")([shortcut, x])
            channels = c
    x = conv_bn(x, 1280, 1, 1, "head_conv")
    x = layers.GlobalAveragePooling2D(name="global_pool")(x)
    outputs = layers.Dense(classes, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name="mobilenet_v2")


def torch_names(model) -> dict[str, list[str]]:
    """Keras layer name → the torchvision state-dict keys of its weights, in Keras' weight order."""
    mapping: dict[str, list[str]] = {}

    def conv_bn(keras_name: str, prefix: str, conv: str, bn: str) -> None:
        mapping[keras_name] = [f"{prefix}.{conv}.weight"]
        mapping[f"{keras_name}_bn"] = [f"{prefix}.{bn}.{k}" for k in ("weight", "bias", "running_mean", "running_var")]

    conv_bn("stem_conv", "features.0", "0", "1")
    block = 0
    for t, _, n, _ in SETTINGS:
        for _ in range(n):
            block += 1
            prefix = f"features.{block}.conv"
            if t == 1:
                conv_bn(f"block{block}_depthwise", prefix, "0.0", "0.1")
                conv_bn(f"block{block}_project", prefix, "1", "2")
            else:
                conv_bn(f"block{block}_expand", prefix, "0.0", "0.1")
                conv_bn(f"block{block}_depthwise", prefix, "1.0", "1.1")
                conv_bn(f"block{block}_project", prefix, "2", "3")
    conv_bn("head_conv", "features.18", "0", "1")
    mapping["predictions"] = ["classifier.1.weight", "classifier.1.bias"]
    return mapping
