"""A small numpy network trained a few steps at a time, so a GUI timer can drive it and stop it at
once; and the two comparisons the vanishing-gradients tab trains (dropout, sigmoid vs ReLU by depth)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.neurons.mlp import Layer, backward, forward, init_layers, loss_value, step
from cnnexplorer.core.neurons.toy_data import make

# Both comparisons train on one fixed data set (the one on screen); their ``seed`` draws the initial
# weights and the dropout masks, so a test over seeds asks whether the lesson holds for the method,
# not for one lucky start.
DATA_SEED = 0
STEPS_PER_POINT = 25  # one loss per this many steps is kept and plotted

DROPOUT_RATE = 0.5
DROPOUT_TRAIN_SIZE = 40
DROPOUT_STEPS = 800

DEPTH_WIDTH = 16
DEPTH_POINTS = 64
DEPTH_STEPS = 500


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

    def record(self) -> None:
        """One entry in each history: the losses of the network as it is now (without dropout)."""
        self.history.append(loss_value(forward(self.x, self.layers).output, self.y, self.loss))
        if self.x_val is not None:
            self.val_history.append(loss_value(forward(self.x_val, self.layers).output, self.y_val, self.loss))

    def advance(self, steps: int) -> None:
        """``steps`` gradient steps, then one entry in each history."""
        for _ in range(steps):
            trace = forward(self.x, self.layers, dropout=self.dropout, rng=self.rng)
            step(self.layers, backward(trace, self.y, self.loss), self.lr)
        self.record()


def dropout_runs(seed: int = 0) -> dict[str, TrainingRun]:
    """A 2-64-64-1 ReLU net on 40 noisy moons (validated on 200 others), trained without and with
    dropout 0.5; each history already holds the loss before the first step."""
    x, y = make("moons", n=DROPOUT_TRAIN_SIZE + 200, noise=0.35, seed=DATA_SEED)
    split = DROPOUT_TRAIN_SIZE
    runs = {}
    for name, rate in (("without", 0.0), ("with", DROPOUT_RATE)):
        net = init_layers([2, 64, 64, 1], "relu", "sigmoid", "he", seed=seed)
        runs[name] = TrainingRun(f"dropout {rate}", net, x[:split], y[:split], lr=0.1, dropout=rate,
                                 x_val=x[split:], y_val=y[split:], rng=np.random.default_rng(seed))
        runs[name].record()
    return runs


def depth_runs(depth: int, seed: int = 0) -> dict[str, TrainingRun]:
    """The same ``depth``-hidden-layer MLP (width 16) on the circles, with sigmoid hidden layers
    (Glorot) and with ReLU (He); each history already holds the loss before the first step."""
    if depth < 1:
        raise ValueError(tr("depth must be ≥ 1, got {depth}", depth=depth))
    x, y = make("circles", n=DEPTH_POINTS, seed=DATA_SEED)
    sizes = [2] + [DEPTH_WIDTH] * depth + [1]
    runs = {"sigmoid": TrainingRun("sigmoid", init_layers(sizes, "sigmoid", "sigmoid", "glorot", seed=seed), x, y, lr=0.5),
            "relu": TrainingRun("relu", init_layers(sizes, "relu", "sigmoid", "he", seed=seed), x, y, lr=0.01)}
    for run in runs.values():
        run.record()
    return runs


def dropout_comparison(seed: int = 0) -> dict[str, tuple[list[float], list[float]]]:
    """``{"without": (train_losses, val_losses), "with": (…)}``, one loss per plotted point."""
    runs = dropout_runs(seed)
    _train_all(runs.values(), DROPOUT_STEPS)
    return {name: (run.history, run.val_history) for name, run in runs.items()}


def depth_comparison(depth: int, seed: int = 0) -> dict[str, list[float]]:
    """``{"sigmoid": losses, "relu": losses}`` of the same deep net, one loss per plotted point."""
    runs = depth_runs(depth, seed)
    _train_all(runs.values(), DEPTH_STEPS)
    return {name: run.history for name, run in runs.items()}


def _train_all(runs, steps: int) -> None:
    for run in runs:
        for _ in range(steps // STEPS_PER_POINT):
            run.advance(STEPS_PER_POINT)
