"""The activation functions shared by the neurons and the convolution lab."""

import numpy as np
import pytest

from cnnexplorer.core.conv.lab import LabSettings, run_lab
from cnnexplorer.core.neurons.activation_functions import ACTIVATION_FUNCTIONS, activate, derivative

Z = np.array([-30.0, -2.5, -0.5, 0.0, 0.5, 2.5, 30.0])


def test_values():
    np.testing.assert_allclose(activate(Z, "sigmoid"), 1 / (1 + np.exp(-Z)), rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(activate(Z, "relu"), np.maximum(Z, 0))
    np.testing.assert_array_equal(activate(Z, "step"), (Z >= 0).astype(float))
    np.testing.assert_array_equal(activate(Z, "abs"), np.abs(Z))
    np.testing.assert_array_equal(activate(Z, "tanh"), np.tanh(Z))
    assert activate(Z, "linear") is Z and activate(Z, "none") is Z


@pytest.mark.parametrize("name", ACTIVATION_FUNCTIONS)
def test_float32_stays_float32(name):
    assert activate(Z.astype(np.float32), name).dtype == np.float32


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "linear", "abs", "step"])
def test_derivative_equals_finite_differences(name):
    z = np.array([-2.0, -0.7, 0.3, 1.1, 2.4])  # away from the kinks at 0
    eps = 1e-6
    numeric = (activate(z + eps, name) - activate(z - eps, name)) / (2 * eps)
    np.testing.assert_allclose(derivative(z, activate(z, name), name), numeric, rtol=1e-6, atol=1e-9)


def test_unknown_name_raises():
    with pytest.raises(ValueError, match="softplus"):
        activate(Z, "softplus")
    with pytest.raises(ValueError, match="softplus"):
        derivative(Z, Z, "softplus")


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh", "abs"])
def test_the_conv_lab_applies_the_same_functions(name):
    rgb = np.random.default_rng(0).integers(0, 256, (12, 16, 3), dtype=np.uint8)
    result = run_lab(rgb, LabSettings(activation=name, bias=-300.0))
    assert result.activated.dtype == np.float32
    np.testing.assert_array_equal(result.activated, activate(result.conv, name))
