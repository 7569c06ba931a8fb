"""Tapping models are kept with their model: a layer tapped before, even by another panel's forward
pass, answers with its traced graph on the first frame, under the weights' lock; only the layers
used last stay, and a model let go frees its tapping models and their graphs."""

import gc
import weakref

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from cnnexplorer.core.frames.frame import Frame  # noqa: E402
from cnnexplorer.core.models import per_model, zoo  # noqa: E402
from cnnexplorer.core.models.forward import KEPT_PROBES, ForwardPass, ForwardRequest  # noqa: E402
from cnnexplorer.core.models.surgery import weights_lock  # noqa: E402
from cnnexplorer.core.models.taps import ProbeRunner  # noqa: E402
from tests.core.models.attribution_models import tiny_classifier  # noqa: E402

FRAME = Frame(np.random.default_rng(0).integers(0, 256, (16, 16, 3), np.uint8), 1, 0.0, 0.0, "test")


@pytest.fixture
def runner_calls(monkeypatch):
    """``runner_calls(model)``: every call of a tapping model from now on, as (eager, whether the
    pass holds ``model``'s weights lock); the real call goes on."""
    def watch(model) -> list[tuple[bool, bool]]:
        calls = []
        call = ProbeRunner.__call__

        def noted(self, batch, eager=False):
            calls.append((eager, weights_lock(model.model).locked()))
            return call(self, batch, eager)

        monkeypatch.setattr(ProbeRunner, "__call__", noted)
        return calls

    return watch


def test_a_second_forward_pass_on_a_traced_layer_skips_the_eager_pass(runner_calls):
    model = zoo.wrap(tiny_classifier())
    calls = runner_calls(model)
    request = ForwardRequest(FRAME, model, ("conv2",))
    first = ForwardPass()
    answers = [first(request) for _ in range(3)]
    # eager, then traced (both without the weights' lock: an edit never waits seconds), then the graph
    assert calls == [(True, False), (False, False), (False, True)]
    calls.clear()
    again = ForwardPass()(request)  # another panel's pass, or the same panel back on the layer
    assert calls == [(False, True)]  # the graph at once, under the lock an edit waits for
    np.testing.assert_allclose(again.outputs[0], answers[-1].outputs[0], rtol=1e-6)
    np.testing.assert_allclose(answers[0].outputs[0], answers[-1].outputs[0], rtol=1e-5, atol=1e-6)


def test_the_layers_used_last_are_kept(runner_calls):
    model = zoo.wrap(tiny_classifier())
    calls = runner_calls(model)
    forward = ForwardPass()
    layers = ["conv1", "conv2", "relu", "pool", "predictions"]
    taps = ([(a,) for a in layers] + [(a, b) for a, b in zip(layers, layers[1:])])[:KEPT_PROBES + 1]
    assert len(taps) == KEPT_PROBES + 1
    for paths in taps[:KEPT_PROBES] + [taps[0], taps[KEPT_PROBES]]:  # the first used again before the last
        forward(ForwardRequest(FRAME, model, paths))
    probes = [key[1] for key in per_model._cache[model.model] if key[0] == "probe"]
    assert len(probes) == KEPT_PROBES and taps[0] in probes and taps[1] not in probes  # the least recently used went
    calls.clear()
    forward(ForwardRequest(FRAME, model, taps[1]))  # built again: its first pass is eager again
    assert [eager for eager, _ in calls] == [True]


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
