"""Where cnnexplorer finds its shipped resources and keeps the user's files."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from cnnexplorer.core.i18n import tr

HOME_ENV = "CNNEXPLORER_HOME"
MAX_NAME_TRIES = 10_000  # stem-2 … stem-10000: far more than a folder of one stem ever holds
_chosen_home: Path | None = None  # set from the command line (--data-dir): wins over the environment


def use_data_dir(path: Path | str | None) -> None:
    """Keep the user's files in ``path`` from now on (``None``: back to the default)."""
    global _chosen_home
    _chosen_home = Path(path) if path is not None else None


def data_dir() -> Path:
    """The user's data folder (settings, logs, saved work): the one chosen with
    :func:`use_data_dir`, else ``$CNNEXPLORER_HOME``, else the platform's. Created when missing; a
    folder that cannot be created is still returned, and what is read or written there fails alone."""
    override = _chosen_home or os.environ.get(HOME_ENV)
    if override:
        path = Path(override)
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir("cnnexplorer", appauthor=False))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:  # unusable (a file in its place, no rights): each read or write then says so itself
        pass
    return path


class WriteFailed(OSError):
    """A file could not be written (a full disk, a read-only folder…); the file that was there
    before, if any, is unchanged. ``errno`` is the system's reason."""

    def __str__(self) -> str:
        return str(self.args[0])  # the sentence for the user, not OSError's "[Errno …]" form


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, ``fsync`` and a rename: a reader sees the old
    file or the new one, never half, and a write that fails leaves the old file as it was.

    Raises :class:`WriteFailed` (an ``OSError``) naming ``path``."""
    atomic_write(path, lambda tmp: Path(tmp).write_bytes(data))


def atomic_write(path: Path, write: Callable[[str], object], *, keep_suffix: bool = False) -> None:
    """Let ``write`` fill a temporary file beside ``path`` (given by name), then ``fsync`` it and
    rename it to ``path``; see :func:`atomic_write_bytes`. ``keep_suffix``: the temporary name ends
    as ``path`` does (``.keras``, ``.weights.h5``: Keras chooses its format by the name) instead of
    in ``.tmp``. Raises :class:`WriteFailed` naming ``path``."""
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        suffix = "".join(path.suffixes) if keep_suffix else ".tmp"
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
        os.close(fd)
        write(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
        tmp = None
        _sync_folder(path.parent)
    except OSError as exc:
        failed = WriteFailed(tr("{path} was not saved ({reason}); the file there before, if any, is unchanged",
                                path=path, reason=exc.strerror or exc))
        failed.errno, failed.filename = exc.errno, str(path)
        raise failed from exc
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` survive a power cut (POSIX; Windows has no folder handles)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot sync a folder; the rename itself is done
        pass
    finally:
        os.close(fd)


def time_stamp() -> str:
    """Local time to the microsecond, e.g. ``20261201-143005-123456``: names made with it sort by age."""
    return datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def unique_path(folder: Path, stem: str, suffix: str = "", *, directory: bool = False) -> Path:
    """Claim a new name in ``folder`` and return it: ``stem + suffix``, else ``stem-2 + suffix``,
    ``stem-3``… The file (or, with ``directory``, the folder) is created empty and exclusively
    (``O_EXCL`` / ``mkdir``), so two writers — threads or processes — never get the same name, and
    nothing already there is ever overwritten.

    Fill the claimed file with :func:`atomic_write_bytes` (its rename replaces only the empty claim)
    or a writer of your own; remove it if you give up. :func:`write_new_file` does both for bytes.
    A ``stem`` from :func:`time_stamp` keeps names short and in order of creation."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(1, MAX_NAME_TRIES + 1):
        path = folder / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
        try:
            if directory:
                path.mkdir()
            else:
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        except FileExistsError:
            continue
        return path
    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(folder / f"{stem}-{MAX_NAME_TRIES}{suffix}"))


def write_new_file(folder: Path, stem: str, suffix: str, data: bytes) -> Path:
    """Write ``data`` under a new name (see :func:`unique_path`) atomically and return its path; nothing
    is left behind when the write fails (:class:`WriteFailed`)."""
    path = unique_path(folder, stem, suffix)
    try:
        atomic_write_bytes(path, data)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path
