"""Taking a scene from the window and putting one back on it.

A panel takes part by offering two methods: ``scene_state() -> dict`` (plain JSON) and
``apply_scene(state: dict) -> list[str]`` (sets what it can and returns what it skipped, with why).
"""

from __future__ import annotations

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.lecture.scenes import Scene


def _scene_owner(dock):
    """The dock, or the widget it holds, whichever keeps a scene (the training tab sits in a plain dock)."""
    return dock if hasattr(dock, "scene_state") else dock.widget()


def capture_scene(window, panel: str | None = None, title: str = "") -> Scene:
    """The current panel (or ``panel``) with its state and the source it shows."""
    if panel is None:
        current = window.current_panel()
        panel = next(name for name, dock in window.panels.items() if dock is current)
    dock = window.panels[panel]
    owner = _scene_owner(dock)
    state = owner.scene_state() if hasattr(owner, "scene_state") else {}
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
            skipped += owner.apply_scene(scene.state)
        else:
            skipped.append(tr("the {panel} panel keeps no scene state; shown as it is", panel=dock.windowTitle()))
    return [f"{scene.title}: {reason}" for reason in skipped]
