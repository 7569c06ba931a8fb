"""One small JSON settings store that shrugs off missing, unknown or corrupt values."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from cnnexplorer.core.infra.paths import atomic_write_bytes, data_dir

log = logging.getLogger(__name__)

MAX_RECENT = 10


class Settings:
    """Key/value settings kept in ``settings.json`` under the data folder.

    ``get`` takes a default whose type is the expected one: a stored value of another type
    (a hand-edited or damaged file) is ignored and the default returned.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else data_dir() / "settings.json"
        self._values: dict[str, Any] = self._read()

    def _read(self) -> dict[str, Any]:
        try:
            values = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable settings file %s: %s", self.path, exc)  # i18n: keep
            return {}
        if not isinstance(values, dict):
            log.warning("ignoring settings file %s: not a JSON object", self.path)  # i18n: keep
            return {}
        return values

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
        text = json.dumps(self._values, indent=2, sort_keys=True)
        atomic_write_bytes(self.path, text.encode("utf-8"))


def _same_kind(value: Any, default: Any) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, type(default))
