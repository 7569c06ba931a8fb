"""Neurons, small MLPs and backpropagation in plain numpy, with every chain-rule factor kept.

Course §1: a neuron sums weighted inputs and a bias (z = W·a + b) and squashes the sum (a = f(z));
backpropagation sends the loss gradient back through the chain rule,
∂L/∂W = ∂L/∂a · ∂a/∂z · ∂z/∂W. Keras is only the oracle the tests compare against.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.core.neurons.activation_functions import activate, derivative

# Keys as well as labels: show them through tr().
ACTIVATIONS = (N_("step"), N_("sigmoid"), N_("tanh"), N_("relu"), N_("linear"))
INITS = (N_("naive"), N_("glorot"), N_("he"))
LOSSES = (N_("mse"), N_("bce"))
BCE_EPSILON = 1e-7  # Keras clips probabilities the same way


@dataclass
class Layer:
    """A dense layer: ``weights`` is (n_out, n_in), ``bias`` is (n_out,)."""

    weights: np.ndarray
    bias: np.ndarray
    activation: str = "sigmoid"

    def __post_init__(self) -> None:
        self.weights = np.atleast_2d(np.asarray(self.weights, np.float64))
        self.bias = np.asarray(self.bias, np.float64).reshape(-1)
        if self.activation not in ACTIVATIONS:
            raise ValueError(tr("activation must be one of {choices}, got {name}", choices=ACTIVATIONS,
                                  name=repr(self.activation)))
        if self.bias.shape[0] != self.weights.shape[0]:
            raise ValueError(tr("bias has {values} values for {neurons} neurons", values=self.bias.shape[0],
                                  neurons=self.weights.shape[0]))
        if not (np.isfinite(self.weights).all() and np.isfinite(self.bias).all()):
            raise ValueError(tr("weights and biases must be finite"))


@dataclass
class Trace:
    """A forward pass: per layer its input ``inputs[l]``, net input ``z[l]`` and output ``a[l]``.

    Arrays are (N, n): one row per sample. ``masks[l]`` is the dropout mask applied (or None).
    """

    inputs: list[np.ndarray]
    z: list[np.ndarray]
    a: list[np.ndarray]
    layers: list[Layer]
    masks: list[np.ndarray | None] = field(default_factory=list)

    @property
    def output(self) -> np.ndarray:
        return self.a[-1]


@dataclass
class LayerGrads:
    """One layer's gradients and the chain-rule factors that make them (all per sample, (N, ·))."""

    d_weights: np.ndarray  # ∂L/∂W, (n_out, n_in)
    d_bias: np.ndarray  # ∂L/∂b, (n_out,)
    dl_da: np.ndarray  # ∂L/∂a of this layer's output
    da_dz: np.ndarray  # f'(z)
    dz_dw: np.ndarray  # ∂z_j/∂W_ji = the layer's input a_i
    delta: np.ndarray  # ∂L/∂z = ∂L/∂a · ∂a/∂z


@dataclass
class Grads:
    layers: list[LayerGrads]
    loss: float


def forward(x, layers: list[Layer], *, dropout: float = 0.0, rng: np.random.Generator | None = None) -> Trace:
    """Feed ``x`` ((n_in,) or (N, n_in)) through ``layers``.

    With ``dropout`` > 0 (training), each hidden layer's outputs are zeroed with that probability
    and the rest scaled by 1/(1 − p) (inverted dropout, as Keras does).
    """
    a = np.atleast_2d(np.asarray(x, np.float64))
    if not layers:
        raise ValueError(tr("a network needs at least one layer"))
    if a.shape[1] != layers[0].weights.shape[1]:
        raise ValueError(tr("input has {features} features; the first layer takes {inputs}", features=a.shape[1],
                              inputs=layers[0].weights.shape[1]))
    if not 0.0 <= dropout < 1.0:
        raise ValueError(tr("dropout must be in [0, 1), got {dropout}", dropout=dropout))
    rng = rng or np.random.default_rng()
    trace = Trace([], [], [], layers)
    for index, layer in enumerate(layers):
        if layer.weights.shape[1] != a.shape[1]:
            raise ValueError(tr("layer {index} takes {inputs} inputs but gets {given}", index=index,
                                  inputs=layer.weights.shape[1], given=a.shape[1]))
        z = a @ layer.weights.T + layer.bias
        out = activate(z, layer.activation)
        mask = None
        if dropout and index < len(layers) - 1:
            mask = (rng.random(out.shape) >= dropout) / (1.0 - dropout)
            out = out * mask
        trace.inputs.append(a)
        trace.z.append(z)
        trace.a.append(out)
        trace.masks.append(mask)
        a = out
    return trace


def loss_value(output: np.ndarray, target, loss: str = "mse") -> float:
    """Mean squared error, or binary cross-entropy of probabilities (both averaged like Keras)."""
    y = np.broadcast_to(np.atleast_2d(np.asarray(target, np.float64)), output.shape)
    if loss == "mse":
        return float(np.mean((output - y) ** 2))
    if loss == "bce":
        p = np.clip(output, BCE_EPSILON, 1.0 - BCE_EPSILON)
        return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p)))
    raise ValueError(tr("loss must be one of {choices}, got {loss}", choices=LOSSES, loss=repr(loss)))


def _loss_gradient(output: np.ndarray, y: np.ndarray, loss: str) -> np.ndarray:
    count = output.size
    if loss == "mse":
        return 2.0 * (output - y) / count
    inside = (output > BCE_EPSILON) & (output < 1.0 - BCE_EPSILON)  # clipped values pass no gradient
    p = np.clip(output, BCE_EPSILON, 1.0 - BCE_EPSILON)
    return np.where(inside, (p - y) / (p * (1.0 - p)), 0.0) / count


def backward(trace: Trace, target, loss: str = "mse") -> Grads:
    """Gradients of the loss for every weight and bias, by the chain rule, layer by layer."""
    if loss not in LOSSES:
        raise ValueError(tr("loss must be one of {choices}, got {loss}", choices=LOSSES, loss=repr(loss)))
    y = np.broadcast_to(np.atleast_2d(np.asarray(target, np.float64)), trace.output.shape)
    dl_da = _loss_gradient(trace.output, y, loss)
    grads: list[LayerGrads] = []
    for index in range(len(trace.layers) - 1, -1, -1):
        layer, z, a = trace.layers[index], trace.z[index], trace.a[index]
        mask = trace.masks[index] if trace.masks else None
        pre_mask = a / np.where(mask == 0, 1.0, mask) if mask is not None else a
        da_dz = derivative(z, pre_mask, layer.activation) * (mask if mask is not None else 1.0)
        delta = dl_da * da_dz
        a_in = trace.inputs[index]
        grads.append(LayerGrads(delta.T @ a_in, delta.sum(axis=0), dl_da, da_dz, a_in, delta))
        dl_da = delta @ layer.weights
    grads.reverse()
    return Grads(grads, loss_value(trace.output, y, loss))


def step(layers: list[Layer], grads: Grads, lr: float) -> list[Layer]:
    """One gradient-descent update, in place: W ← W − lr·∂L/∂W, b ← b − lr·∂L/∂b."""
    for layer, g in zip(layers, grads.layers):
        layer.weights -= lr * g.d_weights
        layer.bias -= lr * g.d_bias
    return layers


def init_layers(sizes: list[int], hidden: str = "sigmoid", output: str = "sigmoid", init: str = "glorot",
                seed: int = 0) -> list[Layer]:
    """Random layers for widths ``sizes`` (input first). naive: N(0, 1); glorot: U(±√(6/(in+out)));
    he: N(0, √(2/in))."""
    if init not in INITS:
        raise ValueError(tr("init must be one of {choices}, got {init}", choices=INITS, init=repr(init)))
    rng = np.random.default_rng(seed)
    layers = []
    for index, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        if init == "naive":
            weights = rng.normal(0.0, 1.0, (n_out, n_in))
        elif init == "glorot":
            limit = np.sqrt(6.0 / (n_in + n_out))
            weights = rng.uniform(-limit, limit, (n_out, n_in))
        else:
            weights = rng.normal(0.0, np.sqrt(2.0 / n_in), (n_out, n_in))
        activation = output if index == len(sizes) - 2 else hidden
        layers.append(Layer(weights, np.zeros(n_out), activation))
    return layers


def gradient_norms(depth: int, width: int, activation: str, *, n: int = 256, seed: int = 0,
                   init: str = "glorot") -> list[float]:
    """Mean |∂L/∂W| of each layer (input side first) of a ``depth``-layer MLP at initialisation.

    With sigmoid the values shrink towards the input (vanishing gradients); with ReLU and He
    initialisation they stay level.
    """
    if depth < 1 or width < 1:
        raise ValueError(tr("depth and width must be ≥ 1"))
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 1.0, (n, width))
    y = rng.integers(0, 2, (n, 1)).astype(np.float64)
    layers = init_layers([width] * (depth + 1) + [1], activation, "sigmoid", init, seed)
    grads = backward(forward(x, layers), y, "bce")
    return [float(np.mean(np.abs(g.d_weights))) for g in grads.layers[:-1]]


def train(layers: list[Layer], x, y, *, lr: float, steps: int, loss: str = "bce", dropout: float = 0.0,
          seed: int = 0) -> list[float]:
    """Full-batch gradient descent; returns the loss after each step (measured without dropout)."""
    rng = np.random.default_rng(seed)
    history = []
    for _ in range(steps):
        step(layers, backward(forward(x, layers, dropout=dropout, rng=rng), y, loss), lr)
        history.append(loss_value(forward(x, layers).output, y, loss))
    return history


def accuracy(layers: list[Layer], x, y) -> float:
    predicted = forward(x, layers).output >= 0.5
    return float(np.mean(predicted == (np.asarray(y) >= 0.5)))


def output_over_plane(layers: list[Layer], axis: np.ndarray) -> np.ndarray:
    """A 2-input network's (first) output over the grid ``axis`` × ``axis``: rows follow x2, columns x1,
    ready to show as an image of the input plane."""
    x1, x2 = np.meshgrid(axis, axis)
    return forward(np.column_stack([x1.ravel(), x2.ravel()]), layers).output.reshape(x1.shape)
