"""``python -m cnnexplorer.bench soak --minutes N``: the whole window live on a looping video for N
minutes once it has started (TensorFlow in, the explorer's model loaded), with the model explorer,
the convolution lab and the augmentation lab raised in turn.

Prints one JSON line a minute (RSS, results shown per panel, GUI-thread stalls so far) and a summary:
RSS growth after the warm-up, frames and results, exceptions seen, and how long the GUI thread was
ever unresponsive (the longest gap between the ticks of a 20 ms timer on it)."""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

TARGETS = {"rss_growth_mb": 50.0, "exceptions": 0, "longest_stall_s": 1.0}
PANELS = ("explorer", "conv_lab", "augment")


def rss_mb() -> float:
    """Resident memory of this process (Linux: /proc; elsewhere the peak, which only grows)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def write_clip(path: Path, frames: int = 90, size: tuple[int, int] = (640, 480)) -> Path:
    """A looping camera stand-in: a bright bar and a disc moving over a gradient, 30 fps."""
    import cv2
    import numpy as np

    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30.0, size)
    base = np.dstack([np.tile(np.linspace(0, 200, size[0], dtype=np.uint8), (size[1], 1))] * 3)
    for i in range(frames):
        frame = base.copy()
        x = (i * 7) % (size[0] - 40)
        frame[:, x:x + 40] = 255
        cv2.circle(frame, (size[0] // 2 + int(120 * np.cos(i / 9)), size[1] // 2), 60, (30, 90, 220), -1)
        writer.write(frame)
    writer.release()
    return path


class _ErrorCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.first = ""

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        self.first = self.first or record.getMessage()[:300]


@contextmanager
def live_window(size: tuple[int, int] = (1280, 720)):
    """The real main window, shown at the projector size, on a throwaway data folder holding a
    looping clip: yields (app, window, clip path)."""
    from PySide6.QtWidgets import QApplication

    from cnnexplorer.core.infra.paths import use_data_dir
    from cnnexplorer.core.infra.settings import Settings
    from cnnexplorer.gui.shell.main_window import MainWindow

    with tempfile.TemporaryDirectory() as home:
        use_data_dir(home)
        clip = write_clip(Path(home) / "clip.avi")
        app = QApplication.instance() or QApplication([])
        window = MainWindow(Settings())
        window.resize(*size)
        window.show()
        try:
            yield app, window, clip
        finally:
            use_data_dir(None)


def bench_soak(runs: int, minutes: float = 60.0, switch_s: float = 20.0, warmup_s: float = 60.0) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from cnnexplorer.bench.stalls import StallMeter
    from cnnexplorer.gui.common.keras_loader import KerasState
    from cnnexplorer.gui.common.wait import wait_until

    rows: list[dict] = []
    errors = _ErrorCounter()
    logging.getLogger().addHandler(errors)
    old_hook = sys.excepthook
    sys.excepthook = lambda *exc: (errors.emit(logging.makeLogRecord({"msg": repr(exc[1]), "levelno": 40})),
                                   old_hook(*exc))
    with live_window() as (app, window, clip):
        window.start_background_work(str(clip))
        explorer = window.explorer
        started = wait_until(app, lambda: window.keras.state == KerasState.FAILED
                             or (explorer.session.model is not None and explorer.loader is None), 600)
        if not started or explorer.session.model is None:
            raise RuntimeError(f"the window did not start: Keras {window.keras.state.value}, "
                               f"the explorer says {explorer.banner.text()!r}")
        frames = {"count": 0}
        window.source.frame_changed.connect(lambda _frame: frames.__setitem__("count", frames["count"] + 1))
        stalls = StallMeter()
        docks = [getattr(window, name) for name in PANELS]
        start = time.perf_counter()
        end = start + minutes * 60
        next_switch, next_report, turn = start, start + 60, 0
        rss_after_warmup = None
        while time.perf_counter() < end:
            now = time.perf_counter()
            if now >= next_switch:
                docks[turn % len(docks)].raise_()
                turn, next_switch = turn + 1, now + switch_s
            if rss_after_warmup is None and now - start >= min(warmup_s, minutes * 30):
                rss_after_warmup = rss_mb()
                stalls.reset()  # the first frames through the model and its first layer views excluded
            if now >= next_report:
                next_report += 60
                rows.append({"benchmark": "soak", "minute": round((now - start) / 60, 1), "rss_mb": round(rss_mb(), 1),
                             "frames": frames["count"], "results": {n: d.results_shown for n, d in zip(PANELS, docks)},
                             "stalls_over_100ms": stalls.stalls, "exceptions": errors.count})
                print(json.dumps(rows[-1]), flush=True)
            wait_until(app, lambda: False, 0.05)
        rss_end = rss_mb()
        window.close()
        stalls.stop()
    logging.getLogger().removeHandler(errors)
    sys.excepthook = old_hook
    growth = rss_end - (rss_after_warmup or rss_end)
    rows.append({
        "benchmark": "soak", "summary": True, "minutes": minutes, "frames": frames["count"],
        "results": {n: d.results_shown for n, d in zip(PANELS, docks)},
        "rss_after_warmup_mb": round(rss_after_warmup or 0.0, 1), "rss_end_mb": round(rss_end, 1),
        "rss_growth_mb": round(growth, 1), "exceptions": errors.count, "first_exception": errors.first,
        **stalls.figures(), "targets": TARGETS,
    })
    return rows[-1]  # the minute rows were printed as they came
