import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtWidgets import QAbstractSlider

from cnnexplorer.core.neurons.mlp import accuracy, forward, loss_value
from cnnexplorer.gui.neurons.dock import NeuronDock


@pytest.fixture
def neurons(lone_dock):
    return lone_dock(lambda source: NeuronDock()).dock


def test_moving_a_slider_updates_the_output(neurons, qtbot):
    view = neurons.single
    before = view.output_value
    groove = view.x[0].findChild(QAbstractSlider)
    qtbot.mouseClick(groove, Qt.MouseButton.LeftButton, pos=QPoint(groove.width() - 3, groove.height() // 2))
    x1 = view.x[0].value()
    assert x1 > 1.8  # the click near the right end moved x1 towards its maximum, 2
    expected = 1 / (1 + np.exp(-(0.8 * x1 - 1.2 * 0.5 + 0.2)))
    assert view.output_value == pytest.approx(expected) and view.output_value > before
    assert f"{expected:.4f}" in view.output.text()
    assert f"0.80·{x1:.2f} + -1.20·0.50 + 0.20 = {0.8 * x1 - 0.6 + 0.2:.3f}" in view.equation.text()


def test_step_activation_and_three_inputs(neurons):
    view = neurons.single
    view.activation.setCurrentText("step")
    view.inputs_count.setValue(3)
    layer, x = view.neuron()
    assert layer.weights.shape == (1, 3) and view.output.text().endswith(("1.0000", "0.0000"))
    assert not view.plane_plot.isVisible()


def test_backprop_one_step_shows_the_chain_and_learns(neurons, qtbot):
    mlp = neurons.mlp
    mlp.problem.setCurrentText("xor")
    before = [layer.weights.copy() for layer in mlp.layers]
    mlp.backprop_once()
    assert "layer 1: ∂L/∂a" in mlp.chain.text() and "∂z/∂w = a_prev" in mlp.chain.text()
    assert any(not np.array_equal(b, layer.weights) for b, layer in zip(before, mlp.layers))
    edge = mlp.network.edge_items[(0, 0, 0)]
    assert "∂L/∂w = ∂L/∂a · ∂a/∂z · ∂z/∂w" in edge.toolTip()


def test_training_learns_and_stops(neurons, qtbot):
    mlp = neurons.mlp
    mlp.problem.setCurrentText("moons")
    mlp.train_button.setChecked(True)
    qtbot.waitUntil(lambda: len(mlp.run.history) > 20, timeout=20000)
    mlp.train_button.setChecked(False)
    assert not mlp.stepper.running
    count = len(mlp.run.history)
    QCoreApplication.processEvents()  # any tick already queued is delivered now: it must not step
    assert len(mlp.run.history) == count
    assert mlp.run.history[-1] < mlp.run.history[0]
    assert accuracy(mlp.layers, mlp.x, mlp.y) > 0.8
    assert forward(mlp.x, mlp.layers).output.shape == (200, 1)


def test_vanishing_bars_follow_depth_and_activation(neurons, qtbot):
    view = neurons.vanishing
    view.depth.setValue(20)
    assert len(view.norms) == 20
    assert view.norms[0] / view.norms[-1] < 1e-6  # sigmoid
    view.activation.setCurrentText("relu")
    view.init.setCurrentText("he")
    assert view.norms[0] / view.norms[-1] > 0.05
    assert "relu, he initialisation" in view.summary.text()


def test_sigmoid_vs_relu_and_dropout_runs_share_one_plot_each(neurons, qtbot):
    view = neurons.vanishing
    view.depth.setValue(6)
    view.compare_button.setChecked(True)
    qtbot.waitUntil(lambda: not view.compare.running, timeout=60000)
    sigmoid, relu = view.compare.runs
    assert relu.history[-1] < 0.5 * sigmoid.history[-1]  # the deep sigmoid net barely moves
    assert view.sigmoid_curve.getData()[0][0] == 0  # the curves start at the loss before any step
    assert view.outcome.text().startswith(f"6 hidden layers, training loss after 500 steps: ReLU/He "
                                          f"{relu.history[0]:.3f} → {relu.history[-1]:.3f} · sigmoid")
    view.dropout_button.setChecked(True)
    qtbot.waitUntil(lambda: len(view.dropout.runs[1].val_history) > 5, timeout=20000)
    view.dropout_button.setChecked(False)
    assert not view.dropout.running
    assert [run.dropout for run in view.dropout.runs] == [0.0, 0.5]
    names = [label.text for _, label in view.dropout_plot.legend.items]
    assert names == ["without dropout: train", "without dropout: validation",
                     "with dropout: train", "with dropout: validation"]
    for run, (train_curve, val_curve) in zip(view.dropout.runs, view.dropout_curves.values()):
        assert list(val_curve.getData()[1]) == run.val_history and list(train_curve.getData()[1]) == run.history


def test_the_mlp_shows_its_loss_before_any_step(neurons):
    mlp = neurons.mlp
    mlp.reset()
    assert "nan" not in mlp.status.text()
    expected = loss_value(forward(mlp.x, mlp.layers).output, mlp.y, "bce")
    assert mlp.status.text().startswith(f"loss {expected:.4f}") and "0 updates" in mlp.status.text()
    mlp.backprop_once()
    after = loss_value(forward(mlp.x, mlp.layers).output, mlp.y, "bce")
    assert mlp.status.text().startswith(f"loss {after:.4f}") and "1 updates" in mlp.status.text()


def test_the_dropout_outcome_is_written_out(neurons, qtbot):
    view = neurons.vanishing
    view.dropout_button.setChecked(True)
    qtbot.waitUntil(lambda: not view.dropout.running, timeout=120000)
    plain, dropped = view.dropout.runs
    assert plain.val_history[-1] > dropped.val_history[-1]
    assert (f"validation loss: without dropout {plain.val_history[-1]:.3f}, with dropout 0.5 "
            f"{dropped.val_history[-1]:.3f}") in view.outcome.text()


def test_network_nodes_hold_their_values_at_presenter_type(neurons, qtbot):
    """At ×1.5 the values spilled out of their 34-unit circles ("-0.59" over the edges)."""
    from cnnexplorer.gui.shell.presenter_look import PresenterLook

    neurons.tabs.setCurrentIndex(1)  # Small MLP
    drawing = neurons.mlp.network
    look = PresenterLook()
    look.apply(neurons, 2.0)
    try:
        def inside(node, text):
            return node.sceneBoundingRect().contains(text.sceneBoundingRect().center()) and \
                node.rect().width() >= text.boundingRect().width()
        qtbot.waitUntil(lambda: all(inside(node, text) for node, text, _ in drawing.nodes), timeout=5000)
        assert max(node.rect().width() for node, _, _ in drawing.nodes) > 34  # they grew with the type
    finally:
        look.restore()
    neurons.mlp.backprop_once()  # a redraw after: fresh items at the normal size
    assert all(node.rect().width() >= text.boundingRect().width() for node, text, _ in drawing.nodes)


def test_the_pages_are_built_behind_the_window_one_at_a_time(window, qtbot):
    pages = {"single", "mlp", "vanishing"}
    assert not pages & set(vars(window.neurons))  # not built with the window
    window.neurons.build_soon()
    qtbot.waitUntil(lambda: pages <= set(vars(window.neurons)), timeout=5000)
    assert window.neurons.tabs.widget(1).findChild(type(window.neurons.mlp)) is window.neurons.mlp


def test_a_scene_builds_the_page_in_front_and_sets_the_others_when_they_are_built(window, qtbot):
    neurons = window.neurons
    window.bring_forward("source")  # the panel has not been seen: no page built yet
    state = {"inputs": {"tab": "Small MLP", "mlp_hidden_units": 5, "neuron_bias": -0.7, "vanishing_depth": 12}}
    assert neurons.apply_scene(state) == []
    assert "mlp" in vars(neurons) and neurons.mlp.hidden.value() == 5  # the page in front, set at once
    qtbot.waitUntil(lambda: {"single", "vanishing"} <= set(vars(neurons)), timeout=5000)  # the others follow
    assert neurons.single.bias.value() == pytest.approx(-0.7) and neurons.vanishing.depth.value() == 12
