"""Surgery from the explorer on the bundled MobileNetV2: edit, knock out, undo, sweep, save a copy."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from cnnexplorer.core.i18n import tr  # noqa: E402
from cnnexplorer.core.models.surgery import folded_kernel  # noqa: E402
from cnnexplorer.core.models.taps import activations  # noqa: E402

STOP_SLACK_FILTERS = 50  # filters a sweep may still finish after Stop is pressed (~1 s here)
SOBEL = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], np.float32)


@pytest.fixture
def explorer(explorer, qtbot):
    """The explorer on its Surgery tab with MobileNetV2's first convolution selected."""
    dock = explorer
    dock.tree.select("stem_conv")
    qtbot.waitUntil(lambda: dock.last.paths == ("stem_conv",), timeout=30000)
    dock.tabs.setCurrentWidget(dock.surgery_tab)
    return dock


def _next_inference(explorer, qtbot):
    before = explorer.last
    qtbot.waitUntil(lambda: explorer.last is not before, timeout=30000)
    return explorer.last


def test_an_edited_filter_shows_on_the_next_frame_and_undoes(explorer, qtbot):
    panel = explorer.surgery
    model = explorer.session.model.model
    original = model.get_weights()
    assert "folded with BN (stem_conv_bn)" in panel.layer_info.text()
    assert [panel.channel.itemText(i) for i in range(1, 4)] == ["input channel R", "input channel G", "input channel B"]
    panel.filter_spin.setValue(7)
    panel.channel.setCurrentIndex(0)  # every input channel
    panel.editor.set_kernel(SOBEL)
    np.testing.assert_allclose(folded_kernel(model, "stem_conv", 7).kernel, np.repeat(SOBEL[:, :, None], 3, 2),
                               rtol=1e-5, atol=1e-6)
    assert explorer.edited_badge.isVisibleTo(explorer) and explorer.edited_badge.text() == "edited (1)"
    shown = _next_inference(explorer, qtbot).outputs[0]
    expected = activations(model, "stem_conv", explorer.frame.rgb, preprocessing="torch")
    np.testing.assert_allclose(shown, expected, rtol=1e-4, atol=1e-4)
    panel.undo()
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), original))
    assert not explorer.edited_badge.isVisibleTo(explorer)
    panel.redo()
    assert explorer.edited_badge.text() == "edited (1)"
    panel.buttons["Reset all"].click()
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), original))


def test_knock_out_moves_a_pinned_class(explorer, qtbot):
    panel = explorer.surgery
    top = explorer.predictions.texts()[0]
    panel.pins.pin_combo.setCurrentText(top)
    panel.pins.pin_button.click()
    explorer.tree.select("head_conv")
    qtbot.waitUntil(lambda: explorer.last.paths == ("head_conv",) and panel.pins.logits is not None, timeout=30000)
    assert panel.pins.pinned_label.text().startswith(top) and "logit" in panel.pins.pinned_label.text()
    panel.filter_spin.setValue(3)
    panel.buttons["Knock out"].click()
    _next_inference(explorer, qtbot)
    assert "Δ logit" in panel.pins.pinned_label.text()
    assert np.abs(explorer.last.outputs[0][..., 3]).max() == 0.0  # the knocked-out filter gives nothing


def test_knock_out_sweep_ranks_filters_and_a_row_picks_one(explorer, qtbot):
    panel = explorer.surgery
    panel.sweep_button.click()
    qtbot.waitUntil(lambda: panel.sweeper is None, timeout=120000)
    assert panel.sweep_table.rowCount() == 32
    drops = [float(panel.sweep_table.item(r, 1).text()) for r in range(32)]
    assert drops == sorted(drops, reverse=True)
    first = int(panel.sweep_table.item(0, 0).text())
    panel.sweep_table.cellClicked.emit(0, 0)
    assert panel.filter_spin.value() == first


def test_stop_ends_a_sweep_within_a_few_filters_and_ranks_those_done(explorer, qtbot):
    panel = explorer.surgery
    explorer.tree.select("head_conv")  # 1280 filters: a sweep long enough to stop part-way
    qtbot.waitUntil(lambda: explorer.last.paths == ("head_conv",), timeout=30000)
    panel.sweep_button.click()
    full = panel.sweep_progress.maximum()
    assert full == 1280
    qtbot.waitUntil(lambda: panel.sweep_progress.value() >= 3, timeout=60000)  # under way
    done_at_stop = panel.sweep_progress.value()
    panel.stop_button.click()
    qtbot.waitUntil(lambda: panel.sweeper is None, timeout=120000)
    rows = panel.sweep_table.rowCount()
    # Stop lands within a few filters (the one in hand, and those done while the press travelled),
    # not after the rest of the layer.
    assert done_at_stop <= rows <= done_at_stop + STOP_SLACK_FILTERS < full
    drops = [float(panel.sweep_table.item(r, 1).text()) for r in range(rows)]
    assert drops == sorted(drops, reverse=True)


def test_save_as_writes_only_new_files_and_layers_without_kernels_say_so(explorer, qtbot, tmp_path):
    panel = explorer.surgery
    panel.knock_out()
    target = tmp_path / "edited.keras"
    assert panel.save_as(str(target)) and target.is_file() and (tmp_path / "edited.json").is_file()
    size = target.stat().st_size
    assert not panel.save_as(str(target)) and "already exists" in panel.status.text()
    assert target.stat().st_size == size
    explorer.tree.select("global_pool")
    assert "no kernel" in panel.layer_info.text() and not panel.buttons["Knock out"].isEnabled()


def test_the_labs_kernel_goes_into_the_filter(explorer, window, qtbot):
    window.conv_lab.editor.set_kernel(SOBEL)
    panel = explorer.surgery
    panel.filter_spin.setValue(3)
    panel.channel.setCurrentIndex(0)  # every input channel
    panel.buttons["Lab's kernel"].click()
    np.testing.assert_allclose(folded_kernel(explorer.session.model.model, "stem_conv", 3).kernel,
                               np.repeat(SOBEL[:, :, None], 3, 2), rtol=1e-5, atol=1e-6)
    panel.reset_all()


def test_the_surgery_columns_stack_in_a_narrow_tab_and_nothing_is_cut_sideways(qtbot):
    from PySide6.QtWidgets import QBoxLayout

    from cnnexplorer.gui.models.surgery_panel import SurgeryPanel
    from cnnexplorer.gui.models.surgery_scroll import SurgeryScroll

    panel = SurgeryPanel()
    scroll = SurgeryScroll(panel)
    qtbot.addWidget(scroll)
    scroll.show()
    for width, direction in ((1400, QBoxLayout.Direction.LeftToRight), (560, QBoxLayout.Direction.TopToBottom)):
        scroll.resize(width, 600)
        qtbot.waitUntil(lambda d=direction: panel.layout().direction() == d)
        qtbot.waitUntil(lambda: panel.width() <= scroll.viewport().width())


def test_the_classes_to_pin_and_the_pinned_ones_speak_the_users_language(explorer, qtbot):
    from cnnexplorer.core.models.zoo import shown_class_name
    from cnnexplorer.gui.common.language import switch_language

    panel = explorer.surgery
    tabby = explorer.session.model.class_names.index("tabby")
    panel.pins.pin_combo.setCurrentIndex(tabby)
    panel.pins.pin_button.click()
    qtbot.waitUntil(lambda: panel.pins.pinned_label.text().startswith("tabby:"), timeout=30000)
    switch_language(explorer.window(), "ko")
    korean = shown_class_name("tabby")
    assert korean != "tabby" and panel.pins.pin_combo.currentText() == korean  # the same class, by its Korean name
    assert panel.pins.pin_combo.itemText(0) == shown_class_name("tench")
    assert panel.pins.pinned_label.text().startswith(f"{korean}:")


def test_the_sweep_names_each_top_class_in_the_users_language(qtbot):
    from cnnexplorer.core.models.surgery import KnockOut
    from cnnexplorer.core.models.zoo import shown_class_name
    from cnnexplorer.gui.common.language import switch_language
    from cnnexplorer.gui.models.knockout_sweep import KnockOutSweep

    sweep = KnockOutSweep()
    qtbot.addWidget(sweep)
    sweep.show_rows([KnockOut(4, 0.5, 0), KnockOut(9, 0.2, 7)], ["tench", "goldfish"])
    tops = lambda: [sweep.table.item(r, 2).text() for r in range(2)]  # noqa: E731
    assert tops() == ["tench", "class 7"]  # a class past the model's names by its number
    switch_language(sweep, "ko")
    assert tops() == [shown_class_name("tench"), tr("class {index}", index=7)] and tops()[0] != "tench"
