"""Kernel editor: a grid of editable weights, colour-coded, with presets, tools and saved kernels."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cnnexplorer.core.conv import kernels
from cnnexplorer.core.display.colormap import DIVERGING
from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.gui.common.language import holds_user_names

SIZED_PRESETS = {"box blur", "gaussian", "motion blur", "gabor"}
CUSTOM = "custom"  # the preset box once the kernel is edited (unless it equals a preset exactly)
# The presets as the box shows them; the English key stays the item's data (logic, scenes, files).
PRESET_LABELS = {
    "identity": N_("identity"), "box blur": N_("box blur"), "gaussian": N_("gaussian"), "sharpen": N_("sharpen"),
    "edge detect": N_("edge detect"), "sobel x": N_("sobel x"), "sobel y": N_("sobel y"),
    "scharr x": N_("scharr x"), "scharr y": N_("scharr y"), "prewitt x": N_("prewitt x"),
    "prewitt y": N_("prewitt y"), "laplacian": N_("laplacian"), "emboss": N_("emboss"), "outline": N_("outline"),
    "motion blur": N_("motion blur"), "gabor": N_("gabor"), CUSTOM: N_("custom"),
}
ROW_HEIGHT, ROWS_SHOWN = 28, 7  # the grid grows to show up to 7×7 kernels whole


def preset_label(name: str) -> str:
    """A preset's name as shown, in the current language."""
    return tr(PRESET_LABELS.get(name, name))


class KernelEditor(QWidget):
    """Edits one 2-D kernel; ``kernel_changed`` carries a copy after every accepted edit."""

    kernel_changed = Signal(object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("KernelEditor")
        self._kernel = kernels.preset("sharpen")

        self.rows = QSpinBox(minimum=1, maximum=kernels.MAX_SIZE, value=3, toolTip=tr("Kernel rows"))
        self.cols = QSpinBox(minimum=1, maximum=kernels.MAX_SIZE, value=3, toolTip=tr("Kernel columns"))
        self.table = QTableWidget(3, 3)
        self.table.setObjectName("KernelGrid")
        for header in (self.table.horizontalHeader(), self.table.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            header.setMinimumSectionSize(ROW_HEIGHT)
        self.hint = QLabel(objectName="KernelHint", wordWrap=True)
        self.hint.setStyleSheet("color: #b3261e;")

        self.preset_combo = QComboBox(toolTip=tr("Load a preset kernel"))
        for name in (*kernels.PRESETS, CUSTOM):
            self.preset_combo.addItem(preset_label(name), name)
        self._select_preset("sharpen")
        self.preset_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.preset_size = QSpinBox(minimum=1, maximum=kernels.MAX_SIZE, value=5, toolTip=tr("Preset size"))
        self.sigma = QDoubleSpinBox(minimum=0.1, maximum=20, value=1.5, singleStep=0.1, prefix="σ ")
        self.gabor = {
            "theta": QDoubleSpinBox(minimum=0, maximum=180, value=0, suffix="°", prefix="θ "),
            "lambd": QDoubleSpinBox(minimum=1, maximum=30, value=6, prefix="λ "),
            "gamma": QDoubleSpinBox(minimum=0.05, maximum=5, value=0.5, singleStep=0.05, prefix="γ "),
            "psi": QDoubleSpinBox(minimum=-180, maximum=180, value=0, suffix="°", prefix="ψ "),
        }
        apply_preset = QPushButton(tr("Load preset"))

        tools = {
            N_("Normalise"): self._normalise,
            N_("Clear"): lambda: self.set_kernel(np.zeros_like(self._kernel)),
            N_("Random"): self._randomise,
            N_("Flip ↔"): lambda: self.set_kernel(self._kernel[:, ::-1]),
            N_("Flip ↕"): lambda: self.set_kernel(self._kernel[::-1, :]),
            N_("Transpose"): lambda: self.set_kernel(self._kernel.T),
        }
        self.scale = QDoubleSpinBox(minimum=-100, maximum=100, value=2.0, singleStep=0.5, prefix="× ")
        scale_button = QPushButton(tr("Scale"))
        scale_button.clicked.connect(lambda: self.set_kernel(self._kernel * self.scale.value()))

        self.saved_combo = holds_user_names(QComboBox(toolTip=tr("Your saved kernels")))
        save_button, load_button = QPushButton(tr("Save as…")), QPushButton(tr("Load"))
        import_button, export_button = QPushButton(tr("Import…")), QPushButton(tr("Export…"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        size_row = QHBoxLayout()
        size_row.addWidget(QLabel(tr("Size")))
        size_row.addWidget(self.rows)
        size_row.addWidget(QLabel("×"))
        size_row.addWidget(self.cols)
        size_row.addStretch(1)
        layout.addLayout(size_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        tool_grid = QGridLayout()
        for i, (name, action) in enumerate(tools.items()):
            button = QPushButton(tr(name))
            button.clicked.connect(lambda *_, a=action: a())
            tool_grid.addWidget(button, i // 3, i % 3)
        tool_grid.addWidget(self.scale, 2, 0, 1, 2)
        tool_grid.addWidget(scale_button, 2, 2)
        layout.addLayout(tool_grid)
        preset_form = QFormLayout()
        preset_row = QHBoxLayout()
        preset_row.addWidget(self.preset_combo, 1)
        preset_row.addWidget(apply_preset)
        preset_form.addRow(tr("Preset"), preset_row)
        params = QGridLayout()  # two a row: the strip stays narrow
        for i, box in enumerate((self.preset_size, self.sigma, *self.gabor.values())):
            params.addWidget(box, i // 2, i % 2)
        preset_form.addRow("", params)
        saved_row = QHBoxLayout()
        saved_row.addWidget(self.saved_combo, 1)
        saved_row.addWidget(load_button)
        preset_form.addRow(tr("Mine"), saved_row)
        file_row = QHBoxLayout()
        for button in (save_button, import_button, export_button):
            file_row.addWidget(button)
        preset_form.addRow("", file_row)
        layout.addLayout(preset_form)

        self.rows.valueChanged.connect(self._on_size_changed)
        self.cols.valueChanged.connect(self._on_size_changed)
        self.table.itemChanged.connect(self._on_item_changed)
        apply_preset.clicked.connect(self.load_preset)
        self.preset_combo.currentIndexChanged.connect(lambda *_: self._on_preset_selected(self.preset_name()))
        save_button.clicked.connect(self._save_as)
        load_button.clicked.connect(self._load_saved)
        import_button.clicked.connect(self._import)
        export_button.clicked.connect(self._export)
        self._on_preset_selected(self.preset_name())
        self.refresh_saved()
        self._show(self._kernel)

    # -- the kernel -------------------------------------------------------------------------------
    def kernel(self) -> np.ndarray:
        return self._kernel.copy()

    def preset_name(self) -> str:
        """The English key of the preset the box shows (its label may be translated)."""
        return self.preset_combo.currentData() or CUSTOM

    def _select_preset(self, name: str) -> None:
        self.preset_combo.setCurrentIndex(self.preset_combo.findData(name))

    def set_kernel(self, kernel, preset: str | None = None) -> None:
        """Show and announce ``kernel`` (validated: 2-D, 1…15 a side, finite); the preset box names
        ``preset``, else the preset the kernel equals, else "custom"."""
        self._kernel = kernels.check_kernel(np.ascontiguousarray(kernel, dtype=np.float32)).copy()
        self._show(self._kernel)
        name = preset or kernels.preset_named(self._kernel) or CUSTOM
        with QSignalBlocker(self.preset_combo):
            self._select_preset(name)
        self._on_preset_selected(name)
        self.hint.clear()
        self.kernel_changed.emit(self.kernel())

    def load_preset(self) -> None:
        name = self.preset_name()
        if name == CUSTOM:
            return
        size = self.preset_size.value()
        if name == "gaussian":
            kernel = kernels.gaussian(size, self.sigma.value())
        elif name == "gabor":
            g = {k: box.value() for k, box in self.gabor.items()}
            kernel = kernels.gabor(size, math.radians(g["theta"]), g["lambd"], self.sigma.value(), g["gamma"],
                                   math.radians(g["psi"]))
        elif name in SIZED_PRESETS:
            kernel = kernels.PRESETS[name](size)
        else:
            kernel = kernels.preset(name)
        self.set_kernel(kernel, name)

    # -- grid -----------------------------------------------------------------------------------
    def _show(self, kernel: np.ndarray) -> None:
        with QSignalBlocker(self.table), QSignalBlocker(self.rows), QSignalBlocker(self.cols):
            self.rows.setValue(kernel.shape[0])
            self.cols.setValue(kernel.shape[1])
            self.table.setRowCount(kernel.shape[0])
            self.table.setColumnCount(kernel.shape[1])
            self._fit_rows(kernel.shape[0])
            top = float(np.abs(kernel).max()) or 1.0
            for (r, c), value in np.ndenumerate(kernel):
                item = self.table.item(r, c)
                if item is None:
                    item = QTableWidgetItem()
                    self.table.setItem(r, c, item)
                item.setText(kernels.format_weight(float(value)))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                colour = DIVERGING[int(np.clip((value / top + 1) * 127.5, 0, 255))]
                item.setBackground(QBrush(QColor(*map(int, colour))))
                item.setForeground(QBrush(QColor("white" if abs(value) / top > 0.6 else "black")))

    def _fit_rows(self, rows: int) -> None:
        """Tall enough for every row of kernels up to ``ROWS_SHOWN`` (larger ones scroll)."""
        shown = min(max(rows, 3), ROWS_SHOWN)
        header = self.table.horizontalHeader().sizeHint().height()
        self.table.setMinimumHeight(header + shown * ROW_HEIGHT + 2 * self.table.frameWidth())

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        r, c = item.row(), item.column()
        try:
            value = kernels.parse_weight(item.text())
        except ValueError:
            self.hint.setText(tr("“{text}” is not a finite number — cell ({row}, {column}) keeps {value}",
                                 text=item.text(), row=r + 1, column=c + 1,
                                 value=kernels.format_weight(float(self._kernel[r, c]))))
            self._show(self._kernel)
            return
        kernel = self._kernel.copy()
        kernel[r, c] = value
        self.set_kernel(kernel)

    def _on_size_changed(self, *_) -> None:
        self.set_kernel(kernels.resized(self._kernel, self.rows.value(), self.cols.value()))

    def _normalise(self) -> None:
        self.set_kernel(kernels.normalised(self._kernel))

    def _randomise(self) -> None:
        rng = np.random.default_rng()
        self.set_kernel(rng.normal(0, 1, self._kernel.shape).astype(np.float32))

    def _on_preset_selected(self, name: str) -> None:
        self.preset_size.setVisible(name in SIZED_PRESETS)
        self.sigma.setVisible(name in ("gaussian", "gabor"))
        for box in self.gabor.values():
            box.setVisible(name == "gabor")

    # -- saved kernels --------------------------------------------------------------------------
    def refresh_saved(self) -> None:
        self.saved_combo.clear()
        self.saved_combo.addItems(list(kernels.user_kernels()))

    def save_as(self, name: str) -> Path:
        path = kernels.save_kernel(name, self._kernel)
        self.refresh_saved()
        self.saved_combo.setCurrentText(name)
        return path

    def _save_as(self) -> None:
        name, ok = QInputDialog.getText(self, tr("Save kernel"), tr("Name:"))
        if ok and name:
            try:
                self.save_as(name)
            except (ValueError, OSError) as exc:
                self.hint.setText(str(exc))

    def _load_saved(self) -> None:
        path = kernels.user_kernels().get(self.saved_combo.currentText())
        if path:
            self.load_file(path)

    def load_file(self, path: Path) -> bool:
        try:
            self.set_kernel(kernels.import_kernel(path))
        except ValueError as exc:
            self.hint.setText(str(exc))
            return False
        return True

    def _import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Import kernel"), "", tr("Kernels (*.json)"))
        if path:
            self.load_file(Path(path))

    def _export(self) -> None:
        title, files = tr("Export kernel"), tr("Kernels (*.json)")
        path, _ = QFileDialog.getSaveFileName(self, title, "kernel.json", files)  # i18n: keep
        if path:
            try:
                kernels.export_kernel(Path(path), self._kernel)
            except (ValueError, OSError) as exc:
                self.hint.setText(str(exc))
