"""Tiny Keras models with known structure for the attribution tests (built in milliseconds)."""

from __future__ import annotations

import numpy as np


def tiny_classifier(size: int = 16, classes: int = 5, seed: int = 1):
    """conv → conv → ReLU → global pool → softmax Dense: a miniature of the zoo's classifiers."""
    import keras
    from keras import layers

    keras.utils.set_random_seed(seed)
    inputs = keras.Input((size, size, 3), name="image")
    x = layers.Conv2D(4, 3, padding="same", activation="relu", name="conv1")(inputs)
    x = layers.Conv2D(6, 3, padding="same", name="conv2")(x)
    x = layers.ReLU(name="relu")(x)
    x = layers.GlobalAveragePooling2D(name="pool")(x)
    outputs = layers.Dense(classes, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name="tiny")


def logits(model, batch: np.ndarray) -> np.ndarray:
    """The tiny classifier's scores before its softmax, computed with Keras layers directly."""
    import keras

    features = keras.Model(model.inputs, model.get_layer("pool").output)(batch)
    dense = model.get_layer("predictions")
    return np.asarray(keras.ops.matmul(features, dense.kernel) + dense.bias)


def masked_linear(size: int = 16):
    """Score 0 = Σ mask·x over the top-left quadrant of the input (score 1 = its negative): the
    input gradient is exactly the mask, so where a map lights up is known."""
    import keras
    from keras import layers

    inputs = keras.Input((size, size, 3))
    conv = layers.Conv2D(1, size, padding="valid", use_bias=False, name="window")
    x = conv(inputs)
    x = layers.Flatten()(x)
    outputs = layers.Dense(2, use_bias=False, name="scores")(x)
    model = keras.Model(inputs, outputs, name="masked")
    kernel = np.zeros((size, size, 3, 1), np.float32)
    kernel[: size // 2, : size // 2] = 1.0
    conv.set_weights([kernel])
    model.get_layer("scores").set_weights([np.array([[1.0, -1.0]], np.float32)])
    return model
