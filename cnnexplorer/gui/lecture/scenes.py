"""Taking a scene from the window and putting one back on it.

A panel takes part by offering two methods: ``scene_state() -> dict`` (plain JSON) and
``apply_scene(state: dict) -> list[str]`` (sets what it can and returns what it skipped, with why).
Its inputs (``state["inputs"]``) go into the scene under their field names, never their attribute paths,
and come back to the panel under its paths (the panel's own code reads some of them by path).
"""

from __future__ import annotations

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.lecture.scenes import Scene
from cnnexplorer.gui.common.built_on_show import dock_content
from cnnexplorer.gui.common.widget_state import field_names, fields_of


def _scene_owner(dock):
    """The dock, or the widget it holds, whichever keeps a scene (the training tab sits in a plain
    dock, made on first show)."""
    return dock if hasattr(dock, "scene_state") else dock_content(dock)


def capture_scene(window, panel: str | None = None, title: str = "") -> Scene:
    """The current panel (or ``panel``) with its state and the source it shows."""
    if panel is None:
        current = window.current_panel()
        panel = next(name for name, dock in window.panels.items() if dock is current)
    dock = window.panels[panel]
    owner = _scene_owner(dock)
    state = owner.scene_state() if hasattr(owner, "scene_state") else {}
    if isinstance(state.get("inputs"), dict):
        state = {**state, "inputs": field_names(owner, state["inputs"])}
    source = window.source_dock.scene_state() if panel != "source" else {}
    if panel == "source":
        state = window.source_dock.scene_state()
    return Scene(panel, title or dock.windowTitle(), source, state)


def apply_scene(window, scene: Scene) -> list[str]:
    """Bring the scene's panel forward with its state; returns what was skipped and why."""
    dock = window.panels.get(scene.panel)
    if dock is None:
        return [tr("{scene}: this version has no panel '{panel}'; scene skipped",
                   scene=scene.title, panel=scene.panel)]
    skipped = []
    if scene.source:
        skipped += window.source_dock.apply_scene(scene.source)
    window.bring_forward(scene.panel)
    if window.presenter.active:
        window.presenter.enter(dock)
    if scene.state:
        owner = _scene_owner(dock)
        if hasattr(owner, "apply_scene"):
            skipped += _apply_by_path(owner, scene.state)
        else:
            skipped.append(tr("the {panel} panel keeps no scene state; shown as it is", panel=dock.windowTitle()))
    return [f"{scene.title}: {reason}" for reason in skipped]


def _apply_by_path(owner, state: dict) -> list[str]:
    """Give the panel ``state`` with its fields under their attribute paths; what it skips is said
    under the field names the scene used."""
    inputs = state.get("inputs")
    if not isinstance(inputs, dict):
        return owner.apply_scene(state)
    paths = {field: path for field, path in fields_of(owner).items() if field in inputs}
    by_path = {paths.get(key, key): value for key, value in inputs.items()}
    skipped = owner.apply_scene({**state, "inputs": by_path})
    return [_named_by_field(reason, paths) for reason in skipped]


def _named_by_field(reason: str, paths: dict[str, str]) -> str:
    """``reason`` ("path: problem", as widget_state words it) under the scene's field name."""
    for field, path in paths.items():
        if reason.startswith(f"{path}: "):
            return field + reason[len(path):]
    return reason
