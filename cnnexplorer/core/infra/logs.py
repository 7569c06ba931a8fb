"""Logging to a rotating file in the user's data folder."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.infra.damage import report
from cnnexplorer.core.infra.paths import data_dir

LOG_NAME = "cnnexplorer.log"


def log_path() -> Path:
    return data_dir() / "logs" / LOG_NAME


def setup_logging(level: int = logging.INFO) -> Path:
    """Send the ``cnnexplorer`` loggers to a rotating file (1 MB × 3) and return its path. When the
    data folder cannot hold it (read-only, unusable) the app still starts, warnings go to the
    terminal, and the user is told once (see :mod:`.damage`)."""
    path = log_path()
    logger = logging.getLogger("cnnexplorer")
    for handler in list(logger.handlers):
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            logger.removeHandler(handler)
            handler.close()
    logger.setLevel(level)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError as exc:
        report(tr("the log cannot be written to {path} ({error}): warnings go to the terminal instead", path=path,
                  error=exc.strerror or exc))
        return path
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    return path
