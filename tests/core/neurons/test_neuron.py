"""Backprop in numpy against Keras' automatic differentiation and against finite differences."""

import numpy as np
import pytest

from cnnexplorer.core.neurons.mlp import (
    Layer,
    accuracy,
    backward,
    forward,
    gradient_norms,
    init_layers,
    loss_value,
    step,
    train,
)
from cnnexplorer.core.neurons.toy_data import PROBLEMS, make, xor_points

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")


def random_net(sizes, activations, seed):
    rng = np.random.default_rng(seed)
    return [Layer(rng.normal(0, 0.8, (o, i)), rng.normal(0, 0.3, o), act)
            for (i, o), act in zip(zip(sizes[:-1], sizes[1:]), activations)]


def keras_grads(layers, x, y, loss):
    weights = [tf.Variable(layer.weights.T) for layer in layers]  # Keras keeps (in, out)
    biases = [tf.Variable(layer.bias) for layer in layers]
    fns = {"sigmoid": keras.activations.sigmoid, "tanh": keras.activations.tanh, "relu": keras.activations.relu,
           "linear": keras.activations.linear}
    loss_fn = keras.losses.MeanSquaredError() if loss == "mse" else keras.losses.BinaryCrossentropy()
    with tf.GradientTape() as tape:
        a = tf.constant(x)
        for layer, w, b in zip(layers, weights, biases):
            a = fns[layer.activation](keras.ops.matmul(a, w) + b)
        value = loss_fn(tf.constant(y), a)
    dw, db = tape.gradient(value, [weights, biases])
    return float(value), [g.numpy().T for g in dw], [g.numpy() for g in db]


@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize(
    "sizes, activations",
    [([2, 1], ["sigmoid"]), ([3, 4, 1], ["tanh", "sigmoid"]), ([2, 5, 3, 1], ["relu", "tanh", "sigmoid"]),
     ([4, 3, 2], ["linear", "sigmoid"])],
)
def test_backward_equals_keras_gradient_tape(sizes, activations, loss):
    rng = np.random.default_rng(len(sizes))
    layers = random_net(sizes, activations, seed=7)
    x = rng.normal(0, 1, (6, sizes[0]))
    y = rng.integers(0, 2, (6, sizes[-1])).astype(np.float64)
    grads = backward(forward(x, layers), y, loss)
    value, dw, db = keras_grads(layers, x, y, loss)
    assert grads.loss == pytest.approx(value, rel=1e-6)
    for ours, k_w, k_b in zip(grads.layers, dw, db):
        scale = max(float(np.abs(k_w).max()), float(np.abs(k_b).max()), 1e-12)
        np.testing.assert_allclose(ours.d_weights, k_w, rtol=1e-5, atol=1e-6 * scale)
        np.testing.assert_allclose(ours.d_bias, k_b, rtol=1e-5, atol=1e-6 * scale)


def test_backward_equals_finite_differences():
    layers = random_net([3, 4, 2], ["tanh", "sigmoid"], seed=3)
    x = np.random.default_rng(1).normal(0, 1, (5, 3))
    y = np.random.default_rng(2).uniform(0, 1, (5, 2))
    grads = backward(forward(x, layers), y, "mse")
    eps = 1e-6
    for layer, g in zip(layers, grads.layers):
        for param, analytic in ((layer.weights, g.d_weights), (layer.bias, g.d_bias)):
            numeric = np.zeros_like(param)
            for index in np.ndindex(param.shape):
                old = param[index]
                param[index] = old + eps
                up = loss_value(forward(x, layers).output, y)
                param[index] = old - eps
                down = loss_value(forward(x, layers).output, y)
                param[index] = old
                numeric[index] = (up - down) / (2 * eps)
            np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-9)


def test_chain_rule_factors_multiply_to_the_gradient():
    layers = random_net([2, 3, 1], ["sigmoid", "sigmoid"], seed=5)
    x, y = np.array([[0.5, -1.0]]), np.array([[1.0]])
    trace = forward(x, layers)
    grads = backward(trace, y)
    out = grads.layers[-1]
    np.testing.assert_allclose(out.da_dz, trace.a[-1] * (1 - trace.a[-1]))
    np.testing.assert_allclose(out.dl_da, 2 * (trace.a[-1] - y))
    np.testing.assert_allclose(out.d_weights, (out.dl_da * out.da_dz).T @ out.dz_dw)
    np.testing.assert_allclose(out.dz_dw, trace.a[0])


def test_one_neuron_numbers():
    neuron = [Layer([[0.5, -1.0]], [0.25], "sigmoid")]
    trace = forward([2.0, 1.0], neuron)
    assert trace.z[0][0, 0] == pytest.approx(0.5 * 2 - 1 * 1 + 0.25)
    assert trace.output[0, 0] == pytest.approx(1 / (1 + np.exp(-0.25)))
    step_neuron = [Layer([[1.0, 1.0]], [-1.5], "step")]
    assert forward(np.array([[1, 1], [1, 0]]), step_neuron).output.ravel().tolist() == [1.0, 0.0]  # AND


def test_step_updates_in_the_gradient_direction():
    layers = random_net([2, 3, 1], ["tanh", "sigmoid"], seed=1)
    x, y = xor_points()
    before = loss_value(forward(x, layers).output, y, "bce")
    step(layers, backward(forward(x, layers), y, "bce"), lr=0.1)
    assert loss_value(forward(x, layers).output, y, "bce") < before


def test_xor_needs_a_hidden_layer():
    x, y = xor_points()
    mlp = init_layers([2, 4, 1], "tanh", "sigmoid", seed=1)
    train(mlp, x, y, lr=1.0, steps=2000)
    assert accuracy(mlp, x, y) == 1.0
    single = init_layers([2, 1], "sigmoid", "sigmoid", seed=1)
    history = train(single, x, y, lr=1.0, steps=2000)
    assert accuracy(single, x, y) <= 0.75 and history[-1] > 0.6


def test_sigmoid_gradients_vanish_and_relu_he_ones_do_not():
    sigmoid = gradient_norms(10, 16, "sigmoid", init="glorot")
    relu = gradient_norms(10, 16, "relu", init="he")
    assert len(sigmoid) == len(relu) == 10
    assert sigmoid[0] / sigmoid[-1] < 1e-3  # the first layer barely learns
    assert relu[0] / relu[-1] > 0.1


@pytest.mark.parametrize("name", PROBLEMS)
def test_toy_problems_are_learnable(name):
    x, y = make(name, n=200, seed=0)
    assert x.shape == (200, 2) and set(np.unique(y)) == {0.0, 1.0}
    net = init_layers([2, 16, 16, 1], "tanh", "sigmoid", seed=0)
    train(net, x, y, lr=0.5, steps=1500)
    assert accuracy(net, x, y) > 0.9


def test_dropout_masks_and_scales():
    layers = init_layers([4, 50, 1], "relu", "sigmoid", "he", seed=0)
    x = np.ones((3, 4))
    trace = forward(x, layers, dropout=0.5, rng=np.random.default_rng(0))
    kept = trace.masks[0] > 0
    assert 0.3 < kept.mean() < 0.7 and np.allclose(trace.masks[0][kept], 2.0)
    assert trace.masks[-1] is None  # never on the output
    plain = forward(x, layers)
    np.testing.assert_allclose(trace.a[0][kept], 2 * plain.a[0][kept])


@pytest.mark.parametrize("bad", [dict(activation="softplus"), dict(bias=[1.0, 2.0]), dict(weights=[[np.nan, 1.0]])])
def test_bad_layers_raise(bad):
    args = dict(weights=[[1.0, 2.0]], bias=[0.0], activation="sigmoid") | bad
    with pytest.raises(ValueError):
        Layer(**args)
    with pytest.raises(ValueError, match="features"):
        forward([1.0, 2.0, 3.0], [Layer([[1.0, 2.0]], [0.0])])
