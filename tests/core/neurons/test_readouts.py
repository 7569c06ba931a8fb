"""The neuron tab's written-out arithmetic."""

import numpy as np
import pytest

from cnnexplorer.core.neurons.mlp import Layer, backward, forward, init_layers
from cnnexplorer.core.neurons.readouts import chain_rule_lines, weight_gradient, weighted_sum


def test_weighted_sum_writes_every_term():
    layer = Layer([[0.8, -1.2]], [0.2])
    text = weighted_sum(layer, np.array([1.0, 0.5]), 0.0)
    assert text == "z = Σ wᵢxᵢ + b = 0.80·1.00 + -1.20·0.50 + 0.20 = 0.000"


def test_chain_rule_lines_and_weight_gradient():
    layers = init_layers([2, 6, 1], "tanh", "sigmoid", seed=0)
    x = np.array([[0.5, -1.0], [1.0, 1.0]])
    y = np.array([[1.0], [0.0]])
    grads = backward(forward(x, layers), y, "bce")
    lines = chain_rule_lines(grads, sample=1)
    assert len(lines) == 3
    assert lines[0].startswith("layer 1: ∂L/∂a = [") and ", …]" in lines[0]  # 6 hidden values, 4 shown
    assert lines[-1].endswith(f"{grads.layers[-1].d_weights[0, 0]:.5g}")
    text = weight_gradient(grads, 1, 0, 2, sample=0)
    g = grads.layers[1]
    factors = [float(v) for v in text.split("= ")[2].split("\n")[0].split(" · ")]
    assert np.prod(factors) == pytest.approx(g.dl_da[0, 0] * g.da_dz[0, 0] * g.dz_dw[0, 2], rel=1e-3)
    assert text.endswith(f"summed over the batch: {g.d_weights[0, 2]:.4g})")
