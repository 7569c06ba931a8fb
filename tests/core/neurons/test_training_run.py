"""Training a few steps at a time, and the runs the vanishing-gradients tab trains."""

import numpy as np
import pytest

from cnnexplorer.core.neurons.mlp import forward, init_layers, loss_value, output_over_plane, train
from cnnexplorer.core.neurons.toy_data import make
from cnnexplorer.core.neurons.training_run import (
    DEPTH_STEPS,
    DROPOUT_STEPS,
    STEPS_PER_POINT,
    TrainingRun,
    depth_comparison,
    depth_runs,
    dropout_comparison,
    dropout_runs,
)


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


@pytest.mark.parametrize("seed", range(10))
def test_the_dropout_comparison_has_both_runs_from_the_same_start(seed):
    runs = dropout_runs(seed)
    plain, dropped = runs["without"], runs["with"]
    assert plain.x.shape == (40, 2) and plain.x_val.shape == (200, 2)
    assert set(np.unique(plain.y)) == {0.0, 1.0} and set(np.unique(plain.y_val)) == {0.0, 1.0}
    assert (plain.dropout, dropped.dropout) == (0.0, 0.5)
    assert plain.history == dropped.history and len(plain.history) == 1  # the loss before any step


def test_dropout_lowers_the_final_validation_loss_on_most_seeds():
    wins = []
    for seed in range(10):
        result = dropout_comparison(seed)
        (plain_train, plain_val), (_, dropped_val) = result["without"], result["with"]
        assert len(plain_val) == len(dropped_val) == 1 + DROPOUT_STEPS // STEPS_PER_POINT
        assert plain_train[-1] < 0.5 * plain_val[-1]  # without dropout it learns the 40 points by heart
        if dropped_val[-1] < plain_val[-1]:
            wins.append(seed)
    assert len(wins) >= 8 and 0 in wins  # seed 0 is the run the tab shows


@pytest.mark.parametrize("depth", [10, 20, 30])
def test_relu_trains_the_deep_net_where_sigmoid_stalls(depth):
    good = []
    for seed in range(10):
        losses = depth_comparison(depth, seed)
        sigmoid, relu = losses["sigmoid"], losses["relu"]
        assert len(sigmoid) == len(relu) == 1 + DEPTH_STEPS // STEPS_PER_POINT
        assert all(isinstance(value, float) for value in relu)
        if relu[-1] < sigmoid[-1] and relu[-1] < 0.5 * relu[0]:
            good.append(seed)
    assert len(good) >= 8 and 0 in good  # seed 0 is the run the tab shows


def test_depth_runs_share_data_and_depth():
    runs = depth_runs(depth=5)
    sigmoid, relu = runs["sigmoid"], runs["relu"]
    assert sigmoid.x is relu.x and len(sigmoid.layers) == len(relu.layers) == 6
    assert [layer.activation for layer in relu.layers] == ["relu"] * 5 + ["sigmoid"]
    with pytest.raises(ValueError, match="depth"):
        depth_runs(0)


def test_output_over_the_plane():
    layers = init_layers([2, 3, 1], "tanh", "sigmoid", seed=0)
    axis = np.linspace(-1, 1, 5)
    values = output_over_plane(layers, axis)
    assert values.shape == (5, 5)
    assert values[4, 1] == forward([axis[1], axis[4]], layers).output[0, 0]  # row x2, column x1
