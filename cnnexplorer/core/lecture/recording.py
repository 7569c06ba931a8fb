"""Recording what a panel shows as MP4, off the GUI thread.

:class:`VideoEncoder` takes RGB frames (numpy, any size) and pipes them at a constant frame rate to
the ffmpeg that ships with ``imageio-ffmpeg`` (H.264, ``yuv420p``), on its own thread. The MP4 is
written in fragments, so whatever reached the disk stays playable even if writing fails half-way
(a full or read-only disk): the encoder then stops and keeps the reason in :attr:`error`.

:class:`ReplayBuffer` keeps the last seconds of frames, JPEG-compressed, to be saved on demand
(instant replay).
"""

from __future__ import annotations

import collections
import queue
import subprocess
import threading
import time
from pathlib import Path

import cv2
import numpy as np

from cnnexplorer.core.i18n import tr

DEFAULT_FPS = 25
REPLAY_SECONDS = 30


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
    """``start()``, then ``add(rgb)`` from any thread (never blocks: frames queue up), ``close()``.

    Frames are resized to ``size`` (width, height; even) on the encoder thread. ``written`` counts
    frames handed to ffmpeg; ``error`` is set if writing failed (then later frames are dropped).
    ``file_size_limit`` (bytes, POSIX) makes ffmpeg's writes fail beyond it, as on a full disk."""

    def __init__(self, path: Path | str, size: tuple[int, int], fps: int = DEFAULT_FPS,
                 file_size_limit: int | None = None) -> None:
        width, height = size
        if width % 2 or height % 2 or width < 2 or height < 2:
            raise ValueError(tr("video size must be even and at least 2×2, got {width}×{height}", width=width,
                                height=height))
        self.path, self.size, self.fps = Path(path), (width, height), fps
        self.written = 0
        self.error = ""
        self._limit = file_size_limit
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue()
        self._process: subprocess.Popen | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        width, height = self.size
        command = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
                   "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", str(self.fps), "-i", "-",
                   "-an", "-c:v", "libx264", "-preset", "ultrafast", "-threads", "1", "-pix_fmt", "yuv420p",
                   "-movflags", "frag_keyframe+empty_moov+default_base_moof", "-g", str(self.fps), str(self.path)]
        try:
            self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                             stderr=subprocess.PIPE,
                                             preexec_fn=self._child_limits if self._limit is not None else None)
        except OSError as exc:
            raise RecordingError(tr("cannot start the video encoder: {problem}", problem=exc)) from None
        self._thread = threading.Thread(target=self._run, name="VideoEncoder", daemon=True)
        self._thread.start()

    def _child_limits(self) -> None:
        import resource  # POSIX only, like the limit itself
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (self._limit, self._limit))

    def add(self, rgb: np.ndarray, copies: int = 1) -> None:
        """Queue a frame ``copies`` times (to keep a constant rate when frames come late)."""
        if not self.error:
            for _ in range(copies):
                self._queue.put(rgb)

    def close(self, timeout_s: float = 30.0) -> str:
        """Finish the file; returns the error, if writing failed ("" when all went well)."""
        if self._thread is None:
            return self.error
        self._queue.put(None)
        self._thread.join(timeout_s)
        return self.error

    def _run(self) -> None:
        process = self._process
        last: np.ndarray | None = None
        resized: bytes = b""
        try:
            while True:
                frame = self._queue.get()
                if frame is None:
                    break
                if self.error:
                    continue
                if frame is not last:
                    last = frame
                    resized = _fit(frame, self.size).tobytes()
                process.stdin.write(resized)
                self.written += 1
        except (BrokenPipeError, OSError) as exc:
            self.error = tr("writing {name} failed ({problem})", name=self.path.name, problem=exc)
        finally:
            try:
                process.stdin.close()
            except OSError:
                pass
            code = process.wait()
            message = process.stderr.read().decode(errors="replace").strip().splitlines()
            if code != 0 and not self.error:
                self.error = tr("writing {name} failed", name=self.path.name)
            if self.error and message:
                self.error += f": {message[-1]}"


def _fit(rgb: np.ndarray, size: tuple[int, int]) -> np.ndarray:
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
        if ok:
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
            encoder.add(cv2.cvtColor(cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB))
        error = encoder.close()
        if error:
            raise RecordingError(error)
        return encoder.written
