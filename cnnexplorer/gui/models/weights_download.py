"""A zoo model's ImageNet weights in the model explorer: the banner saying where they came from, and
their download (button, progress bar, Cancel) on a task thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QPushButton

from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.core.models import zoo
from cnnexplorer.gui.common.task_progress import TaskProgress
from cnnexplorer.gui.common.workers import TaskRunner

BANNERS = {  # the texts are shown through tr()
    zoo.WeightsSource.BUNDLED: ("#dff0d8", N_("Real ImageNet weights, bundled with the app (works offline).")),
    zoo.WeightsSource.KERAS_CACHE: ("#dff0d8", N_("ImageNet weights from the Keras cache.")),
    zoo.WeightsSource.RANDOM: ("#fcf8e3", N_("RANDOM weights — predictions mean nothing.")),
    zoo.WeightsSource.FILE: ("#d9edf7", N_("Weights from your file.")),
}


def weights_banner(model: zoo.ZooModel) -> tuple[str, str]:
    """The banner's colour and text for a loaded model's weights, with the remedy when they are random."""
    colour, text = BANNERS[model.weights_source]
    if model.random_weights:
        return colour, tr(text) + " " + _random_weights_remedy(model.name)  # two sentences
    return colour, tr(text)


def _random_weights_remedy(name: str) -> str:
    """What turns a randomly initialised zoo model into a trained one, if anything does."""
    entry = zoo.ENTRIES.get(name)
    if entry is not None and entry.weights_file:
        return tr("Download the ImageNet weights to fix.")
    if name == "mobilenet_v2":
        return tr("Load it again with its bundled ImageNet weights.")
    return tr("There are no ImageNet weights for it: train it in the Training tab.")


class WeightsDownload(QObject):
    """Downloads a zoo model's ImageNet weights; its progress bar also shows that a model is loading.

    The dock lays out :attr:`widgets` in its top row and shows :attr:`message` in its banner."""

    downloaded = Signal(str)  # the zoo model's name: its weights are now cached
    message = Signal(str)
    ended = Signal()  # the download is over, whether it succeeded, failed or was cancelled

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.download_button = QPushButton(tr("Download ImageNet weights"))
        self.tasks = TaskRunner(self)
        self.task_progress = TaskProgress(self.tasks, tr("Cancel"))
        self.progress, self.cancel_button = self.task_progress.bar, self.task_progress.stop_button
        self.tasks.running_changed.connect(self._on_running_changed)

    @property
    def widgets(self) -> tuple[QPushButton, TaskProgress]:
        return self.download_button, self.task_progress

    def offer_for(self, name: str | None) -> None:
        """Offer the download for zoo model ``name`` only if it has weights to fetch and they are not cached."""
        entry = zoo.ENTRIES.get(name)
        needed = entry is not None and bool(entry.weights_file) and zoo.cached_weights(name) is None
        self.download_button.setVisible(needed)
        self.download_button.setEnabled(needed and not self.tasks.running)

    def start(self, name: str) -> None:
        if self.tasks.running:
            return
        self.task_progress.begin(describe=lambda done, _total: f"{done / 1e6:.1f} MB")
        self.tasks.start(lambda task: zoo.download_weights(name, progress=task.progress.emit, cancel=task.cancel),
                         f"Download[{name}]", lambda _path: self.downloaded.emit(name),
                         lambda error: self.message.emit(str(error)))
        self.message.emit(tr("downloading the ImageNet weights of {model}…", model=tr(zoo.ENTRIES[name].title)))
        self.offer_for(name)

    def show_busy(self, busy: bool) -> None:
        """The bar spins while a model loads (with no Cancel: a load cannot be stopped); a download shows its own."""
        downloading = self.tasks.running
        self.task_progress.setVisible(busy or downloading)
        self.cancel_button.setVisible(downloading)
        if busy and not downloading:
            self.progress.setRange(0, 0)

    def _on_running_changed(self, running: bool) -> None:
        if not running:
            self.ended.emit()
