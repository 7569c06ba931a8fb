"""The source dock: choose camera, file, sample or pattern; see the live frame; freeze it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cnnexplorer.core.frames.frame import Frame
from cnnexplorer.core.frames.sources import CAMERA_SIZES, catalogue
from cnnexplorer.core.i18n import tr
from cnnexplorer.core.infra.timing import SOURCE, Stopwatch
from cnnexplorer.gui.common.frozen_badge import FrozenBadge
from cnnexplorer.gui.common.picture_view import PictureView
from cnnexplorer.gui.common.stage import lesson_picture
from cnnexplorer.gui.source.cameras import CameraList
from cnnexplorer.gui.source.controller import SourceController
from cnnexplorer.gui.source.names import shown_label

CAMERA_ITEM = "camera"


class SourceDock(QDockWidget):
    """View and controls over a :class:`SourceController`."""

    open_file_requested = Signal()

    def __init__(self, controller: SourceController, parent=None) -> None:
        super().__init__(tr("Source"), parent)
        self.setObjectName("SourceDock")
        self.controller = controller

        self.source_combo = QComboBox(toolTip=tr("Where frames come from (N: next source)"))
        self.camera_name = QComboBox(toolTip=tr("The attached cameras (refreshed when one is plugged in or out)"))
        self.source_combo.addItem(tr("Camera"), CAMERA_ITEM)
        self.source_combo.insertSeparator(1)
        for spec in catalogue():
            self.source_combo.addItem(shown_label(spec), spec)
        for combo in (self.source_combo, self.camera_name):  # long names must not widen the panel
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
        self.open_button = QPushButton(tr("Open…"), toolTip=tr("Open an image or video file (Ctrl+O)"))
        self.freeze_button = QPushButton(tr("Freeze"), checkable=True, toolTip=tr("Hold the current frame (Space)"))

        self.camera_index = QSpinBox(minimum=0, maximum=9, prefix="#", toolTip=tr("Camera index"))
        self.cameras = CameraList(self)
        self.camera_size = QComboBox(toolTip=tr("Camera resolution requested from the driver"))
        for width, height in CAMERA_SIZES:
            self.camera_size.addItem(f"{width}×{height}", (width, height))
        self.mirror_box = QCheckBox(tr("Mirror"), checked=controller.mirror, toolTip=tr("Selfie view for cameras"))

        self.view = lesson_picture(PictureView(nearest=False))  # a photo: smooth when shrunk
        self.view.setObjectName("SourcePicture")
        self.status = QLabel(wordWrap=True)
        self.readout = QLabel(toolTip=tr("The pixel under the mouse"))

        top = QHBoxLayout()
        top.addWidget(self.source_combo, 1)
        top.addWidget(self.open_button)
        top.addWidget(self.freeze_button)
        camera_row = QHBoxLayout()
        camera_row.addWidget(QLabel(tr("Camera")))
        camera_row.addWidget(self.camera_index)
        camera_row.addWidget(self.camera_name, 1)
        camera_row.addWidget(self.camera_size)
        camera_row.addWidget(self.mirror_box)
        camera_row.addStretch(1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addLayout(camera_row)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.readout)
        self.setWidget(body)
        self.frozen_badge = FrozenBadge(self, controller)

        self.source_combo.activated.connect(self._on_combo_activated)
        self.camera_index.valueChanged.connect(self._on_camera_settings_changed)
        self.camera_index.valueChanged.connect(self._show_camera_name)
        self.camera_name.activated.connect(self.camera_index.setValue)
        self.cameras.changed.connect(self.set_camera_names)
        self.set_camera_names(self.cameras.names)
        self.camera_size.activated.connect(self._on_camera_settings_changed)
        self.mirror_box.toggled.connect(controller.set_mirror)
        self.open_button.clicked.connect(self.open_file_requested)
        self.freeze_button.toggled.connect(controller.set_frozen)
        self.view.readout.connect(self.readout.setText)
        controller.frame_changed.connect(self._on_frame_changed)
        controller.state_changed.connect(self._on_state_changed)
        controller.source_changed.connect(self._on_source_changed)
        controller.frozen_changed.connect(self._on_frozen_changed)
        controller.source_failed.connect(self._on_source_failed)

    # -- widget → controller -------------------------------------------------------------------
    def camera_spec(self) -> str:
        width, height = self.camera_size.currentData()
        return f"camera:{self.camera_index.value()}@{width}x{height}"

    def _on_combo_activated(self, index: int) -> None:
        spec = self.source_combo.itemData(index)
        self.controller.set_source(self.camera_spec() if spec == CAMERA_ITEM else spec)

    def _on_camera_settings_changed(self, *_) -> None:
        if self.controller.spec.startswith("camera"):
            self.controller.set_source(self.camera_spec())

    def set_camera_names(self, names: list[str]) -> None:
        """List the cameras by name (the number box stays the choice underneath); with no names
        (none attached, or Qt Multimedia unavailable) only the number box shows, saying why."""
        with QSignalBlocker(self.camera_name):
            self.camera_name.clear()
            self.camera_name.addItems([f"{i}: {name}" for i, name in enumerate(names)])
        self.camera_name.setVisible(bool(names))
        self.camera_index.setVisible(not names)
        if not self.cameras.available:
            self.camera_index.setToolTip(tr("Camera index — {reason}", reason=self.cameras.reason))
        elif not names:
            self.camera_index.setToolTip(tr("Camera index — no camera is attached now"))
        self._show_camera_name(self.camera_index.value())

    def _show_camera_name(self, index: int) -> None:
        if 0 <= index < self.camera_name.count():
            with QSignalBlocker(self.camera_name):
                self.camera_name.setCurrentIndex(index)

    # -- controller → widget -------------------------------------------------------------------
    def _on_frame_changed(self, frame: Frame) -> None:
        with Stopwatch() as watch:
            self.view.show_frame(frame.rgb)
        self.controller.timer.record("draw", watch.ms, pipeline=SOURCE)
        self.controller.timer.frame_done(SOURCE)
        height, width = frame.rgb.shape[:2]
        self.status.setText(tr("{source} · {width}×{height} · frame {index}", source=shown_label(
            self.controller.spec, self.controller.label), width=width, height=height, index=frame.index))

    def _on_state_changed(self, state: str, message: str) -> None:
        lost = state == "lost"
        self.view.set_greyed(lost, tr("camera lost — retrying") if lost else "")
        if lost:
            self.status.setText(message)

    def _on_source_changed(self, spec: str, label: str) -> None:
        with QSignalBlocker(self.source_combo):
            if spec.startswith("camera"):
                index = self.source_combo.findData(CAMERA_ITEM)
            else:
                index = self.source_combo.findData(spec)
                if index < 0:
                    self.source_combo.addItem(tr("File: {name}", name=Path(spec).name), spec)
                    index = self.source_combo.count() - 1
            self.source_combo.setCurrentIndex(index)
        self.view.set_greyed(False)

    def _on_frozen_changed(self, frozen: bool) -> None:
        with QSignalBlocker(self.freeze_button):
            self.freeze_button.setChecked(frozen)
        self.freeze_button.setText(tr("Frozen") if frozen else tr("Freeze"))

    def _on_source_failed(self, spec: str, message: str) -> None:
        self.status.setText(tr("Could not open {spec}: {message}", spec=spec, message=message))

    # -- scenes -------------------------------------------------------------------------------
    def scene_state(self) -> dict:
        """The source of a scene: what is shown, whether it is frozen, the camera settings."""
        return {"spec": self.controller.spec, "frozen": self.controller.frozen, "mirror": self.mirror_box.isChecked(),
                "camera_size": self.camera_size.currentText()}

    def apply_scene(self, state: dict) -> list[str]:
        skipped = []
        if isinstance(state.get("mirror"), bool):
            self.mirror_box.setChecked(state["mirror"])
        size = self.camera_size.findText(str(state.get("camera_size", self.camera_size.currentText())))
        if size >= 0:
            self.camera_size.setCurrentIndex(size)
        spec, frozen = state.get("spec"), state.get("frozen", False)
        if not isinstance(spec, str) or not spec:
            return skipped + [tr("source: none named; the current one stays")]
        kind = spec.partition(":")[0]
        if kind not in ("camera", "sample", "pattern") and not Path(spec).is_file():
            return skipped + [tr("source: {spec} is not there; the current one stays", spec=spec)]
        if not self.controller.show_source(spec, bool(frozen)):
            skipped.append(tr("source: {spec} cannot be opened; the current one stays", spec=spec))
        return skipped


if __name__ == "__main__":
    import sys

    from cnnexplorer.gui.shell.standalone import run_dock

    sys.exit(run_dock(SourceDock))
