import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

pytest.importorskip("keras")

from cnnexplorer.core.augment.pipeline import Augmenter, Step, preset  # noqa: E402


@pytest.fixture
def lab(window, qtbot):
    window.source.set_source("sample:coffee")
    window.keras.start()
    qtbot.waitUntil(lambda: window.keras.state == "ready", timeout=120000)
    dock = window.augment
    dock.show()
    dock.raise_()
    qtbot.waitUntil(lambda: len(dock.images) == 16, timeout=60000)
    return dock


def click_tile(qtbot, lab, index: int) -> None:
    """A real mouse click in the middle of tile ``index`` of the grid on screen."""
    grid = lab.view.grid
    top, left = grid.origin(index)
    scene = lab.view.box.mapViewToScene(QPointF(left + grid.tile_w / 2, top + grid.tile_h / 2))
    qtbot.mouseClick(lab.view.viewport(), Qt.MouseButton.LeftButton, pos=lab.view.mapFromScene(scene))


def test_grid_follows_the_pipeline_and_the_seed(lab, qtbot):
    first = lab.images
    lab.seed.setValue(lab.seed.value() + 1)
    qtbot.waitUntil(lambda: f"seed {lab.seed.value()} ·" in lab.status.text(), timeout=60000)
    assert any(not np.array_equal(a, b) for a, b in zip(first, lab.images))
    lab.set_augmenter(Augmenter([Step("flip_horizontal")], "flip"))
    qtbot.waitUntil(lambda: lab.table.rowCount() == 1 and all(
        np.array_equal(img, lab.images[0]) for img in lab.images), timeout=60000)
    lab.table.cellWidget(0, 3).setValue(0.0)  # probability 0: the original, untouched
    qtbot.waitUntil(lambda: lab.augmenter.steps[0].probability == 0.0, timeout=5000)
    lab.compare.setChecked(True)
    assert lab.view.grid.cols == 8


def test_clicking_a_tile_explains_it_while_live_frames_stream(window, lab, qtbot, video_file):
    """Frames keep coming (a looping video, as from a camera) and each grid takes longer than a frame
    (RandAugment), so a request queued by the click would be overwritten by the next frame's: the
    click shows the explanation that came with the grid on screen, at once."""
    lab.set_augmenter(Augmenter([Step("randaugment", 9, 1.0, num_ops=3), Step("invert", probability=0.5)], "slow"))
    grids = []
    window.source.frame_changed.connect(lambda frame: grids.append(lab.shown))
    window.source.set_source(str(video_file))
    qtbot.waitUntil(lambda: len({id(g) for g in grids if g is not None}) >= 4, timeout=60000)
    click_tile(qtbot, lab, 2)
    ops = lab.records[2]
    assert lab.explanation.text() == "tile 3: " + ("; ".join(ops) if ops else "no operation applied (original)")
    seen = len(grids)
    qtbot.waitUntil(lambda: len(grids) >= seen + 10, timeout=10000)
    assert lab.explanation.text().startswith("tile 3: randaugment m=9: ")  # still explained, newest grid


def test_worker_belongs_to_the_dock(lab):
    assert lab.worker.parent() is lab and lab.worker.isRunning()


def test_no_worker_before_the_first_grid(window):
    assert window.augment.worker.parent() is window.augment and not window.augment.worker.isRunning()


def test_use_in_training_hands_over_the_same_pipeline(lab, window):
    lab.use_button.click()
    assert window.training.augmenter is lab.augmenter
    assert window.training.setup.augment.isChecked() and "light" in window.training.setup.augment.text()


def test_bad_saved_name_is_refused(lab):
    lab.save_as("../../escape")
    assert "cannot be a name" in lab.status.text()
    lab.save_as("class demo")
    assert lab.saved_combo.currentText() == "class demo"


def test_a_hidden_lab_makes_no_grid_until_it_is_shown(lab, window, qtbot):
    qtbot.waitUntil(lab.worker.idle, timeout=60000)
    front = next(d for d in window.tabifiedDockWidgets(lab) if d.isVisible())
    front.raise_()
    qtbot.waitUntil(lambda: not lab.on_screen(), timeout=5000)
    shown = lab.results_shown
    lab.set_augmenter(Augmenter([Step("flip_vertical")], "flip"))
    lab.seed.setValue(lab.seed.value() + 1)
    qtbot.wait(200)
    assert lab.worker.idle() and lab.results_shown == shown
    lab.raise_()
    qtbot.waitUntil(lambda: lab.results_shown > shown and lab.status.text().startswith("1 steps"), timeout=60000)


def _course_scene(title: str):
    from cnnexplorer.core.infra.resources import resource
    from cnnexplorer.core.lecture.scenes import load_script

    script, _ = load_script(resource("lectures", "course.json"))
    return next(scene for scene in script.scenes if scene.title == title)


def test_randaugment_scene_shows_randaugment_tiles(lab, qtbot):
    """Course scene 14 names the RandAugment preset: the grid must come from RandAugment, not from
    the pipeline that was on screen before (the light preset)."""
    scene = _course_scene("§6 RandAugment")
    assert "pipeline" not in scene.state  # it names the preset only
    assert lab.apply_scene(scene.state) == []
    assert lab.augmenter.name == "RandAugment (N=2, M=9)"
    assert [s.op for s in lab.augmenter.steps] == ["randaugment"]
    assert lab.table.cellWidget(0, 1).currentText() == "randaugment"
    qtbot.waitUntil(lambda: lab.records is not None and lab.shown.seed == 1 and all(
        ops and ops[0].startswith("randaugment m=9") for ops in lab.records), timeout=60000)
    click_tile(qtbot, lab, 0)
    assert lab.explanation.text().startswith("tile 1: randaugment m=9: ")


def test_a_scene_naming_the_shown_preset_still_resets_an_edited_pipeline(lab):
    lab.preset_combo.setCurrentText("heavy")
    lab.set_augmenter(Augmenter([Step("invert")], "edited"))
    assert lab.apply_scene({"inputs": {"preset_combo": "heavy"}}) == []
    assert lab.augmenter.name == "heavy" and len(lab.augmenter.steps) == 8


def test_choosing_a_preset_loads_it(lab):
    index = lab.preset_combo.findText("medical (no flips)")
    lab.preset_combo.setCurrentIndex(index)
    lab.preset_combo.activated.emit(index)  # as a click on the item does
    assert lab.augmenter.name == "medical (no flips)" and lab.table.rowCount() == 4


def test_scene_pipeline_wins_over_its_preset(lab):
    state = {"inputs": {"preset_combo": "light"}, "pipeline": Augmenter([Step("invert")], "mine").to_dict()}
    assert lab.apply_scene(state) == []
    assert lab.augmenter.name == "mine" and lab.table.rowCount() == 1


def test_the_pipeline_strip_shows_every_step_whole_at_presenter_type(lab, qtbot):
    """Operation names were cut to "flip_" and "rota", and "Load preset" to "Load pres", at ×1.5/×2."""
    from cnnexplorer.gui.shell.presenter_look import PresenterLook
    from cnnexplorer.gui.shell.stage_audit import clipped_texts

    lab.set_augmenter(preset("heavy"))
    look = PresenterLook()
    look.apply(lab, 2.0)
    try:
        lab.strip.set_folded(False)
        qtbot.waitUntil(lambda: lab.strip.content.isVisible())
        qtbot.waitUntil(lambda: lab.strip.width() >= lab.strip.sizeHint().width(), timeout=5000)
        names = [lab.table.cellWidget(row, 1) for row in range(lab.table.rowCount())]
        assert names[0].currentText() == "flip_horizontal" and names[0].font().pixelSize() >= 26
        assert clipped_texts(lab.strip) == []
    finally:
        look.restore()
