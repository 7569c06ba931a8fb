import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QContextMenuEvent, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget

from cnnexplorer.core.display.colormap import to_bytes
from cnnexplorer.core.display.mosaic import tile
from cnnexplorer.gui.common.live_picture import MOST_PX_PER_PIXEL, LivePicture

VIRIDIS = pg.colormap.get("viridis")


def _shown(qtbot, width: int = 300, height: int = 200, colour_map=None, colour_bar=False) -> LivePicture:
    picture = LivePicture(colour_map, colour_bar)
    qtbot.addWidget(picture)
    picture.resize(width, height)
    picture.show()
    qtbot.waitExposed(picture)
    return picture


def _colour_at(picture: LivePicture, x: float, y: float) -> tuple[int, int, int]:
    """The colour on screen where map point (x, y) is drawn."""
    colour = picture.grab().toImage().pixelColor(picture.widget_point(x, y).toPoint())
    return colour.red(), colour.green(), colour.blue()


def _wheel(picture: LivePicture, at: QPointF, notches: int) -> None:
    global_at = QPointF(picture.mapToGlobal(at.toPoint()))
    QApplication.sendEvent(picture, QWheelEvent(at, global_at, QPoint(), QPoint(0, 120 * notches),
                                                Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                                                Qt.ScrollPhase.NoScrollPhase, False))


def test_a_map_is_drawn_in_its_colour_maps_colours_fitted_and_centred(qtbot):
    """Bytes as they are and floats between their levels, each pixel in the colour map's colour
    (pyqtgraph's own table is the oracle), the whole map in view with square pixels, the
    background around it."""
    picture = _shown(qtbot, colour_map=VIRIDIS)
    table = VIRIDIS.getLookupTable(nPts=256, alpha=False)
    values = np.arange(0, 256, 8, dtype=np.uint8).reshape(4, 8)
    picture.show_image(values)
    for (y, x), value in np.ndenumerate(values):
        assert _colour_at(picture, x + 0.5, y + 0.5) == tuple(table[value])
    scale = picture.pixel_on_screen()
    assert scale == pytest.approx(300 / 8 / 1.02)  # the width limits it; 1 % padding each side
    top_left, bottom_right = picture.widget_point(0, 0), picture.widget_point(8, 4)
    assert top_left.x() == pytest.approx(300 - bottom_right.x())  # centred
    assert top_left.y() == pytest.approx(200 - bottom_right.y())
    background = pg.mkColor(pg.getConfigOption("background")).getRgb()[:3]
    assert _colour_at(picture, 4, -0.5) == background  # above the picture
    _wheel(picture, picture.widget_point(2, 2), 3)
    floats = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)
    picture.show_image(floats, (-1.0, 1.0))  # another shape, after a zoom: all of it, fitted
    assert picture.pixel_on_screen() == pytest.approx(200 / 3 / 1.02)
    for (y, x), value in np.ndenumerate(to_bytes(floats, (-1.0, 1.0))):
        assert _colour_at(picture, x + 0.5, y + 0.5) == tuple(table[value])


def test_a_see_through_table_shows_the_background_through_it(qtbot):
    picture = _shown(qtbot)
    table = np.zeros((256, 4), np.uint8)
    table[:, 0] = 255  # red, fully see-through at byte 0, fully opaque at 255
    table[:, 3] = np.arange(256)
    picture.set_lookup_table(table)
    picture.show_image(np.array([[0, 255]], np.uint8))
    background = pg.mkColor(pg.getConfigOption("background")).getRgb()[:3]
    assert _colour_at(picture, 0.5, 0.5) == background
    assert _colour_at(picture, 1.5, 0.5) == (255, 0, 0)


def test_hover_and_click_report_the_tile_and_its_pixel(qtbot):
    picture = _shown(qtbot, 400, 400)
    mosaic, grid = tile(np.random.default_rng(0).random((5, 5, 4)).astype(np.float32), gap=1, fill=0.0)
    picture.show_image(mosaic, (0.0, 1.0), grid)
    top, left = grid.origin(3)
    inside = picture.widget_point(left + 2.5, top + 1.5).toPoint()  # row 1, column 2 of the fourth tile
    with qtbot.waitSignal(picture.hovered) as hovered:
        qtbot.mouseMove(picture, inside)
    assert hovered.args == [3, 1, 2]
    with qtbot.waitSignal(picture.hovered) as again:  # a new frame under a still mouse: said again
        picture.show_image(mosaic, (0.0, 1.0), grid)
    assert again.args == [3, 1, 2]
    with qtbot.waitSignal(picture.clicked) as clicked:
        qtbot.mouseClick(picture, Qt.MouseButton.LeftButton, pos=inside)
    assert clicked.args == [3, 1, 2]
    gap = picture.widget_point(left - 0.5, top + 1.5).toPoint()  # the line between tiles 2 and 3
    assert picture.locate(QPointF(gap)) is None
    with qtbot.assertNotEmitted(picture.clicked):
        qtbot.mouseClick(picture, Qt.MouseButton.LeftButton, pos=gap)


def test_the_wheel_zooms_about_the_mouse_a_drag_pans_and_a_double_click_fits(qtbot):
    picture = _shown(qtbot, 300, 300)
    picture.show_image(np.arange(400, dtype=np.float32).reshape(20, 20), (0.0, 400.0))
    fitted = picture.pixel_on_screen()
    mouse = picture.widget_point(5.5, 12.5)
    _wheel(picture, mouse, 2)
    assert picture.pixel_on_screen() == pytest.approx(fitted * 1.25 ** 2)
    under = picture.image_point(mouse)
    assert (under.x(), under.y()) == pytest.approx((5.5, 12.5))  # the point under the mouse stays there
    _wheel(picture, mouse, -10)  # never smaller than the whole picture
    assert picture.pixel_on_screen() == pytest.approx(fitted)
    _wheel(picture, mouse, 40)  # nor bigger than the cap
    assert picture.pixel_on_screen() == pytest.approx(MOST_PX_PER_PIXEL)
    centre = QPoint(150, 150)
    grabbed = picture.image_point(QPointF(centre))
    with qtbot.assertNotEmitted(picture.clicked):
        qtbot.mousePress(picture, Qt.MouseButton.LeftButton, pos=centre)
        qtbot.mouseMove(picture, QPoint(120, 140))
        qtbot.mouseRelease(picture, Qt.MouseButton.LeftButton, pos=QPoint(120, 140))
    now = picture.image_point(QPointF(120, 140))  # the point grabbed followed the mouse
    assert (now.x(), now.y()) == pytest.approx((grabbed.x(), grabbed.y()))
    qtbot.mouseDClick(picture, Qt.MouseButton.LeftButton, pos=centre)
    assert picture.pixel_on_screen() == pytest.approx(fitted)


def test_a_mosaic_drawn_smaller_converts_only_what_shows_and_keeps_its_tiles_apart(qtbot):
    """16 maps of 100² on a 100-px picture: one pixel in four converted, every line between the
    tiles kept (a plain stride would drop most); zoomed in, converted again, finer."""
    picture = _shown(qtbot, 100, 100)
    maps = np.ones((100, 100, 16), np.float32)
    mosaic, grid = tile(maps, gap=1, fill=0.0)  # 403 px a side, the gaps 0
    picture.show_image(mosaic, (0.0, 1.0), grid)
    picture.grab()
    drawn = picture.qimage
    assert drawn.width() < mosaic.shape[1] / 3
    row = [drawn.pixelColor(x, 0).red() for x in range(drawn.width())]
    assert sum(1 for value in row if value == 0) == 3  # the three lines between four tiles
    _wheel(picture, QPointF(50, 50), 5)
    picture.grab()
    assert picture.qimage.width() > drawn.width()


@pytest.mark.parametrize("values", [np.zeros((4, 4, 3), np.uint8), np.zeros((0, 5), np.float32)])
def test_anything_but_one_map_is_refused_plainly(qtbot, values):
    picture = _shown(qtbot)
    with pytest.raises(ValueError, match="one non-empty 2-D map"):
        picture.show_image(values)


@pytest.mark.parametrize("size", [(497, 568), (301, 203), (640, 333)])
def test_every_pixel_of_the_widget_is_painted(qtbot, size):
    """The widget says it paints all of itself (Qt then paints nothing under it): a map whose edge
    falls inside a screen pixel must not leave that pixel unpainted (stale on screen)."""
    picture = _shown(qtbot, *size)
    picture.show_image(np.random.default_rng(0).integers(1, 256, (677, 677)).astype(np.uint8))
    target = QImage(picture.size(), QImage.Format.Format_RGB32)
    target.fill(QColor(255, 0, 255))
    picture.render(target, renderFlags=QWidget.RenderFlag.DrawChildren)  # no background of Qt's own
    shot = np.frombuffer(target.constBits(), np.uint8).reshape(target.height(), target.bytesPerLine())
    pixels = shot[:, : target.width() * 4].reshape(target.height(), target.width(), 4)
    unpainted = (pixels[..., 2] == 255) & (pixels[..., 1] == 0) & (pixels[..., 0] == 255)
    assert not unpainted.any(), np.argwhere(unpainted)[:5]


def test_a_new_colour_map_a_resize_and_clear_redraw_the_picture(qtbot):
    picture = _shown(qtbot, 200, 100)
    picture.show_image(np.full((10, 10), 200, np.uint8))
    assert _colour_at(picture, 5, 5) == (200, 200, 200)
    picture.set_colour_map(VIRIDIS)  # the same map, new colours
    assert _colour_at(picture, 5, 5) == tuple(VIRIDIS.getLookupTable(nPts=256, alpha=False)[200])
    _wheel(picture, picture.widget_point(5, 5), 2)
    picture.resize(600, 300)  # grown past the zoom: fitted to the new size
    qtbot.waitUntil(lambda: picture.pixel_on_screen() == pytest.approx(300 / 10 / 1.02))
    picture.clear()
    assert picture.image is None and picture.pixel_on_screen() == 0.0 and picture.widget_point(1, 1) is None
    background = pg.mkColor(pg.getConfigOption("background")).getRgb()[:3]
    centre = picture.grab().toImage().pixelColor(300, 150)
    assert (centre.red(), centre.green(), centre.blue()) == background


def test_the_menu_saves_the_picture_with_its_colour_bar(qtbot, tmp_path):
    picture = _shown(qtbot, 300, 200, colour_map=VIRIDIS, colour_bar=True)
    picture.show_image(np.linspace(0, 1, 64, dtype=np.float32).reshape(8, 8), (0.0, 1.0))
    picture.bar.setLevels((0.0, 1.0))
    assert picture.widget_point(8, 8).x() <= picture.width() - picture.bar.width_needed()  # beside, not over
    at = QPoint(150, 100)
    QApplication.sendEvent(picture, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at, picture.mapToGlobal(at)))
    assert [action.text() for action in picture.context_menu.actions()] == ["Save image…", "Copy"]
    picture.context_menu.close()
    assert picture.save_picture(tmp_path / "channel.png")
    saved = QImage(str(tmp_path / "channel.png"))
    assert saved.size() == picture.size()
    right_of_map = range(int(picture.widget_point(8, 0).x()) + 2, saved.width())
    yellow = [x for x in right_of_map for y in range(saved.height())
              if (c := saved.pixelColor(x, y)).red() > 200 and c.green() > 200 and c.blue() < 100]
    assert yellow  # the bar's top, viridis's yellow, is in the saved picture


def test_a_grid_that_does_not_fit_the_map_is_refused_plainly(qtbot):
    picture = _shown(qtbot)
    mosaic, grid = tile(np.zeros((5, 5, 4), np.float32), gap=1)
    with pytest.raises(ValueError, match="cannot be shown as a map"):
        picture.show_image(mosaic[:-1], (0.0, 1.0), grid)


def test_a_widget_with_no_room_answers_without_dividing_by_zero(qtbot):
    picture = LivePicture()
    qtbot.addWidget(picture)
    picture.resize(0, 0)
    picture.show_image(np.ones((3, 3), np.uint8))
    assert 0 < picture.pixel_on_screen() < 1 and picture.locate(QPointF(0, 0)) is None
