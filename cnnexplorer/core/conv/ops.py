"""2-D convolution and pooling exactly as Keras/TensorFlow compute them, fast and explained.

``conv2d`` is cross-correlation like ``keras.layers.Conv2D``: no kernel flip. It runs through
OpenCV's ``filter2D``; ``conv2d_reference`` is the same arithmetic written plainly (one shifted
slice per kernel tap) for teaching, and the tests hold the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from cnnexplorer.core.i18n import N_, tr

BORDERS = (N_("zero"), N_("reflect"), N_("replicate"))  # keys: show them through tr()
_CV_BORDER = {"zero": cv2.BORDER_CONSTANT, "reflect": cv2.BORDER_REFLECT_101, "replicate": cv2.BORDER_REPLICATE}
_NP_BORDER = {"zero": "constant", "reflect": "reflect", "replicate": "edge"}
# OpenCV filters float32 ~3× faster than uint8 while it correlates directly, up to 11×11 taps here;
# beyond that both go through its DFT path, where uint8 input is ~1.5× faster (see bench conv).
_FLOAT_DIRECT_MAX = 11


def _pair(value, name: str) -> tuple[int, int]:
    pair = (value, value) if np.isscalar(value) else tuple(value)
    if len(pair) != 2 or any(int(v) != v for v in pair):
        raise ValueError(tr("{name} must be an int or a pair of ints, got {value}", name=name, value=repr(value)))
    return int(pair[0]), int(pair[1])


def effective_size(k: int, dilation: int) -> int:
    """The span of a kernel of ``k`` taps spread ``dilation`` apart: (k − 1)·d + 1."""
    return (k - 1) * dilation + 1


def axis_padding(n: int, k: int, stride: int, padding, dilation: int) -> tuple[int, int]:
    """(before, after) padding of one axis for ``padding`` = "valid", "same", "full" or an int."""
    k_eff = effective_size(k, dilation)
    if isinstance(padding, str):
        if padding == "valid":
            return 0, 0
        if padding == "same":  # TensorFlow: output = ceil(n / s); an odd extra goes after
            total = max((-(-n // stride) - 1) * stride + k_eff - n, 0)
            return total // 2, total - total // 2
        if padding == "full":
            return k_eff - 1, k_eff - 1
        raise ValueError(tr("padding must be 'valid', 'same', 'full' or an int, got {padding}", padding=repr(padding)))
    if int(padding) != padding or padding < 0:
        raise ValueError(tr("explicit padding must be a non-negative int, got {padding}", padding=repr(padding)))
    return int(padding), int(padding)


def output_size(n: int, k: int, *, stride: int = 1, padding="valid", dilation: int = 1) -> int:
    """Output length of one axis: ⌊(n + p_before + p_after − k_eff) / s⌋ + 1, never negative."""
    _check_positive(stride=stride, dilation=dilation)
    before, after = axis_padding(n, k, stride, padding, dilation)
    span = n + before + after - effective_size(k, dilation)
    return span // stride + 1 if span >= 0 else 0


@dataclass(frozen=True)
class ConvGeometry:
    """Everything about where a convolution's windows fall, for both axes."""

    pad: tuple[int, int, int, int]  # top, bottom, left, right
    stride: tuple[int, int]
    dilation: tuple[int, int]
    kernel: tuple[int, int]
    out: tuple[int, int]

    @property
    def k_eff(self) -> tuple[int, int]:
        return effective_size(self.kernel[0], self.dilation[0]), effective_size(self.kernel[1], self.dilation[1])

    def window(self, oy: int, ox: int) -> tuple[np.ndarray, np.ndarray]:
        """Input rows and columns (in unpadded coordinates, may be outside) read by output (oy, ox)."""
        rows = oy * self.stride[0] - self.pad[0] + np.arange(self.kernel[0]) * self.dilation[0]
        cols = ox * self.stride[1] - self.pad[2] + np.arange(self.kernel[1]) * self.dilation[1]
        return rows, cols


def geometry(shape: tuple[int, int], kernel: tuple[int, int], *, stride=1, padding="valid", dilation=1) -> ConvGeometry:
    """The :class:`ConvGeometry` of a (H, W) input under these settings."""
    sy, sx = _pair(stride, "stride")
    dy, dx = _pair(dilation, "dilation")
    _check_positive(stride=min(sy, sx), dilation=min(dy, dx))
    py, px = (padding, padding) if isinstance(padding, str) else _pair(padding, "padding")
    top, bottom = axis_padding(shape[0], kernel[0], sy, py, dy)
    left, right = axis_padding(shape[1], kernel[1], sx, px, dx)
    out = (
        output_size(shape[0], kernel[0], stride=sy, padding=py, dilation=dy),
        output_size(shape[1], kernel[1], stride=sx, padding=px, dilation=dx),
    )
    return ConvGeometry((top, bottom, left, right), (sy, sx), (dy, dx), (kernel[0], kernel[1]), out)


def conv2d(image, kernel, *, stride=1, padding="valid", dilation=1, border: str = "zero") -> np.ndarray:
    """Cross-correlate ``image`` with ``kernel`` as ``tf.nn.conv2d`` does; float32 result.

    ``image`` is (H, W) or (H, W, C). ``kernel`` is (kh, kw) — applied to each channel alone,
    (kh, kw, C) — one filter summed over channels, or (kh, kw, C_in, C_out) — Keras' layout.
    ``padding`` is "valid", "same" (TensorFlow's rule), "full", an int or a (py, px) pair; the
    padded pixels are zeros, a mirror ("reflect") or the edge repeated ("replicate").
    """
    x, k, mode = _prepare(image, kernel, border, keep_uint8=True)
    geo = geometry(x.shape[:2], k.shape[:2], stride=stride, padding=padding, dilation=dilation)
    out_shape = _out_shape(x, k, mode, geo)
    if 0 in geo.out:
        return np.zeros(out_shape, np.float32)
    dense = _dilate(k, geo.dilation)
    if max(dense.shape[:2]) <= _FLOAT_DIRECT_MAX:
        x = np.ascontiguousarray(x, dtype=np.float32)
    source, anchor = _border_source(x, geo, border)

    def correlate(plane: np.ndarray, taps: np.ndarray) -> np.ndarray:
        # out[y, x] = Σ taps[i, j] · plane[y + i − anchor_y, x + j − anchor_x]; OpenCV fills the
        # border itself when it can (no padded copy), else ``source`` was padded beforehand.
        full = cv2.filter2D(plane, cv2.CV_32F, taps, anchor=anchor, borderType=_CV_BORDER[border])
        return _subsample(full, geo.stride, geo.out)

    if mode == "depthwise":
        if x.ndim == 2 or x.shape[2] <= 4:
            result = correlate(source, dense)
        else:
            result = np.stack([correlate(source[..., c], dense) for c in range(x.shape[2])], axis=-1)
    elif mode == "summed":
        result = sum(correlate(source[..., c], dense[..., c]) for c in range(x.shape[2]))
    else:
        planes = [np.ascontiguousarray(source[..., c]) for c in range(x.shape[2])]
        result = np.stack(
            [sum(correlate(planes[c], dense[..., c, o]) for c in range(x.shape[2])) for o in range(k.shape[3])],
            axis=-1,
        )
    return np.ascontiguousarray(result.reshape(out_shape), dtype=np.float32)


def conv2d_reference(image, kernel, *, stride=1, padding="valid", dilation=1, border: str = "zero") -> np.ndarray:
    """The same as :func:`conv2d`, written for reading: each kernel tap adds a shifted slice."""
    x, k, mode = _prepare(image, kernel, border)
    geo = geometry(x.shape[:2], k.shape[:2], stride=stride, padding=padding, dilation=dilation)
    out_shape = _out_shape(x, k, mode, geo)
    if 0 in geo.out:
        return np.zeros(out_shape, np.float32)
    padded = _pad(x, geo.pad, border).astype(np.float64)
    if padded.ndim == 2:
        padded = padded[..., None]
    (oh, ow), (sy, sx), (dy, dx) = geo.out, geo.stride, geo.dilation
    total = 0.0
    for i in range(k.shape[0]):
        for j in range(k.shape[1]):
            # The input pixels that tap (i, j) meets, one per output pixel.
            patch = padded[i * dy : i * dy + (oh - 1) * sy + 1 : sy, j * dx : j * dx + (ow - 1) * sx + 1 : sx]
            weights = k[i, j].astype(np.float64)
            if mode == "depthwise":
                total = total + patch * weights
            elif mode == "summed":
                total = total + patch @ weights
            else:
                total = total + patch @ weights  # (oh, ow, C_in) @ (C_in, C_out)
    return np.asarray(total, np.float32).reshape(out_shape)


@dataclass(frozen=True)
class PixelExplanation:
    """How one output value is made: the input window, the weights, their products and sum."""

    rows: np.ndarray  # input row of each kernel row (unpadded coordinates; outside = padding)
    cols: np.ndarray
    inputs: np.ndarray  # (kh, kw) or (kh, kw, C) values read, padding included
    weights: np.ndarray
    products: np.ndarray
    total: float


def explain_pixel(image, kernel, oy: int, ox: int, *, channel: int | None = None, stride=1, padding="valid",
                  dilation=1, border: str = "zero") -> PixelExplanation:
    """The element-wise products and their sum behind output pixel (oy, ox).

    For a depthwise (kh, kw) kernel on a colour image pass ``channel``; a (kh, kw, C) kernel sums
    over every channel. The total equals ``conv2d(...)[oy, ox]`` (up to float rounding).
    """
    x, k, mode = _prepare(image, kernel, border)
    if mode == "keras":
        raise ValueError(tr("explain one filter at a time: pass a (kh, kw) or (kh, kw, C) kernel"))
    geo = geometry(x.shape[:2], k.shape[:2], stride=stride, padding=padding, dilation=dilation)
    if not (0 <= oy < geo.out[0] and 0 <= ox < geo.out[1]):
        raise ValueError(tr("output pixel ({y}, {x}) is outside the {height}×{width} output", y=oy, x=ox,
                              height=geo.out[0], width=geo.out[1]))
    if mode == "depthwise" and x.ndim == 3:
        if channel is None or not 0 <= channel < x.shape[2]:
            raise ValueError(tr("pick a channel 0…{last} for a per-channel kernel", last=x.shape[2] - 1))
        x = x[..., channel]
    padded = _pad(x, geo.pad, border)
    rows, cols = geo.window(oy, ox)
    inputs = padded[np.ix_(rows + geo.pad[0], cols + geo.pad[2])].astype(np.float64)
    weights = k.astype(np.float64)
    products = inputs * weights
    return PixelExplanation(rows, cols, inputs, weights, products, float(products.sum()))


def pool2d(x, size=2, *, stride=None, mode: str = "max", padding: str = "valid") -> np.ndarray:
    """Max or average pooling of (H, W) or (H, W, C) as Keras ``MaxPooling2D``/``AveragePooling2D``.

    ``stride`` defaults to ``size``. With "same" padding the average counts only real pixels.
    """
    if mode not in ("max", "avg"):
        raise ValueError(tr("pooling mode must be 'max' or 'avg', got {mode}", mode=repr(mode)))
    if padding not in ("valid", "same"):
        raise ValueError(tr("pooling padding must be 'valid' or 'same', got {padding}", padding=repr(padding)))
    ph, pw = _pair(size, "pool size")
    sy, sx = _pair(stride if stride is not None else (ph, pw), "pool stride")
    _check_positive(size=min(ph, pw), stride=min(sy, sx))
    array = np.asarray(x, dtype=np.float32)
    if array.ndim not in (2, 3):
        raise ValueError(tr("pool2d takes (H, W) or (H, W, C), got shape {shape}", shape=array.shape))
    plane = array if array.ndim == 3 else array[..., None]
    h, w = plane.shape[:2]
    top, bottom = axis_padding(h, ph, sy, padding, 1)
    left, right = axis_padding(w, pw, sx, padding, 1)
    oh, ow = output_size(h, ph, stride=sy, padding=padding), output_size(w, pw, stride=sx, padding=padding)
    if oh == 0 or ow == 0:
        return np.zeros((oh, ow, *array.shape[2:]), np.float32)
    fill = -np.inf if mode == "max" else 0.0
    pads = (top, bottom, left, right)
    chunks = [plane[..., c : c + 512] for c in range(0, plane.shape[2], 512)]  # OpenCV's channel limit
    pooled = [_pool_separable(_pad_constant(c, pads, fill), (ph, pw), (sy, sx), (oh, ow), mode) for c in chunks]
    result = pooled[0] if len(pooled) == 1 else np.concatenate(pooled, axis=2)
    if mode == "avg":
        real = _pad_constant(np.ones((h, w, 1), np.float32), pads, 0.0)
        result /= _pool_separable(real, (ph, pw), (sy, sx), (oh, ow), "avg")  # count only real pixels
    result = np.ascontiguousarray(result, dtype=np.float32)
    return result if array.ndim == 3 else result[..., 0]


# -- helpers ---------------------------------------------------------------------------------------
def _check_positive(**values: int) -> None:
    for name, value in values.items():
        if value < 1:
            raise ValueError(tr("{name} must be ≥ 1, got {value}", name=name, value=value))


def _prepare(image, kernel, border: str, keep_uint8: bool = False) -> tuple[np.ndarray, np.ndarray, str]:
    """Checked image and kernel: float32, or the image left uint8 when ``keep_uint8``."""
    if border not in BORDERS:
        raise ValueError(tr("border must be one of {choices}, got {border}", choices=", ".join(BORDERS),
                              border=repr(border)))
    x = np.asarray(image)
    if x.ndim not in (2, 3) or 0 in x.shape:
        raise ValueError(tr("image must be a non-empty (H, W) or (H, W, C) array, got shape {shape}", shape=x.shape))
    x = np.ascontiguousarray(x, dtype=np.uint8 if keep_uint8 and x.dtype == np.uint8 else np.float32)
    k = np.asarray(kernel, dtype=np.float32)
    if k.ndim not in (2, 3, 4) or 0 in k.shape:
        raise ValueError(tr("kernel must be (kh, kw), (kh, kw, C) or (kh, kw, C_in, C_out), got shape {shape}",
                              shape=k.shape))
    if not np.isfinite(k).all():
        raise ValueError(tr("kernel values must be finite numbers (found NaN or infinity)"))
    channels = x.shape[2] if x.ndim == 3 else 1
    if k.ndim == 2:
        return x, k, "depthwise"
    if k.shape[2] != channels:
        raise ValueError(tr("kernel has {kernel_channels} input channels but the image has {channels}",
                              kernel_channels=k.shape[2], channels=channels))
    if x.ndim == 2:
        x = x[..., None]
    return x, k, "summed" if k.ndim == 3 else "keras"


def _out_shape(x: np.ndarray, k: np.ndarray, mode: str, geo: ConvGeometry) -> tuple[int, ...]:
    if mode == "depthwise":
        return geo.out + x.shape[2:]
    if mode == "summed":
        return geo.out
    return (*geo.out, k.shape[3])


def _border_source(x: np.ndarray, geo: ConvGeometry, border: str) -> tuple[np.ndarray, tuple[int, int]]:
    """The array to filter and the kernel anchor that puts output (0, 0) at its first window.

    When every output position lies inside the image and the padding is no wider than the kernel,
    ``filter2D`` extrapolates the border itself; otherwise pad explicitly and anchor at (0, 0).
    """
    top, _, left, _ = geo.pad
    (keh, kew), (h, w) = geo.k_eff, x.shape[:2]
    direct = (
        top <= keh - 1
        and left <= kew - 1
        and (geo.out[0] - 1) * geo.stride[0] <= h - 1
        and (geo.out[1] - 1) * geo.stride[1] <= w - 1
        and (border != "reflect" or (keh <= h and kew <= w))
    )
    if direct:
        return x, (left, top)
    return _pad(x, geo.pad, border), (0, 0)


def _pad(x: np.ndarray, pad: tuple[int, int, int, int], border: str) -> np.ndarray:
    top, bottom, left, right = pad
    if not any(pad):
        return x
    h, w = x.shape[:2]
    # OpenCV pads fast, but mirrors at most once and handles up to 512 channels.
    if (border != "reflect" or max(top, bottom) < h and max(left, right) < w) and (x.ndim == 2 or x.shape[2] <= 512):
        padded = cv2.copyMakeBorder(x, top, bottom, left, right, _CV_BORDER[border], value=0)
        return padded if padded.ndim == x.ndim else padded[..., None]
    widths = ((top, bottom), (left, right)) + ((0, 0),) * (x.ndim - 2)
    return np.pad(x, widths, mode=_NP_BORDER[border])


def _pool_separable(x: np.ndarray, size, stride, out, mode: str) -> np.ndarray:
    """Max or sum over (ph, pw) windows taken every (sy, sx) of a padded (H, W, C) array.

    Rows first (combining ph row-strided views), then columns (a 1×pw dilate or box sum and a
    nearest-neighbour resize that keeps every sx-th column): each pass is one OpenCV call.
    """
    (ph, pw), (sy, sx), (oh, ow) = size, stride, out
    channels = x.shape[2]
    combine = cv2.max if mode == "max" else cv2.add
    views = [x[i : i + (oh - 1) * sy + 1 : sy] for i in range(ph)]
    rows = np.ascontiguousarray(views[0]) if ph == 1 else combine(views[0], views[1])
    for view in views[2:]:
        rows = combine(rows, view)
    rows = rows.reshape(oh, x.shape[1], channels)
    if pw > 1:
        if mode == "max":
            rows = cv2.dilate(rows, np.ones((1, pw), np.uint8), anchor=(0, 0), borderType=cv2.BORDER_REPLICATE)
        else:
            rows = cv2.boxFilter(rows, -1, (pw, 1), anchor=(0, 0), normalize=False, borderType=cv2.BORDER_CONSTANT)
        rows = rows.reshape(oh, x.shape[1], channels)
    return _subsample(rows, (1, sx), (oh, ow))


def _subsample(x: np.ndarray, stride: tuple[int, int], out: tuple[int, int]) -> np.ndarray:
    """``x[::sy, ::sx]`` cut to ``out``, contiguous. Rows are a free view; columns go through a
    nearest-neighbour resize (it picks columns 0, sx, 2·sx, …), far faster than numpy's strided copy.
    """
    (sy, sx), (oh, ow) = stride, out
    rows = x[: (oh - 1) * sy + 1 : sy]
    if sx == 1:
        return rows[:, :ow]
    if rows.shape[1] >= ow * sx:
        picked = cv2.resize(rows[:, : ow * sx], (ow, oh), interpolation=cv2.INTER_NEAREST)
        return picked.reshape(oh, ow, *x.shape[2:])
    return rows[:, : (ow - 1) * sx + 1 : sx]


def _pad_constant(x: np.ndarray, pad: tuple[int, int, int, int], value: float) -> np.ndarray:
    if not any(pad):
        return x
    if x.shape[2] <= 4:
        padded = cv2.copyMakeBorder(x, *pad, cv2.BORDER_CONSTANT, value=(value,) * 4)
        return padded.reshape(padded.shape[0], padded.shape[1], x.shape[2])
    top, bottom, left, right = pad
    return np.pad(x, ((top, bottom), (left, right), (0, 0)), constant_values=value)


def _dilate(k: np.ndarray, dilation: tuple[int, int]) -> np.ndarray:
    dy, dx = dilation
    if dy == dx == 1:
        return k
    dense = np.zeros((effective_size(k.shape[0], dy), effective_size(k.shape[1], dx), *k.shape[2:]), k.dtype)
    dense[::dy, ::dx] = k
    return dense
