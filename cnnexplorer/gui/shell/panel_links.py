"""The panels working together: what one sends another (a learned filter to the convolution lab, a
trained run to the explorer, a clicked unit to the Attribution panel), and the work that waits for
the explorer's answer to a new model."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt

from cnnexplorer.core.i18n import tr


class PanelLinks(QObject):
    """Made once the window's panels exist; it wires them to each other."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        explorer, attribution = window.explorer, window.attribution
        explorer.send_kernel.connect(self._send_kernel_to_lab)
        explorer.surgery.lab_kernel = window.conv_lab.editor.kernel  # its "Lab's kernel" button
        window.inception.load_requested.connect(explorer.load_zoo)  # the explorer owns the model
        explorer.tree.layer_selected.connect(attribution.follow_layer)
        window.model_session.model_changed.connect(lambda _model: self.after_explorer_answers(attribution.prepare))
        explorer.grid.unit_clicked.connect(self._show_unit_field)
        explorer.grid.visualise_requested.connect(self._visualise_channel)
        window.training_dock.built.connect(lambda tab: tab.open_in_explorer.connect(self._open_trained_model))
        window.augment.use_in_training.connect(self._use_augmenter_in_training)

    def after_explorer_answers(self, work: Callable[[], None]) -> None:
        """``work`` once the explorer's answer for its new model is on screen (at once when the
        explorer is not): meanwhile it would hold the GIL that the answer's first pass needs."""
        explorer = self.window.explorer
        if explorer.on_screen():
            explorer.result_on_screen.connect(work, Qt.ConnectionType.SingleShotConnection)
        else:
            work()

    def _use_augmenter_in_training(self, augmenter) -> None:
        """The training tab applies this very pipeline (as a layer) to every training batch."""
        window = self.window
        window.training.set_augmenter(augmenter)
        window.training_dock.show()
        window.training_dock.raise_()

    def _open_trained_model(self, path: str) -> None:
        explorer = self.window.explorer
        explorer.load_file(path)  # first: showing the explorer may start its default model
        explorer.show()
        explorer.raise_()

    def _show_unit_field(self, channel: int, y: int, x: int) -> None:
        """A unit clicked in the explorer's grid: its receptive fields in the Attribution panel, when
        that panel is in view beside the explorer (a click there also just enlarges a channel)."""
        attribution = self.window.attribution
        if attribution.on_screen():
            attribution.show_unit(self.window.explorer.layer_path, y, x, channel, unit=True)

    def _visualise_channel(self, channel: int) -> None:
        attribution = self.window.attribution
        if attribution.visualise(self.window.explorer.layer_path, channel):
            attribution.show()
            attribution.raise_()

    def _send_kernel_to_lab(self, kernel) -> None:
        """A learned first-layer filter goes into the convolution lab's editor."""
        lab = self.window.conv_lab
        lab.editor.set_kernel(kernel)
        lab.show()
        lab.raise_()
        self.window.statusBar().showMessage(tr("Learned filter sent to the convolution lab"), 4000)
