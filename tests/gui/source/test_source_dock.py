import logging
import threading

import numpy as np
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QLabel, QMessageBox

from cnnexplorer.core.frames.sources import CameraSource
from cnnexplorer.gui.shell.errors import ErrorReporter
from cnnexplorer.gui.common.keras_loader import KerasGate, KerasLoader
from tests.gui.conftest import shown_frame
from tests.media import write_video


def test_combo_picks_a_sample(window, qtbot):
    combo = window.source_dock.source_combo
    index = combo.findData("sample:coffee")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    qtbot.waitUntil(lambda: window.source.spec == "sample:coffee", timeout=5000)
    assert shown_frame(window).shape == (400, 600, 3)


def test_camera_item_uses_the_camera_controls(window, qtbot):
    dock = window.source_dock
    dock.camera_index.setValue(7)
    dock.camera_size.setCurrentIndex(1)
    assert dock.camera_spec() == "camera:7@1280x720"
    failures = []
    window.source.source_failed.connect(lambda spec, msg: failures.append((spec, msg)))
    dock.source_combo.activated.emit(dock.source_combo.findData("camera"))
    qtbot.waitUntil(lambda: bool(failures), timeout=10000)
    assert failures[0][0] == "camera:7@1280x720" and "not available" in failures[0][1]
    assert "camera:7" in dock.status.text()


def test_lost_camera_greys_the_frame_and_recovers(window, qtbot, tmp_path):
    device = tmp_path / "cam.avi"
    write_video(device, frames=400)  # long enough to watch it stream
    window.source.stale_after_s = 0.3
    window.source.set_frame_source(CameraSource(str(device)))
    qtbot.waitUntil(lambda: window.source.state == "live", timeout=5000)
    device.rename(tmp_path / "unplugged.avi")
    qtbot.waitUntil(lambda: window.source.state == "lost", timeout=10000)
    view = window.source_dock.view
    assert view.overlay_text() == "camera lost — retrying"
    drawn = view.image.image
    assert np.array_equal(drawn[..., 0], drawn[..., 1]), "the last frame stays, greyed"
    (tmp_path / "unplugged.avi").rename(device)
    qtbot.waitUntil(lambda: window.source.state == "live", timeout=15000)
    assert view.overlay_text() == ""


def test_closing_with_camera_running_stops_it(window, qtbot, tmp_path):
    device = tmp_path / "cam.avi"
    write_video(device, frames=2000)
    window.source.set_frame_source(CameraSource(str(device)))
    qtbot.waitUntil(lambda: window.source.state == "live", timeout=5000)
    threads = window.source.threads()
    window.close()
    assert threads and not any(t.isRunning() for t in threads)


def test_keras_gate_waits_for_keras(qtbot):
    loader = KerasLoader()
    gate = KerasGate(loader, lambda: QLabel("model panel"))
    qtbot.addWidget(gate)
    assert gate.currentWidget().text() == "loading TensorFlow…"
    loader.start()
    qtbot.waitUntil(lambda: loader.state == "ready", timeout=120000)
    assert gate.currentWidget().text() == "model panel"
    assert loader.info.keras and loader.info.backend
    assert KerasGate(loader, lambda: QLabel("late")).currentWidget().text() == "late"
    qtbot.waitUntil(lambda: not any(t.isRunning() for t in loader.findChildren(QThread)), timeout=5000)  # it ended


def test_uncaught_worker_exception_is_logged_and_shown(qtbot, caplog):
    reporter = ErrorReporter()
    caplog.set_level(logging.ERROR, logger="cnnexplorer.errors")

    def fail():
        try:
            raise RuntimeError("worker blew up")
        except RuntimeError as exc:
            reporter.excepthook(type(exc), exc, exc.__traceback__)

    thread = threading.Thread(target=fail)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible(), timeout=5000)
    assert reporter.dialog.text() == "RuntimeError: worker blew up"
    assert "worker blew up" in caplog.text and "Traceback" in caplog.text
    assert isinstance(reporter.dialog, QMessageBox)
    reporter.dialog.close()
