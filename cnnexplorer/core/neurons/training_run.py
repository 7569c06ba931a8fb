"""A small numpy network trained a few steps at a time, so a GUI timer can drive it and stop it at
once; and the runs the vanishing-gradients tab trains."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cnnexplorer.core.neurons.mlp import Layer, backward, forward, init_layers, loss_value, step
from cnnexplorer.core.neurons.toy_data import make


@dataclass
class TrainingRun:
    """One network being trained full-batch, with its loss history (and a validation set, if any)."""

    name: str
    layers: list[Layer]
    x: np.ndarray
    y: np.ndarray
    lr: float
    dropout: float = 0.0
    x_val: np.ndarray | None = None
    y_val: np.ndarray | None = None
    loss: str = "bce"
    history: list[float] = field(default_factory=list)
    val_history: list[float] = field(default_factory=list)
    rng: np.random.Generator = field(default_factory=lambda: np.random.default_rng(0))

    def advance(self, steps: int) -> None:
        """``steps`` gradient steps, then one entry in each history (losses measured without dropout)."""
        for _ in range(steps):
            trace = forward(self.x, self.layers, dropout=self.dropout, rng=self.rng)
            step(self.layers, backward(trace, self.y, self.loss), self.lr)
        self.history.append(loss_value(forward(self.x, self.layers).output, self.y, self.loss))
        if self.x_val is not None:
            self.val_history.append(loss_value(forward(self.x_val, self.layers).output, self.y_val, self.loss))


def sigmoid_vs_relu(depth: int, width: int) -> list[TrainingRun]:
    """The same deep MLP on the circles, once with sigmoid (Glorot) and once with ReLU (He) hidden layers."""
    x, y = make("circles", n=200, seed=0)
    sizes = [2] + [width] * depth + [1]
    return [TrainingRun("sigmoid", init_layers(sizes, "sigmoid", "sigmoid", "glorot", seed=0), x, y, lr=0.5),
            TrainingRun("relu", init_layers(sizes, "relu", "sigmoid", "he", seed=0), x, y, lr=0.05)]


def small_noisy_set(dropout: float, train_size: int = 40) -> TrainingRun:
    """A wide net on ``train_size`` noisy moons, validated on 200 others: without dropout it overfits."""
    x, y = make("moons", n=train_size + 200, noise=0.35, seed=3)
    net = init_layers([2, 64, 64, 1], "relu", "sigmoid", "he", seed=0)
    return TrainingRun("dropout", net, x[:train_size], y[:train_size], lr=0.1, dropout=dropout,
                       x_val=x[train_size:], y_val=y[train_size:])
