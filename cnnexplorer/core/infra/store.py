"""The user's named things (kernels, augmentation pipelines…) as one JSON file each, in one place.

Names are checked (a file name on every system), writes are atomic, a foreign file is refused with
:class:`ValueError` naming it, and a damaged one (not JSON) is set aside as ``NAME.json.damaged-<time>``
and reported once, never half read.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.core.infra.damage import set_aside
from cnnexplorer.core.infra.paths import atomic_write_bytes, data_dir

NAME = re.compile(r"^[\w][\w .()+-]{0,63}$")
NAME_RULE = N_("letters, digits, spaces, . ( ) + - (at most 64, not starting with a symbol)")  # show: tr(NAME_RULE)


class NamedJsonStore:
    """``store.save(name, data)``, ``store.load(name)``, ``store.names()`` over ``data_dir()/kind``
    (or ``folder``, looked up on each call so a changed data folder is followed)."""

    def __init__(self, kind: str, folder: Path | None = None) -> None:
        self.kind = kind
        self._folder = folder

    @property
    def folder(self) -> Path:
        return self._folder or data_dir() / self.kind

    def path(self, name: str) -> Path:
        if not isinstance(name, str) or not NAME.match(name):
            raise ValueError(tr("{name} cannot be a name: use {rule}", name=repr(name), rule=tr(NAME_RULE)))
        return self.folder / f"{name}.json"

    def save(self, name: str, data: Any) -> Path:
        path = self.path(name)
        write_json(path, data)
        return path

    def load(self, name: str) -> Any:
        """The data saved as ``name``. Raises :class:`ValueError` naming the file: a missing file, or a
        damaged one (which is then set aside, see :mod:`.damage`)."""
        path = self.path(name)
        damaged = _set_aside_if_damaged(path)
        if damaged:
            raise ValueError(damaged)
        return read_json(path)

    def names(self) -> list[str]:
        """The names saved here. Files this store could not have written are skipped; damaged ones
        (not JSON) are set aside and reported once (see :mod:`.damage`)."""
        folder = self.folder
        if not folder.is_dir():
            return []
        return sorted(p.stem for p in folder.glob("*.json") if NAME.match(p.stem) and not _set_aside_if_damaged(p))


def _set_aside_if_damaged(path: Path) -> str | None:
    """The notice when ``path`` is not JSON (the file is then set aside), else ``None``."""
    try:
        json.loads(path.read_bytes().decode("utf-8-sig"))
    except ValueError as exc:
        return set_aside(path, tr("not JSON: {error}", error=exc), tr("it is no longer offered in the saved list"))
    except OSError:  # missing or unreadable: read_json says so when it is asked for
        return None
    return None


def write_json(path: Path, data: Any, *, ensure_ascii: bool = True) -> None:
    """``data`` as indented JSON in UTF-8. Non-ASCII text (Hangul names) is escaped unless
    ``ensure_ascii`` is False, for files people read and edit (lecture scripts); both read back the same."""
    atomic_write_bytes(Path(path), json.dumps(data, indent=1, ensure_ascii=ensure_ascii).encode("utf-8"))


def read_json(path: Path) -> Any:
    """A JSON file read as UTF-8 (what :func:`write_json` writes, on every system)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8-sig"))  # a BOM (Notepad) is allowed
    except (OSError, ValueError) as exc:
        raise ValueError(tr("{name}: not a readable JSON file ({problem})", name=Path(path).name,
                            problem=exc)) from None
