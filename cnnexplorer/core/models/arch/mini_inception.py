"""A small CNN built from real Inception modules (GoogLeNet's design), small enough to train live."""

from __future__ import annotations

# Filters per branch: 1×1 | 1×1 → 3×3 | 1×1 → 5×5 | 3×3 max-pool → 1×1
MODULES = {"inception_a": (16, 16, 24, 4, 8, 8), "inception_b": (24, 24, 32, 8, 16, 16)}


def inception_module(x, name: str, f1: int, r3: int, f3: int, r5: int, f5: int, fp: int):
    """Four parallel branches concatenated on channels; the 1×1 "reduce" convolutions are the
    bottlenecks that make the 3×3 and 5×5 branches cheap."""
    from keras import layers

    def conv(t, filters, size, suffix):
        return layers.Conv2D(filters, size, padding="same", activation="relu", name=f"{name}_{suffix}")(t)

    b1 = conv(x, f1, 1, "1x1")
    b3 = conv(conv(x, r3, 1, "3x3_reduce"), f3, 3, "3x3")
    b5 = conv(conv(x, r5, 1, "5x5_reduce"), f5, 5, "5x5")
    bp = layers.MaxPooling2D(3, strides=1, padding="same", name=f"{name}_pool")(x)
    bp = conv(bp, fp, 1, "pool_proj")
    return layers.Concatenate(name=f"{name}_concat")([b1, b3, b5, bp])


def build(input_size: int = 64, classes: int = 10):
    import keras
    from keras import layers

    inputs = keras.Input((input_size, input_size, 3), name="image")
    x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu", name="stem_conv")(inputs)
    x = layers.MaxPooling2D(2, name="stem_pool")(x)
    for name, filters in MODULES.items():
        x = inception_module(x, name, *filters)
        x = layers.MaxPooling2D(2, name=f"{name}_downsample")(x)
    x = layers.GlobalAveragePooling2D(name="global_pool")(x)
    outputs = layers.Dense(classes, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name="mini_inception")
