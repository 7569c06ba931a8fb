"""Toy problems come shuffled: any leading slice is a fair sample of both classes."""

import numpy as np
import pytest

from cnnexplorer.core.neurons.toy_data import PROBLEMS, make


@pytest.mark.parametrize("name", PROBLEMS)
@pytest.mark.parametrize("seed", range(8))
def test_the_first_40_points_hold_both_classes(name, seed):
    _, y = make(name, n=240, noise=0.35, seed=seed)
    assert set(np.unique(y[:40])) == {0.0, 1.0}


@pytest.mark.parametrize("name", ["circles", "spirals", "moons"])
def test_classes_are_balanced_and_seeded(name):
    x, y = make(name, n=201, seed=4)
    assert x.shape == (201, 2) and y.shape == (201, 1)
    assert int(y.sum()) == 100  # the first half of the points, before shuffling
    again_x, again_y = make(name, n=201, seed=4)
    np.testing.assert_array_equal(x, again_x)
    np.testing.assert_array_equal(y, again_y)
    assert not np.array_equal(make(name, n=201, seed=5)[0], x)


def test_unknown_problem_raises():
    with pytest.raises(ValueError, match="problem"):
        make("checkers")


@pytest.mark.parametrize("name", PROBLEMS)
def test_odd_counts_give_one_label_per_point(name):
    x, y = make(name, n=51, seed=0)
    assert x.shape == (51, 2) and y.shape == (51, 1)
