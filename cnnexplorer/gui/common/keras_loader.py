"""Import Keras/TensorFlow behind the open window, and a widget that waits for it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QWidget

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.infra.native_logs import native_stderr_to_log
from cnnexplorer.core.models.backend import KerasInfo, load_keras
from cnnexplorer.gui.common.workers import TaskThread, run_task

log = logging.getLogger(__name__)


class KerasState(str, Enum):
    IDLE = "idle"
    LOADING = "loading"
    READY = "ready"
    FAILED = "failed"


class KerasLoader(QObject):
    """Imports Keras once on a task thread (a child of this loader); ``ready``/``failed`` arrive on
    the GUI thread, after :attr:`state` says so."""

    started = Signal()
    ready = Signal(object)  # KerasInfo
    failed = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.state = KerasState.IDLE  # → LOADING → READY | FAILED
        self.info: KerasInfo | None = None
        self.error = ""
        self._task: TaskThread | None = None

    def start(self) -> None:
        if self.state != KerasState.IDLE:
            return
        self.state = KerasState.LOADING
        self.started.emit()
        self._task = run_task(_import_keras, "KerasLoader", self, self._on_ready, self._on_failed, self._on_ended)

    def _on_ready(self, info: KerasInfo) -> None:
        log.info("Keras %s loaded (backend %s %s, GPUs %s)", info.keras, info.backend, info.backend_version, info.gpus)
        self.state, self.info = KerasState.READY, info
        self.ready.emit(info)

    def _on_failed(self, exc: Exception) -> None:
        self.state, self.error = KerasState.FAILED, f"{type(exc).__name__}: {exc}"
        log.error("loading Keras failed: %s", self.error)
        self.failed.emit(self.error)

    def _on_ended(self) -> None:
        self._task = None  # the thread deletes itself now


def _import_keras() -> KerasInfo:
    with native_stderr_to_log():  # TensorFlow's C++ start-up lines go to the native log
        return load_keras()


class KerasGate(QStackedWidget):
    """Says "loading TensorFlow…" until Keras is ready, then builds its real content once."""

    def __init__(self, loader: KerasLoader, build: Callable[[], QWidget], parent=None) -> None:
        super().__init__(parent)
        self._build = build
        self.content: QWidget | None = None
        self.notice = QLabel(tr("loading TensorFlow…"), alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.addWidget(self.notice)
        if loader.state == KerasState.READY:
            self._on_ready()
        elif loader.state == KerasState.FAILED:
            self._on_failed(loader.error)
        else:
            loader.ready.connect(self._on_ready)
            loader.failed.connect(self._on_failed)

    def _on_ready(self, *_) -> None:
        if self.content is None:
            self.content = self._build()
            self.addWidget(self.content)
            self.setCurrentWidget(self.content)

    def _on_failed(self, message: str) -> None:
        self.notice.setText(tr("TensorFlow/Keras could not be loaded:\n{error}", error=message))
