"""Frame sources behind one interface: camera, video file, image file, shipped sample, pattern.

A source is opened, read and closed on one thread (the GUI's source worker); every ``read``
returns an (H, W, 3) uint8 RGB frame, or ``None`` when the device has no frame to give.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from pathlib import Path

import cv2
import numpy as np

from cnnexplorer.core.frames import patterns
from cnnexplorer.core.frames.images import IMAGE_SUFFIXES, ImageLoadError, load_image
from cnnexplorer.core.i18n import tr
from cnnexplorer.core.infra.resources import resources_dir

VIDEO_SUFFIXES = (".avi", ".mp4", ".mov", ".mkv", ".webm", ".m4v", ".mpg", ".mpeg", ".wmv")
DEFAULT_SAMPLE = "sample:chelsea"
CAMERA_SIZES = ((640, 480), (1280, 720), (1920, 1080), (320, 240))


class SourceError(ValueError):
    """A source spec is malformed, or the thing it names cannot be opened."""


class FrameSource(ABC):
    """One place frames come from."""

    spec: str
    """A string :func:`open_source` turns back into an equal source (kept in settings)."""
    label: str
    """What the source is called on screen, in the current language (read it each time)."""
    live: bool = False
    """Frames change over time: the worker keeps reading."""
    watch_stalls: bool = False
    """A device that repeats one frame for long has stalled (cameras do this when unplugged)."""
    frame_interval: float = 0.0
    """Seconds between frames when ``read`` does not pace itself (video files)."""

    @abstractmethod
    def open(self) -> None:
        """Acquire the device or load the file; raise :class:`SourceError` if impossible."""

    @abstractmethod
    def read(self) -> np.ndarray | None:
        """The next RGB frame, or ``None`` if the device gave none."""

    def close(self) -> None:
        """Release the device; safe to call twice."""


class StillSource(FrameSource):
    """One frame that never changes: an image file, a shipped sample or a pattern.

    ``label`` is a text, or a function giving it (so it follows a change of language)."""

    def __init__(self, spec: str, label, load) -> None:
        self.spec, self._label, self._load = spec, label, load
        self._frame: np.ndarray | None = None

    @property
    def label(self) -> str:
        return self._label() if callable(self._label) else self._label

    def open(self) -> None:
        try:
            self._frame = self._load()
        except ImageLoadError as exc:
            raise SourceError(str(exc)) from None

    def read(self) -> np.ndarray | None:
        return self._frame


class CameraSource(FrameSource):
    """A webcam through ``cv2.VideoCapture``; ``device`` may also be a video path standing in for one."""

    live = True
    watch_stalls = True

    def __init__(self, device: int | str = 0, size: tuple[int, int] | None = None, mirror: bool = True) -> None:
        self.device, self.size, self.mirror = device, size, mirror
        size_part = f"@{size[0]}x{size[1]}" if size else ""
        self.spec = f"camera:{device}{size_part}"
        self._capture: cv2.VideoCapture | None = None

    @property
    def label(self) -> str:
        if self.size:
            return tr("Camera {device} ({width}×{height})", device=self.device, width=self.size[0],
                      height=self.size[1])
        return tr("Camera {device}", device=self.device)

    def open(self) -> None:
        capture = cv2.VideoCapture(self.device)
        if not capture.isOpened():
            capture.release()
            raise SourceError(tr("camera {device} is not available", device=self.device))
        if self.size:
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.size[0])
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.size[1])
        capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # keep the driver queue short: latest frame wins
        self._capture = capture

    def read(self) -> np.ndarray | None:
        if self._capture is None:
            return None
        ok, bgr = self._capture.read()
        if not ok or bgr is None or bgr.size == 0:
            return None
        return bgr_to_rgb(bgr, mirror=self.mirror)

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


class VideoSource(FrameSource):
    """A video file played in a loop at its own frame rate."""

    live = True

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.spec = str(self.path)
        self.label = self.path.name
        self._capture: cv2.VideoCapture | None = None

    def open(self) -> None:
        if not self.path.is_file():
            raise SourceError(tr("{path}: no such video file", path=self.path))
        capture = cv2.VideoCapture(str(self.path))
        if not capture.isOpened():
            capture.release()
            raise SourceError(tr("{name}: not a video OpenCV can read", name=self.path.name))
        fps = capture.get(cv2.CAP_PROP_FPS)
        self.frame_interval = 1.0 / fps if 1.0 <= fps <= 240.0 else 1.0 / 25.0
        self._capture = capture

    def read(self) -> np.ndarray | None:
        if self._capture is None:
            return None
        ok, bgr = self._capture.read()
        if not ok:  # end of file: loop
            self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, bgr = self._capture.read()
        return bgr_to_rgb(bgr) if ok and bgr is not None else None

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


def bgr_to_rgb(bgr: np.ndarray, *, mirror: bool = False) -> np.ndarray:
    """OpenCV's BGR (or gray) frame as RGB, optionally mirrored left-right (selfie view)."""
    if mirror:
        bgr = cv2.flip(bgr, 1)
    if bgr.ndim == 2:
        return cv2.cvtColor(bgr, cv2.COLOR_GRAY2RGB)
    return cv2.cvtColor(bgr, cv2.COLOR_BGRA2RGB if bgr.shape[2] == 4 else cv2.COLOR_BGR2RGB)


def samples() -> dict[str, Path]:
    """The shipped sample photographs by name (file stem)."""
    folder = resources_dir() / "images"
    return {p.stem: p for p in sorted(folder.iterdir()) if p.suffix.lower() in IMAGE_SUFFIXES}


_CAMERA_SPEC = re.compile(r"^camera(?::(\d+))?(?:@(\d+)x(\d+))?$")


def open_source(spec: str, *, mirror: bool = True) -> FrameSource:
    """Turn a spec string into a (not yet opened) source.

    Specs: ``camera[:INDEX][@WxH]``, ``sample:NAME``, ``pattern:NAME``, or a path to an image or
    video file. Raises :class:`SourceError` for anything else.
    """
    spec = spec.strip()
    if match := _CAMERA_SPEC.match(spec):
        index, width, height = match.groups()
        size = (int(width), int(height)) if width else None
        if size and (size[0] < 1 or size[1] < 1):
            raise SourceError(tr("camera resolution must be positive, got {width}x{height}", width=width,
                                 height=height))
        return CameraSource(int(index or 0), size, mirror=mirror)
    kind, _, name = spec.partition(":")
    if kind == "sample" and name:
        found = samples()
        if name not in found:
            raise SourceError(tr("no sample image {name}; choose from {choices}", name=repr(name),
                                 choices=", ".join(found)))
        return StillSource(spec, lambda: tr("Sample: {name}", name=name), lambda: load_image(found[name]))
    if kind == "pattern" and name:
        if name not in patterns.PATTERNS:
            raise SourceError(tr("no pattern {name}; choose from {choices}", name=repr(name),
                                 choices=", ".join(patterns.PATTERNS)))
        return StillSource(spec, lambda: tr("Pattern: {name}", name=tr(name)), lambda: patterns.pattern(name))
    if not spec:
        raise SourceError(tr("empty source: give camera[:N], sample:NAME, pattern:NAME or a file path"))
    path = Path(spec).expanduser()
    if path.suffix.lower() in VIDEO_SUFFIXES:
        return VideoSource(path)
    return StillSource(str(path), path.name, lambda: load_image(path))


def catalogue() -> list[str]:
    """Every built-in source spec in the order "next source" cycles through."""
    return [f"sample:{name}" for name in samples()] + [f"pattern:{name}" for name in patterns.PATTERNS]
