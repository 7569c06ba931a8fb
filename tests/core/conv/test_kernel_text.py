"""Typed weights, resizing the grid, and which kernels give zero-centred outputs."""

import numpy as np
import pytest

from cnnexplorer.core.conv import kernels


@pytest.mark.parametrize("text, value", [("2", 2.0), (" -0.5 ", -0.5), ("0,25", 0.25), ("1/9", 1 / 9),
                                         ("-3/4", -0.75), ("1e-3", 0.001)])
def test_parse_weight(text, value):
    assert kernels.parse_weight(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["nan", "inf", "-inf", "abc", "1/0", "0/0", "", "1/x", "1e400"])
def test_parse_weight_refuses_non_finite_and_words(text):
    with pytest.raises(ValueError):
        kernels.parse_weight(text)


def test_format_weight():
    assert [kernels.format_weight(v) for v in (2.0, 1 / 9, -12345.678, 0.0)] == ["2", "0.1111", "-1.235e+04", "0"]


def test_resized_keeps_the_weights_centred():
    sharpen = kernels.preset("sharpen")
    bigger = kernels.resized(sharpen, 5, 7)
    assert bigger.shape == (5, 7) and bigger.dtype == np.float32
    np.testing.assert_array_equal(bigger[1:4, 2:5], sharpen)
    assert bigger.sum() == sharpen.sum()
    np.testing.assert_array_equal(kernels.resized(bigger, 3, 3), sharpen)
    np.testing.assert_array_equal(kernels.resized(sharpen, 1, 1), [[5.0]])


@pytest.mark.parametrize("name, centred", [("sobel x", True), ("laplacian", True), ("gaussian", False),
                                           ("sharpen", False), ("identity", False)])
def test_zero_centred(name, centred):
    assert kernels.zero_centred(kernels.preset(name)) is centred


def test_a_kernel_is_named_by_the_preset_it_equals():
    assert kernels.preset_named(kernels.preset("sobel x")) == "sobel x"
    assert kernels.preset_named(kernels.preset("sobel x") * 2) is None
    assert kernels.preset_named(np.ones((2, 2), np.float32)) is None
