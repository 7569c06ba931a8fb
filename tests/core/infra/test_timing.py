import time

from cnnexplorer.core.infra.timing import PipelineTimer, Stopwatch


def test_stage_times_smooth_and_expire():
    timer = PipelineTimer(smoothing=0.5, expire_s=0.2)
    timer.record("process", 10.0, pipeline="conv")
    timer.record("process", 20.0)
    snap = timer.snapshot()
    assert snap.stages_ms == {"process": 15.0} and snap.pipeline == "conv"
    time.sleep(0.25)
    assert timer.snapshot().stages_ms == {}


def test_fps_from_frame_intervals():
    timer = PipelineTimer(smoothing=1.0)
    assert timer.snapshot().fps == 0.0
    for _ in range(3):
        timer.frame_done()
        time.sleep(0.05)
    assert 10 < timer.snapshot().fps < 25


def test_stopwatch_measures_ms():
    with Stopwatch() as watch:
        time.sleep(0.02)
    assert 15 < watch.ms < 200
