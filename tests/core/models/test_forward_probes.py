"""Tapping models are kept with their model: a layer tapped before, even by another panel's forward
pass, answers with its traced graph on the first frame; only the layers used last stay, and a model
let go frees its tapping models and their graphs."""

import gc
import weakref

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from cnnexplorer.core.frames.frame import Frame  # noqa: E402
from cnnexplorer.core.models import per_model, zoo  # noqa: E402
from cnnexplorer.core.models.forward import KEPT_PROBES, ForwardPass, ForwardRequest  # noqa: E402
from cnnexplorer.core.models.taps import ProbeRunner  # noqa: E402
from tests.core.models.attribution_models import tiny_classifier  # noqa: E402

FRAME = Frame(np.random.default_rng(0).integers(0, 256, (16, 16, 3), np.uint8), 1, 0.0, 0.0, "test")


@pytest.fixture
def eager_calls(monkeypatch):
    """Every call of a tapping model, as ``eager`` says it ran (the real call goes on)."""
    calls = []
    call = ProbeRunner.__call__

    def noted(self, batch, eager=False):
        calls.append(eager)
        return call(self, batch, eager)

    monkeypatch.setattr(ProbeRunner, "__call__", noted)
    return calls


def test_a_second_forward_pass_on_a_traced_layer_skips_the_eager_pass(eager_calls):
    model = zoo.wrap(tiny_classifier())
    request = ForwardRequest(FRAME, model, ("conv2",))
    first = ForwardPass()
    answers = [first(request) for _ in range(3)]
    assert eager_calls == [True, False, False]  # eager, then traced, then the graph
    eager_calls.clear()
    again = ForwardPass()(request)  # another panel's pass, or the same panel back on the layer
    assert eager_calls == [False]
    np.testing.assert_allclose(again.outputs[0], answers[-1].outputs[0], rtol=1e-6)
    np.testing.assert_allclose(answers[0].outputs[0], answers[-1].outputs[0], rtol=1e-5, atol=1e-6)


def test_only_the_layers_tapped_last_are_kept(eager_calls):
    model = zoo.wrap(tiny_classifier())
    forward = ForwardPass()
    layers = ["conv1", "conv2", "relu", "pool", "predictions"]
    taps = [(a,) for a in layers] + [(a, b) for a, b in zip(layers, layers[1:])]  # nine sets of layers
    assert len(taps) > KEPT_PROBES
    for paths in taps:
        forward(ForwardRequest(FRAME, model, paths))
    probes = [key for key in per_model._cache[model.model] if key[0] == "probe"]
    assert probes == [("probe", paths) for paths in taps[-KEPT_PROBES:]]
    eager_calls.clear()
    forward(ForwardRequest(FRAME, model, taps[0]))  # built again: its first pass is eager again
    assert eager_calls == [True]


def test_a_model_let_go_frees_its_tapping_models():
    model = zoo.wrap(tiny_classifier())
    forward = ForwardPass()
    for _ in range(2):  # eager, then traced: a graph is kept
        forward(ForwardRequest(FRAME, model, ("conv2",)))
    assert ("probe", ("conv2",)) in per_model._cache[model.model]
    alive = weakref.ref(model.model)
    forward(None)
    del model
    gc.collect()
    assert alive() is None
