"""The colour bar: the map's low end at the bottom, its high end at the top, on an axis of the levels."""

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QFont, QImage, QPainter

from cnnexplorer.gui.common.colour_bar import ColourBar
from cnnexplorer.gui.common.plots import DIVERGING_MAP, configure_pyqtgraph
from cnnexplorer.gui.shell.stage_audit import clipped_texts


def _rgb(image: QImage, x: int, y: int) -> np.ndarray:
    colour = image.pixelColor(x, y)
    return np.array([colour.red(), colour.green(), colour.blue()])


def _numbers_drawn(axis: pg.AxisItem) -> list[str]:
    image = QImage(1, 1, QImage.Format.Format_ARGB32)
    painter = QPainter(image)  # the axis sets its tick font on it
    try:
        return [text for _rect, _flags, text in axis.generateDrawSpecs(painter)[2]]
    finally:
        painter.end()


def _bar_in_view(qtbot, width: int, scale: float | None = None, axis_width: int | None = None, *,
                 height: int = 500, levels: tuple[float, float] = (-100.0, 100.0)
                 ) -> tuple[pg.GraphicsLayoutWidget, ColourBar]:
    """A bar of ``levels`` in a view ``width`` × ``height`` px, laid out; with its tick font
    ``scale`` times the plain one where given."""
    configure_pyqtgraph()
    view = pg.GraphicsLayoutWidget()
    qtbot.addWidget(view)
    bar = ColourBar(DIVERGING_MAP)
    view.addItem(bar)
    bar.setLevels(levels)
    if scale is not None:
        font = QFont(bar.axis.font())
        font.setPointSizeF(font.pointSizeF() * scale)
        bar.axis.setTickFont(font)
    if axis_width is not None:
        bar.axis.setWidth(axis_width)  # as every axis of fixed width was
    view.setFixedSize(width, height)
    view.show()
    qtbot.waitUntil(lambda: bar.box.height() > 0.6 * height and bar.axis.width() == bar.axis.fixedWidth,
                    timeout=3000)
    return view, bar


def test_the_gradient_runs_from_the_low_colour_at_the_bottom_to_the_high_one_on_top(qtbot):
    view, bar = _bar_in_view(qtbot, 80, height=300, levels=(-255.0, 255.0))
    assert bar.levels() == (-255.0, 255.0)
    assert bar.axis.range == [-255.0, 255.0]  # the axis shows the values the colours stand for
    image = view.grab().toImage()
    shown = bar.box.mapRectToScene(bar.box.boundingRect())
    x = round(shown.center().x())
    low, high = DIVERGING_MAP.map([0.0, 1.0], mode="byte")[:, :3]
    assert np.abs(_rgb(image, x, round(shown.bottom()) - 4) - low).max() < 25
    assert np.abs(_rgb(image, x, round(shown.top()) + 4) - high).max() < 25


@pytest.mark.parametrize("scale", [1.0, 1.5, 2.0])
def test_bigger_type_keeps_every_number_on_the_bar(qtbot, scale):
    """Presenter view scales the tick font: the axis widens with it, where a fixed 45 px left out
    every number wider than that (a bar showing "0" alone)."""
    view, bar = _bar_in_view(qtbot, 200, scale)
    assert {"-100", "0", "100"} <= set(_numbers_drawn(bar.axis))
    assert clipped_texts(view) == []
    bar.axis.setTickFont(None)  # back to the plain type: back to the plain width
    assert bar.axis.fixedWidth == ColourBar().axis.fixedWidth


def test_the_stage_audit_names_numbers_left_out_for_want_of_room(qtbot):
    cuts = clipped_texts(_bar_in_view(qtbot, 200, 2.0, axis_width=45)[0])
    assert any("'-100' left out" in cut for cut in cuts), cuts


def test_the_stage_audit_names_numbers_cut_by_the_views_edge(qtbot):
    cuts = clipped_texts(_bar_in_view(qtbot, 50, 1.0)[0])  # a view narrower than the gradient and its axis
    assert any("'-100' cut by the edge of its view" in cut for cut in cuts), cuts
