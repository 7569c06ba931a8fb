"""Record (Ctrl+R): an MP4 of the current panel or the window, half resolution by default, with
a REC indicator and the elapsed time; instant replay keeps the last 30 s to save on demand.

The GUI thread only grabs the widget (a few ms) at the video's frame rate; resizing, JPEG and
H.264 encoding run on worker threads (see :mod:`cnnexplorer.core.lecture.recording`): the replay's
frames on a newest-frame-wins worker, finishing a file on a task thread, all children of the recorder."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QWidget

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.infra.paths import data_dir, time_stamp, unique_path
from cnnexplorer.core.lecture.recording import (
    DEFAULT_FPS,
    REPLAY_SECONDS,
    FrameClock,
    RecordingError,
    ReplayBuffer,
    VideoEncoder,
    even_size,
)
from cnnexplorer.gui.common.workers import LatestRequestWorker, run_task

log = logging.getLogger(__name__)


def recordings_folder() -> Path:
    return data_dir() / "recordings"


def new_recording_path(stem: str) -> Path:
    """A new, empty file in the recordings folder, named after ``stem`` and the time: two recordings
    started within the same instant still get two files. Raises RecordingError when none can be made."""
    try:
        return unique_path(recordings_folder(), f"{stem}-{time_stamp()}", ".mp4")
    except OSError as exc:
        raise RecordingError(tr("cannot create a file in the recordings folder: {problem}", problem=exc)) from None


def _discard_if_empty(path: Path) -> None:
    """Remove a claimed file that nothing was written to (a failed start leaves no litter)."""
    try:
        if path.stat().st_size == 0:
            path.unlink()
    except OSError:
        pass


def grab_rgb(widget: QWidget) -> np.ndarray:
    """The widget as shown, as an (H, W, 3) uint8 array (a copy: safe to hand to another thread)."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    rows = np.frombuffer(image.constBits(), np.uint8, count=stride * height).reshape(height, stride)
    return rows[:, : width * 3].reshape(height, width, 3).copy()


class _ReplayFeed:
    """One instant replay's frames on their way into its buffer. Each frame comes with the number
    of frames due up to it, so a frame that a newer one replaced before it was kept gives its time
    to the newer one: the replay keeps the length recorded."""

    def __init__(self, buffer: ReplayBuffer) -> None:
        self.buffer = buffer
        self.due = 0  # counted on the GUI thread
        self.kept = 0  # counted on the worker's thread

    def keep(self, rgb: np.ndarray, due: int) -> None:
        self.buffer.add(rgb, due - self.kept)
        self.kept = due


def _keep_replay_frame(request: tuple[_ReplayFeed, np.ndarray, int]) -> None:
    feed, rgb, due = request
    feed.keep(rgb, due)


def _close_encoder(encoder: VideoEncoder) -> str:
    """Finish ``encoder``'s file (on a task thread); returns why it failed, "" when it did not."""
    error = encoder.close()
    if encoder.dropped:
        log.warning("%s: %d frames dropped, the encoder fell behind", encoder.path, encoder.dropped)  # i18n: keep
    return error


class Recorder(QObject):
    """Grabs ``target()`` at ``fps`` while recording and/or keeping an instant replay.

    ``finished(path, error)`` fires once a recording's file is complete (error "" when all went
    well); ``replay_saved(path, error)`` likewise for an instant replay, and also (with the error)
    when the replay fails to keep a frame. Every failure reaches one of them."""

    finished = Signal(str, str)
    replay_saved = Signal(str, str)
    tick = Signal(float)  # seconds recorded, for the REC indicator

    def __init__(self, target: Callable[[], QWidget], fps: int = DEFAULT_FPS, scale: float = 0.5, parent=None) -> None:
        super().__init__(parent)
        self.target, self.fps, self.scale = target, fps, scale
        self.encoder: VideoEncoder | None = None
        self.replay: ReplayBuffer | None = None
        self._clock: FrameClock | None = None
        self._replay_clock: FrameClock | None = None
        self._replay_feed: _ReplayFeed | None = None
        self._widget: QWidget | None = None
        self._replay_failed = False
        # JPEG-compressing the replay's frames; it starts with the first frame kept
        self._replay_frames = LatestRequestWorker(_keep_replay_frame, "ReplayFrames", self)
        self._replay_frames.failed.connect(self._on_replay_frame_failed)
        self._timer = QTimer(self, interval=max(1, 1000 // fps), timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._grab)

    @property
    def recording(self) -> bool:
        return self.encoder is not None

    # -- recording --------------------------------------------------------------------------------
    def start(self, path: Path | str | None = None, widget: QWidget | None = None, file_size_limit: int | None = None) -> Path:
        """Start recording ``widget`` (default: ``target()``) to ``path`` (default: a new file in
        the recordings folder). Raises RecordingError when the encoder cannot start."""
        if self.recording:
            raise RecordingError(tr("already recording"))
        self._widget = widget or self.target()
        claimed = not path
        path = new_recording_path(self._widget.objectName() or "window") if claimed else Path(path)
        size = even_size(self._widget.width(), self._widget.height(), self.scale)
        encoder = VideoEncoder(path, size, self.fps, file_size_limit=file_size_limit)
        try:
            encoder.start()
        except RecordingError:
            if claimed:
                _discard_if_empty(path)
            raise
        self.encoder, self._clock = encoder, FrameClock(self.fps)
        self._timer.start()
        self._grab()
        return path

    def stop(self) -> None:
        """Stop; the file is finished on a task thread and ``finished`` reports it."""
        encoder, self.encoder = self.encoder, None
        if encoder is None:
            return
        if self.replay is None:
            self._timer.stop()
        path = str(encoder.path)
        run_task(lambda: _close_encoder(encoder), "VideoEncoderClose", self,
                 lambda error: self.finished.emit(path, error),
                 lambda problem: self.finished.emit(path, str(problem) or repr(problem)))

    # -- instant replay ---------------------------------------------------------------------------
    def keep_replay(self, on: bool, seconds: float = REPLAY_SECONDS) -> None:
        if on and self.replay is None:
            self.replay = ReplayBuffer(seconds, self.fps)
            self._replay_feed = _ReplayFeed(self.replay)
            self._replay_clock = FrameClock(self.fps)
            self._replay_failed = False
            self._timer.start()
        elif not on and self.replay is not None:
            # A replay being written finishes on its own (and reports); the GUI does not wait for it.
            self.replay, self._replay_feed, self._replay_clock = None, None, None
            if not self.recording:
                self._timer.stop()

    def save_replay(self, path: Path | str | None = None) -> Path | None:
        """Write the instant replay to ``path`` (default: a new file in the recordings folder) on a
        task thread and return the path; ``replay_saved`` reports how it went. None (reported
        too) when no file could be made."""
        if self.replay is None:
            raise RecordingError(tr("instant replay is off"))
        claimed = not path
        try:
            path = new_recording_path("replay") if claimed else Path(path)
        except RecordingError as exc:
            self.replay_saved.emit("", str(exc))
            return None
        replay = self.replay

        def write() -> int:
            try:
                return replay.save(path)
            except Exception:
                if claimed:  # here, not on the GUI thread: also when the window closes meanwhile
                    _discard_if_empty(path)
                raise

        run_task(write, "ReplaySave", self, lambda _count: self.replay_saved.emit(str(path), ""),
                 lambda problem: self.replay_saved.emit(str(path), str(problem) or repr(problem)))
        return path

    def _on_replay_frame_failed(self, problem: Exception) -> None:
        """Report the first frame the replay fails to keep (not every one: 25 a second)."""
        if self.replay is None or self._replay_failed:
            return
        self._replay_failed = True
        self.replay_saved.emit("", tr("the instant replay could not keep a frame: {problem}", problem=problem))

    # -- frames -------------------------------------------------------------------------------------
    def _grab(self) -> None:
        record_due = self._clock.due() if self.encoder is not None else 0
        replay_due = self._replay_clock.due() if self._replay_clock is not None else 0
        if not (record_due or replay_due):
            return
        widget = self._widget if self.encoder is not None else self.target()
        rgb = grab_rgb(widget)
        if record_due:
            self.encoder.add(rgb, copies=record_due)
            if self.encoder.error:
                self.stop()
                return
            self.tick.emit(self._clock.elapsed_s())
        if replay_due:
            feed = self._replay_feed
            feed.due += replay_due
            self._replay_frames.submit((feed, rgb[::2, ::2] if self.scale <= 0.5 else rgb, feed.due))

    def shutdown(self, timeout_s: float = 30.0) -> None:
        """Stop everything and wait for the files to be finished (closing the window calls it)."""
        self._timer.stop()
        self.stop()
        self.keep_replay(False)
        self._replay_frames.request_stop()
        deadline = time.perf_counter() + timeout_s
        for thread in self.findChildren(QThread):
            thread.wait(max(0, int((deadline - time.perf_counter()) * 1000)))


class RecIndicator(QLabel):
    """"● REC 0:12" at the top centre of the window, on the menu bar's empty middle (in presenter view
    on the stage's title strip, which makes room for it): it covers no control and no picture."""

    shown_changed = Signal(bool)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("RecIndicator")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setStyleSheet("QLabel { background: rgba(0,0,0,180); color: #ff3b30; font-weight: bold;"
                           " padding: 0px 10px; border-radius: 4px; }")
        self.hide()

    def show_elapsed(self, seconds: float) -> None:
        minutes, secs = divmod(int(seconds), 60)
        self.setText(tr("● REC {time}", time=f"{minutes}:{secs:02d}"))
        self.adjustSize()
        parent = self.parentWidget()
        self.move((parent.width() - self.width()) // 2, 0)
        if not self.isVisible():
            self.show()
            self.shown_changed.emit(True)
        self.raise_()

    def hide_tag(self) -> None:
        if self.isVisible():
            self.hide()
            self.shown_changed.emit(False)
