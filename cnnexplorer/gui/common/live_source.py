"""What a panel needs of the frame source it follows, so ``gui/common`` and the rooms depend on this
shape and not on ``gui/source``, whose :class:`SourceController` provides it."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import SignalInstance

from cnnexplorer.core.frames.frame import Frame
from cnnexplorer.core.infra.timing import PipelineTimer


class LiveSource(Protocol):
    frame_changed: SignalInstance  # (Frame): a new current frame
    frozen_changed: SignalInstance  # (bool)
    current: Frame | None  # the newest frame, or the held one while frozen
    frozen: bool
    timer: PipelineTimer  # where panels record how long their stages took

    def set_frozen(self, frozen: bool) -> None: ...
