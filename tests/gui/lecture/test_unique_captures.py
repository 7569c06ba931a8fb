"""Nothing lost: snapshots and recordings made within one second each get their own file, and a
recording or replay that cannot be written says so in the window instead of failing silently."""

import time

import pytest
from PySide6.QtCore import Qt

from cnnexplorer.core.frames.images import load_image
from cnnexplorer.core.lecture.scenes import load_script
from tests.media import count_frames

pytest.importorskip("imageio_ffmpeg")


def _ctrl(qtbot, window, key, shift=False):
    modifiers = Qt.KeyboardModifier.ControlModifier
    if shift:
        modifiers |= Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, key, modifiers)


def _early_in_a_second() -> bool:
    return time.time() % 1 < 0.2


def test_two_snapshots_and_two_recordings_within_one_second_keep_four_files(window, qtbot, user_home):
    window.source.show_source("pattern:checkerboard", frozen=True)
    window.bring_forward("basics")
    qtbot.waitUntil(lambda: window.image_basics.results_shown > 0, timeout=5000)
    finished = []
    window.recorder.finished.connect(lambda path, error: finished.append((path, error)))
    qtbot.waitUntil(_early_in_a_second, timeout=2000)  # all four begin within the same second
    second = int(time.time())
    snapshots = [window.snapshot(), window.snapshot()]  # what Ctrl+S does
    for _ in range(2):
        _ctrl(qtbot, window, Qt.Key.Key_R)  # start
        assert window.recorder.recording
        _ctrl(qtbot, window, Qt.Key.Key_R)  # stop
    assert int(time.time()) == second
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=20000)

    pictures = sorted((user_home / "snapshots").glob("*.png"))
    assert len(pictures) == 2 and sorted(png for png, _ in snapshots) == pictures
    for png in pictures:
        assert load_image(png).shape[:2] == (window.image_basics.height(), window.image_basics.width())
        assert load_script(png.with_suffix(".json"))[0].scenes[0].panel == "basics"
    videos = sorted((user_home / "recordings").glob("*.mp4"))
    assert len(videos) == 2 and sorted(path for path, _ in finished) == [str(v) for v in videos]
    assert [error for _, error in finished] == ["", ""]
    assert all(count_frames(video) >= 1 for video in videos)


def test_two_instant_replays_within_one_second_keep_two_files(window, qtbot, user_home):
    window.source.set_source("pattern:gradient")
    window.recorder.keep_replay(True)
    qtbot.waitUntil(lambda: window.recorder.replay is not None and len(window.recorder.replay) >= 10, timeout=5000)
    saved = []
    window.recorder.replay_saved.connect(lambda path, error: saved.append((path, error)))
    qtbot.waitUntil(_early_in_a_second, timeout=2000)
    _ctrl(qtbot, window, Qt.Key.Key_S, shift=True)
    _ctrl(qtbot, window, Qt.Key.Key_S, shift=True)
    qtbot.waitUntil(lambda: len(saved) == 2, timeout=20000)
    assert [error for _, error in saved] == ["", ""] and saved[0][0] != saved[1][0]
    assert all(count_frames(path) >= 10 for path, _ in saved)
    window.recorder.keep_replay(False)


def test_recording_into_a_folder_that_is_a_file_says_why(window, qtbot, user_home):
    user_home.mkdir(parents=True, exist_ok=True)
    (user_home / "recordings").write_text("a file where the folder should be")
    window.bring_forward("basics")
    _ctrl(qtbot, window, Qt.Key.Key_R)
    assert not window.recorder.recording
    assert "Cannot record" in window.statusBar().currentMessage()


def test_replay_into_a_folder_that_is_a_file_says_why(window, qtbot, user_home):
    window.source.set_source("pattern:gradient")
    window.recorder.keep_replay(True)
    qtbot.waitUntil(lambda: window.recorder.replay is not None and len(window.recorder.replay) >= 5, timeout=5000)
    (user_home / "recordings").write_text("a file where the folder should be")
    _ctrl(qtbot, window, Qt.Key.Key_S, shift=True)
    qtbot.waitUntil(lambda: "Instant replay not saved" in window.statusBar().currentMessage(), timeout=10000)
    assert "recordings" in window.statusBar().currentMessage()
    assert (user_home / "recordings").read_text() == "a file where the folder should be"
    window.recorder.keep_replay(False)
