import threading
import time

import pytest

from cnnexplorer.core.frames.pump import Frame, LatestSlot, SourcePump
from cnnexplorer.core.frames.sources import CameraSource, open_source
from tests.media import write_video


class Recorder:
    """Collects what a pump reports, from its thread."""

    def __init__(self):
        self.frames: list[Frame] = []
        self.states: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    def on_frame(self, frame):
        with self.lock:
            self.frames.append(frame)

    def on_state(self, state, message):
        with self.lock:
            self.states.append((state, message))

    def state_names(self):
        with self.lock:
            return [s for s, _ in self.states]


def wait_for(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def run_pump(source, recorder, **kwargs):
    stop = threading.Event()
    pump = SourcePump(source, recorder.on_frame, recorder.on_state, **kwargs)
    thread = threading.Thread(target=pump.run, args=(stop,))
    thread.start()
    return stop, thread


def test_latest_slot_keeps_newest():
    slot = LatestSlot()
    assert slot.empty()
    assert slot.put("a") is True
    assert slot.put("b") is False and not slot.empty()  # reader already notified; "a" is dropped
    assert slot.take() == "b" and slot.take() is None and slot.empty()


def test_still_source_gives_one_frame_and_stops_on_request():
    recorder = Recorder()
    stop, thread = run_pump(open_source("pattern:gradient"), recorder)
    assert wait_for(lambda: recorder.frames)
    time.sleep(0.1)
    assert len(recorder.frames) == 1
    stop.set()
    thread.join(5)
    assert not thread.is_alive()
    assert recorder.state_names() == ["opening", "live", "stopped"]


def test_first_open_failure_gives_up(tmp_path):
    recorder = Recorder()
    _, thread = run_pump(CameraSource(str(tmp_path / "absent.avi")), recorder)
    thread.join(5)
    assert recorder.state_names() == ["opening", "failed", "stopped"]
    assert "not available" in recorder.states[1][1]


def test_video_is_paced_at_its_frame_rate(tmp_path):
    path = tmp_path / "slow.avi"
    write_video(path, frames=10, fps=20)
    recorder = Recorder()
    stop, thread = run_pump(open_source(str(path)), recorder)
    time.sleep(0.5)
    stop.set()
    thread.join(5)
    assert 6 <= len(recorder.frames) <= 14  # ~10 frames in 0.5 s at 20 fps


def test_unplugged_camera_is_detected_and_reconnected(tmp_path):
    """The stand-in camera fails (stream ends, then the device is gone) and comes back."""
    device = tmp_path / "cam.avi"
    write_video(device, frames=20)
    recorder = Recorder()
    stop, thread = run_pump(CameraSource(str(device)), recorder, stale_after_s=0.2, backoff_s=(0.05, 0.1))
    try:
        assert wait_for(lambda: len(recorder.frames) >= 20)
        unplugged = device.rename(tmp_path / "away.avi")
        assert wait_for(lambda: any("not available" in m for s, m in recorder.states if s == "lost"))
        count = len(recorder.frames)
        unplugged.rename(device)
        assert wait_for(lambda: len(recorder.frames) > count + 5)
        names = recorder.state_names()
        assert names.count("live") >= 2 and "lost" in names
        assert [f.index for f in recorder.frames] == list(range(len(recorder.frames)))
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive()


def test_camera_repeating_one_frame_counts_as_lost(tmp_path):
    device = tmp_path / "frozen.avi"
    write_video(device, frames=200, still=True)
    recorder = Recorder()
    stop, thread = run_pump(CameraSource(str(device)), recorder, stale_after_s=0.1, backoff_s=(5.0,))
    try:
        assert wait_for(lambda: "lost" in recorder.state_names(), timeout=5)
        assert len(recorder.frames) == 1  # repeats of the frame are not news
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive(), "stop must interrupt the back-off wait"


@pytest.mark.parametrize("spec", ["sample:coffee", "pattern:text"])
def test_frames_carry_their_source(spec):
    recorder = Recorder()
    stop, thread = run_pump(open_source(spec), recorder)
    assert wait_for(lambda: recorder.frames)
    stop.set()
    thread.join(5)
    assert recorder.frames[0].source == spec and recorder.frames[0].capture_ms >= 0
