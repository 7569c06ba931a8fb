"""Training a few steps at a time, and the runs the vanishing-gradients tab trains."""

import numpy as np

from cnnexplorer.core.neurons.mlp import forward, init_layers, loss_value, output_over_plane, train
from cnnexplorer.core.neurons.toy_data import make
from cnnexplorer.core.neurons.training_run import TrainingRun, sigmoid_vs_relu, small_noisy_set


def test_advance_in_pieces_equals_train_in_one_go():
    x, y = make("xor", n=60, seed=1)
    run = TrainingRun("xor", init_layers([2, 6, 1], "tanh", "sigmoid", seed=2), x, y, lr=0.5)
    for _ in range(5):
        run.advance(10)
    reference = init_layers([2, 6, 1], "tanh", "sigmoid", seed=2)
    history = train(reference, x, y, lr=0.5, steps=50)
    assert len(run.history) == 5 and run.val_history == []
    np.testing.assert_allclose(run.history, history[9::10])
    np.testing.assert_allclose(run.layers[0].weights, reference[0].weights)


def test_validation_loss_is_recorded_with_each_entry():
    x, y = make("moons", n=80, seed=0)
    run = TrainingRun("v", init_layers([2, 4, 1], seed=0), x[:60], y[:60], lr=0.1, x_val=x[60:], y_val=y[60:])
    run.advance(3)
    run.advance(3)
    assert len(run.val_history) == 2
    assert run.val_history[-1] == loss_value(forward(x[60:], run.layers).output, y[60:], "bce")


def test_small_noisy_set_splits_both_classes_and_overfits_without_dropout():
    plain, dropped = small_noisy_set(0.0), small_noisy_set(0.5)
    assert plain.x.shape == (40, 2) and plain.x_val.shape == (200, 2)
    assert set(np.unique(plain.y)) == {0.0, 1.0} and set(np.unique(plain.y_val)) == {0.0, 1.0}
    for run in (plain, dropped):
        for _ in range(60):  # the tab's 1500 steps, 25 a tick
            run.advance(25)
    assert plain.history[-1] < 0.5 * plain.val_history[-1]  # learns the 40 points by heart
    assert plain.val_history[-1] > 1.5 * min(plain.val_history)  # while validation gets worse
    assert dropped.val_history[-1] < plain.val_history[-1]


def test_sigmoid_vs_relu_share_data_and_depth():
    sigmoid, relu = sigmoid_vs_relu(depth=5, width=8)
    assert sigmoid.x is relu.x and len(sigmoid.layers) == len(relu.layers) == 6
    assert [layer.activation for layer in relu.layers] == ["relu"] * 5 + ["sigmoid"]


def test_output_over_the_plane():
    layers = init_layers([2, 3, 1], "tanh", "sigmoid", seed=0)
    axis = np.linspace(-1, 1, 5)
    values = output_over_plane(layers, axis)
    assert values.shape == (5, 5)
    assert values[4, 1] == forward([axis[1], axis[4]], layers).output[0, 0]  # row x2, column x1
