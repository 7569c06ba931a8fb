"""What the convolution lab writes out: output-size formulas with the numbers substituted, the
products and sums behind one output pixel, values under the mouse."""

from __future__ import annotations

import numpy as np

from cnnexplorer.core.conv.lab import STAGES, LabResult, LabSettings, OutputExplanation
from cnnexplorer.core.conv.ops import PixelExplanation, axis_padding, effective_size, output_size
from cnnexplorer.core.conv.placement import OutputPlacement
from cnnexplorer.core.display.numbers import number
from cnnexplorer.core.i18n import tr


def size_formula(n: int, k: int, stride: int, padding, dilation: int) -> str:
    """One axis of the output-size arithmetic with the current numbers substituted."""
    k_eff = effective_size(k, dilation)
    out = output_size(n, k, stride=stride, padding=padding, dilation=dilation)
    keff_text = f"k_eff = ({k}−1)·{dilation}+1 = {k_eff}; " if dilation > 1 else ""
    if padding == "same":
        before, after = axis_padding(n, k, stride, padding, dilation)
        return keff_text + tr("same: ⌈n/s⌉ = ⌈{n}/{stride}⌉ = {out}  (pads {before} before, {after} after)",
                              n=n, stride=stride, out=out, before=before, after=after)
    p = k_eff - 1 if padding == "full" else (0 if padding == "valid" else int(padding))
    label = {"full": f"full: p = k_eff−1 = {p}; ", "valid": "valid: p = 0; "}.get(padding, "")  # Keras' names
    return f"{keff_text}{label}⌊(n + 2p − k_eff)/s⌋ + 1 = ⌊({n} + 2·{p} − {k_eff})/{stride}⌋ + 1 = {out}"


def pool_formula(n: int, size: int, stride: int) -> str:
    out = output_size(n, size, stride=stride)
    return f"⌊(n − size)/s⌋ + 1 = ⌊({n} − {size})/{stride}⌋ + 1 = {out}"


def lab_arithmetic(settings: LabSettings, result: LabResult) -> str:
    """Every output-size formula of a lab run (H and W, conv then pool) and the shapes stage by stage."""
    s = settings
    height, width = result.input.shape[:2]
    kh, kw = s.kernel.shape
    pads = (s.pad_amount[0], s.pad_amount[1]) if s.padding == "explicit" else (s.padding, s.padding)
    lines = [
        f"H: {size_formula(height, kh, s.stride[0], pads[0], s.dilation[0])}",
        f"W: {size_formula(width, kw, s.stride[1], pads[1], s.dilation[1])}",
    ]
    if result.pooled is not None:
        conv_h, conv_w = result.conv.shape[:2]
        lines.append(tr("pool H: {formula}", formula=pool_formula(conv_h, s.pool_size, s.pool_stride)))
        lines.append(tr("pool W: {formula}", formula=pool_formula(conv_w, s.pool_size, s.pool_stride)))
    shapes = " → ".join(f"{tr(STAGES[name])} {'×'.join(map(str, shape))}" for name, shape in result.shapes())
    if not result.output.size:
        shapes += tr("  (empty: the kernel is larger than the padded input)")
    return "\n".join([*lines, shapes])


def tap_texts(conv: PixelExplanation) -> list[list[str]]:
    """One "input × weight" over "= product" per kernel tap, as rows of the kernel grid (two short
    lines keep the cells narrow enough to read whole).

    With one filter over RGB a tap reads its three channels, one line each, and sums their products.
    """
    inputs, weights, products = conv.inputs, conv.weights, conv.products
    rows, cols = inputs.shape[:2]
    if inputs.ndim == 3:
        return [["\n".join(f"{number(x, '.0f')}·{number(w, '.3g')}" for x, w in zip(inputs[r, c], weights[r, c]))
                 + f"\n= {number(products[r, c].sum())}" for c in range(cols)] for r in range(rows)]
    return [[f"{number(inputs[r, c], '.0f')} × {number(weights[r, c], '.3g')}\n= {number(products[r, c])}"
             for c in range(cols)] for r in range(rows)]


def explanation_lines(oy: int, ox: int, explanation: OutputExplanation) -> list[str]:
    """The sum, bias, activation and pooling that turn the taps into output (oy, ox)."""
    conv = explanation.conv
    cy, cx = explanation.conv_pixel
    lines = [
        tr("conv pixel ({y}, {x}): Σ products = {total}", y=cy, x=cx, total=number(conv.total, ".6g")),
        tr("+ bias {bias} = {z} → activation = {a}", bias=number(explanation.bias, "g"),
           z=number(explanation.pre_activation, ".6g"), a=number(explanation.activated, ".6g")),
    ]
    if explanation.pool_values is not None:
        pool = ", ".join(number(v) for v in explanation.pool_values.ravel())
        lines.append(tr("pool window [{values}] → {value}", values=pool, value=number(explanation.value, ".6g")))
    lines.append(tr("output ({y}, {x}) = {value}", y=oy, x=ox, value=number(explanation.value, ".6g")))
    return lines


def hover_text(result: LabResult, placement: OutputPlacement | None, x: float, y: float) -> str:
    """The input value and the output value under input-coordinate point (x, y), where there are any."""
    parts = []
    source = result.input
    ix, iy = int(np.floor(x)), int(np.floor(y))
    if 0 <= iy < source.shape[0] and 0 <= ix < source.shape[1]:
        parts.append(tr("input ({y}, {x}) = {value}", y=iy, x=ix, value=_values(source[iy, ix])))
    index = placement.index_at(x, y) if placement is not None else None
    if index is not None:
        parts.append(tr("output ({y}, {x}) = {value}", y=index[0], x=index[1], value=_values(result.output[index])))
    return " · ".join(parts)


def _values(value) -> str:
    """A pixel's value, or its channels' values, to four significant digits."""
    values = np.atleast_1d(value)
    return ", ".join(number(v) for v in values) if values.size > 1 else number(values[0])
