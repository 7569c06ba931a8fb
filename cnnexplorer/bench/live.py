"""``python -m cnnexplorer.bench live --model NAME``: the explorer's live pipeline against the bare
network. Bare: ``predict_on_batch`` on a ready batch. App: frame → preprocessing → one forward pass
returning top-5 and the tapped layer → mosaic (on the worker, as the explorer asks for it) → painted
in an offscreen window, frame after frame
(painted by Qt's event loop, as in the app; the figures count the paints). The two alternate in
segments of the same length; the ratio is the median of each app segment over the bare one just
before it, so a machine that speeds up or slows down hits both sides of each pair alike.

``--overlay gradcam`` measures a class activation map on every frame instead (see bench/overlay.py)."""

from __future__ import annotations

import os
import statistics
import threading
import time

TARGET_RATIO = 0.9


def bench_live(runs: int, model_name: str = "mobilenet_v2", layer: str | None = None, overlay: str | None = None,
               frames: int = 1000) -> dict:
    if overlay:
        from cnnexplorer.bench.overlay import bench_overlay

        return bench_overlay(runs, model_name, layer, frames, overlay)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject
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
    segments, frames = max(3, runs), 20

    batch = prepare(rgb, model.input_size, model.preprocessing)
    model.model.predict_on_batch(batch)  # warm up

    def bare() -> float:
        start = time.perf_counter()
        for _ in range(frames):
            model.model.predict_on_batch(batch)
        return frames / (time.perf_counter() - start)

    window = QWidget()
    grid, predictions = ActivationGrid(), Predictions()
    layout = QVBoxLayout(window)
    layout.addWidget(grid)
    layout.addWidget(predictions)
    window.resize(1000, 700)
    window.show()
    worker = LatestRequestWorker(ForwardPass(), "BenchForward", window)
    done = {"count": 0, "paints": 0}

    class PaintCounter(QObject):
        def eventFilter(self, watched, event) -> bool:  # noqa: N802
            done["paints"] += event.type() == QEvent.Type.Paint
            return False

    counter = PaintCounter()
    grid.mosaic.viewport().installEventFilter(counter)

    def on_result(inference) -> None:
        predictions.show_top(inference.top)
        grid.show_activation(inference.outputs[0], mosaic=inference.mosaic)  # painted by the event loop, as in the app
        done["count"] += 1

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

    def app_segment() -> tuple[float, int]:
        first, painted = done["count"], done["paints"]
        feeding.set()
        wait_until(app, lambda: done["count"] > first, 120)  # the pipeline is full again
        first, start = done["count"], time.perf_counter()
        wait_until(app, lambda: done["count"] >= first + frames, 600)
        fps = (done["count"] - first) / (time.perf_counter() - start)
        feeding.clear()
        wait_until(app, worker.idle, 60)  # the last frame done: the bare run has the CPU
        wait_until(app, lambda: False, 0.05)  # and its result painted
        return fps, done["paints"] - painted, done["count"] - first

    worker.result.connect(on_result)
    worker.start()  # here, before the camera thread submits
    feeder = threading.Thread(target=camera, daemon=True)
    feeder.start()
    app_segment()  # warm up: probe model built, first passes, first paints
    bare_fps, app_fps, paints, results = [], [], 0, 0
    for _ in range(segments):
        bare_fps.append(bare())
        fps, painted, count = app_segment()
        app_fps.append(fps)
        paints, results = paints + painted, results + count
    stop.set()
    feeder.join()
    worker.request_stop()
    worker.wait()
    window.close()
    ratios = [a / b for a, b in zip(app_fps, bare_fps)]
    return {
        "benchmark": "live", "model": model_name, "layer": layer, "segments": segments, "frames_per_segment": frames,
        "bare_predict_on_batch_fps": round(statistics.median(bare_fps), 2),
        "app_pipeline_fps": round(statistics.median(app_fps), 2),
        "grid_paints_per_result": round(paints / results, 2),
        "ratio": round(statistics.median(ratios), 3),
        "segment_ratios": [round(r, 3) for r in ratios],
        "target_ratio": TARGET_RATIO,
    }
