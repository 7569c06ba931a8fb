"""Ctrl+R records the current panel to MP4 off the GUI thread (half size, even dimensions, REC
shown); a full disk stops it with a message and the part written plays; instant replay saves."""

import cv2
import pytest
from PySide6.QtCore import Qt

pytest.importorskip("imageio_ffmpeg")


def _decode(path) -> tuple[int, tuple[int, int]]:
    capture = cv2.VideoCapture(str(path))
    count, shape = 0, None
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        count, shape = count + 1, frame.shape[:2]
    capture.release()
    return count, shape


def test_ctrl_r_records_the_panel_at_half_size(window, qtbot, user_home):
    window.source.set_source("pattern:circles")
    window.bring_forward("conv")
    qtbot.waitUntil(lambda: window.conv_lab.results_shown > 0, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert window.recorder.recording and window.menu_actions.record.isChecked()
    qtbot.waitUntil(lambda: window.recorder.encoder.written >= 15, timeout=5000)
    assert window.rec_indicator.isVisible() and window.rec_indicator.text().startswith("● REC 0:0")
    width, height = window.conv_lab.width(), window.conv_lab.height()
    finished = []
    window.recorder.finished.connect(lambda path, error: finished.append((path, error)))
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(finished), timeout=10000)
    path, error = finished[0]
    assert error == "" and not window.rec_indicator.isVisible() and not window.menu_actions.record.isChecked()
    count, shape = _decode(path)
    assert count >= 15
    assert shape == (height // 2 // 2 * 2, width // 2 // 2 * 2)


def test_disk_full_stops_the_recording_with_a_message(window, qtbot, tmp_path):
    window.source.set_source("pattern:text")
    window.bring_forward("basics")
    path = window.recorder.start(tmp_path / "full.mp4", widget=window, file_size_limit=20_000)
    window._set_record_checks(True)
    qtbot.waitUntil(lambda: not window.recorder.recording, timeout=20000)
    qtbot.waitUntil(lambda: window.error_box is not None and window.error_box.isVisible(), timeout=10000)
    assert window.error_box.objectName() == "RecordingErrorBox" and str(path) in window.error_box.text()
    assert not window.menu_actions.record.isChecked()
    window.error_box.close()


def test_instant_replay_saves_the_last_seconds(window, qtbot, tmp_path):
    window.source.set_source("pattern:gradient")
    window.menu_actions.replay.trigger()
    qtbot.waitUntil(lambda: window.recorder.replay is not None and len(window.recorder.replay) >= 10, timeout=5000)
    saved = []
    window.recorder.replay_saved.connect(lambda path, error: saved.append((path, error)))
    window.recorder.save_replay(tmp_path / "replay.mp4")
    qtbot.waitUntil(lambda: bool(saved), timeout=10000)
    assert saved[0][1] == ""
    assert _decode(tmp_path / "replay.mp4")[0] >= 10
    window.menu_actions.replay.trigger()
    assert window.recorder.replay is None


def test_a_replay_frame_replaced_before_it_was_kept_gives_its_time_to_the_next():
    import numpy as np

    from cnnexplorer.core.lecture.recording import ReplayBuffer
    from cnnexplorer.gui.lecture.recorder import _ReplayFeed

    feed = _ReplayFeed(ReplayBuffer(seconds=10, fps=10))
    first, third = np.zeros((4, 6, 3), np.uint8), np.full((4, 6, 3), 200, np.uint8)
    feed.keep(first, due=2)  # two frames due by the first grab
    # the second grab (due 5) was replaced by the third (due 9) before the worker kept it
    feed.keep(third, due=9)
    assert len(feed.buffer) == 9  # the replay as long as the time recorded
