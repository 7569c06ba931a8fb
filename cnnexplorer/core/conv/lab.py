"""The convolution lab's pipeline on one frame: channels → conv (+ bias) → activation → pooling.

Also the parameter count of a conv layer against a dense layer over the same input, and every number
behind one output value. The text the lab writes out is in :mod:`cnnexplorer.core.conv.readouts`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from cnnexplorer.core.conv.kernels import check_kernel
from cnnexplorer.core.conv.ops import PixelExplanation, conv2d, explain_pixel, pool2d
from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.core.neurons.activation_functions import activate

# Keys as well as labels (scenes keep them): show them through tr().
CHANNEL_MODES = (N_("gray"), N_("rgb"), N_("summed"))
"""gray: one channel; rgb: the kernel on R, G and B separately; summed: one filter over all three."""
ACTIVATIONS = (N_("none"), N_("relu"), N_("sigmoid"), N_("tanh"), N_("abs"))
PADDINGS = (N_("valid"), N_("same"), N_("full"), N_("explicit"))
STAGES = {"input": N_("input"), "conv": N_("conv"), "pool": N_("pool")}  # LabResult.shapes() names, shown


@dataclass(frozen=True)
class LabSettings:
    kernel: np.ndarray = field(default_factory=lambda: np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], np.float32))
    stride: tuple[int, int] = (1, 1)
    padding: str = "same"  # one of PADDINGS
    pad_amount: tuple[int, int] = (1, 1)  # used when padding == "explicit"
    dilation: tuple[int, int] = (1, 1)
    border: str = "zero"
    channels: str = "gray"
    bias: float = 0.0
    activation: str = "none"
    pool: str = "none"  # none | max | avg
    pool_size: int = 2
    pool_stride: int = 2

    def __post_init__(self) -> None:
        check_kernel(self.kernel)
        if self.channels not in CHANNEL_MODES:
            raise ValueError(tr("channel mode must be one of {choices}, got {mode}", choices=CHANNEL_MODES,
                                  mode=repr(self.channels)))
        if self.activation not in ACTIVATIONS:
            raise ValueError(tr("activation must be one of {choices}, got {name}", choices=ACTIVATIONS,
                                  name=repr(self.activation)))
        if self.padding not in PADDINGS:
            raise ValueError(tr("padding must be one of {choices}, got {padding}", choices=PADDINGS,
                                  padding=repr(self.padding)))
        if min(*self.stride, *self.dilation, self.pool_size, self.pool_stride) < 1:
            raise ValueError(tr("stride, dilation and pool size/stride must all be ≥ 1"))
        if min(self.pad_amount) < 0:
            raise ValueError(tr("explicit padding must be ≥ 0"))
        if not np.isfinite(self.bias):
            raise ValueError(tr("bias must be a finite number"))

    @property
    def conv_padding(self):
        return self.pad_amount if self.padding == "explicit" else self.padding

    def conv_kwargs(self) -> dict:
        return dict(stride=self.stride, padding=self.conv_padding, dilation=self.dilation, border=self.border)


@dataclass
class LabResult:
    input: np.ndarray  # what the kernel ran over: (H, W) gray or (H, W, 3)
    conv: np.ndarray  # conv + bias, before the activation
    activated: np.ndarray
    pooled: np.ndarray | None

    @property
    def output(self) -> np.ndarray:
        return self.pooled if self.pooled is not None else self.activated

    def shapes(self) -> list[tuple[str, tuple[int, ...]]]:
        stages = [("input", self.input.shape), ("conv", self.conv.shape)]
        return stages + ([("pool", self.pooled.shape)] if self.pooled is not None else [])


def lab_input(rgb: np.ndarray, channels: str) -> np.ndarray:
    """The array the kernel runs over for a channel mode (uint8, no copy for colour modes)."""
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY) if channels == "gray" else rgb


def run_lab(rgb: np.ndarray, settings: LabSettings) -> LabResult:
    """One frame through the lab. ``rgb`` is (H, W, 3) uint8."""
    source = lab_input(rgb, settings.channels)
    kernel = settings.kernel
    if settings.channels == "summed":
        kernel = np.repeat(kernel[:, :, None], source.shape[2], axis=2)
    conv = conv2d(source, kernel, **settings.conv_kwargs())
    if settings.bias:
        conv += np.float32(settings.bias)
    activated = activate(conv, settings.activation)
    pooled = None
    if settings.pool != "none" and activated.size:
        pooled = pool2d(activated, settings.pool_size, stride=settings.pool_stride, mode=settings.pool)
    return LabResult(source, conv, activated, pooled)


def parameter_counts(in_shape: tuple[int, int, int], kernel: tuple[int, int], filters: int,
                     out_hw: tuple[int, int]) -> dict[str, int]:
    """A conv layer of ``filters`` kernels vs a dense layer mapping the same input to the same output."""
    h, w, c = in_shape
    kh, kw = kernel
    conv = filters * (kh * kw * c + 1)
    outputs = out_hw[0] * out_hw[1] * filters
    dense = h * w * c * outputs + outputs
    return {"conv": conv, "dense": dense}


@dataclass
class OutputExplanation:
    """Every number behind one output value of the lab, from input window to pooled result."""

    conv_pixel: tuple[int, int]  # the conv-output pixel explained
    conv: PixelExplanation
    bias: float
    pre_activation: float
    activated: float
    pool_rows: np.ndarray | None = None  # conv-output rows and columns of the pool window
    pool_cols: np.ndarray | None = None
    pool_values: np.ndarray | None = None
    value: float = 0.0  # the lab's output value at the clicked pixel


def explain_output(rgb: np.ndarray, settings: LabSettings, oy: int, ox: int, channel: int = 0,
                   result: LabResult | None = None) -> OutputExplanation:
    """Explain ``run_lab(rgb, settings).output[oy, ox]`` (channel ``channel`` in "rgb" mode).

    With pooling, the pool window's values are listed and the conv pixel that decides the result
    (the maximum, or the window's first pixel for an average) is explained tap by tap.
    """
    result = result or run_lab(rgb, settings)
    pick = (lambda a: a[..., channel]) if result.activated.ndim == 3 else (lambda a: a)
    activated = pick(result.activated)
    cy, cx = oy, ox
    rows = cols = values = None
    if result.pooled is not None:
        size, stride = settings.pool_size, settings.pool_stride
        if not (0 <= oy < result.pooled.shape[0] and 0 <= ox < result.pooled.shape[1]):
            raise ValueError(tr("output pixel ({y}, {x}) is outside the {height}×{width} output", y=oy, x=ox,
                                  height=result.pooled.shape[0], width=result.pooled.shape[1]))
        rows = np.arange(oy * stride, oy * stride + size)
        cols = np.arange(ox * stride, ox * stride + size)
        values = activated[np.ix_(rows, cols)]
        if settings.pool == "max":
            iy, ix = np.unravel_index(int(np.argmax(values)), values.shape)
            cy, cx = int(rows[iy]), int(cols[ix])
        else:
            cy, cx = int(rows[0]), int(cols[0])
    kernel = settings.kernel
    source = result.input
    if settings.channels == "summed":
        kernel = np.repeat(kernel[:, :, None], source.shape[2], axis=2)
    conv = explain_pixel(source, kernel, cy, cx, channel=channel if settings.channels == "rgb" else None,
                         **settings.conv_kwargs())
    z = conv.total + settings.bias
    a = float(activate(np.array([z], np.float32), settings.activation)[0])
    value = float(pick(result.output)[oy, ox])
    return OutputExplanation((cy, cx), conv, settings.bias, z, a, rows, cols, values, value)
