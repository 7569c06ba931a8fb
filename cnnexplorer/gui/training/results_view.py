"""What a training run shows: the loss and accuracy curves, the dataset samples, the misclassified
images and the confusion matrix, and the per-epoch filters and probe activations with their slider.

:class:`TrainingResults` only draws what it is given; the training tab decides when.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QLabel, QSlider, QTabWidget, QVBoxLayout, QWidget

from cnnexplorer.core.display.mosaic import kernel_tiles
from cnnexplorer.core.i18n import tr
from cnnexplorer.core.training.datasets import Dataset
from cnnexplorer.core.training.events import TrainEvent
from cnnexplorer.core.training.fit import TrainResult
from cnnexplorer.gui.common.picture_view import PictureView
from cnnexplorer.gui.common.stage import lesson_picture

# The curves stay readable from the back of a room on a 1280×720 screen; spare height goes to them
# first (layout stretch), then to the pictures below.
PLOT_MIN_HEIGHT = 120  # curves a room can read, on a window that still fits a 600-px screen
CONFUSION_MIN_SIZE = 220  # px: the size the matrix's counts are set for (22-px cells at 10 classes)
EPOCH_CURVE_KEYS = ("loss", "val_loss", "accuracy", "val_accuracy")  # history keys, in epoch_curves() order


class TrainingResults(QWidget):
    """The results side of the training tab: curves, pictures and the per-epoch replay."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        plots = lesson_picture(pg.GraphicsLayoutWidget())
        plots.setObjectName("TrainingCurves")
        plots.setMinimumHeight(PLOT_MIN_HEIGHT)
        train, validation = tr("train"), tr("validation")  # the legends' names
        self.loss_plot = _curve_plot(plots, 0, tr("loss"))
        self.batch_curve = self.loss_plot.plot(pen=pg.mkPen("#9ecae1"), name=tr("train (batches)"))
        self.train_loss = self.loss_plot.plot(pen=pg.mkPen("#2166ac", width=2), symbol="o", symbolSize=5, name=train)
        self.val_loss = self.loss_plot.plot(pen=pg.mkPen("#d6604d", width=2), symbol="o", symbolSize=5, name=validation)
        self.loss_plot.setDownsampling(auto=True, mode="peak")  # long runs: thousands of batch points
        self.loss_plot.setClipToView(True)
        self.acc_plot = _curve_plot(plots, 1, tr("accuracy"))
        self.train_acc = self.acc_plot.plot(pen=pg.mkPen("#2166ac", width=2), symbol="o", symbolSize=5, name=train)
        self.val_acc = self.acc_plot.plot(pen=pg.mkPen("#d6604d", width=2), symbol="o", symbolSize=5, name=validation)
        self.acc_plot.setYRange(0, 1)
        # The run before this one, dashed: two runs' validation curves on one plot (with and without
        # augmentation, from scratch and transfer).
        self.previous_val_loss, self.previous_val_acc = (
            plot.plot(pen=pg.mkPen("#f4a582", width=2, style=Qt.PenStyle.DashLine)) for plot in (self.loss_plot,
                                                                                               self.acc_plot))
        self.previous_label = ""
        self.samples_view = lesson_picture(PictureView())
        self.result_view = lesson_picture(PictureView())
        self.confusion_view = lesson_picture(PictureView(colour_map=pg.colormap.get("CET-L12")))
        self.confusion_texts: list[pg.TextItem] = []
        self.samples_title = QLabel(tr("Dataset samples"), wordWrap=True)
        self.result_title = QLabel("", wordWrap=True)

        self.filters_view = lesson_picture(PictureView())
        self.probe_view = lesson_picture(PictureView(colour_map=pg.colormap.get("viridis")))
        self.epoch_slider = QSlider(Qt.Orientation.Horizontal, minimum=1, maximum=1, enabled=False)
        self.epoch_label = QLabel(tr("first-layer filters and a validation image's activations, per epoch"),
                                  wordWrap=True)
        self.snapshots: list[TrainEvent] = []  # epoch events with filters, for the replay slider

        # Below the curves, one page of pictures at a time: the data and the mistakes, or the replay.
        self.pages = QTabWidget(objectName="TrainingPictures")
        data_page = QWidget()
        data = QGridLayout(data_page)
        for column, view in enumerate((self.samples_view, self.result_view, self.confusion_view)):
            data.addWidget(view, 0, column)
            data.setColumnStretch(column, 1)
        data.addWidget(self.samples_title, 1, 0)
        data.addWidget(self.result_title, 1, 1, 1, 2)
        data.setRowStretch(0, 1)
        replay_page = QWidget()
        replay = QGridLayout(replay_page)
        replay.addWidget(self.filters_view, 0, 0)
        replay.addWidget(self.probe_view, 0, 1)
        replay.addWidget(self.epoch_slider, 1, 0, 1, 2)
        replay.addWidget(self.epoch_label, 2, 0, 1, 2)
        replay.setRowStretch(0, 1)
        self.pages.addTab(data_page, tr("Data and mistakes"))
        self.pages.addTab(replay_page, tr("Filters per epoch"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)  # sits in the tab's column as if laid out there
        layout.addWidget(plots, 3)
        layout.addWidget(self.pages, 2)
        self.epoch_slider.valueChanged.connect(self._show_snapshot)

    def keep_as_previous(self, label: str) -> None:
        """The validation curves on screen become the previous run's (dashed), named ``label`` in the
        legends; with no curves on screen, the previous run stays as it was."""
        pairs = ((self.loss_plot, self.val_loss, self.previous_val_loss), (self.acc_plot, self.val_acc,
                                                                           self.previous_val_acc))
        if not all(_has_points(shown) for _, shown, _ in pairs):
            return
        for plot, shown, previous in pairs:
            previous.setData(*shown.getData())
            plot.legend.removeItem(previous)
            plot.legend.addItem(previous, label)
        self.previous_label = label

    def has_curves(self) -> bool:
        return _has_points(self.val_loss)

    def epoch_curves(self) -> tuple[pg.PlotDataItem, ...]:
        """The per-epoch curves, in :data:`EPOCH_CURVE_KEYS` order."""
        return self.train_loss, self.val_loss, self.train_acc, self.val_acc

    def clear(self) -> None:
        """The previous run's curves and pictures go (the dataset samples stay)."""
        self.snapshots = []
        for view in (self.result_view, self.confusion_view, self.filters_view, self.probe_view):
            view.image.setVisible(False)  # not PictureView.clear(): a cleared ImageItem stays blank after
        self._remove_counts()
        for curve in (self.batch_curve, *self.epoch_curves()):
            curve.setData([], [])
        self.result_title.clear()
        with QSignalBlocker(self.epoch_slider):
            self.epoch_slider.setMaximum(1)
            self.epoch_slider.setEnabled(False)

    def set_epoch_range(self, epochs: int) -> None:
        """A fixed epoch axis: the curves grow, the axes stay."""
        for plot in (self.loss_plot, self.acc_plot):
            plot.setXRange(0, epochs, padding=0.02)

    def show_samples(self, dataset: Dataset) -> None:
        preview = dataset.preview(per_class=6)
        self.samples_view.show_tiles(np.stack([image for _, image in preview]), cols=6)  # uint8, drawn as they are
        self.samples_title.setText(tr("Dataset samples: one row per class — {classes}",
                                      classes=", ".join(dataset.class_names)))

    def draw_batches(self, x: list[float], losses: list[float]) -> None:
        self.batch_curve.setData(np.asarray(x), np.asarray(losses))

    def draw_epochs(self, epochs: list[TrainEvent]) -> None:
        x = [e.epoch for e in epochs]
        for curve, key in zip(self.epoch_curves(), EPOCH_CURVE_KEYS):
            curve.setData(x, [e.logs.get(key, np.nan) for e in epochs])

    def add_snapshots(self, fresh: list[TrainEvent]) -> None:
        """Append epoch snapshots to the replay and show the newest."""
        self.snapshots.extend(fresh)
        with QSignalBlocker(self.epoch_slider):
            self.epoch_slider.setEnabled(True)
            self.epoch_slider.setMaximum(len(self.snapshots))
            self.epoch_slider.setValue(len(self.snapshots))
        self._show_snapshot(len(self.snapshots))

    def _show_snapshot(self, index: int) -> None:
        if not 1 <= index <= len(self.snapshots):
            return
        event = self.snapshots[index - 1]
        _shown(self.filters_view).show_tiles(kernel_tiles(event.filters), gap=1)
        if event.probe is not None:
            _shown(self.probe_view).show_maps(event.probe)
        self.epoch_label.setText(tr("after epoch {epoch}: first-layer filters (left) and the first validation "
                                    "image's activations in that layer (right)", epoch=event.epoch))

    def show_result(self, result: TrainResult, x_val: np.ndarray) -> None:
        """A finished fit: its first misclassified validation images and its confusion matrix."""
        wrong = result.misclassified[:24]
        if len(wrong):
            _shown(self.result_view).show_tiles(x_val[wrong], cols=6)
        self.result_title.setText(tr("{count} misclassified validation images (first 24) · "
                                     "confusion matrix: rows = true class, columns = predicted",
                                     count=len(result.misclassified)))
        self.draw_confusion(result.confusion)

    def show_finished_run(self, history: dict, confusion: np.ndarray) -> None:
        """An opened run folder: its ``history.json`` curves and its confusion matrix."""
        epochs = len(history.get("loss", []))
        self.set_epoch_range(max(epochs, 1))
        x = list(range(1, epochs + 1))
        for curve, key in zip(self.epoch_curves(), EPOCH_CURVE_KEYS):
            values = history.get(key, [])
            curve.setData(x[: len(values)], values)
        if confusion.ndim == 2 and confusion.size:
            self.draw_confusion(confusion)
            self.result_title.setText(tr("confusion matrix of the opened run: rows = true class, columns = predicted"))

    def _remove_counts(self) -> None:
        for text in self.confusion_texts:
            self.confusion_view.box.removeItem(text)
        self.confusion_texts.clear()  # in place: the training tab shares this list

    def draw_confusion(self, confusion: np.ndarray) -> None:
        rows = confusion / np.maximum(confusion.sum(axis=1, keepdims=True), 1)
        _shown(self.confusion_view).show_image(rows.astype(np.float32), (0, 1))
        self._remove_counts()
        # Each count fits inside its cell: the font shrinks as classes grow, never below legible.
        cell = CONFUSION_MIN_SIZE / max(len(confusion), 1)
        font = QFont()
        font.setPixelSize(int(np.clip(cell / 3, 8, 16)))
        for (r, c), count in np.ndenumerate(confusion):
            text = pg.TextItem(str(count), color="w" if rows[r, c] > 0.5 else "k", anchor=(0.5, 0.5))
            text.setFont(font)
            text.setPos(c + 0.5, r + 0.5)
            self.confusion_view.box.addItem(text)
            self.confusion_texts.append(text)


def _curve_plot(plots: pg.GraphicsLayoutWidget, column: int, title: str) -> pg.PlotItem:
    """A plot of per-epoch values, with whole epochs on its axis and a legend."""
    plot = plots.addPlot(row=0, col=column, title=title, axisItems={"bottom": _EpochAxis("bottom")})
    plot.addLegend()
    plot.setLabel(axis="bottom", text=tr("epoch"))
    return plot


class _EpochAxis(pg.AxisItem):
    """Epochs are whole numbers: no tick between two epochs."""

    def tickSpacing(self, minVal, maxVal, size):  # noqa: N802, N803 - pyqtgraph's names
        levels = [(spacing, offset) for spacing, offset in super().tickSpacing(minVal, maxVal, size) if spacing >= 1]
        return levels or [(1.0, 0.0)]


def _has_points(curve: pg.PlotDataItem) -> bool:
    x, _ = curve.getData()
    return x is not None and len(x) > 0


def _shown(view: PictureView) -> PictureView:
    view.image.setVisible(True)
    return view
