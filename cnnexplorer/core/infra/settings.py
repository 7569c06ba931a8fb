"""One small JSON settings store that shrugs off missing, unknown or corrupt values; a damaged file
is kept aside as ``settings.json.damaged-<time>``, never overwritten."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.infra.damage import report, set_aside
from cnnexplorer.core.infra.paths import WriteFailed, atomic_write_bytes, data_dir

log = logging.getLogger(__name__)

MAX_RECENT = 10


class Settings:
    """Key/value settings kept in ``settings.json`` under the data folder.

    ``get`` takes a default whose type is the expected one: a stored value of another type
    (a hand-edited or damaged file) is ignored and the default returned.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else data_dir() / "settings.json"
        self.problem: str | None = None  # what was wrong with the file, for the user; None when all was well
        self._unreadable = False
        self._values: dict[str, Any] = self._read()

    def _read(self) -> dict[str, Any]:
        """The stored values; a damaged file is set aside (see :mod:`.damage`) and defaults used."""
        try:
            values = json.loads(self.path.read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            return {}
        except ValueError as exc:  # bad JSON or bad UTF-8
            return self._damaged(tr("not JSON: {error}", error=exc))
        except OSError as exc:  # nothing is known to be wrong with its contents: left as it is, never replaced
            self.problem = tr("{path} cannot be read ({error}): the default settings are used, and the file is "
                              "left as it is", path=self.path, error=exc.strerror or exc)
            self._unreadable = True
            report(self.problem)
            return {}
        if not isinstance(values, dict):
            return self._damaged(tr("not a JSON object"))
        return values

    def _damaged(self, problem: str) -> dict[str, Any]:
        self.problem = set_aside(self.path, problem, tr("the default settings are used"))
        return {}

    def get(self, key: str, default: Any = None) -> Any:
        value = self._values.get(key, default)
        if default is not None and value is not None and not _same_kind(value, default):
            log.warning("ignoring setting %r=%r: expected %s", key, value, type(default).__name__)  # i18n: keep
            return default
        return value

    def set(self, key: str, value: Any) -> None:
        self._values[key] = value

    def remove(self, key: str) -> None:
        self._values.pop(key, None)

    def recent_files(self) -> list[str]:
        files = self.get("recent_files", [])
        return [f for f in files if isinstance(f, str)][:MAX_RECENT]

    def add_recent_file(self, path: str) -> None:
        files = [f for f in self.recent_files() if f != path]
        self.set("recent_files", [path, *files][:MAX_RECENT])

    def save(self) -> None:
        """Write the settings atomically; raises :class:`~.paths.WriteFailed` (an ``OSError``) and
        leaves the file as it was when the disk is full or the folder read-only, or when the file
        could not be read at start (it would be replaced by defaults)."""
        if self._unreadable:
            raise WriteFailed(tr("{path} was not saved: it could not be read at start, and saving would replace it",
                                 path=self.path))
        text = json.dumps(self._values, indent=2, sort_keys=True)
        atomic_write_bytes(self.path, text.encode("utf-8"))


def _same_kind(value: Any, default: Any) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, type(default))
