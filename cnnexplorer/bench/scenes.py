"""``python -m cnnexplorer.bench scenes``: step through the shipped course script with PageDown
in the real window (offscreen) and time each scene from the key press to the panel's first result
on screen (target ≤ 1 s; a model still loading shows progress and is reported as such), and the GUI
thread's longest stall during each (target ≤ 100 ms). The window starts as the app does: the
explorer's model loads behind the first scenes."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from cnnexplorer.bench.launch import cache_bytecode

LIMIT_S = 1.0


def bench_scenes(runs: int = 1) -> dict:
    cache_bytecode()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder = Path(tempfile.mkdtemp(prefix="cnnexplorer-bench-scenes-"))
    os.environ.setdefault("CNNEXPLORER_HOME", str(folder / "home"))
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from cnnexplorer.bench.stalls import StallMeter
    from cnnexplorer.core.infra.settings import Settings
    from cnnexplorer.gui.common.wait import wait_until
    from cnnexplorer.gui.lecture.scene_dock import course_script_path
    from cnnexplorer.gui.shell.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow(Settings(folder / "settings.json"))
    window.resize(1280, 720)
    window.show()
    window.start_background_work("sample:chelsea")  # as the app starts: Keras, then the explorer's model
    wait_until(app, lambda: window.keras.state in ("ready", "failed"), timeout_s=120)
    skipped = window.scene_list.open_file(course_script_path())
    meter = StallMeter()  # the GUI thread's longest pause while each scene is put on screen
    scenes = []
    for row in range(len(window.scene_list.script.scenes)):
        scene = window.scene_list.script.scenes[row]
        dock = window.panels[scene.panel]
        before = getattr(dock, "results_shown", None)
        meter.reset()
        start = time.perf_counter()
        if row:
            QTest.keyClick(window, Qt.Key.Key_PageDown)
        else:
            window.scene_list.show_row(0)
        if before is not None:
            shown = wait_until(app, lambda: dock.results_shown > before, timeout_s=10)
        else:
            app.processEvents()
            shown = True
        seconds = time.perf_counter() - start
        scenes.append({"scene": scene.title, "panel": scene.panel, "s": round(seconds, 3), "shown": shown,
                       "longest_stall_s": round(meter.longest, 3), "status": window.scene_list.status.text()[:80]})
        wait_until(app, lambda: False, timeout_s=0.5)
    meter.stop()
    window.close()
    times = [s["s"] for s in scenes]
    return {"benchmark": "scenes", "scenes": len(scenes), "skipped": skipped, "max_s": max(times),
            "longest_stall_s": max(s["longest_stall_s"] for s in scenes),
            "over_limit": [s for s in scenes if s["s"] > LIMIT_S], "each": scenes}
