"""A *scene* is one panel and its state (plus the source it shows); a *script* is a list of
scenes. Both are plain JSON that another copy of the app opens:

    {"format": "cnnexplorer-lecture", "version": 2, "title": "...",
     "scenes": [{"title": "...", "panel": "conv", "source": {"spec": "pattern:circles", "frozen": true},
                 "state": {"inputs": {"stride_y": 2, "padding": "same", ...}, "kernel": [[...]]}}]}

A panel's inputs are keyed by field names (cnnexplorer/gui/common/scene_fields.py), never by the
code's attribute paths; version 1 used those paths and is migrated on load (scene_migration.py).

Reading is forgiving where it can be: a damaged scene is skipped with a reason, a newer file is
read as far as this version understands it; only a file that is not JSON at all (or not a script)
raises :class:`SceneFileError`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.infra.store import write_json
from cnnexplorer.core.lecture.scene_migration import migrate_v1_state

FORMAT = "cnnexplorer-lecture"
VERSION = 2  # 2: inputs keyed by field names, no longer by attribute paths
SCENE_KEYS = {"title", "panel", "source", "state"}


class SceneFileError(ValueError):
    """The file cannot be read as a lecture script at all."""


@dataclass
class Scene:
    panel: str
    title: str = ""
    source: dict[str, Any] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "panel": self.panel, "source": self.source, "state": self.state}


@dataclass
class Script:
    scenes: list[Scene] = field(default_factory=list)
    title: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": VERSION, "title": self.title,
                "scenes": [scene.to_json() for scene in self.scenes]}


def save_script(path: Path | str, script: Script) -> None:
    """Write ``script`` as readable UTF-8 JSON, Hangul and all (atomically: a reader never sees half a file)."""
    write_json(Path(path), script.to_json(), ensure_ascii=False)


def load_script(path: Path | str) -> tuple[Script, list[str]]:
    """Read a script; returns it with the list of what was skipped and why (empty: all read)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # UTF-8, with or without the BOM Notepad may add
    except FileNotFoundError:
        raise SceneFileError(tr("{name}: no such file", name=path.name)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SceneFileError(tr("{name}: cannot be read ({problem})", name=path.name, problem=exc)) from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise SceneFileError(tr("{name} is damaged: not JSON ({problem})", name=path.name, problem=exc)) from None
    return script_from_json(data, name=path.name)


def script_from_json(data: Any, name: str | None = None) -> tuple[Script, list[str]]:
    name = tr("script") if name is None else name
    if not isinstance(data, dict) or not isinstance(data.get("scenes"), list):
        raise SceneFileError(tr("{name} is not a lecture script (no list of scenes)", name=name))
    skipped: list[str] = []
    if data.get("format", FORMAT) != FORMAT:
        skipped.append(tr("{name} says it is {found}, not {expected}: read as far as possible", name=name,
                          found=repr(data.get("format")), expected=repr(FORMAT)))
    version = data.get("version", VERSION)
    if not isinstance(version, int) or version > VERSION:
        skipped.append(tr("{name} was written by a newer version ({version}); what this version does not know is "
                          "skipped", name=name, version=version))
    scenes = []
    for number, raw in enumerate(data["scenes"], start=1):
        scene, problem = _scene_from_json(raw, number)
        if problem:
            skipped.append(problem)
        if scene is not None:
            if isinstance(version, int) and version < 2:
                scene.state = migrate_v1_state(scene.panel, scene.state)
            scenes.append(scene)
    title = data.get("title") if isinstance(data.get("title"), str) else ""
    return Script(scenes, title), skipped


def _scene_from_json(raw: Any, number: int) -> tuple[Scene | None, str]:
    if not isinstance(raw, dict) or not isinstance(raw.get("panel"), str) or not raw["panel"]:
        return None, tr("scene {number}: damaged (no panel named); skipped", number=number)
    problems = []
    source, state = raw.get("source", {}), raw.get("state", {})
    if not isinstance(source, dict):
        problems.append(tr("its source is damaged"))
        source = {}
    if not isinstance(state, dict):
        problems.append(tr("its panel state is damaged"))
        state = {}
    unknown = sorted(set(raw) - SCENE_KEYS)
    if unknown:
        problems.append(tr("unknown fields skipped: {fields}", fields=", ".join(unknown)))
    title = raw.get("title") if isinstance(raw.get("title"), str) else ""
    scene = Scene(raw["panel"], title or tr("Scene {number}", number=number), source, state)
    if not problems:
        return scene, ""
    return scene, tr("scene {number} ({title}): {problems}", number=number, title=scene.title,
                     problems="; ".join(problems))
