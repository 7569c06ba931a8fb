"""Recording what a panel shows as MP4, off the GUI thread.

:class:`VideoEncoder` takes RGB frames (numpy, any size) and pipes them at a constant frame rate to
the ffmpeg that ships with ``imageio-ffmpeg`` (H.264, ``yuv420p``), on its own thread. The MP4 is
written in fragments, so whatever reached the disk stays playable even if writing fails half-way
(a full or read-only disk): the encoder then stops and keeps the reason in :attr:`error`. Only a
bounded amount of frames waits for ffmpeg, and its log is read as it comes (a full pipe would stall it).

:class:`ReplayBuffer` keeps the last seconds of frames, JPEG-compressed, to be saved on demand
(instant replay).
"""

from __future__ import annotations

import collections
import subprocess
import threading
import time
from pathlib import Path

import cv2
import numpy as np

from cnnexplorer.core.i18n import tr

DEFAULT_FPS = 25
REPLAY_SECONDS = 30
MAX_QUEUED_BYTES = 256 * 2**20  # about 40 full-HD frames waiting for the encoder
_LOG_TAIL_BYTES = 4096


class RecordingError(RuntimeError):
    """The encoder could not start or had to stop; the message says why."""


def even_size(width: int, height: int, scale: float = 0.5) -> tuple[int, int]:
    """``scale`` × the size, rounded down to even numbers (H.264 needs them), at least 2×2."""
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)


def ffmpeg_exe() -> str:
    try:
        import imageio_ffmpeg
    except ImportError:
        raise RecordingError(tr("recording needs the imageio-ffmpeg package (pip install imageio-ffmpeg)")) from None
    return imageio_ffmpeg.get_ffmpeg_exe()


class VideoEncoder:
    """``start()``, then ``add(rgb)`` from one producer thread, ``close()``.

    Frames are resized to ``size`` (width, height; even) on the encoder thread. At most
    ``max_queued_bytes`` of frames wait for it, so a slow encoder never fills the memory: a frame
    that finds no room is dropped and counted in ``dropped`` (its time goes to the next frame that
    fits, so the video keeps the length recorded), unless ``add(..., wait=True)`` waits for room.
    ``written`` counts frames handed to ffmpeg; ``error`` says why writing failed (then later frames
    are dropped). ``file_size_limit`` (bytes, POSIX) makes ffmpeg's writes fail beyond it, as on a
    full disk; ``log_level`` is ffmpeg's ``-loglevel`` (its last line ends an error message)."""

    def __init__(self, path: Path | str, size: tuple[int, int], fps: int = DEFAULT_FPS,
                 file_size_limit: int | None = None, max_queued_bytes: int = MAX_QUEUED_BYTES,
                 log_level: str = "error") -> None:
        width, height = size
        if width % 2 or height % 2 or width < 2 or height < 2:
            raise ValueError(tr("video size must be even and at least 2×2, got {width}×{height}", width=width,
                                height=height))
        self.path, self.size, self.fps = Path(path), (width, height), fps
        self.written = 0
        self.dropped = 0
        self.error = ""
        self._limit, self._log_level = file_size_limit, log_level
        self._queue = _FrameQueue(max_queued_bytes)
        self._owed = 0  # copies of dropped frames, given to the next frame queued
        self._process: subprocess.Popen | None = None
        self._thread: threading.Thread | None = None
        self._stderr_reader: threading.Thread | None = None
        self._stderr_tail = b""

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start ffmpeg and the encoder thread. Raises RecordingError when either cannot start."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RecordingError(tr("cannot create the folder {folder}: {problem}", folder=self.path.parent,
                                    problem=exc.strerror or exc)) from None
        width, height = self.size
        command = [ffmpeg_exe(), "-hide_banner", "-nostats", "-loglevel", self._log_level, "-y",
                   "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", str(self.fps), "-i", "-",
                   "-an", "-c:v", "libx264", "-preset", "ultrafast", "-threads", "1", "-pix_fmt", "yuv420p",
                   "-movflags", "frag_keyframe+empty_moov+default_base_moof", "-g", str(self.fps), str(self.path)]
        try:
            self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                             stderr=subprocess.PIPE,
                                             preexec_fn=self._child_limits if self._limit is not None else None)
        except OSError as exc:
            raise RecordingError(tr("cannot start the video encoder: {problem}", problem=exc)) from None
        # ffmpeg's log is read while it runs: a full stderr pipe would stop ffmpeg, and then us
        self._stderr_reader = threading.Thread(target=self._read_stderr, name="VideoEncoderLog", daemon=True)
        self._stderr_reader.start()
        self._thread = threading.Thread(target=self._run, name="VideoEncoder", daemon=True)
        self._thread.start()

    def _child_limits(self) -> None:
        import resource  # POSIX only, like the limit itself
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (self._limit, self._limit))

    def add(self, rgb: np.ndarray, copies: int = 1, wait: bool = False) -> None:
        """Queue a frame ``copies`` times (to keep a constant rate when frames come late). Without
        room it is dropped, or with ``wait`` (a producer that may block) queued once there is room."""
        if self.error:
            return
        if self._queue.put(rgb, copies + self._owed, wait=wait and self.running):
            self._owed = 0
        else:
            self._owed += copies
            self.dropped += copies

    def close(self, timeout_s: float = 30.0) -> str:
        """Finish the file; returns why it failed ("" only when the whole file is written and closed)."""
        if self._thread is None:
            return self.error
        self._queue.end()
        self._thread.join(timeout_s)
        if self._thread.is_alive():
            return tr("{name} is still being written after {seconds} s", name=self.path.name, seconds=timeout_s)
        return self.error

    def _read_stderr(self) -> None:
        """Keep the end of ffmpeg's log (its last line says what went wrong)."""
        for chunk in iter(lambda: self._process.stderr.read1(65536), b""):
            self._stderr_tail = (self._stderr_tail + chunk)[-_LOG_TAIL_BYTES:]

    def _run(self) -> None:
        process = self._process
        last: np.ndarray | None = None
        resized: bytes = b""
        while (item := self._queue.get()) is not None:
            frame, copies = item
            if self.error:
                continue  # drained, so a producer waiting for room never waits forever
            try:
                if frame is not last:
                    last = frame
                    resized = _fit(frame, self.size).tobytes()
                for _ in range(copies):
                    process.stdin.write(resized)
                    self.written += 1
            except OSError as exc:
                self.error = tr("writing {name} failed ({problem})", name=self.path.name, problem=exc)
            except (cv2.error, ValueError) as exc:
                self.error = tr("{name}: a frame could not be encoded ({problem})", name=self.path.name,
                                problem=str(exc).strip().splitlines()[-1])
        self._finish(process)

    def _finish(self, process: subprocess.Popen) -> None:
        try:
            process.stdin.close()
        except OSError:
            pass
        code = process.wait()
        self._stderr_reader.join()
        if not self.error and code != 0:
            self.error = tr("writing {name} failed", name=self.path.name)
        elif not self.error and self.written == 0:
            self.error = tr("{name}: no frame was recorded", name=self.path.name)
        message = self._stderr_tail.decode(errors="replace").strip().splitlines()
        if self.error and message:
            self.error += f": {message[-1]}"


class _FrameQueue:
    """Frames waiting for the encoder, as (frame, copies), at most ``max_bytes`` of them (a single
    frame always fits, however large); ``end()`` queues the end mark and refuses later frames."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: collections.deque[tuple[np.ndarray, int] | None] = collections.deque()
        self._bytes = 0
        self._ended = False
        self._changed = threading.Condition()

    def _has_room(self, nbytes: int) -> bool:
        return not self._items or self._bytes + nbytes <= self.max_bytes

    def put(self, frame: np.ndarray, copies: int, wait: bool) -> bool:
        """Queue ``frame``; False when there is no room (without ``wait``) or the queue has ended."""
        with self._changed:
            if wait:
                self._changed.wait_for(lambda: self._ended or self._has_room(frame.nbytes))
            if self._ended or not self._has_room(frame.nbytes):
                return False
            self._items.append((frame, copies))
            self._bytes += frame.nbytes
            self._changed.notify_all()
            return True

    def end(self) -> None:
        with self._changed:
            if not self._ended:
                self._ended = True
                self._items.append(None)
                self._changed.notify_all()

    def get(self) -> tuple[np.ndarray, int] | None:
        """The next frame, waiting for one; None once the end is reached."""
        with self._changed:
            self._changed.wait_for(lambda: bool(self._items))
            item = self._items.popleft()
            if item is not None:
                self._bytes -= item[0].nbytes
            self._changed.notify_all()
            return item


def _fit(rgb: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    if rgb.ndim != 3 or rgb.shape[2] < 3:
        raise ValueError(tr("a video frame must be height × width × RGB, got shape {shape}", shape=rgb.shape))
    rgb = np.ascontiguousarray(rgb[..., :3], dtype=np.uint8)
    if (rgb.shape[1], rgb.shape[0]) != size:
        rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    return rgb


class FrameClock:
    """How many frames a constant-rate video owes at a moment: a tick that comes late repeats the
    frame so the video's length stays the wall-clock time recorded."""

    def __init__(self, fps: int = DEFAULT_FPS, start: float | None = None) -> None:
        self.fps = fps
        self.start = time.perf_counter() if start is None else start
        self.emitted = 0

    def due(self, now: float | None = None) -> int:
        now = time.perf_counter() if now is None else now
        owed = int((now - self.start) * self.fps) + 1 - self.emitted
        owed = max(0, owed)
        self.emitted += owed
        return owed

    def elapsed_s(self) -> float:
        return time.perf_counter() - self.start


class ReplayBuffer:
    """The last ``seconds`` of frames at ``fps``, kept as JPEG (a 960×540 frame is ~60 kB)."""

    def __init__(self, seconds: float = REPLAY_SECONDS, fps: int = DEFAULT_FPS, quality: int = 85) -> None:
        self.fps, self.quality = fps, quality
        self._frames: collections.deque[bytes] = collections.deque(maxlen=max(1, int(seconds * fps)))
        self._lock = threading.Lock()
        self.size: tuple[int, int] | None = None

    def __len__(self) -> int:
        return len(self._frames)

    def add(self, rgb: np.ndarray, copies: int = 1) -> None:
        ok, jpeg = cv2.imencode(".jpg", cv2.cvtColor(rgb[..., :3], cv2.COLOR_RGB2BGR),
                                [cv2.IMWRITE_JPEG_QUALITY, self.quality])
        if not ok:
            raise RecordingError(tr("a frame could not be compressed for the instant replay"))
        with self._lock:
            self.size = even_size(rgb.shape[1], rgb.shape[0], 1.0)
            self._frames.extend([jpeg.tobytes()] * copies)

    def save(self, path: Path | str) -> int:
        """Write the buffered frames as MP4; returns how many. Raises RecordingError on failure."""
        with self._lock:
            frames, size = list(self._frames), self.size
        if not frames or size is None:
            raise RecordingError(tr("nothing recorded yet for an instant replay"))
        encoder = VideoEncoder(path, size, self.fps)
        encoder.start()
        for jpeg in frames:
            rgb = cv2.cvtColor(cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
            encoder.add(rgb, wait=True)  # every frame, however far ahead of the encoder
        error = encoder.close()
        if error:
            raise RecordingError(error)
        return encoder.written
