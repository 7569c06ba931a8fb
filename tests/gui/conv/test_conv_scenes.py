"""The convolution lab with its A/B comparison, and the filter bank, saved as a scene and opened in
another copy of the app: the panel is pixel-identical."""

import numpy as np
import pytest

from tests.gui.lecture.test_scenes import _open_window, _settle


def _set_up_compare(win):
    lab = win.conv_lab
    lab.compare_box.setChecked(True)
    lab.editor_b.preset_combo.setCurrentText("sobel y")
    lab.editor_b.load_preset()
    lab.controls.stride_x.setValue(2)


def _set_up_filters(win):
    win.filter_bank.bank_combo.setCurrentText("random")
    win.filter_bank.count.setValue(5)
    win.filter_bank.stride.setValue(2)


@pytest.mark.parametrize("panel, set_up", [("conv", _set_up_compare), ("filters", _set_up_filters)])
def test_scene_reopens_pixel_identical(qtbot, user_home, tmp_path, panel, set_up):
    first = _open_window(qtbot, tmp_path / "first.json")
    first.scene_list.show()
    first.source.show_source("pattern:circles", frozen=True)
    qtbot.waitUntil(lambda: first.source.frozen, timeout=5000)
    first.bring_forward(panel)
    dock = first.panels[panel]
    set_up(first)
    dock.recompute()
    _settle(qtbot, first, dock)
    qtbot.waitUntil(lambda: getattr(dock, "worker", None) is None or dock.worker.idle(), timeout=5000)
    before = dock.grab().toImage()
    state = dock.scene_state()
    first.scene_list.add_current()
    script = tmp_path / "lecture.json"
    assert first.scene_list.save_file(script)
    first.close()

    second = _open_window(qtbot, tmp_path / "second.json")
    dock = second.panels[panel]
    assert second.scene_list.open_file(script) == []
    _settle(qtbot, second, dock)
    qtbot.waitUntil(lambda: getattr(dock, "worker", None) is None or dock.worker.idle(), timeout=5000)
    assert dock.scene_state() == state
    after = dock.grab().toImage()
    assert after.size() == before.size()
    assert after == before, f"{panel}: the reopened scene looks different"
    if panel == "conv":
        assert dock.result_b is not None and np.abs(dock.result_b.output).max() > 0
    second.close()
