"""The one Keras graph walker: edges with shapes, layout, nested models."""

import pytest

keras = pytest.importorskip("keras")

from cnnexplorer.core.models.graph import edges, first_conv, graph_layout, producers  # noqa: E402


def branching_model():
    inputs = keras.Input((16, 16, 3), name="image")
    a = keras.layers.Conv2D(4, 3, padding="same", name="a")(inputs)
    b = keras.layers.Conv2D(4, 1, name="b")(inputs)
    added = keras.layers.Add(name="add")([a, b])
    return keras.Model(inputs, keras.layers.GlobalAveragePooling2D(name="pool")(added))


def test_every_edge_with_its_shape_and_a_skip_join_has_both_inputs():
    model = branching_model()
    assert sorted(edges(model)) == sorted([("image", "a", "16×16×3"), ("image", "b", "16×16×3"),
                                           ("a", "add", "16×16×4"), ("b", "add", "16×16×4"),
                                           ("add", "pool", "16×16×4")])
    assert [layer.name for layer in producers(model.get_layer("add"))] == ["a", "b"]
    positions, _ = graph_layout(model)
    assert positions["image"][0] == 0 and positions["a"][0] == positions["b"][0] == 1
    assert positions["add"][0] == 2 and positions["a"] != positions["b"]


def test_a_sequential_model_lays_out_with_its_input_layer():
    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(2, 3, name="c"),
                              keras.layers.Flatten(name="f")])
    positions, found = graph_layout(model)
    assert set(positions) == {found[0][0], "c", "f"}  # the input layer gets a node of its own
    assert positions["c"][0] == positions[found[0][0]][0] + 1


def test_first_conv_looks_inside_nested_models():
    base = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(2, 3, name="inner_conv")], name="base")
    outer = keras.Sequential([keras.Input((8, 8, 3)), base, keras.layers.Flatten()])
    assert first_conv(outer).name == "inner_conv"
    assert first_conv(keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])) is None
