"""The app opens over damaged user files, says so once, and keeps a copy of each."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QMessageBox

from cnnexplorer.core.infra import damage
from cnnexplorer.gui.shell.errors import ErrorReporter

DAMAGED = {"settings.json": b'{"camera_index": 1, "window_st', "kernels/broken.json": b'{"kernel": [[1, ',
           "augmenters/broken.json": b'{"steps": [{"kind"'}


@pytest.fixture
def damaged_home(user_home):
    """A data folder whose settings and stores were cut short (a crash of some other program), beside
    a kernel and a pipeline that are fine."""
    damage.take_notices()  # notices from earlier tests are not this one's
    for name, data in DAMAGED.items():
        (user_home / name).parent.mkdir(parents=True, exist_ok=True)
        (user_home / name).write_bytes(data)
    (user_home / "kernels" / "edge.json").write_text(json.dumps({"name": "edge", "kernel": [[1, -1]]}))
    (user_home / "augmenters" / "calm.json").write_text(json.dumps({"name": "calm", "steps": []}))
    return user_home


def test_the_window_opens_over_damaged_files_and_says_so_once(damaged_home, window, qtbot):
    reporter = ErrorReporter(window)  # as the app builds it, once the window stands
    qtbot.waitUntil(lambda: reporter.damage_dialog is not None and reporter.damage_dialog.isVisible(), timeout=5000)
    dialogs = [d for d in window.findChildren(QMessageBox) if d.objectName() == "DamagedFilesDialog"]
    assert dialogs == [reporter.damage_dialog]  # one message
    text = reporter.damage_dialog.text()
    for name in DAMAGED:
        assert text.count(str(damaged_home / name)) == 1  # each file named once
        (copy,) = (damaged_home / name).parent.glob(f"{(damaged_home / name).name}.damaged-*")
        assert copy.read_bytes() == DAMAGED[name] and copy.name in text
    # the window goes on with what was fine
    assert window.conv_lab.editor.saved_combo.findText("edge") >= 0
    assert window.conv_lab.editor.saved_combo.findText("broken") < 0
    assert window.augment.saved_combo.findText("calm") >= 0
    window.conv_lab.editor.refresh_saved()  # a second look at the stores says nothing new
    assert reporter.damage_dialog.text() == text and damage.take_notices() == []
    reporter.damage_dialog.close()
    window.save_layout()
    window.settings.save()
    assert "window_state" in json.loads((damaged_home / "settings.json").read_text())  # a fresh, whole file
