"""Import Keras/TensorFlow behind the open window, and a widget that waits for it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QWidget

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.infra.native_logs import native_stderr_to_log
from cnnexplorer.core.models.backend import KerasInfo, load_keras

log = logging.getLogger(__name__)


class KerasState(str, Enum):
    IDLE = "idle"
    LOADING = "loading"
    READY = "ready"
    FAILED = "failed"


class KerasLoader(QObject):
    """Imports Keras once on a background thread; ``ready``/``failed`` arrive on the GUI thread."""

    ready = Signal(object)  # KerasInfo
    failed = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.state = KerasState.IDLE  # → LOADING → READY | FAILED
        self.info: KerasInfo | None = None
        self.error = ""
        self._thread: threading.Thread | None = None
        self.ready.connect(self._on_ready)
        self.failed.connect(self._on_failed)

    def start(self) -> None:
        if self.state != KerasState.IDLE:
            return
        self.state = KerasState.LOADING
        self._thread = threading.Thread(target=self._load, name="KerasLoader", daemon=True)
        self._thread.start()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Wait for the import to end (closing the app must not leave it half done)."""
        if self._thread is not None:
            self._thread.join(timeout_s)
            return not self._thread.is_alive()
        return True

    def is_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _load(self) -> None:
        try:
            with native_stderr_to_log():  # TensorFlow's C++ start-up lines go to the native log
                info = load_keras()
        except Exception as exc:  # any import failure is reported, never raised into Qt
            log.exception("loading Keras failed")
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            log.info("Keras %s loaded (backend %s %s, GPUs %s)", info.keras, info.backend, info.backend_version, info.gpus)
            self.ready.emit(info)

    def _on_ready(self, info: KerasInfo) -> None:
        self.state, self.info = KerasState.READY, info

    def _on_failed(self, message: str) -> None:
        self.state, self.error = KerasState.FAILED, message


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
