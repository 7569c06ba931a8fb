"""``python -m cnnexplorer.bench record``: record a live panel for 10 s at 25 fps and check the
file (decoded frame count, target 250 ± 5) and what recording costs the panel (its own result
rate while recording against just before, target ≥ 0.9). Runs the real window offscreen on a
synthetic 640×480 video at 30 fps in the convolution lab."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

SECONDS = 10.0
FPS = 25


def _write_video(path: Path, frames: int = 300, size=(640, 480)) -> None:
    import cv2
    import numpy as np

    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30.0, size)
    for i in range(frames):
        bgr = np.full((size[1], size[0], 3), 40, np.uint8)
        x = (i * 9) % (size[0] - 40)
        bgr[:, x : x + 40] = (255, 200, 60)
        cv2.circle(bgr, (size[0] // 2, size[1] // 2), 60 + (i % 50), (30, 30, 230), 6)
        writer.write(bgr)
    writer.release()


def _count_frames(path: Path) -> int:
    import cv2

    capture = cv2.VideoCapture(str(path))
    count = 0
    while capture.grab():
        count += 1
    capture.release()
    return count


def bench_record(runs: int = 1, seconds: float = SECONDS) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder = Path(tempfile.mkdtemp(prefix="cnnexplorer-bench-record-"))
    os.environ.setdefault("CNNEXPLORER_HOME", str(folder / "home"))
    from PySide6.QtWidgets import QApplication

    from cnnexplorer.core.infra.settings import Settings
    from cnnexplorer.gui.common.wait import wait_until
    from cnnexplorer.gui.shell.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    video = folder / "live.avi"
    _write_video(video)
    window = MainWindow(Settings(folder / "settings.json"))
    window.resize(1280, 720)
    window.show()
    window.source.set_source(str(video))
    window.bring_forward("conv")
    panel = window.conv_lab
    wait_until(app, lambda: panel.results_shown > 5, timeout_s=20)

    def panel_rate(duration: float) -> float:
        start_count, start = panel.results_shown, time.perf_counter()
        wait_until(app, lambda: time.perf_counter() - start >= duration, timeout_s=duration + 1)
        return (panel.results_shown - start_count) / (time.perf_counter() - start)

    rows = []
    for run in range(max(1, runs)):
        before = panel_rate(seconds)
        finished: list[tuple[str, str]] = []
        window.recorder.finished.connect(lambda path, error: finished.append((path, error)))
        path = window.recorder.start(folder / f"record-{run}.mp4")
        during = panel_rate(seconds)
        window.recorder.stop()
        wait_until(app, lambda: bool(finished), timeout_s=60)
        window.recorder.finished.disconnect()
        frames = _count_frames(path)
        rows.append({"frames": frames, "before": before, "during": during, "error": finished[0][1] if finished else "timeout"})
    window.close()
    expected = round(seconds * FPS)
    ratio = statistics.median(r["during"] / r["before"] for r in rows)
    frames = statistics.median(r["frames"] for r in rows)
    return {
        "benchmark": "record", "seconds": seconds, "fps": FPS,
        "frames_decoded": frames, "frames_expected": expected, "frames_ok": abs(frames - expected) <= 5,
        "panel_fps_before": round(statistics.median(r["before"] for r in rows), 2),
        "panel_fps_recording": round(statistics.median(r["during"] for r in rows), 2),
        "ratio": round(ratio, 3), "ratio_ok": ratio >= 0.9, "errors": [r["error"] for r in rows if r["error"]],
    }
