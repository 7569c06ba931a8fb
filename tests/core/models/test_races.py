"""The live forward pass against the GUI thread changing what it reads: each race is driven into its
worst moment by holding one real thread exactly there while the other acts."""

import sys
import threading
from dataclasses import replace

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from cnnexplorer.core.frames.frame import Frame  # noqa: E402
from cnnexplorer.core.models import zoo  # noqa: E402
from cnnexplorer.core.models.forward import FeedError, ForwardPass, ForwardRequest  # noqa: E402
from cnnexplorer.core.models.surgery import edit_kernel  # noqa: E402

RNG = np.random.default_rng(3)


class HoldAfter:
    """Holds the thread that runs :meth:`run` when function ``name`` (defined in a file whose path
    contains ``file_part``) first returns, until :attr:`go` is set: another thread acts meanwhile."""

    def __init__(self, name: str, file_part: str) -> None:
        self.name, self.file_part = name, file_part
        self.reached, self.go = threading.Event(), threading.Event()

    def run(self, call):
        sys.settrace(self._on_call)
        try:
            return call()
        finally:
            sys.settrace(None)

    def _on_call(self, frame, _event, _arg):
        code = frame.f_code
        if not self.reached.is_set() and code.co_name == self.name and self.file_part in code.co_filename:
            return self._in_function
        return None

    def _in_function(self, _frame, event, _arg):
        if event == "return" and not self.reached.is_set():
            self.reached.set()
            assert self.go.wait(60), "the test never let the held thread go on"
        return self._in_function


class Outcome:
    """What a call on its own thread returned or raised."""

    def __init__(self, call) -> None:
        self.value = self.error = None
        self.thread = threading.Thread(target=self._run, args=(call,), name="RaceTestCall")
        self.thread.start()

    def _run(self, call) -> None:
        try:
            self.value = call()
        except Exception as exc:  # noqa: BLE001 — the test looks at it
            self.error = exc


def _frame(size: int) -> Frame:
    return Frame(RNG.integers(0, 256, (size, size, 3), np.uint8), 1, 0.0, 0.0, "test")


def test_a_forward_pass_never_sees_a_kernel_without_its_new_bias():
    inputs = keras.Input((8, 8, 3))
    x = keras.layers.Conv2D(2, 3, padding="same", name="conv")(inputs)
    x = keras.layers.GlobalAveragePooling2D()(x)
    model = zoo.wrap(keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(x)))
    forward, request = ForwardPass(), ForwardRequest(_frame(8), model, ("conv",))
    forward(request)  # the first pass of a shape runs eagerly, the second traces: both before the race
    before = forward(request).outputs[0][..., 0]
    assert np.abs(before).max() > 0
    hold = HoldAfter("assign", "keras")  # the edit holds after writing its first variable: the kernel
    edit = Outcome(lambda: hold.run(lambda: edit_kernel(model.model, "conv", 0, np.zeros((3, 3, 3)), bias=5.0)))
    assert hold.reached.wait(60)
    seen = Outcome(lambda: forward(request))  # a frame arrives while the edit is half written
    seen.thread.join(timeout=2.0)  # a pass that waits for the whole edit is still waiting now
    hold.go.set()
    for call in (edit, seen):
        call.thread.join(60)
        assert call.error is None
    # The filter is now zero everywhere plus bias 5: exactly 5 after the edit; a kernel read without its
    # bias would give 0 everywhere.
    np.testing.assert_allclose(seen.value.outputs[0][..., 0], 5.0, atol=1e-5)


def test_a_class_map_never_sees_a_kernel_without_its_new_bias():
    from cnnexplorer.core.models.attribution import cam_runner

    inputs = keras.Input((8, 8, 3))
    x = keras.layers.Conv2D(2, 3, padding="same", name="conv")(inputs)
    x = keras.layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(x))
    runner, batch = cam_runner(model, "conv"), RNG.normal(0, 1, (1, 8, 8, 3)).astype(np.float32)
    for _ in range(2):  # the eager first call and the tracing second, both before the race
        runner(batch, [-1])
    hold = HoldAfter("assign", "keras")  # the edit holds after writing its first variable: the kernel
    edit = Outcome(lambda: hold.run(lambda: edit_kernel(model, "conv", 0, np.zeros((3, 3, 3)), bias=5.0)))
    assert hold.reached.wait(60)
    seen = Outcome(lambda: runner(batch, [-1]))  # a frame arrives while the edit is half written
    seen.thread.join(timeout=2.0)
    hold.go.set()
    for call in (edit, seen):
        call.thread.join(60)
        assert call.error is None
    np.testing.assert_allclose(seen.value[1][..., 0], 5.0, atol=1e-5)  # the tapped filter: zero kernel + bias 5


def test_a_refused_frame_is_explained_with_the_options_it_was_fed_with():
    inputs = keras.Input((None, None, 3))
    x = keras.layers.Conv2D(2, 3, padding="same", name="conv")(inputs)
    x = keras.layers.Reshape((32 * 32 * 2,))(x)  # takes 32×32 only
    model = zoo.wrap(keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(x)))
    model.options = replace(model.options, short_side=48)
    forward, request = ForwardPass(), ForwardRequest(_frame(64), model, ("conv",))
    hold = HoldAfter("prepare_input", "preprocess")  # the batch is made at 48×48…
    refused = Outcome(lambda: hold.run(lambda: forward(request)))
    assert hold.reached.wait(60)
    model.options = replace(model.options, short_side=32)  # …and the GUI changes the feed size meanwhile
    hold.go.set()
    refused.thread.join(60)
    assert isinstance(refused.error, FeedError)
    assert "short side at 48" in str(refused.error) and "at 32" not in str(refused.error)
    assert forward(request).outputs[0].shape == (32, 32, 2)  # the new size is tried, not refused with the old
