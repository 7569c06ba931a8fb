"""What the Attribution panel's tabs and its scene use of the dock that holds them.

The tabs (:mod:`.frozen_frame_panel`, :mod:`.channel_picture_panel`) and :mod:`.attribution_scene`
name this shape instead of :class:`~cnnexplorer.gui.models.attribution_dock.AttributionDock`, so the
dock imports its parts and no part imports the dock back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtWidgets import QComboBox, QSlider, QTabWidget

from cnnexplorer.core.frames.frame import Frame
from cnnexplorer.core.models.attribution.live import CamAnswer
from cnnexplorer.gui.common.picture_view import PictureView
from cnnexplorer.gui.common.workers import TaskThread
from cnnexplorer.gui.models.attribution_tools import ClassPicker, PictureRelay
from cnnexplorer.gui.models.model_session import ModelSession


class AttributionHost(Protocol):
    """The dock (a QWidget: the scene reads and sets the inputs under it)."""

    session: ModelSession
    class_picker: ClassPicker
    last: CamAnswer | None  # the newest live answer
    tabs: QTabWidget
    relay: PictureRelay  # pictures from a task thread to the tabs
    task: TaskThread | None  # the one stoppable task running, if any
    opacity: QSlider
    colours: QComboBox
    view: PictureView  # the live map

    @property
    def frame(self) -> Frame | None: ...

    def cam_layer(self) -> str: ...

    def recompute(self, *_) -> None: ...

    def start_task(self, name: str, work: Callable[[TaskThread], Any], on_done: Callable[[Any], None],
                   message: str) -> bool: ...
