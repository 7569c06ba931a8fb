"""Kernel presets (blur, edges, Gabor…), grid edits (resize, typed weights) and the user's own
kernels saved by name."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from cnnexplorer.core.display.numbers import number
from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.core.infra.store import NamedJsonStore, read_json, write_json

MAX_SIZE = 15


def _f(rows) -> np.ndarray:
    return np.array(rows, np.float32)


def box_blur(size: int = 3) -> np.ndarray:
    return np.full((size, size), 1.0 / (size * size), np.float32)


def gaussian(size: int = 5, sigma: float = 1.0) -> np.ndarray:
    g = cv2.getGaussianKernel(size, sigma, ktype=cv2.CV_32F)
    return (g @ g.T).astype(np.float32)


def motion_blur(size: int = 7) -> np.ndarray:
    return (np.eye(size, dtype=np.float32) / size).astype(np.float32)


def gabor(size: int = 11, theta: float = 0.0, lambd: float = 6.0, sigma: float = 3.0, gamma: float = 0.5,
          psi: float = 0.0) -> np.ndarray:
    """OpenCV's Gabor kernel: orientation ``theta`` (radians), wavelength, envelope, aspect, phase."""
    if size < 1 or sigma <= 0 or lambd <= 0 or gamma <= 0:
        raise ValueError(tr("Gabor needs size ≥ 1 and positive σ, λ and γ"))
    return cv2.getGaborKernel((size, size), sigma, theta, lambd, gamma, psi, ktype=cv2.CV_32F).astype(np.float32)


# Keys as well as labels (scenes keep them): show them through tr().
PRESETS: dict[str, Callable[[], np.ndarray]] = {
    N_("identity"): lambda: _f([[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
    N_("box blur"): box_blur,
    N_("gaussian"): gaussian,
    N_("sharpen"): lambda: _f([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    N_("edge detect"): lambda: _f([[1, 0, -1], [0, 0, 0], [-1, 0, 1]]),
    N_("sobel x"): lambda: _f([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    N_("sobel y"): lambda: _f([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
    N_("scharr x"): lambda: _f([[-3, 0, 3], [-10, 0, 10], [-3, 0, 3]]),
    N_("scharr y"): lambda: _f([[-3, -10, -3], [0, 0, 0], [3, 10, 3]]),
    N_("prewitt x"): lambda: _f([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]),
    N_("prewitt y"): lambda: _f([[-1, -1, -1], [0, 0, 0], [1, 1, 1]]),
    N_("laplacian"): lambda: _f([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
    N_("emboss"): lambda: _f([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]]),
    N_("outline"): lambda: _f([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]),
    N_("motion blur"): motion_blur,
    N_("gabor"): gabor,
}


def preset_named(kernel: np.ndarray) -> str | None:
    """The preset that ``kernel`` equals exactly at its default parameters, if any."""
    for name, make in PRESETS.items():
        made = make()
        if made.shape == kernel.shape and np.array_equal(made, kernel):
            return name
    return None


def preset(name: str) -> np.ndarray:
    try:
        return PRESETS[name]()
    except KeyError:
        raise KeyError(tr("no kernel preset {name}; choose from {choices}", name=repr(name),
                          choices=", ".join(PRESETS))) from None


def gabor_bank(count: int = 8, size: int = 11) -> list[tuple[str, np.ndarray]]:
    """``count`` Gabor kernels at evenly spaced orientations, named for showing."""
    return [(tr("gabor {degrees}°", degrees=180 * i // count), gabor(size, np.pi * i / count)) for i in range(count)]


def check_kernel(kernel) -> np.ndarray:
    """A valid editable kernel: 2-D, 1…15 on each side, finite. Raises ValueError otherwise."""
    k = np.asarray(kernel, dtype=np.float32)
    if k.ndim != 2 or not (1 <= k.shape[0] <= MAX_SIZE and 1 <= k.shape[1] <= MAX_SIZE):
        raise ValueError(tr("a kernel is a 2-D grid of 1…{most} rows and columns, got shape {shape}",
                              most=MAX_SIZE, shape=k.shape))
    if not np.isfinite(k).all():
        raise ValueError(tr("kernel values must be finite numbers"))
    return k


def normalised(kernel: np.ndarray) -> np.ndarray:
    """Scaled to sum to 1 (a kernel summing to 0, e.g. an edge detector, is scaled to unit L1 norm)."""
    total = float(kernel.sum())
    if abs(total) > 1e-8:
        return (kernel / total).astype(np.float32)
    l1 = float(np.abs(kernel).sum())
    return (kernel / l1).astype(np.float32) if l1 > 0 else kernel.copy()


def resized(kernel: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """``kernel`` on a ``rows`` × ``cols`` grid, its weights kept centred: cropped or padded with zeros."""
    out = np.zeros((rows, cols), np.float32)
    h, w = min(rows, kernel.shape[0]), min(cols, kernel.shape[1])
    ty, tx = (rows - h) // 2, (cols - w) // 2
    oy, ox = (kernel.shape[0] - h) // 2, (kernel.shape[1] - w) // 2
    out[ty : ty + h, tx : tx + w] = kernel[oy : oy + h, ox : ox + w]
    return out


def zero_centred(kernel: np.ndarray) -> bool:
    """Kernels summing to ~0 (edges, derivatives) make outputs centred on zero, best shown diverging;
    others (blur, sharpen) give a picture, best shown in gray from its minimum to its maximum."""
    return abs(float(kernel.sum())) < 0.05 * float(np.abs(kernel).sum())


# -- one weight as text -----------------------------------------------------------------------------
def parse_weight(text: str) -> float:
    """A typed weight as a finite float: "0.5", "0,5", "-2" or a fraction such as "1/9".

    Raises ValueError for anything else: words, NaN, infinities, a zero denominator.
    """
    text = text.strip().replace(",", ".")
    if "/" in text:
        top, _, bottom = text.partition("/")
        top_value, bottom_value = float(top), float(bottom)
        value = top_value / bottom_value if bottom_value else math.inf
    else:
        value = float(text)
    if not math.isfinite(value):
        raise ValueError(tr("{text} is not a finite number", text=repr(text)))
    return value


def format_weight(value: float) -> str:
    """A weight as the kernel grid shows it: four significant digits, never "-0"."""
    return number(value, ".4g")


# -- the user's kernels ---------------------------------------------------------------------------
def save_kernel(name: str, kernel, folder: Path | None = None) -> Path:
    """Save under the user data folder as ``NAME.json``; returns the path."""
    path = NamedJsonStore("kernels", folder).path(name)
    export_kernel(path, kernel, name)
    return path


def user_kernels(folder: Path | None = None) -> dict[str, Path]:
    store = NamedJsonStore("kernels", folder)
    return {name: store.path(name) for name in store.names()}


def export_kernel(path: Path, kernel, name: str = "") -> None:
    write_json(Path(path), {"name": name or Path(path).stem, "kernel": check_kernel(kernel).tolist()})


def import_kernel(path: Path) -> np.ndarray:
    """Read a kernel file written by :func:`export_kernel`, or a bare JSON list of rows."""
    data = read_json(path)
    rows = data.get("kernel") if isinstance(data, dict) else data
    try:
        return check_kernel(rows)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{Path(path).name}: {exc}") from None
