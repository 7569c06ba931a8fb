"""The explorer's threads against the GUI thread: the knock-out sweep, a scene's model load and the
feed options, each driven into the moment where it once went wrong."""

import sys
from dataclasses import FrozenInstanceError

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from cnnexplorer.core.models import zoo  # noqa: E402
from cnnexplorer.core.models.preprocess import prepare  # noqa: E402

STILL_WAITING = "Wait for the knock-out sweep to finish, or stop it."


@pytest.fixture
def surgery(explorer, qtbot):
    """The explorer's surgery panel on MobileNetV2's first convolution."""
    explorer.tree.select("stem_conv")
    qtbot.waitUntil(lambda: explorer.last.paths == ("stem_conv",), timeout=30000)
    return explorer.surgery


def _answered(explorer) -> bool:
    """The explorer has computed the selected layer of the model on screen."""
    last = explorer.last
    return last is not None and last.model is explorer.session.model and last.paths == explorer.tapped_paths()


def test_undo_redo_and_reset_wait_for_a_running_sweep(explorer, surgery, qtbot):
    model = explorer.session.model.model
    surgery.filter_spin.setValue(3)
    surgery.knock_out()
    edited = model.get_weights()
    surgery.start_sweep()  # the sweep's end reaches this thread only through its event loop
    surgery.undo()
    surgery.reset_all()
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), edited))
    assert len(surgery.done) == 1 and surgery.status.text() == STILL_WAITING
    for name in ("Undo", "Reset all"):
        assert not surgery.buttons[name].isEnabled() and surgery.buttons[name].toolTip() == STILL_WAITING
    qtbot.waitUntil(lambda: surgery.sweeper is None, timeout=120000)
    assert surgery.buttons["Undo"].isEnabled() and surgery.buttons["Undo"].toolTip() == ""
    surgery.undo()
    assert surgery.done == [] and surgery.buttons["Redo"].isEnabled()


def test_a_sweep_whose_thread_runs_before_it_is_kept_still_ranks_every_filter(surgery, qtbot):
    held = []

    def hold_until_the_thread_ends(frame, event, thread):
        """The GUI thread, just as ``TaskRunner.start`` hands back the started thread, waits for it to end."""
        if event == "return" and frame.f_code.co_name == "start" and "workers" in frame.f_code.co_filename:
            sys.setprofile(None)
            assert thread.wait(120000)
            held.append(thread)

    sys.setprofile(hold_until_the_thread_ends)
    try:
        surgery.start_sweep()
    finally:
        sys.setprofile(None)
    assert held  # the thread had ended before the GUI thread went on
    qtbot.waitUntil(lambda: surgery.sweeper is None, timeout=30000)
    assert "failed" not in surgery.status.text()
    assert surgery.sweep_table.rowCount() == 32 and surgery.sweep_progress.value() == 32


def test_a_scene_whose_load_was_replaced_never_picks_layers_later(explorer, qtbot):
    explorer.load_zoo("mobilenet_v2")  # a load under way: the scene's load waits behind it…
    assert explorer.apply_scene({"model": "mini_inception", "layer": "inception_a_3x3"}) == []
    explorer.load_zoo("mobilenet_v2")  # …and a newer request replaces it
    qtbot.waitUntil(lambda: explorer.loader is None and _answered(explorer), timeout=60000)
    assert explorer.session.model.name == "mobilenet_v2"
    explorer.load_zoo("mini_inception")  # asked for by hand, later
    qtbot.waitUntil(lambda: explorer.session.model.name == "mini_inception" and _answered(explorer), timeout=60000)
    assert explorer.layer_path == "stem_conv"  # the model's first convolution, not the scene's layer


def test_a_scene_whose_load_failed_never_picks_layers_later(explorer, qtbot, monkeypatch):
    monkeypatch.setitem(zoo.ENTRIES, "tiny", zoo.ZooEntry("tiny", "Tiny", 224, "raw", "NoSuchNetwork"))
    assert explorer.apply_scene({"model": "tiny", "layer": "expanded_conv_project"}) == []
    qtbot.waitUntil(lambda: explorer.loader is None and "NoSuchNetwork" in explorer.banner.text(), timeout=60000)
    monkeypatch.setitem(zoo.ENTRIES, "tiny", zoo.ZooEntry("tiny", "Tiny", 224, "raw", "MobileNetV3Small"))
    explorer.load_zoo("tiny")  # the same name, loaded by hand once it can be
    qtbot.waitUntil(lambda: explorer.session.model.name == "tiny" and _answered(explorer), timeout=120000)
    assert explorer.layer_path == "conv"  # the model's first convolution, not the scene's layer


def test_the_feed_panel_replaces_the_feed_options_whole(explorer, qtbot):
    model = explorer.session.model
    read_by_a_worker = model.options  # what a forward pass under way goes on feeding with
    explorer.feed.mode.setCurrentIndex(explorer.feed.mode.findData("tf"))
    explorer.feed.fit.setCurrentIndex(explorer.feed.fit.findData("letterbox"))
    assert (read_by_a_worker.mode, read_by_a_worker.fit) == ("torch", "crop")
    assert (model.options.mode, model.options.fit, model.preprocessing) == ("tf", "letterbox", "tf")
    with pytest.raises(FrozenInstanceError):
        model.options.mode = "raw"
    rgb = explorer.frame.rgb  # the value read before the change still feeds as before it
    np.testing.assert_allclose(model.prepare(rgb, read_by_a_worker), prepare(rgb, 224, "torch"), rtol=1e-6)
    qtbot.waitUntil(lambda: _answered(explorer), timeout=30000)
