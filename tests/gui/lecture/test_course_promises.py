"""Every scene of the shipped course script keeps the promise of its title, on the panel on screen:
stepped with PageDown as a lecturer does, each scene is checked for what it says it shows."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from pytestqt.exceptions import TimeoutError as WaitTimedOut

from cnnexplorer.core.lecture.scenes import load_script
from cnnexplorer.gui.lecture.scene_dock import course_script_path

pytest.importorskip("keras")

CAT = {"Egyptian cat", "tiger cat", "tabby", "lynx"}


def _tab(tabs) -> str:
    return tabs.tabText(tabs.currentIndex())


def one_neuron(w, qtbot):
    n = w.neurons
    assert _tab(n.tabs) == "One neuron"
    assert "z =" in n.single.equation.text() and 0.0 < n.single.output_value < 1.0  # sigmoid of the sum


def mlp_xor(w, qtbot):
    n = w.neurons
    assert _tab(n.tabs) == "Small MLP" and n.mlp.problem.currentText().lower() == "xor"


def vanishing(w, qtbot):
    v = w.neurons.vanishing
    assert _tab(w.neurons.tabs) == "Vanishing gradients"
    assert v.activation.currentText() == "sigmoid" and v.depth.value() == 20
    assert v.norms[0] < v.norms[-1] / 100  # the first layers get almost no gradient


def dropout(w, qtbot):
    v = w.neurons.vanishing
    assert _tab(w.neurons.tabs) == "Vanishing gradients"
    v.dropout_button.click()  # what the lecturer presses
    qtbot.waitUntil(lambda: not v.dropout_button.isChecked(), timeout=120000)
    assert "dropout" in v.outcome.text().lower()
    finals = {name: validation.getData()[1][-1] for name, (_train, validation) in v.dropout_curves.items()}
    assert finals["with"] < finals["without"], finals  # dropout ends with the lower validation loss


def frame_as_numbers(w, qtbot):
    b = w.image_basics
    assert b.numbers.isChecked() and b.table.isVisible()

    def shows_the_pixel() -> bool:
        cy, cx = b.centre
        r, g, bl = (str(int(v)) for v in w.source.current.rgb[cy, cx])
        texts = [b.table.item(i, j).text() for i in range(b.table.rowCount())
                 for j in range(b.table.columnCount()) if b.table.item(i, j) is not None]
        return any(r in t and g in t and bl in t for t in texts)

    qtbot.waitUntil(shows_the_pixel, timeout=5000)


def one_bit(w, qtbot):
    assert len(np.unique(w.image_basics.shown)) == 2


def one_eighth(w, qtbot):
    b = w.image_basics
    assert b.shown.shape[0] * 8 == pytest.approx(w.source.current.rgb.shape[0], abs=8)
    view, full = b.view, w.source.current.rgb.shape
    # drawn at the full frame's size (view units are frame pixels), so the picture spans most of its
    # view and each of the 1/8 pixels is a block several screen pixels wide the room can see
    block = view.pixel_on_screen() * full[1] / b.shown.shape[1]
    assert block >= 3 and view.pixel_on_screen() * full[1] >= 0.6 * view.width(), (block, view.width())


def three_channels(w, qtbot):
    b = w.image_basics
    assert b.channels.isChecked() and all(label.isVisible() for label in b.channel_labels)


def graph(w, qtbot):
    e = w.explorer
    qtbot.waitUntil(lambda: e.session.model is not None and "mobilenet" in e.session.model.name.lower(),
                    timeout=120000)
    assert _tab(e.tabs) == "Graph"
    qtbot.waitUntil(lambda: len(e.graph.nodes) > 100, timeout=20000)


def sobel_on_stripes(w, qtbot):
    lab = w.conv_lab
    qtbot.waitUntil(lambda: lab.result is not None and w.source.spec == "pattern:stripes-0", timeout=10000)
    assert lab.result.output.std() > 50  # the vertical bars' edges light up: not a blank output


def stride_relu_pool(w, qtbot):
    lab = w.conv_lab
    qtbot.waitUntil(lambda: lab.result is not None and lab.settings.stride == (2, 2), timeout=10000)
    h, w_ = lab.result.input.shape[:2]
    assert lab.result.output.min() >= 0  # ReLU
    assert lab.result.output.shape[0] <= (h + 1) // 2 // 2 + 1 and lab.result.output.shape[1] <= (w_ + 1) // 2 // 2 + 1


def filter_bank(w, qtbot):
    bank = w.filter_bank
    qtbot.waitUntil(lambda: bank.maps is not None, timeout=20000)
    assert bank.maps.shape[2] >= 4 and "param" in bank.params.text().lower()


def pretrained(w, qtbot):
    e = w.explorer
    # the answer for this scene's frame: the previous scene's may still be on screen for a moment
    qtbot.waitUntil(lambda: e.last is not None and bool(e.last.top) and e.last.top[0][0] in CAT, timeout=60000)


def grad_cam(w, qtbot):
    a = w.attribution
    qtbot.waitUntil(lambda: a.last is not None and a.heat is not None, timeout=180000)
    assert a.method.currentText() == "gradcam" and a.last.top[0][0] in CAT
    heat = np.asarray(a.heat, np.float64)
    cols = heat.shape[1]
    assert heat[:, cols // 4: 3 * cols // 4].mean() > 2 * np.concatenate(
        [heat[:, : cols // 10], heat[:, 9 * cols // 10:]], axis=1).mean()  # on the cat, not the room


def transfer(w, qtbot):
    setup = w.training.setup
    assert setup.model_kind.currentData() == "transfer"


def original_beside_augmented(w, qtbot):
    lab = w.augment
    qtbot.waitUntil(lambda: lab.records is not None, timeout=60000)
    assert lab.compare.isChecked() and len(lab.images) >= 2
    assert not np.array_equal(lab.images[0], lab.images[1])


def randaugment(w, qtbot):
    lab = w.augment
    assert [s.op for s in lab.augmenter.steps] == ["randaugment"]
    qtbot.waitUntil(lambda: lab.records is not None and all(
        ops and ops[0].startswith("randaugment") for ops in lab.records), timeout=60000)


def with_and_without_augmentation(w, qtbot):
    tab = w.training
    assert tab.augmenter is not None and tab.augmenter.name == "light" and not tab.setup.augment.isChecked()


def mini_inception(w, qtbot):
    e = w.explorer
    qtbot.waitUntil(lambda: e.session.model is not None and any(
        type(layer).__name__ == "Concatenate" for layer in e.session.model.model.layers), timeout=120000)


def inception_module(w, qtbot):
    table = w.inception.table
    qtbot.waitUntil(lambda: table.rowCount() >= 4, timeout=60000)
    rows = [table.item(r, 0).text().lower() for r in range(table.rowCount()) if table.item(r, 0)]
    headers = [table.horizontalHeaderItem(c).text().lower() for c in range(table.columnCount())]
    assert any("total" in r for r in rows) and any("without" in h for h in headers)


PROMISES = {
    "§1 One neuron": one_neuron, "§1 A small MLP": mlp_xor, "§1 Vanishing": vanishing, "§1 Dropout": dropout,
    "§2 The frame as numbers": frame_as_numbers, "§2 Bit depth": one_bit, "§2 Resolution": one_eighth,
    "§2 Three channels": three_channels, "§3 A model is a graph": graph, "§4 A kernel slides": sobel_on_stripes,
    "§4 Stride 2": stride_relu_pool, "§4 A filter bank": filter_bank, "§5 A pretrained": pretrained,
    "§5 Grad-CAM": grad_cam, "§5 Transfer": transfer, "§6 Augmentation": original_beside_augmented,
    "§6 RandAugment": randaugment, "§6 Training without": with_and_without_augmentation,
    "§7 Mini Inception": mini_inception, "§7 The Inception module": inception_module,
}


def test_every_scene_of_the_course_script_keeps_its_promise(window, qtbot):
    script, skipped = load_script(course_script_path())
    assert skipped == []
    checks = {scene.title: next((check for prefix, check in PROMISES.items() if scene.title.startswith(prefix)), None)
              for scene in script.scenes}
    assert [title for title, check in checks.items() if check is None] == []  # every scene has its promise
    window.keras.start()
    assert window.scene_list.open_file(course_script_path()) == []
    broken = {}
    for row, scene in enumerate(script.scenes):
        if row:
            qtbot.keyClick(window, Qt.Key.Key_PageDown)
        assert window.scene_list.list.currentRow() == row
        dock = window.panels[scene.panel]
        qtbot.waitUntil(lambda: dock.isVisible() and not dock.visibleRegion().isEmpty(), timeout=5000)
        spec = scene.source.get("spec")
        if spec:  # the scene's picture has arrived, as the room sees it
            qtbot.waitUntil(lambda: window.source.spec == spec and window.source.current is not None, timeout=10000)

        assert window.current_panel() is dock  # the scene's panel is the one on stage
        try:
            checks[scene.title](window, qtbot)
        except (AssertionError, WaitTimedOut) as exc:  # noqa: PERF203 - every broken promise, not the first
            broken[scene.title] = f"{type(exc).__name__}: {str(exc)[:300]}"
    qtbot.waitUntil(lambda: window.explorer.loader is None and window.keras.state != "loading", timeout=120000)
    assert broken == {}
