"""Receptive fields: hand-computed stacks, the support of a unit's real input gradient, branches,
nested models and the values published with Araujo et al. (Distill 2019)."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

from keras import layers  # noqa: E402

from cnnexplorer.core.models import zoo  # noqa: E402
from cnnexplorer.core.models.attribution import AttributionError, receptive_field  # noqa: E402


def hand_stack():
    """Every kind of step, with the field worked out by hand in the comments (rows | columns)."""
    keras.utils.set_random_seed(0)
    inputs = keras.Input((32, 32, 3))
    x = layers.Conv2D(2, 3, name="conv")(inputs)  # r 3, S 1, P 0; map 30
    x = layers.AveragePooling2D(2, name="pool")(x)  # r 4, S 2, P 0; map 15
    x = layers.Conv2D(2, 3, dilation_rate=2, name="dilated")(x)  # kernel 5: r 4 + 4·2 = 12; map 11
    x = layers.Conv2D(2, 4, strides=2, padding="same", name="same_s2")(x)  # pad 3 = 1 top + 2 bottom: r 18, S 4, P 2
    x = layers.Conv2D(2, (1, 5), padding="same", name="wide")(x)  # rows unchanged | r 18 + 4·4 = 34, P 2 + 2·4 = 10
    x = layers.ZeroPadding2D(((1, 0), (0, 3)), name="pad")(x)  # P 2 + 1·4 = 6 | P 10
    x = layers.Conv2D(2, 2, padding="same", name="even")(x)  # pad 1 = 0 top + 1 bottom: r 22 | 38
    return keras.Model(inputs, x, name="hand")


@pytest.mark.parametrize("layer, size, stride, padding", [
    ("conv", (3, 3), (1, 1), (0, 0)),
    ("pool", (4, 4), (2, 2), (0, 0)),
    ("dilated", (12, 12), (2, 2), (0, 0)),
    ("same_s2", (18, 18), (4, 4), (2, 2)),
    ("wide", (18, 34), (4, 4), (2, 10)),
    ("pad", (18, 34), (4, 4), (6, 10)),
    ("even", (22, 38), (4, 4), (6, 10)),
])
def test_hand_computed_stack(layer, size, stride, padding):
    field = receptive_field(hand_stack(), layer)
    assert (field.size, field.stride, field.padding, field.branches_disagree) == (size, stride, padding, False)


@pytest.mark.parametrize("unit", [(0, 0), (2, 3), (6, 5)])  # (6, 5): bottom-right, half in padding
def test_box_is_the_support_of_the_unit_gradient(unit):
    """The input pixels a unit's gradient reaches are exactly its box, clipped to the image."""
    model = hand_stack()
    x = tf.constant(np.random.default_rng(1).normal(0, 1, (1, 32, 32, 3)).astype(np.float32))
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = model(x)[0, unit[0], unit[1], 0]
    reached = np.abs(tape.gradient(out, x).numpy()[0]).sum(axis=-1) > 0
    rows, cols = np.nonzero(reached)
    top, left, bottom, right = receptive_field(model, "even").box(*unit)
    assert (rows.min(), cols.min()) == (max(0, top), max(0, left))
    assert (rows.max() + 1, cols.max() + 1) == (min(32, bottom), min(32, right))


def test_box_in_frame_coordinates():
    model = hand_stack()
    field = receptive_field(model, "conv")
    assert field.box(4, 5) == (4, 5, 7, 8)
    # A 64×96 frame: "unit" preprocessing scales by ½, keeps columns 8…40 of the 48 wide resize.
    assert field.box(4, 5, (64, 96, 3)) == (8.0, 26.0, 14.0, 32.0)
    assert field.unit_at(5.5, 6.5) == (4, 5)  # the centre pixel of that box
    assert field.unit_at(11, 29, (64, 96, 3)) == (4, 5)


def test_branches_that_disagree_give_the_largest_flagged():
    inputs = keras.Input((16, 16, 3))
    a = layers.Conv2D(2, 3, padding="same", name="a")(inputs)
    b = layers.Conv2D(2, 5, padding="same", name="b")(inputs)
    c = layers.Conv2D(2, 3, padding="same", name="c")(inputs)
    model = keras.Model(inputs, [layers.Add(name="mixed")([a, b]), layers.Concatenate(name="same")([a, c])])
    mixed = receptive_field(model, "mixed")
    assert mixed.size == (5, 5) and mixed.padding == (2, 2) and mixed.branches_disagree
    agreed = receptive_field(model, "same")
    assert agreed.size == (3, 3) and not agreed.branches_disagree


def test_nested_model_layers_and_beyond():
    inner_in = keras.Input((30, 30, 2))
    y = layers.Conv2D(2, 3, strides=2, name="down")(inner_in)  # after the stem (r 3): r 5, S 2
    y = layers.Conv2D(2, 3, name="deep")(y)  # r 5 + 2·2 = 9
    inner = keras.Model(inner_in, y, name="inner")
    inputs = keras.Input((32, 32, 3))
    x = layers.Conv2D(2, 3, name="stem")(inputs)
    x = inner(x)
    x = layers.Conv2D(2, 3, name="head")(x)  # r 9 + 2·2 = 13, S 2
    model = keras.Model(inputs, x)
    assert receptive_field(model, "inner/down").size == (5, 5)
    assert receptive_field(model, "inner/deep").size == (9, 9)
    assert receptive_field(model, "inner").size == (9, 9)
    head = receptive_field(model, "head")
    assert head.size == (13, 13) and head.stride == (2, 2)


def test_layers_without_a_field_are_refused():
    inputs = keras.Input((8, 8, 3))
    x = layers.Conv2D(2, 3, name="conv")(inputs)
    x = layers.UpSampling2D(name="up")(x)
    flat = layers.GlobalAveragePooling2D(name="gap")(x)
    model = keras.Model(inputs, flat)
    with pytest.raises(AttributionError, match="resizes"):
        receptive_field(model, "up")
    with pytest.raises(AttributionError, match="no layer"):
        receptive_field(model, "missing")
    with pytest.raises(AttributionError, match="no spatial map"):
        receptive_field(keras.Model(inputs, layers.GlobalAveragePooling2D(name="g")(inputs)), "g")


# The TF-Slim VGG-16 end points, as published with the paper (google-research/receptive_field).
VGG16 = {"block1_conv1": (3, 1, 1), "block1_pool": (6, 2, 2), "block2_conv1": (10, 2, 4), "block2_pool": (16, 4, 6),
         "block3_conv1": (24, 4, 10), "block3_conv2": (32, 4, 14), "block3_pool": (44, 8, 18),
         "block4_conv1": (60, 8, 26), "block4_conv2": (76, 8, 34), "block4_pool": (100, 16, 42),
         "block5_conv1": (132, 16, 58), "block5_conv2": (164, 16, 74), "block5_pool": (212, 32, 90)}


def test_published_vgg16_fields():
    model = keras.applications.VGG16(weights=None)
    for layer, (size, stride, padding) in VGG16.items():
        field = receptive_field(model, layer)
        assert (field.size, field.stride, field.padding) == ((size,) * 2, (stride,) * 2, (padding,) * 2), layer


def test_published_inception_v3_field():
    """Mixed_7c of TF-Slim's Inception V3 (Keras: mixed10): r 1311, S 32, P 618; its branches disagree."""
    field = receptive_field(keras.applications.InceptionV3(weights=None), "mixed10")
    assert (field.size, field.stride, field.padding) == ((1311, 1311), (32, 32), (618, 618))
    assert field.branches_disagree


def test_bundled_mobilenet_v2_field():
    """Worked out by hand from the torchvision layout (symmetric pad 1 on every 3×3): stem +2, then
    the 17 depthwise 3×3 at strides 2,2,4,4,8,8,8,16×4,16×3,16,32×3 before them: r 491, S 32, P 245."""
    field = receptive_field(zoo.load_model("mobilenet_v2", weights="random"), "head_conv_relu6")
    assert (field.size, field.stride, field.padding) == ((491, 491), (32, 32), (245, 245))


def test_effective_field_lies_inside_the_box_and_peaks_at_its_centre():
    from cnnexplorer.core.models.attribution import effective_receptive_field

    model = hand_stack()
    rgb = np.random.default_rng(2).integers(0, 256, (32, 32, 3), dtype=np.uint8)
    erf = effective_receptive_field(model, rgb, "same_s2", 3, 3)
    top, left, bottom, right = receptive_field(model, "same_s2").box(3, 3)
    rows, cols = np.nonzero(erf)
    assert rows.min() >= top and rows.max() < bottom and cols.min() >= left and cols.max() < right
    with pytest.raises(AttributionError, match="outside"):
        effective_receptive_field(model, rgb, "same_s2", 6, 0)


def test_published_resnet50_sizes():
    """TF-Slim's resnet_v1_50 blocks 1–4 see 35, 99, 291 and 483 pixels. Keras' ResNet50 strides at
    the first unit of a block instead of the last, so its strides are half Slim's until the end, and
    its explicit 3-pixel stem padding shifts the padding by 2 (483/32/241 against 483/32/239)."""
    model = keras.applications.ResNet50(weights=None)
    sizes = [receptive_field(model, f"conv{n}_block{b}_out").size[0]
             for n, b in ((2, 3), (3, 4), (4, 6), (5, 3))]
    assert sizes == [35, 99, 291, 483]
    last = receptive_field(model, "conv5_block3_out")
    assert last.stride == (32, 32) and last.padding == (241, 241) and last.branches_disagree
