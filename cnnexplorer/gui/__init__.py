"""Qt side: thin docks over :mod:`cnnexplorer.core`, grouped by course section like the core."""
