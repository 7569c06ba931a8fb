"""TensorFlow's C++ start-up chatter (CUDA probe, oneDNN, CPU features) goes to a log file, not the
terminal, unless the user asks for it (``--verbose``).

TensorFlow 2.21 writes these lines through absl before ``TF_CPP_MIN_LOG_LEVEL`` is read, so the only
reliable way to keep them off the terminal is to point file descriptor 2 elsewhere while it loads.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

from cnnexplorer.core.infra.paths import data_dir

log = logging.getLogger(__name__)

NATIVE_LOG_NAME = "native.log"
# Keras warns once per model when a list-of-one-input model is fed a bare array; the result is right.
KERAS_STRUCTURE_WARNING = r"(?s).*structure of `inputs` doesn't match the expected structure"

_verbose = False


def set_verbose(verbose: bool) -> None:
    """``True``: native logs and library warnings reach the terminal as they are."""
    global _verbose
    _verbose = verbose
    if not verbose:
        warnings.filterwarnings("ignore", message=KERAS_STRUCTURE_WARNING)
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # later C++ messages, once absl is up


def is_verbose() -> bool:
    return _verbose


def native_log_path() -> Path:
    return data_dir() / "logs" / NATIVE_LOG_NAME


@contextlib.contextmanager
def native_stderr_to_log(path: Path | None = None) -> Iterator[Path | None]:
    """While inside, whatever native code writes to stderr is appended to ``path`` (default: the
    native log in the data folder). Does nothing in verbose mode; yields the file used or None."""
    if _verbose:
        yield None
        return
    path = Path(path) if path is not None else native_log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        target = open(path, "ab")  # noqa: SIM115 - closed below, once stderr is given back
    except OSError as exc:  # a read-only or unusable data folder: native messages stay on stderr
        log.warning("native messages stay on stderr: %s", exc)  # i18n: keep
        yield None
        return
    sys.stderr.flush()
    saved = os.dup(2)
    with target:
        os.dup2(target.fileno(), 2)
        try:
            yield path
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
