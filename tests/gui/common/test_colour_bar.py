"""The colour bar: the map's low end at the bottom, its high end at the top, on an axis of the levels."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QImage

from cnnexplorer.gui.common.colour_bar import ColourBar
from cnnexplorer.gui.common.plots import DIVERGING_MAP, configure_pyqtgraph


def _rgb(image: QImage, x: int, y: int) -> np.ndarray:
    colour = image.pixelColor(x, y)
    return np.array([colour.red(), colour.green(), colour.blue()])


def test_the_gradient_runs_from_the_low_colour_at_the_bottom_to_the_high_one_on_top(qtbot):
    configure_pyqtgraph()
    view = pg.GraphicsLayoutWidget()
    qtbot.addWidget(view)
    bar = ColourBar(DIVERGING_MAP)
    view.addItem(bar)
    bar.setLevels((-255.0, 255.0))
    view.resize(80, 300)
    view.show()
    qtbot.waitUntil(lambda: bar.box.width() > 5, timeout=3000)
    assert bar.levels() == (-255.0, 255.0)
    assert bar.axis.range == [-255.0, 255.0]  # the axis shows the values the colours stand for
    image = view.grab().toImage()
    shown = bar.box.mapRectToScene(bar.box.boundingRect())
    x = round(shown.center().x())
    low, high = DIVERGING_MAP.map([0.0, 1.0], mode="byte")[:, :3]
    assert np.abs(_rgb(image, x, round(shown.bottom()) - 4) - low).max() < 25
    assert np.abs(_rgb(image, x, round(shown.top()) + 4) - high).max() < 25
