"""``python -m cnnexplorer.bench live --model NAME``: the explorer's live pipeline against the bare
network. Bare: ``predict_on_batch`` on a ready batch. App: frame → preprocessing → one forward pass
returning top-5 and the tapped layer → mosaic (on the worker, as the explorer asks for it) → painted
in an offscreen window by Qt's event loop, as in the app, frame after frame (the figures count the
paints).

Each run alternates the two in short stretches of :data:`STRETCH_FRAMES` frames, :data:`STRETCHES`
of each, bare first and app first by turns; its ratio is the app's frames per second over the bare
network's, each summed over its stretches. A shared machine's speed drifts by ±10 % from one second
to the next (bare against bare, one 60-frame stretch each: 0.89–1.18); stretches this short, taken
by turns, meet the same drift on both sides. The figure is the median of the runs' ratios.

Where the app's time goes: the CPU time per frame of the bare network's caller, of the app's
forward-pass thread and of its GUI thread (TensorFlow's own pool threads work alike on both sides).
``views=False`` runs the same pipeline without showing its results: what the views cost.

``--overlay gradcam`` measures a class activation map on every frame instead (see bench/overlay.py)."""

from __future__ import annotations

import os
import statistics
import threading
import time

TARGET_RATIO = 0.9
STRETCH_FRAMES = 10
STRETCHES = 10  # of each side, per run
FRAMES_PER_SIDE = STRETCHES * STRETCH_FRAMES  # per run


def bench_live(runs: int, model_name: str = "mobilenet_v2", layer: str | None = None, overlay: str | None = None,
               frames: int = 1000, views: bool = True) -> dict:
    if overlay:
        from cnnexplorer.bench.overlay import bench_overlay

        return bench_overlay(runs, model_name, layer, frames, overlay)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

    from cnnexplorer.core.models import zoo
    from cnnexplorer.core.models.taps import layer_tree
    from cnnexplorer.core.models.preprocess import prepare
    from cnnexplorer.core.frames.frame import Frame
    from cnnexplorer.core.frames.sources import open_source
    from cnnexplorer.gui.models.activation_grid import ActivationGrid
    from cnnexplorer.gui.models.panels import Predictions
    from cnnexplorer.gui.common.workers import LatestRequestWorker
    from cnnexplorer.core.models.forward import ForwardPass, ForwardRequest
    from cnnexplorer.gui.common.wait import wait_until

    app = QApplication.instance() or QApplication([])
    model = zoo.load_model(model_name)
    nodes = layer_tree(model.model)
    layer = layer or next(n.path for n in reversed(nodes) if n.class_name.startswith("Conv"))
    source = open_source("sample:astronaut")
    source.open()
    rgb = source.read()

    batch = prepare(rgb, model.input_size, model.preprocessing)
    model.model.predict_on_batch(batch)  # warm up

    cpu = dict.fromkeys(("bare", "worker", "gui"), 0.0)  # seconds of each thread's CPU, timed stretches only

    def bare() -> float:
        start, busy = time.perf_counter(), time.thread_time()
        for _ in range(STRETCH_FRAMES):
            model.model.predict_on_batch(batch)
        cpu["bare"] += time.thread_time() - busy
        return time.perf_counter() - start

    window = QWidget()
    grid, predictions = ActivationGrid(), Predictions()
    layout = QVBoxLayout(window)
    layout.addWidget(grid)
    layout.addWidget(predictions)
    window.resize(1000, 700)
    window.show()
    forward = ForwardPass()

    def handle(request: ForwardRequest):
        busy = time.thread_time()
        try:
            return forward(request)
        finally:
            cpu["worker"] += time.thread_time() - busy

    worker = LatestRequestWorker(handle, "BenchForward", window)
    done = {"count": 0, "paints": 0, "at": 0.0, "until": 0}
    loop = QEventLoop()
    guard = QTimer(singleShot=True, interval=120_000)  # never a hang: a stuck pipeline fails below
    guard.timeout.connect(loop.quit)

    class PaintCounter(QObject):
        def eventFilter(self, watched, event) -> bool:  # noqa: N802
            done["paints"] += event.type() == QEvent.Type.Paint
            return False

    counter = PaintCounter()
    grid.mosaic.installEventFilter(counter)

    def on_result(inference) -> None:
        done["at"] = time.perf_counter()  # when the result reached the GUI thread
        if views:
            predictions.show_top(inference.top)
            grid.show_activation(inference.outputs[0], mosaic=inference.mosaic)  # painted by the event loop, as in the app
        done["count"] += 1
        if done["count"] >= done["until"]:
            loop.quit()

    def results_until(count: int) -> float:
        """Runs the event loop (as the app does, waking for each result) until ``count`` results."""
        done["until"] = count
        if done["count"] < count:
            guard.start()
            loop.exec()
            guard.stop()
        if done["count"] < count:
            raise RuntimeError("the live pipeline stopped answering")
        return done["at"]

    # A camera faster than the network: while feeding, a fresh frame is always waiting (latest
    # wins), so the forward pass of one frame overlaps the drawing of the previous one, as in the app.
    feeding, stop = threading.Event(), threading.Event()
    layout = grid.mosaic_settings()  # read here, on the GUI thread

    def camera() -> None:
        index = 0
        while not stop.is_set():
            if feeding.wait(0.05):
                index += 1
                worker.submit(ForwardRequest(Frame(rgb, index, time.perf_counter(), 0.0, "bench"), model, (layer,),
                                             mosaic=layout))  # laid out on the worker, as in the app
                stop.wait(0.002)

    def app_stretch() -> tuple[float, int, int]:
        """Seconds for STRETCH_FRAMES results, timed from a full pipeline; the grid's paints and the
        results in the whole stretch."""
        painted, answered, busy = done["paints"], done["count"], time.thread_time()
        feeding.set()
        start = results_until(done["count"] + 1)  # the pipeline is full again
        seconds = results_until(done["count"] + STRETCH_FRAMES) - start
        feeding.clear()
        wait_until(app, worker.idle, 60)  # the last frame done: the bare run has the CPU
        wait_until(app, lambda: False, 0.05)  # and its result painted
        cpu["gui"] += time.thread_time() - busy
        return seconds, done["paints"] - painted, done["count"] - answered

    worker.result.connect(on_result)
    worker.start()  # here, before the camera thread submits
    feeder = threading.Thread(target=camera, daemon=True)
    feeder.start()
    app_stretch()  # warm up: probe model built, first passes, first paints
    cpu.update(dict.fromkeys(cpu, 0.0))
    bare_fps, app_fps, ratios, paints, results = [], [], [], 0, 0
    for _ in range(max(3, runs)):
        bare_s = app_s = 0.0
        for turn in range(STRETCHES):
            if turn % 2:
                seconds, painted, answered = app_stretch()
                bare_s += bare()
            else:
                bare_s += bare()
                seconds, painted, answered = app_stretch()
            app_s, paints, results = app_s + seconds, paints + painted, results + answered
        bare_fps.append(FRAMES_PER_SIDE / bare_s)
        app_fps.append(FRAMES_PER_SIDE / app_s)
        ratios.append(app_fps[-1] / bare_fps[-1])
    stop.set()
    feeder.join()
    worker.request_stop()
    worker.wait()
    window.close()
    return {
        "benchmark": "live", "model": model_name, "layer": layer, "runs": len(ratios),
        "stretches_per_side": STRETCHES, "frames_per_stretch": STRETCH_FRAMES,
        "bare_predict_on_batch_fps": round(statistics.median(bare_fps), 2),
        "app_pipeline_fps": round(statistics.median(app_fps), 2),
        "views": views,
        "grid_paints_per_result": round(paints / results, 2),
        "cpu_ms_per_frame": {"bare_caller": round(1000 * cpu["bare"] / (len(ratios) * FRAMES_PER_SIDE), 2),
                             "app_forward_thread": round(1000 * cpu["worker"] / results, 2),
                             "app_gui_thread": round(1000 * cpu["gui"] / results, 2)},
        "ratio": round(statistics.median(ratios), 3),
        "run_ratios": [round(r, 3) for r in ratios],
        "target_ratio": TARGET_RATIO,
    }
