"""Qt side: thin docks over :mod:`cnnexplorer.core`, grouped by course section like the core."""

from cnnexplorer.gui.common.pyside_imports import lighten_import_check

lighten_import_check()  # before TensorFlow is imported behind the window
