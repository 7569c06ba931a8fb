"""The convolution lab's written-out arithmetic."""

import numpy as np

from cnnexplorer.core.conv.lab import LabSettings, explain_output, run_lab
from cnnexplorer.core.conv.placement import output_placement
from cnnexplorer.core.conv import kernels
from cnnexplorer.core.conv.readouts import explanation_lines, hover_text, lab_arithmetic, tap_texts
from cnnexplorer.core.display.numbers import number

RGB = np.random.default_rng(3).integers(0, 256, (48, 64, 3), dtype=np.uint8)


def test_lab_arithmetic_substitutes_the_numbers():
    s = LabSettings(stride=(1, 3), padding="valid", pool="avg")
    text = lab_arithmetic(s, run_lab(RGB, s))
    assert "W: valid: p = 0; ⌊(n + 2p − k_eff)/s⌋ + 1 = ⌊(64 + 2·0 − 3)/3⌋ + 1 = 21" in text
    assert "pool H: ⌊(n − size)/s⌋ + 1 = ⌊(46 − 2)/2⌋ + 1 = 23" in text
    assert text.endswith("input 48×64 → conv 46×21 → pool 23×10")
    explicit = LabSettings(padding="explicit", pad_amount=(2, 0), dilation=(2, 1))
    text = lab_arithmetic(explicit, run_lab(RGB, explicit))
    assert text.startswith("H: k_eff = (3−1)·2+1 = 5; ⌊(n + 2p − k_eff)/s⌋ + 1 = "
                           "⌊(48 + 2·2 − 5)/1⌋ + 1 = 48")


def test_empty_output_is_explained():
    s = LabSettings(kernel=np.ones((15, 15), np.float32), padding="valid")
    result = run_lab(RGB[:10], s)
    assert lab_arithmetic(s, result).endswith("(empty: the kernel is larger than the padded input)")


def test_taps_and_lines_for_gray_and_summed_rgb():
    gray = LabSettings(bias=1.5)
    explanation = explain_output(RGB, gray, 10, 20)
    cells = tap_texts(explanation.conv)
    conv = explanation.conv
    assert len(cells) == 3 and len(cells[0]) == 3
    assert cells[1][1] == f"{conv.inputs[1, 1]:.0f} × 5\n= {conv.products[1, 1]:.4g}"
    lines = explanation_lines(10, 20, explanation)
    assert lines[0] == f"conv pixel (10, 20): Σ products = {conv.total:.6g}"
    assert lines[1].startswith("+ bias 1.5 = ") and lines[-1] == f"output (10, 20) = {explanation.value:.6g}"
    summed = explain_output(RGB, LabSettings(channels="summed", pool="max"), 3, 4)
    cell = tap_texts(summed.conv)[0][0]
    assert cell.count("·") == 3 and cell.endswith(f"\n= {summed.conv.products[0, 0].sum():.4g}")
    assert explanation_lines(3, 4, summed)[2].startswith("pool window [")


def test_hover_text_reads_input_and_output():
    s = LabSettings(channels="rgb", stride=(2, 2))
    result = run_lab(RGB, s)
    placement = output_placement(s, RGB.shape, result.output.shape)
    text = hover_text(result, placement, 5.2, 7.9)
    r, g, b = RGB[7, 5]
    assert text.startswith(f"input (7, 5) = {r:.4g}, {g:.4g}, {b:.4g} · output (3, 2) = ")
    assert hover_text(result, None, 5.2, 7.9) == f"input (7, 5) = {r:.4g}, {g:.4g}, {b:.4g}"
    assert hover_text(result, placement, -5, -5) == ""


def test_no_number_reads_minus_zero():
    """A flipped or scaled kernel holds -0.0 weights; a product of 0 by a negative weight is -0.0."""
    kernel = -np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]], np.float32)  # -0.0 at the corners and centre
    settings = LabSettings(kernel=kernel, bias=-0.0)
    explanation = explain_output(np.zeros((8, 8, 3), np.uint8), settings, 4, 4)
    texts = [text for row in tap_texts(explanation.conv) for text in row]
    lines = explanation_lines(4, 4, explanation)
    assert not any("-0" in text for text in texts + lines), texts + lines
    assert texts[0] == "0 × 0\n= 0" and lines[-1] == "output (4, 4) = 0"
    assert number(-0.0) == "0" and number(-0.0004, ".2f") == "0.00" and number(-0.5, ".0f") == "0"
    assert number(-1.5) == "-1.5" and kernels.format_weight(-0.0) == "0"
