"""A filter bank's kernels for display and its parameter count, written out."""

import numpy as np

from cnnexplorer.core.conv.filter_bank import as_layer, bank, kernels_for_display, layer_summary


def test_kernels_for_display_are_scaled_each_to_unit_peak():
    weights = as_layer(bank("random", count=5, size=4))
    shown = kernels_for_display(weights)
    assert shown.shape == (4, 4, 5)
    np.testing.assert_allclose(np.abs(shown).max(axis=(0, 1)), 1.0, rtol=1e-6)


def test_layer_summary():
    weights = as_layer(bank("edges"))
    text = layer_summary((480, 640), weights, (480, 640, 8))
    assert text.startswith("8 filters of 3×3 over 1 channel → 480×640×8 feature maps.")
    assert "conv 80 = 8·(3·3·1 + 1)" in text
    dense = 480 * 640 * 480 * 640 * 8 + 480 * 640 * 8
    assert f"{dense:,} ({dense / 80:.3g}× more)" in text
