"""pyqtgraph's global options, set once by whoever first draws an image (not on import), and the colour
maps the rooms share."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from cnnexplorer.core.display.colormap import DIVERGING

# Colour maps the rooms share: signed values blue-white-red, and plain gray.
DIVERGING_MAP = pg.ColorMap(np.linspace(0, 1, 256), DIVERGING)
GRAY_MAP = pg.ColorMap([0.0, 1.0], [(0, 0, 0), (255, 255, 255)])
FIT_PADDING = 0.01  # the margin about a picture fitted to its view, a share of its size

_configured = False


def configure_pyqtgraph() -> None:
    """Arrays are (row, column): without this pyqtgraph shows every image transposed."""
    global _configured
    if not _configured:
        pg.setConfigOptions(imageAxisOrder="row-major", antialias=False)
        _configured = True
