"""Models the training tab builds: a small CNN, an MLP, Mini Inception, and transfer learning on
the bundled MobileNetV2. Every model takes RGB scaled to 0…1 (:data:`PREPROCESSING`, the
``"unit"`` mode of :mod:`cnnexplorer.core.models.preprocess`): :func:`model_input` makes it."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.models.preprocess import IMAGENET_MEAN, IMAGENET_STD

ACTIVATIONS = ("relu", "sigmoid", "tanh")
PREPROCESSING = "unit"  # what every model trained here is fed: RGB / 255


def model_input(rgb: np.ndarray) -> np.ndarray:
    """uint8 RGB images → what the models built here take (float32, 0…1)."""
    x = np.asarray(rgb, dtype=np.float32)
    x *= np.float32(1 / 255)
    return x


@dataclass
class ConvBlock:
    filters: int = 16
    kernel: int = 3
    stride: int = 1
    padding: str = "same"
    pool: bool = True


@dataclass
class CnnSpec:
    blocks: list[ConvBlock] = field(default_factory=lambda: [ConvBlock(16), ConvBlock(32)])
    activation: str = "relu"
    batch_norm: bool = False
    dropout: float = 0.0
    dense: int = 64
    flatten: bool = True  # keep where features are (False: global average pooling)


def parse_filters(text: str) -> list[int]:
    """"16, 32, 64" → [16, 32, 64]: the filters of each conv block, as typed in the training tab.

    Raises ValueError with a hint for the user otherwise."""
    try:
        values = [int(part) for part in text.replace(" ", "").split(",") if part]
    except ValueError:
        raise ValueError(tr("filters per block: whole numbers separated by commas, got {text!r}", text=text)) from None
    if not values or any(v < 1 or v > 512 for v in values):
        raise ValueError(tr("filters per block: 1 to 512 each, at least one block"))
    return values


def small_cnn(input_shape: tuple[int, int, int], classes: int, spec: CnnSpec | None = None):
    import keras
    from keras import layers

    spec = spec or CnnSpec()
    if spec.activation not in ACTIVATIONS:
        raise ValueError(tr("activation must be one of {choices}, got {activation!r}", choices=", ".join(ACTIVATIONS),
                            activation=spec.activation))
    inputs = keras.Input(input_shape, name="image")
    x = inputs
    for i, block in enumerate(spec.blocks, start=1):
        x = layers.Conv2D(block.filters, block.kernel, strides=block.stride, padding=block.padding,
                          name=f"conv{i}")(x)
        if spec.batch_norm:
            x = layers.BatchNormalization(name=f"bn{i}")(x)
        x = layers.Activation(spec.activation, name=f"{spec.activation}{i}")(x)
        if block.pool:
            x = layers.MaxPooling2D(2, name=f"pool{i}")(x)
    x = layers.Flatten(name="flatten")(x) if spec.flatten else layers.GlobalAveragePooling2D(name="global_pool")(x)
    if spec.dropout:
        x = layers.Dropout(spec.dropout, name="dropout")(x)
    if spec.dense:
        x = layers.Dense(spec.dense, activation=spec.activation, name="dense")(x)
    outputs = layers.Dense(classes, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name="small_cnn")


def mlp(input_shape: tuple[int, int, int], classes: int, hidden: tuple[int, ...] = (128, 64),
        activation: str = "relu", dropout: float = 0.0):
    """A dense network on the flattened pixels (course §1: compare with the CNN's parameters)."""
    import keras
    from keras import layers

    inputs = keras.Input(input_shape, name="image")
    x = layers.Flatten(name="flatten")(inputs)
    for i, units in enumerate(hidden, start=1):
        x = layers.Dense(units, activation=activation, name=f"dense{i}")(x)
        if dropout:
            x = layers.Dropout(dropout, name=f"dropout{i}")(x)
    outputs = layers.Dense(classes, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name="mlp")


def mini_inception(input_shape: tuple[int, int, int], classes: int):
    from cnnexplorer.core.models.arch.mini_inception import build

    return build(input_shape[0], classes)


def transfer(input_shape: tuple[int, int, int], classes: int, unfreeze_top: int = 0, dropout: float = 0.2):
    """The bundled ImageNet MobileNetV2 as a frozen feature extractor under a new classifier.

    ``unfreeze_top`` trainable layers at the top of the base fine-tune with the head (course §5).
    """
    import keras
    from keras import layers

    from cnnexplorer.core.models.arch.mobilenet_v2 import build
    from cnnexplorer.core.models.zoo import load_model

    pretrained = load_model("mobilenet_v2").model
    full = build(input_size=input_shape[0])
    for layer in full.layers:  # same architecture at another input size: same weights
        if layer.weights:
            layer.set_weights(pretrained.get_layer(layer.name).get_weights())
    base = keras.Model(full.inputs, full.get_layer("head_conv_relu6").output, name="mobilenet_v2_base")
    _freeze(base, unfreeze_top)
    inputs = keras.Input(input_shape, name="image")
    x = layers.Normalization(mean=IMAGENET_MEAN, variance=np.square(IMAGENET_STD), name="imagenet_norm")(inputs)
    x = base(x, training=False)
    x = layers.GlobalAveragePooling2D(name="global_pool")(x)
    if dropout:
        x = layers.Dropout(dropout, name="dropout")(x)
    outputs = layers.Dense(classes, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name="transfer_mobilenet_v2")


def fine_tune(model, input_shape: tuple[int, int, int], classes: int, unfreeze_top: int = 0, dropout: float = 0.0):
    """A trained model (e.g. a ``best.keras`` of an earlier run) as a frozen feature extractor: its
    last layer is replaced by a new ``classes``-way classifier, and ``unfreeze_top`` weighted layers
    at its top fine-tune with it. The model must take ``input_shape`` (or any size) fed 0…1."""
    import keras
    from keras import layers

    expected = tuple(model.inputs[0].shape[1:])
    if any(e is not None and e != g for e, g in zip(expected, input_shape)):
        raise ValueError(tr("{model} takes {width}×{height} images; set the dataset size to {height} (it is {size})",
                            model=model.name, width=expected[1], height=expected[0], size=input_shape[0]))
    base = keras.Model(model.inputs, model.layers[-2].output, name=f"{model.name}_base")
    _freeze(base, unfreeze_top)
    inputs = keras.Input(input_shape, name="image")
    x = base(inputs, training=False)
    if len(x.shape) == 4:
        x = layers.GlobalAveragePooling2D(name="global_pool")(x)
    if dropout:
        x = layers.Dropout(dropout, name="dropout")(x)
    outputs = layers.Dense(classes, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name=f"fine_tuned_{model.name}")


def _freeze(base, unfreeze_top: int) -> None:
    """Freeze ``base`` but its top ``unfreeze_top`` weighted layers."""
    base.trainable = False
    if unfreeze_top:
        trainable = [layer for layer in base.layers if layer.weights][-unfreeze_top:]
        base.trainable = True
        for layer in base.layers:
            # BatchNorm statistics stay frozen even when fine-tuning (standard practice).
            layer.trainable = layer in trainable and type(layer).__name__ != "BatchNormalization"


def param_counts(model) -> dict[str, int]:
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    frozen = sum(int(np.prod(w.shape)) for w in model.non_trainable_weights)
    return {"trainable": trainable, "frozen": frozen, "total": trainable + frozen}
