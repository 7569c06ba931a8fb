"""The pump runs on the test's own thread with a fake clock (exact times, no sleeping), except where
stopping it from another thread is the point.
"""

import threading

import numpy as np
import pytest

from cnnexplorer.core.frames.frame import Frame
from cnnexplorer.core.frames.pump import POLL_S, Backoff, SourcePump
from cnnexplorer.core.frames.sources import CameraSource, FrameSource, SourceError, open_source
from tests.core.infra.fakes import FakeClock
from tests.media import write_video


class Recorder:
    """Collects what a pump reports (with the clock's time) and can set ``stop`` when told to."""

    def __init__(self, clock=None):
        self.clock = clock
        self.frames: list[Frame] = []
        self.states: list[tuple[str, str]] = []
        self.state_times: list[float] = []
        self.stop = threading.Event()
        self.stop_when = lambda recorder: False
        self.changed = threading.Condition()

    def on_frame(self, frame):
        with self.changed:
            self.frames.append(frame)
            self._check()

    def on_state(self, state, message):
        with self.changed:
            self.states.append((state, message))
            self.state_times.append(self.clock() if self.clock else 0.0)
            self._check()

    def _check(self):
        if self.stop_when(self):
            self.stop.set()
        self.changed.notify_all()

    def state_names(self):
        with self.changed:
            return [s for s, _ in self.states]

    def lost_messages(self):
        return [m for s, m in self.states if s == "lost"]

    def wait_until(self, condition, timeout=10.0):
        """For real-thread tests: block until ``condition()``; the timeout is only a safety net."""
        with self.changed:
            return self.changed.wait_for(condition, timeout)


class ScriptedCamera(FrameSource):
    """A camera that follows a script, one entry per ``open``: a message (the open fails with it) or
    a number of distinct frames to give before ``read`` starts failing. Each read costs ``read_s``.
    """

    live = True
    watch_stalls = True
    spec = "camera:scripted"
    label = "Scripted camera"

    def __init__(self, clock, script, read_s=0.0, repeat=False):
        self.clock, self.script, self.read_s, self.repeat = clock, list(script), read_s, repeat
        self.opens = self.closes = 0
        self._left = 0
        self._is_open = False

    def open(self):
        entry = self.script[self.opens] if self.opens < len(self.script) else "camera gone for good"
        self.opens += 1
        if isinstance(entry, str):
            raise SourceError(entry)
        self._left, self._is_open = entry, True

    def read(self):
        assert self._is_open, "read before open or after close"
        self.clock.advance(self.read_s)
        if self.repeat:
            return np.full((8, 8, 3), 7, np.uint8)
        if self._left == 0:
            return None
        self._left -= 1
        return np.full((8, 8, 3), self._left, np.uint8)

    def close(self):
        if self._is_open:
            self.closes += 1
        self._is_open = False


@pytest.fixture
def clock():
    return FakeClock()


def run_here(source, recorder, clock, **kwargs):
    """Run the pump to the end on this thread."""
    SourcePump(source, recorder.on_frame, recorder.on_state, clock=clock, wait=clock.wait, **kwargs).run(recorder.stop)


def start_thread(source, recorder, **kwargs):
    pump = SourcePump(source, recorder.on_frame, recorder.on_state, **kwargs)
    thread = threading.Thread(target=pump.run, args=(recorder.stop,))
    thread.start()
    return thread


# -- back-off ------------------------------------------------------------------------------------


def test_backoff_grows_repeats_its_last_delay_and_resets():
    backoff = Backoff((0.5, 1.0, 2.0))
    assert [backoff.next_delay() for _ in range(5)] == [0.5, 1.0, 2.0, 2.0, 2.0]
    backoff.reset()
    assert backoff.next_delay() == 0.5


@pytest.mark.parametrize("delays", [(), (1.0, -0.5)])
def test_backoff_refuses_bad_delays(delays):
    with pytest.raises(ValueError, match="back-off"):
        Backoff(delays)


def test_lost_camera_backs_off_and_reconnects(clock):
    """Frames, loss, two failed opens, frames again, loss: the back-off restarts after frames came."""
    camera = ScriptedCamera(clock, [3, "camera 0 is not available", "camera 0 is not available", 2], read_s=0.01)
    recorder = Recorder(clock)
    recorder.stop_when = lambda r: len(r.lost_messages()) == 4
    run_here(camera, recorder, clock, stale_after_s=0.2, backoff_s=(0.05, 0.1))
    assert recorder.state_names() == [
        "opening", "live", "lost",
        "opening", "lost",
        "opening", "lost",
        "opening", "live", "lost",
        "stopped",
    ]  # fmt: skip
    assert recorder.lost_messages() == [
        "Scripted camera lost — retrying in 0.05 s",
        "camera 0 is not available — retrying in 0.1 s",
        "camera 0 is not available — retrying in 0.1 s",
        "Scripted camera lost — retrying in 0.05 s",
    ]
    assert [w for w in clock.waits if w != POLL_S] == [0.05, 0.1, 0.1, 0.05]
    assert [f.index for f in recorder.frames] == list(range(5))
    assert camera.opens == 4 and camera.closes == 2  # every successful open was closed


def test_loss_is_declared_once_the_newest_frame_is_stale(clock):
    camera = ScriptedCamera(clock, [2], read_s=0.003)
    recorder = Recorder(clock)
    recorder.stop_when = lambda r: "lost" in r.state_names()
    run_here(camera, recorder, clock, stale_after_s=0.2)
    lost_at = recorder.state_times[recorder.state_names().index("lost")]
    age = lost_at - recorder.frames[-1].captured_at
    assert 0.2 < age <= 0.2 + POLL_S + 0.003  # noticed at the first read after the deadline
    assert len(recorder.frames) == 2


def test_camera_repeating_one_frame_counts_as_lost(clock):
    camera = ScriptedCamera(clock, [None], read_s=1 / 30, repeat=True)
    recorder = Recorder(clock)
    recorder.stop_when = lambda r: "lost" in r.state_names()
    run_here(camera, recorder, clock, stale_after_s=0.1, backoff_s=(5.0,))
    assert recorder.state_names() == ["opening", "live", "lost", "stopped"]
    assert len(recorder.frames) == 1  # repeats of the frame are not news
    assert 0.1 < recorder.state_times[2] - recorder.frames[0].captured_at <= 0.1 + 1 / 30


def test_unplugged_stand_in_camera_is_detected_and_reconnected(tmp_path, clock):
    """A video file stands in for a camera: its stream ends, the device vanishes, then comes back."""
    device = tmp_path / "cam.avi"
    write_video(device, frames=20)
    away = tmp_path / "away.avi"
    recorder = Recorder(clock)

    streamed = []  # frames of the first session

    def script(r):
        if len(r.frames) == 1:
            device.rename(away)  # unplugged: the open capture plays to its end, reopening fails
        last_state, message = r.states[-1]
        if last_state == "lost" and "not available" in message:
            streamed.append(len(r.frames))
            away.rename(device)  # plugged back in while the pump waits
        return bool(streamed) and len(r.frames) == streamed[0] + 5

    recorder.stop_when = script
    run_here(CameraSource(str(device)), recorder, clock, stale_after_s=0.2, backoff_s=(0.05, 0.1))
    assert recorder.state_names() == ["opening", "live", "lost", "opening", "lost", "opening", "live", "stopped"]
    assert recorder.lost_messages()[0].endswith("lost — retrying in 0.05 s")
    assert "not available — retrying in 0.1 s" in recorder.lost_messages()[1]
    assert streamed[0] >= 10  # the first session played the clip (repeats of a frame are skipped)
    assert [f.index for f in recorder.frames] == list(range(streamed[0] + 5))


def test_first_open_failure_gives_up(tmp_path, clock):
    recorder = Recorder(clock)
    run_here(CameraSource(str(tmp_path / "absent.avi")), recorder, clock)
    assert recorder.state_names() == ["opening", "failed", "stopped"]
    assert "not available" in recorder.states[1][1]
    assert clock.waits == []


# -- frames and pacing -----------------------------------------------------------------------------


def test_still_source_gives_one_frame_then_waits_for_stop(clock):
    recorder = Recorder(clock)
    run_here(open_source("pattern:gradient"), recorder, clock)
    assert len(recorder.frames) == 1
    assert clock.waits == [None]  # no polling: it sleeps until stopped (the fake clock's endless wait stops it)
    assert recorder.state_names() == ["opening", "live", "stopped"]


def test_video_is_paced_at_its_frame_rate(tmp_path, clock):
    path = tmp_path / "slow.avi"
    write_video(path, frames=10, fps=20)
    recorder = Recorder(clock)
    recorder.stop_when = lambda r: len(r.frames) == 15  # loops past the end of the file
    run_here(open_source(str(path)), recorder, clock)
    times = np.array([f.captured_at for f in recorder.frames])
    np.testing.assert_allclose(np.diff(times), 0.05)
    assert clock.waits[:-1] == pytest.approx([0.05] * 14)  # then stopped mid-wait


def test_pacing_counts_the_time_reading_took(clock):
    camera = ScriptedCamera(clock, [10], read_s=0.02)
    camera.frame_interval = 0.05
    recorder = Recorder(clock)
    recorder.stop_when = lambda r: len(r.frames) == 5
    run_here(camera, recorder, clock)
    np.testing.assert_allclose(np.diff([f.captured_at for f in recorder.frames]), 0.05)
    assert clock.waits[:4] == pytest.approx([0.03] * 4)
    assert all(f.capture_ms == pytest.approx(20.0) for f in recorder.frames)


@pytest.mark.parametrize("spec", ["sample:coffee", "pattern:text"])
def test_frames_carry_their_source(spec, clock):
    recorder = Recorder(clock)
    run_here(open_source(spec), recorder, clock)
    assert [f.source for f in recorder.frames] == [spec] and recorder.frames[0].capture_ms == 0.0


# -- stopping from another thread ------------------------------------------------------------------


def test_stop_wakes_a_pump_holding_a_still_frame():
    recorder = Recorder()
    thread = start_thread(open_source("pattern:gradient"), recorder)
    try:
        assert recorder.wait_until(lambda: recorder.frames)
    finally:
        recorder.stop.set()
        thread.join(10)
    assert not thread.is_alive()
    assert len(recorder.frames) == 1 and recorder.state_names() == ["opening", "live", "stopped"]


def test_stop_interrupts_the_back_off_wait(tmp_path):
    device = tmp_path / "frozen.avi"
    write_video(device, frames=200, still=True)
    recorder = Recorder()
    thread = start_thread(CameraSource(str(device)), recorder, stale_after_s=0.1, backoff_s=(600.0,))
    try:
        assert recorder.wait_until(lambda: "lost" in [s for s, _ in recorder.states])
    finally:
        recorder.stop.set()
        thread.join(10)
    assert not thread.is_alive(), "stop must interrupt the 600 s back-off wait"
    assert recorder.state_names() == ["opening", "live", "lost", "stopped"]
