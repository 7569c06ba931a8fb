"""Qt side: thin docks over :mod:`cnnexplorer.core`. Importing it configures pyqtgraph once."""

import pyqtgraph as pg

# Arrays are (row, column): without this pyqtgraph shows every image transposed.
pg.setConfigOptions(imageAxisOrder="row-major", antialias=False)
