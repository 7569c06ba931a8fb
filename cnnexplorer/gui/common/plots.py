"""pyqtgraph's global options, set once by whoever first draws an image (not on import)."""

from __future__ import annotations

import pyqtgraph as pg

_configured = False


def configure_pyqtgraph() -> None:
    """Arrays are (row, column): without this pyqtgraph shows every image transposed."""
    global _configured
    if not _configured:
        pg.setConfigOptions(imageAxisOrder="row-major", antialias=False)
        _configured = True
