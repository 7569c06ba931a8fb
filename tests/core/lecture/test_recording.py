import cv2
import numpy as np
import pytest

from cnnexplorer.core.lecture.recording import FrameClock, RecordingError, ReplayBuffer, VideoEncoder, even_size
from tests.media import count_frames

pytest.importorskip("imageio_ffmpeg")


def _frames(n: int, size=(321, 241)):
    for i in range(n):
        frame = np.zeros((size[1], size[0], 3), np.uint8)
        frame[:, : (i * 7) % size[0]] = (200, 80, 20)
        yield frame


def test_even_half_size():
    assert even_size(1920, 1080) == (960, 540)
    assert even_size(1281, 721) == (640, 360)
    assert even_size(3, 3) == (2, 2)


def test_encoder_writes_a_decodable_mp4_with_every_frame(tmp_path):
    path = tmp_path / "clip.mp4"
    encoder = VideoEncoder(path, even_size(321, 241, 1.0), fps=25)
    encoder.start()
    for frame in _frames(60):
        encoder.add(frame)
    encoder.add(frame, copies=3)
    assert encoder.close() == ""
    assert count_frames(path) == 63
    capture = cv2.VideoCapture(str(path))
    ok, first = capture.read()
    assert ok and first.shape == (240, 320, 3)


def test_disk_full_stops_with_a_message_and_the_part_written_plays(tmp_path):
    path = tmp_path / "full.mp4"
    encoder = VideoEncoder(path, (640, 480), fps=25, file_size_limit=150_000)
    encoder.start()
    rng = np.random.default_rng(0)
    for frame in _frames(3000, (640, 480)):
        frame[::8, ::8] = rng.integers(0, 255, (60, 80, 3), dtype=np.uint8)  # some detail: a few kB a frame
        encoder.add(frame)
    error = encoder.close()
    assert "failed" in error
    assert path.stat().st_size <= 150_000
    played = count_frames(path)
    assert 0 < played < 3000  # what reached the disk decodes


def test_odd_size_is_refused():
    with pytest.raises(ValueError, match="even"):
        VideoEncoder("x.mp4", (641, 480))


def test_frame_clock_repeats_frames_for_late_ticks():
    clock = FrameClock(fps=25, start=0.0)
    assert clock.due(0.0) == 1
    assert clock.due(0.03) == 0
    assert clock.due(0.2) == 5  # frames 1..5 are owed at 0.2 s
    assert clock.emitted == 6


def test_replay_keeps_the_last_seconds_and_saves_them(tmp_path):
    replay = ReplayBuffer(seconds=2, fps=25)
    with pytest.raises(RecordingError, match="nothing recorded"):
        replay.save(tmp_path / "none.mp4")
    for frame in _frames(80, (320, 240)):
        replay.add(frame)
    assert len(replay) == 50
    assert replay.save(tmp_path / "replay.mp4") == 50
    assert count_frames(tmp_path / "replay.mp4") == 50
