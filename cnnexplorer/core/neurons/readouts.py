"""What the neurons tab writes out: a neuron's weighted sum and the chain-rule factors of backprop,
with the numbers substituted."""

from __future__ import annotations

import numpy as np

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.neurons.mlp import Grads, Layer


def weighted_sum(layer: Layer, x: np.ndarray, z: float) -> str:
    """z = Σ wᵢxᵢ + b for a one-neuron ``layer`` on input ``x``, every term written out."""
    terms = " + ".join(f"{w:.2f}·{xi:.2f}" for w, xi in zip(layer.weights[0], x))
    return f"z = Σ wᵢxᵢ + b = {terms} + {layer.bias[0]:.2f} = {z:.3f}"


def chain_rule_lines(grads: Grads, sample: int) -> list[str]:
    """Per layer, the factors ∂L/∂a, ∂a/∂z and ∂z/∂w for one sample, then the first output weight's
    gradient summed over the batch."""
    lines = [
        tr("layer {number}: ∂L/∂a = {dl_da}  ∂a/∂z = {da_dz}  ∂z/∂w = a_prev = {dz_dw}", number=index + 1,
           dl_da=_vector(g.dl_da[sample]), da_dz=_vector(g.da_dz[sample]), dz_dw=_vector(g.dz_dw[sample]))
        for index, g in enumerate(grads.layers)
    ]
    last = grads.layers[-1]
    lines.append(tr("output weight 0: ∂L/∂w = Σ over samples of ∂L/∂a·∂a/∂z·∂z/∂w = {gradient}",
                    gradient=f"{last.d_weights[0, 0]:.5g}"))
    return lines


def weight_gradient(grads: Grads, layer: int, j: int, i: int, sample: int) -> str:
    """The chain rule for weight w[layer][j, i]: its three factors for one sample, and the batch sum."""
    g = grads.layers[layer]
    return (f"∂L/∂w = ∂L/∂a · ∂a/∂z · ∂z/∂w = {g.dl_da[sample, j]:.4g} · "
            f"{g.da_dz[sample, j]:.4g} · {g.dz_dw[sample, i]:.4g}\n"
            + tr("(this sample; summed over the batch: {gradient})", gradient=f"{g.d_weights[j, i]:.4g}"))


def _vector(values: np.ndarray, limit: int = 4) -> str:
    shown = ", ".join(f"{v:.3g}" for v in values[:limit])
    return f"[{shown}{', …' if len(values) > limit else ''}]"
