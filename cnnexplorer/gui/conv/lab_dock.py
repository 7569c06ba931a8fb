"""The convolution lab dock: edit a kernel and its settings, watch the live frame's feature map."""

from __future__ import annotations

import logging

import numpy as np

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from cnnexplorer.core.conv.lab import LabResult, LabSettings, explain_output, run_lab
from cnnexplorer.core.conv.readouts import lab_arithmetic
from cnnexplorer.core.i18n import tr
from cnnexplorer.core.infra.timing import Stopwatch
from cnnexplorer.gui.conv.controls import ConvControls
from cnnexplorer.gui.conv.views import ConvViews
from cnnexplorer.gui.conv.explainer import ExplainerPanel
from cnnexplorer.gui.common.kernel_editor import KernelEditor
from cnnexplorer.gui.common.live_dock import LiveFrameDock
from cnnexplorer.gui.common.settings_strip import SettingsStrip, beside_strip
from cnnexplorer.gui.common.widget_state import apply_inputs, capture_inputs
from cnnexplorer.gui.common.live_source import LiveSource

log = logging.getLogger(__name__)

SCENE_EXCLUDED = {"editor.saved_combo", "editor_b.saved_combo"}  # the user's own files: not part of a scene
ARROWS = {Qt.Key.Key_Up: (-1, 0), Qt.Key.Key_Down: (1, 0), Qt.Key.Key_Left: (0, -1), Qt.Key.Key_Right: (0, 1)}


class ConvLabDock(LiveFrameDock):
    """Runs the lab on every new frame and on every edit (debounced), on the GUI thread: a 640×480
    frame takes a few milliseconds (``python -m cnnexplorer.bench conv``)."""

    def __init__(self, controller: LiveSource, parent=None, debounce_ms: int = 30) -> None:
        super().__init__(tr("Convolution lab"), controller, parent)
        self.setObjectName("ConvLabDock")
        self.editor = KernelEditor()
        self.controls = ConvControls()
        self.views = ConvViews()
        self.abs_box = QCheckBox(tr("|output|"), toolTip=tr("Show the absolute value of the output"))
        self.formula = QLabel(objectName="ConvFormula", wordWrap=True)
        self.formula.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.readout = QLabel(objectName="ConvReadout", wordWrap=True)
        self.explainer = ExplainerPanel()
        self.error = QLabel(objectName="ConvError", wordWrap=True)
        self.error.setStyleSheet("color: #b3261e;")
        self.settings: LabSettings = self.controls.settings(self.editor.kernel())
        self.result: LabResult | None = None
        self.selected_at: tuple[float, float] | None = None  # the explained pixel, in input coordinates
        # A/B: a second kernel on the same frame with the same stride/padding/pooling, shown beside A
        self.compare_box = QCheckBox(tr("Compare A/B"),
                                     toolTip=tr("Run a second kernel (B) on the same frame, side by side"))
        self.editor_b = KernelEditor()
        self.editor_b.setObjectName("KernelEditorB")
        self.copy_a_button = QPushButton(tr("B = copy of A"), toolTip=tr("Start B from kernel A, then edit it"))
        self.views_b = ConvViews()
        self.views_b.setObjectName("ConvViewsB")
        self.views_b.link_to(self.views)
        self.views_b.input_view.hide()  # B reads the same input: only its output is new
        self.result_b: LabResult | None = None
        self.settings_b: LabSettings | None = None

        settings = QWidget(objectName="ConvSettings")
        side_layout = QVBoxLayout(settings)
        side_layout.setContentsMargins(0, 0, 4, 0)
        side_layout.addWidget(self.editor)
        side_layout.addWidget(self.controls)
        side_layout.addWidget(self.abs_box)
        side_layout.addWidget(self.compare_box)
        self.b_group = QGroupBox(tr("Kernel B"))
        b_layout = QVBoxLayout(self.b_group)
        b_layout.addWidget(self.copy_a_button)
        b_layout.addWidget(self.editor_b)
        self.b_group.setVisible(False)
        side_layout.addWidget(self.b_group)
        side_layout.addWidget(self.error)
        side_layout.addStretch(1)
        self.strip = SettingsStrip(settings, tr("Kernel and settings"))
        pictures = QHBoxLayout()
        pictures.addWidget(self.views, 2)
        pictures.addWidget(self.views_b, 1)
        self.views_b.setVisible(False)
        arithmetic = QHBoxLayout()  # the explained pixel and the output-size formula side by side, under the pictures
        arithmetic.addWidget(self.explainer, 3)
        arithmetic.addWidget(self.formula, 1, Qt.AlignmentFlag.AlignTop)
        stage = QVBoxLayout()
        stage.setContentsMargins(0, 0, 0, 0)
        stage.addLayout(pictures, 3)
        stage.addWidget(self.readout)
        stage.addLayout(arithmetic, 2)
        self.setWidget(beside_strip(self.strip, stage, margin=4))

        self._debounce = QTimer(self, singleShot=True, interval=debounce_ms)
        self._debounce.timeout.connect(self.recompute)
        self.editor.kernel_changed.connect(self._schedule)
        self.controls.changed.connect(self._schedule)
        self.abs_box.toggled.connect(self._on_abs_toggled)
        self.compare_box.toggled.connect(self._on_compare_toggled)
        self.editor_b.kernel_changed.connect(self._schedule)
        self.copy_a_button.clicked.connect(lambda: self.editor_b.set_kernel(self.editor.kernel()))
        self.views.output_clicked.connect(self.explain)
        self.views.hovered.connect(self.readout.setText)
        self.explainer.pixel_requested.connect(self.explain)
        self.explainer.channel_changed.connect(lambda *_: self._refresh_explanation())
        self.follow_frames()
        if controller.current is not None:
            self._on_frame_changed(controller.current)

    # -- pipeline -------------------------------------------------------------------------------
    def _schedule(self, *_) -> None:
        self._debounce.start()

    def recompute(self) -> None:
        """Run the lab on the current frame with the current settings and draw it."""
        try:
            self.settings = self.controls.settings(self.editor.kernel())
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self.error.clear()
        if self.frame is None:
            return
        with Stopwatch() as process:
            self.result = run_lab(self.frame.rgb, self.settings)
        with Stopwatch() as draw:
            if self.result.output.size:
                self.views.draw(self.result, self.settings)
        self.result_shown(process=process.ms, draw=draw.ms)
        self.formula.setText(lab_arithmetic(self.settings, self.result))
        self._recompute_b()
        self.explainer.channel.setVisible(self.settings.channels == "rgb")
        if self.selected_at is None and self.result.output.size:
            out_h, out_w = self.result.output.shape[:2]
            self.explain(out_h // 2, out_w // 2)  # start with numbers on show: the centre pixel
        else:
            self._refresh_explanation()

    def _recompute_b(self) -> None:
        """Kernel B on the same frame with A's stride, padding, pooling and channels."""
        self.result_b = self.settings_b = None
        if not self.compare_box.isChecked():
            return
        try:
            self.settings_b = self.controls.settings(self.editor_b.kernel())
        except ValueError as exc:
            self.error.setText(tr("Kernel B: {error}", error=exc))
            return
        self.result_b = run_lab(self.frame.rgb, self.settings_b)
        if self.result_b.output.size:
            self.views_b.draw(self.result_b, self.settings_b)

    def _on_compare_toggled(self, checked: bool) -> None:
        self.b_group.setVisible(checked)
        self.views_b.setVisible(checked)
        self._schedule()

    def _on_abs_toggled(self, checked: bool) -> None:
        self.views.absolute = self.views_b.absolute = checked
        if self.result is not None and self.result.output.size:
            self.views.draw(self.result, self.settings)
        if self.result_b is not None and self.result_b.output.size:
            self.views_b.draw(self.result_b, self.settings_b)

    # -- explainer ---------------------------------------------------------------------------------
    def explain(self, oy: int, ox: int) -> None:
        if self.result is None or not self.result.output.size:
            return
        self.explainer.output_shape = self.result.output.shape[:2]
        explanation = explain_output(self.frame.rgb, self.settings, oy, ox,
                                     channel=self.explainer.channel.currentIndex(), result=self.result)
        self.explainer.show_explanation(oy, ox, explanation, self.result.input.shape[:2])
        self.selected_at = self.views.placement.centre_of(oy, ox)
        self.views.mark(oy, ox, explanation.conv.rows, explanation.conv.cols)
        self.last_explanation = explanation

    def _refresh_explanation(self) -> None:
        """Explain again after a new frame or setting: the output pixel now over the same input
        location (a stride or pooling change moves it), not the same index."""
        if self.selected_at is None or self.result is None or not self.result.output.size:
            return
        self.explain(*self.views.placement.nearest_index(*self.selected_at))

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in ARROWS and self.explainer.pixel is not None:
            self.explainer.step(*ARROWS[event.key()])
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:  # noqa: N802
        self.explainer.stop()
        super().closeEvent(event)

    def scene_state(self) -> dict:
        """This panel in a lecture scene: its settings, the kernels' weights (A and B), the explained pixel."""
        return {"inputs": capture_inputs(self, exclude=SCENE_EXCLUDED), "kernel": self.editor.kernel().tolist(),
                "kernel_b": self.editor_b.kernel().tolist(),
                "pixel": [int(v) for v in self.explainer.pixel] if self.explainer.pixel is not None else None}

    def apply_scene(self, state: dict) -> list[str]:
        skipped = apply_inputs(self, state.get("inputs", {}), exclude=SCENE_EXCLUDED)
        for key, editor in (("kernel", self.editor), ("kernel_b", self.editor_b)):
            if key in state:
                try:
                    editor.set_kernel(np.asarray(state[key], dtype=np.float32))
                except (TypeError, ValueError) as exc:
                    skipped.append(f"{key}: {exc}")
        pixel = state.get("pixel")
        if isinstance(pixel, list) and len(pixel) == 2 and all(isinstance(v, int) and v >= 0 for v in pixel):
            self.explainer.pixel = tuple(pixel)  # explained as soon as there is a result (now, or on the frame)
        self.recompute()
        return skipped


if __name__ == "__main__":
    import sys

    from cnnexplorer.gui.shell.standalone import run_dock

    sys.exit(run_dock(ConvLabDock))
