"""Where cnnexplorer finds its shipped resources and keeps the user's files."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

HOME_ENV = "CNNEXPLORER_HOME"
_chosen_home: Path | None = None  # set from the command line (--data-dir): wins over the environment


def resources_dir() -> Path:
    """The ``resources`` folder: inside the package in a wheel, beside it in a checkout."""
    package = Path(__file__).resolve().parents[2]  # cnnexplorer/
    for candidate in (package / "resources", package.parent / "resources"):
        if (candidate / "images").is_dir():
            return candidate
    from cnnexplorer.core.i18n import tr  # here, not above: the translations are found through this module

    raise FileNotFoundError(tr("cnnexplorer's resources folder is missing (looked beside {package})", package=package))


def resource(*parts: str) -> Path:
    """Path of one shipped resource, e.g. ``resource("images", "chelsea.png")``."""
    return resources_dir().joinpath(*parts)


def use_data_dir(path: Path | str | None) -> None:
    """Keep the user's files in ``path`` from now on (``None``: back to the default)."""
    global _chosen_home
    _chosen_home = Path(path) if path is not None else None


def data_dir() -> Path:
    """The user's data folder (settings, logs, saved work): the one chosen with
    :func:`use_data_dir`, else ``$CNNEXPLORER_HOME``, else the platform's."""
    override = _chosen_home or os.environ.get(HOME_ENV)
    if override:
        path = Path(override)
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir("cnnexplorer", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, so no reader sees half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
