import numpy as np

from cnnexplorer.gui.common.picture_view import PictureView


def _centre(view, qtbot):
    return view.grab().toImage().pixelColor(view.width() // 2, view.height() // 2).red()


def test_a_picture_shown_after_clear_is_drawn(qtbot):
    view = PictureView()
    qtbot.addWidget(view)
    view.resize(200, 200)
    view.show()
    view.show_image(np.full((20, 20), 200, np.uint8), (0, 255))
    assert _centre(view, qtbot) == 200
    view.clear()
    assert _centre(view, qtbot) == 0 and view.grid is None
    view.show_image(np.full((20, 20), 100, np.uint8), (0, 255))
    assert _centre(view, qtbot) == 100  # pyqtgraph's own clear() had removed the view: black for ever


def test_linked_views_zoom_together_and_a_zoomed_grid_shows_the_pixels(qtbot):
    from PySide6.QtCore import QPointF

    first, second = PictureView(pixel_grid=True), PictureView()
    for view in (first, second):
        qtbot.addWidget(view)
        view.resize(200, 200)
        view.show()
        view.show_image(np.full((20, 20), 200, np.uint8), (0, 255))
    second.link_to(first)
    first.box.setRange(xRange=(0, 4), yRange=(0, 4), padding=0)
    qtbot.waitUntil(lambda: second.box.viewRange() == first.box.viewRange(), timeout=2000)
    assert first.pixel_on_screen() > 20
    line = first.box.mapViewToScene(QPointF(1, 0)).x()  # the border between pixel columns 0 and 1
    image = first.grab().toImage()
    assert image.pixelColor(int(line), first.height() // 2).red() < 200  # a grid line on the picture
    assert second.grab().toImage().pixelColor(int(line), second.height() // 2).red() == 200  # no grid asked


def test_readout_message_and_refresh(qtbot):
    view = PictureView()
    qtbot.addWidget(view)
    view.resize(200, 200)
    view.show()
    view.show_frame(np.zeros((4, 4, 3), np.uint8))
    said = []
    view.readout.connect(said.append)
    from PySide6.QtCore import QPointF

    view.scene().sigMouseMoved.emit(view.box.mapViewToScene(QPointF(2.5, 2.5)))
    assert said[-1] == "x 2, y 2 · R 0 G 0 B 0"
    view.show_frame(np.full((4, 4, 3), 9, np.uint8))  # a new frame under a still mouse
    assert said[-1] == "x 2, y 2 · R 9 G 9 B 9"
    view.set_greyed(True, "camera lost — retrying")
    assert view.overlay_text() == "camera lost — retrying" and view.image.image[0, 0, 0] != 9
    view.set_greyed(False)
    assert view.overlay_text() == "" and view.image.image[0, 0, 0] == 9


def test_the_picture_is_kept_in_the_screens_format_with_pyqtgraphs_colours(qtbot):
    """Maps through an opaque and a half-transparent colour map, an RGB frame and a strided view of
    one (drawn in one native call each), and bytes with levels other than 0…255 (pyqtgraph's own
    rescaling): the same pixels as pyqtgraph's own image item makes, held in the format Qt draws
    without converting on every repaint, and opaque ones in a format drawn without blending."""
    import pyqtgraph as pg
    from PySide6.QtGui import QImage

    rng = np.random.default_rng(0)
    see_through = pg.ColorMap([0.0, 1.0], [(0, 0, 255, 0), (255, 40, 0, 200)])
    frame = rng.integers(0, 256, (30, 80, 3), dtype=np.uint8)
    premultiplied, opaque = QImage.Format.Format_ARGB32_Premultiplied, QImage.Format.Format_RGB32
    for image, colour_map, levels, one_call, drawn_as in (
            (rng.integers(0, 256, (30, 40), dtype=np.uint8), pg.colormap.get("viridis"), (0, 255), True, opaque),
            (rng.integers(0, 256, (30, 40), dtype=np.uint8), see_through, (0, 255), True, premultiplied),
            (frame[:, ::2], None, (0, 255), True, opaque),
            (frame, pg.colormap.get("viridis"), (0, 255), True, opaque),  # a colour map is for maps, not frames
            (frame, None, (10, 200), False, premultiplied)):
        view = PictureView(colour_map=colour_map)
        qtbot.addWidget(view)
        view.show_image(image, levels)
        plain = pg.ImageItem(image, levels=levels)
        if colour_map is not None:
            plain.setColorMap(colour_map)
        for item in (view.image, plain):
            item.render()
        assert (view.image._screen_pixels() is not None) == one_call
        assert view.image.qimage.format() == drawn_as
        ours = view.image.qimage
        theirs = plain.qimage.convertToFormat(premultiplied)
        assert (ours.width(), ours.height()) == (theirs.width(), theirs.height())
        assert all(ours.pixel(x, y) == theirs.pixel(x, y) for x in range(0, ours.width(), 3)
                   for y in range(0, ours.height(), 3))


def test_a_map_drawn_smaller_than_its_size_converts_only_the_pixels_the_screen_shows(qtbot):
    """VGG16's first layer as a mosaic is 1.8k² pixels in a view a few hundred wide: one pixel in
    ``step`` is converted (the ones nearest-pixel drawing shows), each the map's own colour; zoomed
    in, the picture is converted again at full resolution."""
    import pyqtgraph as pg

    view = PictureView(colour_map=pg.colormap.get("viridis"))
    qtbot.addWidget(view)
    view.resize(300, 300)
    view.show()
    qtbot.waitExposed(view)
    image = np.random.default_rng(1).integers(0, 256, (1200, 1200), dtype=np.uint8)
    view.show_image(image, (0, 255))
    qtbot.waitUntil(lambda: view.image.qimage is not None and not view.image._renderRequired, timeout=5000)
    step = view.image._drawn_step
    assert step >= 3 and view.image.qimage.width() == len(range(0, 1200, step))
    plain = pg.ImageItem(image[::step, ::step], levels=(0, 255))
    plain.setColorMap(pg.colormap.get("viridis"))
    plain.render()
    ours, theirs = view.image.qimage, plain.qimage
    assert all(ours.pixel(x, y) == theirs.pixel(x, y) for x in range(0, ours.width(), 7) for y in range(0, ours.height(), 7))
    view.box.setRange(xRange=(0, 100), yRange=(0, 100), padding=0)  # zoomed in: a screen pixel per image pixel or more
    qtbot.waitUntil(lambda: view.image._drawn_step == 1 and view.image.qimage.width() == 1200, timeout=5000)


def test_a_mosaic_drawn_smaller_keeps_every_line_between_its_tiles(qtbot):
    """The gaps are what tell one channel from the next: converted one pixel in ``step``, a mosaic
    still has each of its gap lines, and each tile its own pixels."""
    import pyqtgraph as pg

    from cnnexplorer.core.display.mosaic import tile

    maps = np.full((150, 150, 64), 200, np.uint8)
    mosaic, grid = tile(maps, gap=1, fill=0)
    view = PictureView(colour_map=pg.colormap.get("viridis"))
    qtbot.addWidget(view)
    view.resize(300, 300)
    view.show()
    qtbot.waitExposed(view)
    view.show_image(mosaic, (0, 255), grid)
    qtbot.waitUntil(lambda: view.image.qimage is not None and not view.image._renderRequired, timeout=5000)
    step = view.image._drawn_step
    assert step >= 3
    pixels = view.image._displayBuffer[..., :3]
    gap_colour = pixels[0, len(range(0, grid.tile_w, step))]  # the first gap column, in the top row
    columns_of_gap = np.all(pixels == gap_colour, axis=(0, 2))
    rows_of_gap = np.all(pixels == gap_colour, axis=(1, 2))
    assert columns_of_gap.sum() == grid.cols - 1 and rows_of_gap.sum() == grid.rows - 1
