import pytest

from cnnexplorer.core.infra.timing import PipelineTimer, Stopwatch
from tests.core.infra.fakes import FakeClock


@pytest.fixture
def clock():
    return FakeClock()


def show_frames(timer, clock, pipeline, count, every_s):
    for _ in range(count):
        timer.frame_done(pipeline)
        clock.advance(every_s)


def test_stage_times_smooth_and_expire(clock):
    timer = PipelineTimer(smoothing=0.5, expire_s=0.2, clock=clock)
    timer.record("process", 10.0, pipeline="conv")
    timer.record("process", 20.0)  # no pipeline: the one last named
    assert timer.snapshot().stages_ms == {}  # "conv" has shown nothing: the HUD shows the source
    timer.frame_done("conv")
    snap = timer.snapshot()
    assert snap.pipeline == "conv" and snap.stages_ms == {"process": 15.0}
    clock.advance(0.19)
    assert timer.snapshot().stages_ms == {"process": 15.0}
    clock.advance(0.02)
    assert timer.snapshot().stages_ms == {}


def test_a_stale_stage_restarts_its_average(clock):
    timer = PipelineTimer(smoothing=0.5, expire_s=1.0, clock=clock)
    timer.record("draw", 10.0, pipeline="source")
    clock.advance(1.5)
    timer.record("draw", 40.0)
    assert timer.snapshot().stages_ms == {"draw": 40.0}


def test_fps_from_frame_intervals(clock):
    timer = PipelineTimer(smoothing=1.0, clock=clock)
    assert timer.snapshot().fps == 0.0
    timer.frame_done("source")
    assert timer.snapshot().fps == 0.0  # one frame is no rate yet
    clock.advance(0.05)
    timer.frame_done("source")
    assert timer.snapshot().fps == pytest.approx(20.0)


def test_fps_is_smoothed_and_drops_to_zero_when_frames_stop(clock):
    timer = PipelineTimer(smoothing=0.5, expire_s=2.0, clock=clock)
    for gap in (0.1, 0.1, 0.3):
        timer.frame_done("source")
        clock.advance(gap)
    timer.frame_done("source")
    assert timer.fps("source") == pytest.approx(1 / 0.2)  # interval 0.1 + 0.5 * (0.3 - 0.1)
    clock.advance(1.99)
    assert timer.fps("source") == pytest.approx(5.0)
    clock.advance(0.02)
    assert timer.fps("source") == 0.0 and timer.snapshot().fps == 0.0


def test_snapshot_shows_the_panel_not_the_camera(clock):
    """The camera runs at 30 fps; the model explorer shows a result 10 times a second."""
    timer = PipelineTimer(smoothing=1.0, expire_s=2.0, clock=clock)
    for tick in range(31):  # one second at 300 Hz ticks: camera every 10th, explorer every 30th
        if tick % 10 == 0:
            timer.record("capture", 3.0, pipeline="source")
            timer.frame_done("source")
        if tick % 30 == 0:
            timer.record("forward", 31.0, pipeline="model explorer")
            timer.record("draw", 2.0)
            timer.frame_done("model explorer")
        clock.advance(1 / 300)
    snap = timer.snapshot()
    assert snap.pipeline == "model explorer"
    assert snap.fps == pytest.approx(10.0)
    assert snap.stages_ms == {"forward": 31.0, "draw": 2.0}  # the camera's capture is not the explorer's
    assert timer.fps("source") == pytest.approx(30.0)


def test_most_recent_panel_wins_and_the_source_is_the_fallback(clock):
    timer = PipelineTimer(smoothing=1.0, expire_s=2.0, clock=clock)
    show_frames(timer, clock, "source", 5, 0.04)
    assert timer.snapshot().pipeline == "source"
    show_frames(timer, clock, "convolution lab", 2, 0.1)
    show_frames(timer, clock, "model explorer", 2, 0.5)
    assert timer.snapshot().pipeline == "model explorer"
    timer.frame_done("convolution lab")
    snap = timer.snapshot()
    assert snap.pipeline == "convolution lab" and snap.fps == pytest.approx(1 / 1.1)
    show_frames(timer, clock, "source", 1, 0.0)  # the camera delivering does not take over
    assert timer.snapshot().pipeline == "convolution lab"
    clock.advance(2.01)  # both panels gone quiet (hidden, or their source stopped)
    assert timer.snapshot().pipeline == "source"


def test_frame_done_names_the_pipeline_for_later_records(clock):
    timer = PipelineTimer(smoothing=1.0, clock=clock)
    timer.frame_done("filter bank")
    timer.record("draw", 4.0)
    assert timer.snapshot().stages_ms == {"draw": 4.0}


def test_stopwatch_measures_ms(clock):
    with Stopwatch(clock=clock) as watch:
        clock.advance(0.02)
    assert watch.ms == pytest.approx(20.0)
