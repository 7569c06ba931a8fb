"""Every channel of one layer as one mosaic image; hover for values, click for a big view."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from cnnexplorer.core.display.colormap import as_maps, bar_levels
from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.core.display.channel_mosaic import BLANK, ChannelMosaic, channel_mosaic
from cnnexplorer.gui.common.live_picture import LivePicture
from cnnexplorer.gui.common.stage import lesson_picture
from cnnexplorer.gui.common.plots import DIVERGING_MAP, GRAY_MAP

COLOUR_MAPS = {"gray": GRAY_MAP, "viridis": pg.colormap.get("viridis"),
               "inferno": pg.colormap.get("inferno"), "diverging": DIVERGING_MAP}
# What the colour-map list shows: viridis and inferno are names; the key stays in the item's data.
COLOUR_MAP_TITLES = {"gray": N_("gray"), "viridis": "viridis", "inferno": "inferno", "diverging": N_("diverging")}
NORMALISE_TITLES = {"per channel": N_("per channel"), "shared": N_("shared")}  # key (item data) → title


def tile_table(colour_map: pg.ColorMap, background: QColor) -> np.ndarray:
    """The mosaic's lookup table: the colour map over 1…255 and BLANK in the view's ``background``,
    so that the lines between tiles and the tiles past the last channel read as no value. Opaque
    (not see-through over that background): an opaque picture is drawn without blending."""
    table = np.empty((256, 3), np.uint8)
    table[1:] = colour_map.getLookupTable(nPts=255, alpha=False)
    table[BLANK] = background.red(), background.green(), background.blue()
    return table


class ActivationGrid(QWidget):
    channel_clicked = Signal(int)
    unit_clicked = Signal(int, int, int)  # channel, row, column of the map
    visualise_requested = Signal(int)  # channel: "Visualise this channel" from the context menu

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("ActivationGrid")
        self.normalise = QComboBox(toolTip=tr("Scale each channel alone, or all channels together"))
        for key, title in NORMALISE_TITLES.items():
            self.normalise.addItem(tr(title), key)
        self.colours = QComboBox()
        for key in COLOUR_MAPS:
            self.colours.addItem(tr(COLOUR_MAP_TITLES[key]), key)
        self.colours.setCurrentIndex(self.colours.findData("viridis"))
        self.sort = QCheckBox(tr("sort by mean activation"))
        self.info = QLabel(objectName="GridInfo")
        self.readout = QLabel(objectName="GridReadout")
        # Redrawn on every live frame: painted straight onto widgets, not through a graphics scene.
        self.mosaic = lesson_picture(LivePicture(objectName="ActivationMosaic"))
        self.zoom = lesson_picture(LivePicture(COLOUR_MAPS["viridis"], colour_bar=True, objectName="ChannelView"))
        views = QHBoxLayout()
        views.addWidget(self.mosaic, 3)
        views.addWidget(self.zoom, 2)
        controls = QHBoxLayout()
        for widget in (self.normalise, self.colours, self.sort):
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(self.info)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addLayout(views, 1)
        layout.addWidget(self.readout)
        self.maps: np.ndarray | None = None
        self.order: np.ndarray | None = None
        self.selected = 0
        self._bar_levels = None
        self._cmap = None
        for combo in (self.normalise, self.colours):
            combo.currentIndexChanged.connect(self._redraw)
        self.sort.toggled.connect(self._redraw)
        self.mosaic.hovered.connect(self._on_hovered)
        self.mosaic.clicked.connect(self._on_clicked)
        self._hovered_channel: int | None = None
        visualise = QAction(tr("Visualise this channel"), self.mosaic)
        visualise.triggered.connect(self._on_visualise)
        self.mosaic.addAction(visualise)
        self.mosaic.addActions(self.mosaic.picture_actions())  # the actions menu replaces the picture menu: keep it
        self.mosaic.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def mosaic_settings(self) -> tuple[bool, bool]:
        """(per channel, sorted): how the forward pass should lay out the mosaic it makes."""
        return self.normalise.currentData() == "per channel", self.sort.isChecked()

    def show_activation(self, activation: np.ndarray, shape_text: str = "", mosaic: ChannelMosaic | None = None) -> None:
        """Show a layer's output; ``mosaic`` made off the GUI thread is used when it matches the
        current settings (else it is made here, as after a settings change on a frozen frame)."""
        self.maps = as_maps(np.asarray(activation, np.float32))
        self.info.setText(tr("{count} channels · {shape}", count=self.maps.shape[2], shape=shape_text))
        self._redraw(mosaic=mosaic)

    def clear(self, message: str = "") -> None:
        self.maps = None
        self.mosaic.clear()
        self.zoom.clear()
        self.info.setText(message)
        self.readout.setText("")

    def _redraw(self, *_, mosaic: ChannelMosaic | None = None) -> None:
        if self.maps is None:
            return
        per_channel, sort = self.mosaic_settings()
        if mosaic is None or (mosaic.per_channel, mosaic.sort) != (per_channel, sort):
            mosaic = channel_mosaic(self.maps, per_channel, sort)
        self.order = mosaic.order
        cmap = COLOUR_MAPS[self.colours.currentData()]
        if cmap is not self._cmap:
            self._cmap = cmap
            self.mosaic.set_lookup_table(tile_table(cmap, self.mosaic.background))
            self.zoom.set_colour_map(cmap)
        self.mosaic.show_image(mosaic.image, (0, 255), mosaic.grid)
        self._show_channel(min(self.selected, self.maps.shape[2] - 1))

    def _show_channel(self, channel: int) -> None:
        self.selected = channel
        plane = self.maps[..., channel]
        levels = bar_levels(float(plane.min()), float(plane.max()), self._bar_levels)
        self.zoom.show_image(plane, levels)
        if levels != self._bar_levels:  # a new scale redraws the bar's axis: only when it changes
            self._bar_levels = levels
            self.zoom.bar.setLevels(levels)

    def _on_hovered(self, tile_index: int, y: int, x: int) -> None:
        if self.maps is not None:
            channel = int(self.order[tile_index])
            self._hovered_channel = channel
            self.readout.setText(tr("channel {channel} · ({y}, {x}) = {value}", channel=channel, y=y, x=x,
                                    value=f"{self.maps[y, x, channel]:.4g}"))

    def _on_clicked(self, tile_index: int, y: int, x: int) -> None:
        if self.maps is not None:
            channel = int(self.order[tile_index])
            self._show_channel(channel)
            self.channel_clicked.emit(channel)
            self.unit_clicked.emit(channel, y, x)

    def _on_visualise(self) -> None:
        """The channel under the mouse when the menu opened, else the one shown large."""
        if self.maps is not None:
            channel = self._hovered_channel if self._hovered_channel is not None else self.selected
            self.visualise_requested.emit(channel)
