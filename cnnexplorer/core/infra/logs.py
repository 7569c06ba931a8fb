"""Logging to a rotating file in the user's data folder."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from cnnexplorer.core.infra.paths import data_dir

LOG_NAME = "cnnexplorer.log"


def log_path() -> Path:
    return data_dir() / "logs" / LOG_NAME


def setup_logging(level: int = logging.INFO) -> Path:
    """Send the ``cnnexplorer`` loggers to a rotating file (1 MB × 3) and return its path."""
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    logger = logging.getLogger("cnnexplorer")
    for handler in list(logger.handlers):
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            logger.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
    return path
