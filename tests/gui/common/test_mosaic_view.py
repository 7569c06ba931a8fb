import numpy as np

from cnnexplorer.gui.common.mosaic_view import MosaicView


def _centre(view, qtbot):
    qtbot.wait(20)
    return view.grab().toImage().pixelColor(view.width() // 2, view.height() // 2).red()


def test_a_picture_shown_after_clear_is_drawn(qtbot):
    view = MosaicView()
    qtbot.addWidget(view)
    view.resize(200, 200)
    view.show()
    view.show_image(np.full((20, 20), 200, np.uint8), (0, 255))
    assert _centre(view, qtbot) == 200
    view.clear()
    assert _centre(view, qtbot) == 0 and view.grid is None
    view.show_image(np.full((20, 20), 100, np.uint8), (0, 255))
    assert _centre(view, qtbot) == 100  # pyqtgraph's own clear() had removed the view: black for ever
