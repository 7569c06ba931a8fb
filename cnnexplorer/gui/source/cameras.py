"""The attached cameras by name (Qt Multimedia), refreshed when one is plugged in or out.

Qt Multimedia is optional: where it cannot load (e.g. no PulseAudio library on a server) the
source panel keeps its camera number box and says why the names are missing."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from cnnexplorer.core.i18n import tr

log = logging.getLogger(__name__)


class CameraList(QObject):
    """``names`` in device order (the index OpenCV opens); ``changed(names)`` on plug in/out.
    ``available`` is False (with ``reason``) when Qt Multimedia cannot be loaded."""

    changed = Signal(list)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.names: list[str] = []
        self.reason = ""
        self._devices = None
        try:
            from PySide6.QtMultimedia import QMediaDevices
        except ImportError as exc:  # a missing system library, not a bug: fall back to numbers
            log.info("camera names need Qt Multimedia, which cannot load here (%s)", exc)
            self.reason = tr("camera names need Qt Multimedia, which cannot load here ({error})", error=exc)
            return
        self._devices = QMediaDevices(self)
        self._devices.videoInputsChanged.connect(self.refresh)
        self.refresh()

    @property
    def available(self) -> bool:
        return self._devices is not None

    def refresh(self) -> None:
        from PySide6.QtMultimedia import QMediaDevices

        names = [device.description() for device in QMediaDevices.videoInputs()]
        if names != self.names:
            self.names = names
            self.changed.emit(names)
