import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from cnnexplorer.core.conv import kernels
from cnnexplorer.core.frames import patterns
from cnnexplorer.core.conv.ops import conv2d
from cnnexplorer.core.conv.lab import run_lab
from cnnexplorer.gui.conv.lab_dock import ConvLabDock


def on_circles(window, lab, qtbot):
    window.source.set_source("pattern:circles")
    qtbot.waitUntil(lambda: lab.result is not None, timeout=5000)
    return lab


@pytest.fixture
def lab(lone_dock, qtbot):
    """The lab by itself: it needs only a frame source."""
    window = lone_dock(ConvLabDock)
    return on_circles(window, window.dock, qtbot)


@pytest.fixture
def lab_in_window(window, qtbot):
    """The lab where a hall sees it: in the main window, beside the other panels, under its status bar."""
    return on_circles(window, window.conv_lab, qtbot)


def set_cell(qtbot, lab, row, col, text):
    table = lab.editor.table
    table.setCurrentCell(row, col)
    table.editItem(table.item(row, col))
    editor = table.viewport().focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_typing_a_weight_updates_the_output(lab, qtbot):
    lab.editor.preset_combo.setCurrentText("identity")
    lab.editor.load_preset()
    qtbot.waitUntil(lambda: lab.settings.kernel[1, 1] == 1 and lab.settings.kernel.sum() == 1, timeout=3000)
    set_cell(qtbot, lab, 1, 1, "2")
    qtbot.waitUntil(lambda: lab.settings.kernel[1, 1] == 2, timeout=3000)
    gray = lab.result.input.astype(np.float32)
    np.testing.assert_allclose(lab.result.output, 2 * gray, atol=1e-3)
    assert lab.editor.table.item(1, 1).text() == "2"


@pytest.mark.parametrize("bad", ["nan", "inf", "abc", "1/0"])
def test_non_finite_or_text_is_refused_with_a_hint(lab, qtbot, bad):
    before = lab.editor.kernel()
    set_cell(qtbot, lab, 0, 0, bad)
    qtbot.waitUntil(lambda: "not a finite number" in lab.editor.hint.text(), timeout=3000)
    np.testing.assert_array_equal(lab.editor.kernel(), before)
    assert lab.editor.table.item(0, 0).text() == f"{before[0, 0]:.4g}"


def test_fraction_is_accepted(lab, qtbot):
    set_cell(qtbot, lab, 0, 0, "1/4")
    qtbot.waitUntil(lambda: lab.editor.kernel()[0, 0] == 0.25, timeout=3000)


def test_explainer_sum_equals_clicked_output(lab, qtbot):
    lab.controls.stride_y.setValue(2)
    lab.controls.dilation_x.setValue(2)
    lab.controls.bias.setValue(1.5)
    qtbot.waitUntil(lambda: lab.settings.stride == (2, 1) and lab.settings.bias == 1.5, timeout=3000)
    oy, ox = 60, 200
    lab.explain(oy, ox)
    explained = lab.last_explanation
    assert explained.value == pytest.approx(float(lab.result.output[oy, ox]), rel=1e-5)
    assert explained.conv.total + 1.5 == pytest.approx(float(lab.result.output[oy, ox]), rel=1e-5, abs=1e-3)
    assert f"output ({oy}, {ox}) = " in lab.explainer.sum_label.text()
    lab.setFocus()
    qtbot.keyClick(lab, Qt.Key.Key_Right)
    assert lab.explainer.pixel == (oy, ox + 1)


def test_explainer_through_rgb_and_max_pool(lab, qtbot):
    lab.controls.channels.setCurrentIndex(lab.controls.channels.findData("rgb"))
    lab.controls.pool.setCurrentText("max")
    qtbot.waitUntil(lambda: lab.result.pooled is not None and lab.result.output.ndim == 3, timeout=3000)
    lab.explainer.channel.setCurrentIndex(2)
    lab.explain(40, 50)
    explained = lab.last_explanation
    assert explained.value == pytest.approx(float(lab.result.output[40, 50, 2]))
    assert explained.activated == pytest.approx(explained.value)
    assert explained.pool_values.max() == pytest.approx(explained.value)


def test_stride_and_padding_update_the_shapes(lab, qtbot):
    assert "input 480×640 → conv 480×640" in lab.formula.text()
    lab.controls.stride_x.setValue(3)
    lab.controls.padding.setCurrentText("valid")
    qtbot.waitUntil(lambda: "conv 478×213" in lab.formula.text(), timeout=3000)
    assert "⌊(640 + 2·0 − 3)/3⌋ + 1 = 213" in lab.formula.text()
    lab.controls.pool.setCurrentText("avg")
    qtbot.waitUntil(lambda: "pool 239×106" in lab.formula.text(), timeout=3000)


def test_kernel_larger_than_input_is_explained_not_crashed(lab, qtbot):
    lab.window().source.set_source("pattern:text")  # any frame; make the kernel huge relative to a padded crop
    lab.controls.padding.setCurrentText("valid")
    lab.controls.dilation_y.setValue(8)
    lab.editor.rows.setValue(15)
    lab.controls.stride_y.setValue(16)
    qtbot.waitUntil(lambda: lab.settings.dilation == (8, 1) and lab.settings.kernel.shape[0] == 15, timeout=3000)
    assert lab.result.output.shape[0] == 480 // 16 - 7  # ⌊(480 − 113)/16⌋ + 1 = 23


def test_presets_and_saved_kernels(lab, qtbot, user_home, tmp_path):
    lab.editor.preset_combo.setCurrentText("sobel x")
    lab.editor.load_preset()
    np.testing.assert_array_equal(lab.editor.kernel(), kernels.preset("sobel x"))
    path = lab.editor.save_as("my sobel")
    assert path.parent == user_home / "kernels"
    lab.editor.set_kernel(np.ones((5, 5)))
    lab.editor.saved_combo.setCurrentText("my sobel")
    lab.editor._load_saved()
    np.testing.assert_array_equal(lab.editor.kernel(), kernels.preset("sobel x"))
    bad = tmp_path / "bad.json"
    bad.write_text('{"kernel": [[1, null]]}')
    assert not lab.editor.load_file(bad)
    assert "bad.json" in lab.editor.hint.text()
    lab.editor.preset_combo.setCurrentText("gabor")
    lab.editor.preset_size.setValue(9)
    lab.editor.load_preset()
    assert lab.editor.kernel().shape == (9, 9)


def test_output_matches_core_on_the_live_frame(lab_in_window, qtbot):
    lab = lab_in_window
    lab.controls.channels.setCurrentIndex(lab.controls.channels.findData("summed"))
    lab.controls.activation.setCurrentText("relu")
    qtbot.waitUntil(lambda: lab.settings.channels == "summed" and lab.settings.activation == "relu", timeout=3000)
    frame = patterns.circles()
    expected = np.maximum(conv2d(frame, np.repeat(lab.settings.kernel[..., None], 3, axis=2), padding="same"), 0)
    np.testing.assert_allclose(lab.result.output, expected, rtol=1e-5, atol=1e-3)
    np.testing.assert_allclose(run_lab(frame, lab.settings).output, lab.result.output)
    assert "process" in window_hud(lab)


def window_hud(lab):
    hud = lab.window().hud
    hud.refresh()
    return hud.text()


def test_the_selection_stays_over_the_same_input_location_after_stride_and_pooling(lab, qtbot):
    out_h, out_w = lab.result.output.shape[:2]
    lab.explain(out_h // 2, out_w // 2)
    lab.controls.stride_y.setValue(2)
    lab.controls.stride_x.setValue(2)
    qtbot.waitUntil(lambda: lab.settings.stride == (2, 2) and lab.result.output.shape[0] == (out_h + 1) // 2,
                    timeout=3000)
    assert lab.explainer.pixel == (out_h // 4, out_w // 4)
    lab.controls.stride_y.setValue(1)
    lab.controls.stride_x.setValue(1)
    qtbot.waitUntil(lambda: lab.settings.stride == (1, 1), timeout=3000)
    back = lab.explainer.pixel  # the stride-2 pixel's window is centred one input pixel further on
    assert abs(back[0] - out_h // 2) <= 1 and abs(back[1] - out_w // 2) <= 1


def test_padding_taps_are_red_in_the_table(lab, qtbot):
    lab.explain(0, 0)  # "same" padding: the window's top row and left column read padding
    table = lab.explainer.table
    padding = table.item(0, 0).background().color()
    inside = table.item(1, 1).background()
    assert padding.red() > 200 and padding.green() < 200 and "padding" in table.item(0, 1).toolTip()
    assert inside.style() == Qt.BrushStyle.NoBrush and table.item(1, 1).toolTip() == ""


def test_the_explainer_table_is_updated_in_place(lab, qtbot):
    lab.explain(10, 10)
    item = lab.explainer.table.item(1, 1)
    lab.explain(20, 30)
    assert lab.explainer.table.item(1, 1) is item
    assert item.text() == lab.explainer.table.item(1, 1).text() and f"{lab.last_explanation.conv.inputs[1, 1]:.0f} ×" in item.text()


def test_a_bad_weight_names_the_cell_as_the_headers_count(lab, qtbot):
    set_cell(qtbot, lab, 1, 1, "abc")
    qtbot.waitUntil(lambda: "not a finite number" in lab.editor.hint.text(), timeout=3000)
    assert "cell (2, 2)" in lab.editor.hint.text()
    assert lab.editor.table.horizontalHeaderItem(1) is None or lab.editor.table.horizontalHeaderItem(1).text() == "2"


def test_a_5x5_kernel_fits_without_scrolling(window, lab_in_window, qtbot):
    lab = lab_in_window
    window.resize(1280, 720)
    lab.show()
    lab.raise_()
    lab.editor.set_kernel(np.ones((5, 5), np.float32))
    table = lab.editor.table

    def whole_kernel_in_view() -> bool:  # laid out for 5×5: the last cell inside, no scroll range
        last = table.visualRect(table.model().index(4, 4)) if table.rowCount() == table.columnCount() == 5 else None
        return (last is not None and last.isValid() and table.viewport().rect().contains(last)
                and table.verticalScrollBar().maximum() == 0 and table.horizontalScrollBar().maximum() == 0)

    qtbot.waitUntil(whole_kernel_in_view, timeout=3000)


def test_compare_a_b_runs_two_kernels_on_the_same_frame(lab, qtbot):
    assert lab.views_b.isHidden()
    lab.compare_box.setChecked(True)
    lab.controls.stride_y.setValue(2)
    lab.editor_b.preset_combo.setCurrentText("identity")
    lab.editor_b.load_preset()
    qtbot.waitUntil(lambda: lab.result_b is not None and lab.settings_b.kernel.sum() == 1
                    and lab.settings_b.stride == lab.settings.stride == (2, 1), timeout=3000)
    assert not lab.views_b.isHidden()
    np.testing.assert_array_equal(lab.result_b.input, lab.result.input)  # same frame
    np.testing.assert_allclose(lab.result_b.output, run_lab(lab.frame.rgb, lab.settings_b).output, atol=1e-4)
    np.testing.assert_allclose(lab.result.output, run_lab(lab.frame.rgb, lab.settings).output, atol=1e-4)
    assert not np.allclose(lab.result.output, lab.result_b.output)  # sharpen (A) ≠ identity (B)
    lab.copy_a_button.click()
    qtbot.waitUntil(lambda: lab.result_b is not None and np.array_equal(lab.settings_b.kernel, lab.settings.kernel),
                    timeout=3000)
    np.testing.assert_allclose(lab.result_b.output, lab.result.output)
    lab.compare_box.setChecked(False)
    qtbot.waitUntil(lambda: lab.result_b is None, timeout=3000)
    assert lab.views_b.isHidden()


def test_the_comparison_is_part_of_the_scene(lab, qtbot):
    lab.compare_box.setChecked(True)
    lab.editor_b.set_kernel(np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], np.float32))
    qtbot.waitUntil(lambda: lab.result_b is not None and lab.settings_b.kernel[1, 1] == -4, timeout=3000)
    state = lab.scene_state()
    expected = lab.result_b.output.copy()
    lab.compare_box.setChecked(False)
    lab.editor_b.set_kernel(np.ones((3, 3), np.float32))
    assert lab.apply_scene(state) == []
    qtbot.waitUntil(lambda: lab.result_b is not None, timeout=3000)
    assert lab.compare_box.isChecked()
    np.testing.assert_array_equal(lab.result_b.output, expected)
    assert lab.scene_state() == state


def test_a_signed_map_is_drawn_diverging_around_zero_with_its_values_on_the_bar(lab, qtbot):
    lab.editor.preset_combo.setCurrentText("sobel x")
    lab.editor.load_preset()
    views = lab.views
    qtbot.waitUntil(lambda: lab.result is not None and lab.result.output.min() < 0 and views.result is lab.result
                    and not lab._debounce.isActive(), timeout=5000)  # the newest result drawn
    out = lab.result.output
    low, high = views.colour_bar.levels()
    assert low == -high and high >= np.abs(out).max()  # the values, symmetric about 0, not bytes
    shown = views.output_view.image.image
    assert shown.dtype == np.uint8 and shown.shape == out.shape
    zero = shown[out == 0]
    assert zero.size and np.all(np.abs(zero.astype(int) - 128) <= 1)  # 0 sits in the middle of the map
    step = high / 127  # one shade of the map
    assert (shown[out < -step] < 128).all() and (shown[out > step] > 128).all()


def test_the_preset_box_says_custom_once_the_kernel_is_edited(lab, qtbot):
    editor = lab.editor
    assert editor.preset_combo.currentText() == "sharpen"
    set_cell(qtbot, lab, 0, 0, "3")
    qtbot.waitUntil(lambda: editor.kernel()[0, 0] == 3, timeout=3000)
    assert editor.preset_combo.currentText() == "custom"
    state = lab.scene_state()
    state["kernel"] = (kernels.preset("sobel x") * 2).tolist()
    assert lab.apply_scene(state) == []
    assert editor.preset_combo.currentText() == "custom"  # a scene's own kernel
    state["kernel"] = kernels.preset("sobel y").tolist()
    lab.apply_scene(state)
    assert editor.preset_combo.currentText() == "sobel y"  # equal to a preset: named so


def test_the_hover_readout_follows_a_settings_change(window, lab_in_window, qtbot):
    lab = lab_in_window
    window.resize(1280, 720)
    lab.show()
    lab.raise_()
    view = lab.views.output_view
    qtbot.waitUntil(lambda: view.box.width() > 50, timeout=3000)
    view.scene().sigMouseMoved.emit(view.box.mapViewToScene(QPointF(320.5, 240.5)))
    before = lab.readout.text()
    assert before.startswith("input (240, 320) = ") and "output (240, 320) = " in before
    lab.controls.padding.setCurrentText("valid")  # the output pixel under the mouse is now (239, 319)
    qtbot.waitUntil(lambda: "output (239, 319) = " in lab.readout.text(), timeout=3000)


def test_explainer_cells_show_whole_numbers_at_1280x720(window, lab_in_window, qtbot):
    from cnnexplorer.gui.shell.stage_audit import clipped_texts

    lab = lab_in_window

    window.resize(1280, 720)
    lab.show()
    lab.raise_()
    lab.editor.set_kernel(np.full((5, 5), -0.125, np.float32))
    qtbot.waitUntil(lambda: lab.explainer.table.rowCount() == 5, timeout=3000)
    lab.explain(0, 0)
    qtbot.waitUntil(lambda: lab.explainer.table.isVisible(), timeout=3000)
    assert [t for t in clipped_texts(lab.explainer.table) if "cell" in t or "header" in t] == []
    assert not any("-0" in lab.explainer.table.item(r, c).text().replace("-0.", "") for r in range(5) for c in range(5))


def test_the_bar_keeps_its_values_whole_in_presenter_type(lab, qtbot):
    """Presenter view doubles the bar's numbers: the bar's view widens with its axis, where a fixed
    width cut "-100" to "-10" at the window's edge; leaving it gives the plain type and width back."""
    from cnnexplorer.gui.shell.presenter_look import PresenterLook
    from cnnexplorer.gui.shell.stage_audit import clipped_texts

    lab.editor.preset_combo.setCurrentText("sobel x")
    lab.editor.load_preset()
    qtbot.waitUntil(lambda: lab.result is not None and lab.result.output.min() < 0, timeout=5000)
    bar_view = lab.views.bar_view
    plain = bar_view.width()
    look = PresenterLook()
    look.apply(lab, 2.0)
    axis = lab.views.colour_bar.axis
    qtbot.waitUntil(lambda: bar_view.width() >= lab.views.colour_bar.width_needed()
                    and axis.width() == axis.fixedWidth, timeout=3000)  # the scene laid out in the wider view
    assert [cut for cut in clipped_texts(bar_view) if "axis" in cut] == []
    look.restore()
    qtbot.waitUntil(lambda: bar_view.width() == plain, timeout=3000)  # back to the plain type and width
