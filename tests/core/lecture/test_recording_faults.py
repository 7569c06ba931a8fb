"""A recording never reports "saved" when it failed, never eats all memory when the encoder falls
behind, and never hangs on an ffmpeg that talks a lot (all with the real bundled ffmpeg)."""

import tracemalloc

import numpy as np
import pytest

from cnnexplorer.core.lecture.recording import RecordingError, ReplayBuffer, VideoEncoder
from tests.media import count_frames

pytest.importorskip("imageio_ffmpeg")


def test_an_output_folder_that_is_a_file_is_a_recording_error(tmp_path):
    (tmp_path / "videos").write_text("a file where the folder should be")
    encoder = VideoEncoder(tmp_path / "videos" / "clip.mp4", (64, 48))
    with pytest.raises(RecordingError, match="videos"):
        encoder.start()


def test_ffmpeg_failing_to_open_its_output_is_reported_with_its_reason(tmp_path):
    (tmp_path / "clip.mp4").mkdir()  # ffmpeg cannot write a file where a folder is
    encoder = VideoEncoder(tmp_path / "clip.mp4", (64, 48))
    encoder.start()
    encoder.add(np.zeros((48, 64, 3), np.uint8), copies=50)
    error = encoder.close()
    assert "clip.mp4" in error and "directory" in error.lower()


def test_a_recording_with_no_frame_is_not_saved(tmp_path):
    encoder = VideoEncoder(tmp_path / "empty.mp4", (64, 48))
    encoder.start()
    error = encoder.close()
    assert "empty.mp4" in error and "no frame" in error


def test_a_frame_that_cannot_be_encoded_stops_the_recording_with_a_message(tmp_path):
    encoder = VideoEncoder(tmp_path / "clip.mp4", (64, 48))
    encoder.start()
    encoder.add(np.zeros((48, 64, 3), np.uint8))
    encoder.add(np.zeros((0, 0, 3), np.uint8))  # what a collapsed widget grabs
    error = encoder.close()
    assert "clip.mp4" in error and "encoded" in error
    assert encoder.written == 1


def test_a_close_that_runs_out_of_time_is_a_failure_until_the_file_is_done(tmp_path):
    encoder = VideoEncoder(tmp_path / "clip.mp4", (1920, 1080))
    encoder.start()
    rng = np.random.default_rng(0)
    for _ in range(40):
        encoder.add(rng.integers(0, 255, (1080, 1920, 3), dtype=np.uint8), wait=True)
    assert "still being written" in encoder.close(timeout_s=0.001)
    assert encoder.close() == ""
    assert count_frames(tmp_path / "clip.mp4") == 40


def test_a_producer_faster_than_the_encoder_keeps_memory_bounded(tmp_path):
    frame_bytes = 480 * 640 * 3
    encoder = VideoEncoder(tmp_path / "fast.mp4", (640, 480), max_queued_bytes=16 * frame_bytes)
    encoder.start()
    rng = np.random.default_rng(1)
    noise = rng.integers(0, 255, (480, 640, 3), dtype=np.uint8)  # x264 works hard on noise
    tracemalloc.start()
    try:
        for i in range(400):
            encoder.add(np.roll(noise, i, axis=1))  # a new 0.9 MB picture every time, as a grab is
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 24 * frame_bytes, f"{peak / 2**20:.0f} MiB held for a 14 MiB queue"
    assert encoder.dropped > 0
    encoder.add(noise, wait=True)  # the last frame waits for room and takes the dropped frames' time
    assert encoder.close() == ""
    assert encoder.written == 401
    assert count_frames(tmp_path / "fast.mp4") == 401


def test_an_ffmpeg_writing_a_lot_to_stderr_does_not_deadlock(tmp_path):
    encoder = VideoEncoder(tmp_path / "chatty.mp4", (64, 48), log_level="debug")  # ~170 bytes a frame
    encoder.start()
    for i in range(2000):  # ~340 kB of log: five times what a pipe holds
        encoder.add(np.full((48, 64, 3), i % 256, np.uint8), wait=True)
    assert encoder.close(timeout_s=60) == ""
    assert count_frames(tmp_path / "chatty.mp4") == 2000


def test_a_replay_into_a_folder_that_is_a_file_is_a_recording_error(tmp_path):
    (tmp_path / "videos").write_text("a file where the folder should be")
    replay = ReplayBuffer(seconds=1, fps=25)
    replay.add(np.zeros((48, 64, 3), np.uint8), copies=10)
    with pytest.raises(RecordingError, match="videos"):
        replay.save(tmp_path / "videos" / "replay.mp4")


def test_a_replay_saves_every_frame_however_slow_the_encoder(tmp_path):
    replay = ReplayBuffer(seconds=4, fps=25)
    rng = np.random.default_rng(2)
    for _ in range(100):
        replay.add(rng.integers(0, 255, (480, 640, 3), dtype=np.uint8))
    assert replay.save(tmp_path / "replay.mp4") == 100
    assert count_frames(tmp_path / "replay.mp4") == 100
