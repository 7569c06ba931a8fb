"""The training tab's settings: dataset, model, hyper-parameters, seed. Its readers
(``dataset_spec``, ``model_spec``, ``run_file``, ``config``) run on the GUI thread and return plain
values for the worker; ``apply_run_file`` fills every control from a run file."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.core.training import builders, datasets
from cnnexplorer.core.training.builders import parse_filters
from cnnexplorer.core.training.datasets import CaptureStore, DatasetSpec
from cnnexplorer.core.training.fit import OPTIMIZERS, TrainConfig
from cnnexplorer.core.training.runfile import FitSettings, ModelSpec, RunFile, model_builder

# Labels as shown (through tr); the keys are the items' data and the run files' values.
DATASET_LABELS = {"shapes": N_("Shapes (generated, offline)"), "folder": N_("Image folder…"),
                  "capture": N_("Webcam captures"), "mnist": N_("MNIST (download)"),
                  "fashion_mnist": N_("Fashion-MNIST (download)"), "cifar10": N_("CIFAR-10 (download)")}
MODEL_KINDS = {"cnn": N_("Small CNN"), "mlp": N_("MLP (dense only)"), "inception": N_("Mini Inception"),
               "transfer": N_("Transfer: MobileNetV2 (ImageNet, frozen)"), "file": N_("Fine-tune a model file…")}
SHORT_MODEL_NAMES = {"cnn": N_("small CNN"), "mlp": "MLP", "inception": "Mini Inception", "transfer": N_("transfer"),
                     "file": N_("fine-tuned file")}
ACTIVATION_LABELS = {"relu": N_("relu"), "sigmoid": N_("sigmoid"), "tanh": N_("tanh")}
TRANSFER_SIZE = 96  # MobileNetV2 needs room to pool five times


def run_label(run: RunFile) -> str:
    """The name of a run's validation curve beside the next run's: its model, and its augmentation."""
    model = tr(SHORT_MODEL_NAMES.get(run.model.kind, run.model.kind))
    if run.augmentation:
        return tr("validation, run before: {model}, augmented", model=model)
    return tr("validation, run before: {model}, not augmented", model=model)


class TrainingSetup(QWidget):
    """Edits what to train on, what to train and how; ``capture_requested`` asks for a webcam shot."""

    capture_requested = Signal(str)  # class name

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.dataset_kind = QComboBox()
        for key, label in DATASET_LABELS.items():
            self.dataset_kind.addItem(tr(label), key)
        self.shape_classes = QSpinBox(minimum=2, maximum=len(datasets.SHAPES), value=5, prefix=tr("classes "))
        self.image_size = QSpinBox(minimum=16, maximum=224, value=32, singleStep=16, prefix=tr("size "))
        self.per_class = QSpinBox(minimum=10, maximum=5000, value=240, singleStep=20, prefix=tr("per class "))
        self.folder = QLineEdit(placeholderText=tr("a folder with one sub-folder per class"))
        self.browse_folder = QPushButton(tr("Browse…"))
        self.capture_class = QLineEdit(placeholderText=tr("class name, e.g. thumbs up"))
        self.capture_button = QPushButton(tr("Capture frame"))
        self.capture_counts = QLabel()
        self.captures = CaptureStore()

        self.model_kind = QComboBox()
        for key, label in MODEL_KINDS.items():
            self.model_kind.addItem(tr(label), key)
        self.filters = QLineEdit("16, 32, 32",
                                 toolTip=tr("Filters of each conv block (each block: conv, activation, 2×2 max-pool)"))
        self.kernel = QSpinBox(minimum=1, maximum=9, value=3, singleStep=2, prefix=tr("kernel "))
        self.activation = QComboBox()
        for key in builders.ACTIVATIONS:
            self.activation.addItem(tr(ACTIVATION_LABELS.get(key, key)), key)
        self.batch_norm = QCheckBox(tr("batch norm"))
        self.dropout = QDoubleSpinBox(minimum=0, maximum=0.9, singleStep=0.1, prefix=tr("dropout "))
        self.unfreeze = QSpinBox(minimum=0, maximum=50, prefix=tr("unfreeze top "),
                                 toolTip=tr("Fine-tune the base's top layers"))
        self.model_path = QLineEdit(placeholderText=tr("a .keras model, e.g. an earlier run's best.keras"))
        self.browse_model = QPushButton(tr("Browse…"))

        self.optimizer = QComboBox()
        self.optimizer.addItems(list(OPTIMIZERS))
        self.learning_rate = QDoubleSpinBox(minimum=1e-5, maximum=1.0, decimals=5, value=0.002, singleStep=0.001)
        self.batch_size = QSpinBox(minimum=1, maximum=4096, value=32)
        self.epochs = QSpinBox(minimum=1, maximum=1000, value=10)
        self.early_stopping = QSpinBox(minimum=0, maximum=100, value=0, specialValueText=tr("off"),
                                     prefix=tr("patience "))
        self.seed = QSpinBox(minimum=0, maximum=2**31 - 1, value=0,
                             toolTip=tr("The same seed, settings and data train the same weights"))
        self.tensorboard = QCheckBox(tr("TensorBoard logs"))
        self.augment = QCheckBox(tr("augment training batches"))
        self.augment.setToolTip(tr("Use the augmentation lab's pipeline on every training batch"))
        self.error = QLabel(wordWrap=True)
        self.error.setStyleSheet("color: #b3261e;")

        data_box = QGroupBox(tr("Dataset"))
        data_form = QFormLayout(data_box)
        data_form.addRow(self.dataset_kind)
        shape_row = QHBoxLayout()
        for widget in (self.shape_classes, self.image_size):
            shape_row.addWidget(widget)
        data_form.addRow(shape_row)
        data_form.addRow(self.per_class)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.browse_folder)
        data_form.addRow(folder_row)
        capture_row = QHBoxLayout()
        capture_row.addWidget(self.capture_class, 1)
        capture_row.addWidget(self.capture_button)
        data_form.addRow(capture_row)
        data_form.addRow(self.capture_counts)
        model_box = QGroupBox(tr("Model"))
        model_form = QFormLayout(model_box)
        model_form.addRow(self.model_kind)
        model_form.addRow(tr("Filters"), self.filters)
        row = QHBoxLayout()
        for widget in (self.kernel, self.activation, self.batch_norm):
            row.addWidget(widget)
        model_form.addRow(row)
        row2 = QHBoxLayout()
        row2.addWidget(self.dropout)
        row2.addWidget(self.unfreeze)
        model_form.addRow(row2)
        path_row = QHBoxLayout()
        path_row.addWidget(self.model_path, 1)
        path_row.addWidget(self.browse_model)
        model_form.addRow(path_row)
        fit_box = QGroupBox(tr("Fit"))
        fit_form = QFormLayout(fit_box)
        fit_form.addRow(tr("Optimizer"), self.optimizer)
        fit_form.addRow(tr("Learning rate"), self.learning_rate)
        fit_form.addRow(tr("Batch size"), self.batch_size)
        fit_form.addRow(tr("Epochs"), self.epochs)
        fit_form.addRow(tr("Early stopping"), self.early_stopping)
        fit_form.addRow(tr("Seed"), self.seed)
        fit_form.addRow(self.tensorboard)
        fit_form.addRow(self.augment)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (data_box, model_box, fit_box, self.error):
            layout.addWidget(widget)
        layout.addStretch(1)

        self.browse_folder.clicked.connect(self._browse)
        self.browse_model.clicked.connect(self._browse_model)
        self.capture_button.clicked.connect(lambda: self.capture_requested.emit(self.capture_class.text().strip()))
        self.dataset_kind.currentIndexChanged.connect(self._update_visibility)
        self.model_kind.currentIndexChanged.connect(self._update_visibility)
        self._update_visibility()

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, tr("Image folder (one sub-folder per class)"))
        if path:
            self.folder.setText(path)

    def _browse_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Model to fine-tune"), "", tr("Keras models (*.keras *.h5)"))
        if path:
            self.model_path.setText(path)

    def _update_visibility(self, *_) -> None:
        kind = self.dataset_kind.currentData()
        for widget in (self.shape_classes, self.per_class):
            widget.setVisible(kind == "shapes")
        self.image_size.setVisible(kind in ("shapes", "folder", "capture"))
        for widget in (self.folder, self.browse_folder):
            widget.setVisible(kind == "folder")
        for widget in (self.capture_class, self.capture_button, self.capture_counts):
            widget.setVisible(kind == "capture")
        model = self.model_kind.currentData()
        for widget in (self.filters, self.kernel, self.batch_norm):
            widget.setEnabled(model == "cnn")
        self.activation.setEnabled(model in ("cnn", "mlp"))
        self.unfreeze.setEnabled(model in ("transfer", "file"))
        for widget in (self.model_path, self.browse_model):
            widget.setVisible(model == "file")
        if model == "transfer" and kind in ("shapes", "folder", "capture") and self.image_size.value() < 64:
            self.image_size.setValue(TRANSFER_SIZE)

    def show_capture_counts(self) -> None:
        counts = self.captures.counts()
        self.capture_counts.setText(", ".join(f"{k}: {v}" for k, v in counts.items()) or tr("no captures yet"))

    # -- what the settings say ------------------------------------------------------------------
    def dataset_spec(self) -> DatasetSpec:
        """What the dataset settings say now, as plain values (read here, on the GUI thread)."""
        kind = self.dataset_kind.currentData()
        folder = str(self.captures.root) if kind == "capture" else self.folder.text().strip()
        return DatasetSpec(kind, self.image_size.value(), self.shape_classes.value(), self.per_class.value(), folder)

    def model_spec(self) -> ModelSpec:
        """What the model settings say now; raises ValueError for filters that are not numbers."""
        filters = parse_filters(self.filters.text()) if self.model_kind.currentData() == "cnn" else [16, 32, 32]
        return ModelSpec(self.model_kind.currentData(), filters, self.kernel.value(), self.activation.currentData(),
                         self.batch_norm.isChecked(), self.dropout.value(), self.unfreeze.value(),
                         self.model_path.text().strip())

    def model_factory(self, image_shape, classes: int) -> Callable[[], object]:
        return model_builder(self.model_spec(), image_shape, classes)

    def run_file(self, augmentation: dict | None = None) -> RunFile:
        """Every setting as a run file (raises ValueError like :meth:`model_spec`)."""
        fit = FitSettings(self.optimizer.currentText(), self.learning_rate.value(), self.batch_size.value(),
                          self.epochs.value(), self.early_stopping.value(), self.tensorboard.isChecked())
        return RunFile(self.dataset_spec(), self.model_spec(), fit, augmentation, self.seed.value())

    def apply_run_file(self, run: RunFile) -> None:
        """Fill every control from ``run`` (its augmentation is the tab's business)."""
        d, m, f = run.dataset, run.model, run.fit
        self.dataset_kind.setCurrentIndex(self.dataset_kind.findData(d.kind))
        self.image_size.setValue(d.size)
        self.shape_classes.setValue(d.classes)
        self.per_class.setValue(d.per_class)
        if d.kind == "capture":
            self.captures = CaptureStore(d.folder)
            self.show_capture_counts()
        else:
            self.folder.setText(d.folder)
        self.filters.setText(", ".join(str(v) for v in m.filters))
        self.kernel.setValue(m.kernel)
        if (index := self.activation.findData(m.activation)) >= 0:  # by key: the label may be translated
            self.activation.setCurrentIndex(index)
        self.batch_norm.setChecked(m.batch_norm)
        self.dropout.setValue(m.dropout)
        self.unfreeze.setValue(m.unfreeze)
        self.model_path.setText(m.path)
        # The model kind last: choosing Transfer must not resize a dataset the run file sized.
        size = self.image_size.value()
        self.model_kind.setCurrentIndex(self.model_kind.findData(m.kind))
        self.image_size.setValue(size)
        self.optimizer.setCurrentText(f.optimizer)
        self.learning_rate.setValue(f.learning_rate)
        self.batch_size.setValue(f.batch_size)
        self.epochs.setValue(f.epochs)
        self.early_stopping.setValue(f.early_stopping)
        self.tensorboard.setChecked(f.tensorboard)
        self.seed.setValue(run.seed)

    def config(self) -> TrainConfig:
        snapshot = "conv1" if self.model_kind.currentData() == "cnn" else None
        return self.run_file().train_config(snapshot)
