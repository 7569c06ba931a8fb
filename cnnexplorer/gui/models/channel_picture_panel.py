"""The Attribution panel's Channel picture tab: what one channel responds to (activation
maximisation, drawn at every step), and a strip of channel 0 at layers spread over the depth."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.models.attribution import depth_layers, visualize_channel
from cnnexplorer.core.models.attribution.feature_vis import DEFAULT_STEPS
from cnnexplorer.core.models.attribution.network import node_output
from cnnexplorer.gui.common.picture_view import PictureView
from cnnexplorer.gui.common.stage import lesson_picture
from cnnexplorer.gui.models.attribution_host import AttributionHost

STRIP_SIZE, STRIP_STEPS = 128, 48  # each rung of the depth strip


class ChannelPicturePanel(QWidget):
    """Runs its pictures as the dock's one stoppable task; pictures arrive through the dock's relay."""

    def __init__(self, dock: AttributionHost) -> None:
        super().__init__()
        self.dock = dock
        self.channel = QSpinBox(prefix=tr("channel "), maximum=0)
        self.visualise_button = QPushButton(tr("Visualise this channel"))
        self.picture = lesson_picture(PictureView())
        self.picture_info = QLabel(tr("Pick a channel and press “{button}”: a picture that drives it hard, drawn "
                                      "step by step.", button=self.visualise_button.text()), objectName="PictureInfo", wordWrap=True)
        self.strip_button = QPushButton(tr("Strip: one channel per depth"))
        self.strip = lesson_picture(PictureView())
        self.strip_pictures: list[np.ndarray] = []
        self.layer = ""  # the layer whose channels the spin box counts
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.channel)
        row.addWidget(self.visualise_button)
        row.addWidget(self.strip_button)
        layout.addLayout(row)
        layout.addWidget(self.picture, 3)
        layout.addWidget(self.picture_info)
        layout.addWidget(self.strip, 1)
        self.visualise_button.clicked.connect(lambda: self.visualise(self.layer or dock.cam_layer(),
                                                                     self.channel.value()))
        self.strip_button.clicked.connect(self.build_strip)

    def set_channel_layer(self, layer: str) -> None:
        model = self.dock.session.model
        if model is None:
            return
        try:
            channels = int(node_output(model.model.get_layer(layer)).shape[-1])
        except (ValueError, AttributeError):
            return
        self.layer = layer
        self.channel.setMaximum(channels - 1)

    def visualise(self, layer: str, channel: int, steps: int | None = None) -> bool:
        """Activation maximisation of ``channel`` of ``layer``; the picture updates at every step."""
        model = self.dock.session.model
        if model is None or not layer:
            return False
        self.set_channel_layer(layer)
        self.channel.setValue(channel)
        self.dock.tabs.setCurrentWidget(self)
        extra = {} if steps is None else {"steps": steps}
        total = steps or DEFAULT_STEPS
        relay = self.dock.relay

        def work(task):
            count = [0]

            def on_step(image):
                count[0] += 1
                task.progress.emit(count[0], total)
                relay.picture.emit("picture", image)

            return visualize_channel(model, layer, channel, on_step=on_step, cancel=task.cancel, **extra)

        self.picture_info.setText(tr("{layer}, channel {channel}: optimising…", layer=layer, channel=channel))
        return self.dock.start_task("Attribution[visualise]", work,
                                    lambda image: self._on_visualised(layer, channel, image),
                                    tr("channel {channel}", channel=channel))

    def _on_visualised(self, layer: str, channel: int, image) -> None:
        self.picture.show_image(image, (0, 255))
        task = self.dock.task
        stopped = task is not None and task.cancel.is_set()
        if stopped:
            text = tr("{layer}, channel {channel}: an image that drives this channel hard (stopped early).",
                      layer=layer, channel=channel)
        else:
            text = tr("{layer}, channel {channel}: an image that drives this channel hard.", layer=layer, channel=channel)
        self.picture_info.setText(text)

    def build_strip(self, steps: int = STRIP_STEPS) -> bool:
        """Channel 0 of layers spread over the depth, side by side, filled in one by one."""
        model = self.dock.session.model
        if model is None:
            return False
        self.dock.tabs.setCurrentWidget(self)
        self.strip_pictures = []
        relay = self.dock.relay

        def work(task):
            layers = depth_layers(model)
            for done, layer in enumerate(layers):
                if task.cancel.is_set():
                    break
                picture = visualize_channel(model, layer, 0, size=STRIP_SIZE, steps=steps, cancel=task.cancel)
                relay.picture.emit("strip", picture)
                task.progress.emit(done + 1, len(layers))
            return layers

        self.picture_info.setText(tr("Strip: channel 0 of layers from the first to the last map…"))
        return self.dock.start_task("Attribution[strip]", work, self._on_strip_done, tr("strip"))

    def _on_strip_done(self, layers: list[str]) -> None:
        self.picture_info.setText(tr("Strip, left to right: channel 0 of {layers} — edges and colours first, then "
                                     "textures, then parts.", layers=", ".join(layers[: len(self.strip_pictures)])))

    def show_step(self, image: np.ndarray) -> None:
        """One optimisation step's picture, sent from the task thread."""
        self.picture.show_image(image, (0, 255))

    def add_to_strip(self, picture: np.ndarray) -> None:
        """The next rung of the depth strip, sent from the task thread."""
        self.strip_pictures.append(picture)
        self.strip.show_tiles(np.stack(self.strip_pictures), cols=len(self.strip_pictures))  # bytes as they are
