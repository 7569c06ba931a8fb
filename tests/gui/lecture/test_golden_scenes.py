"""Saved lecture scripts keep opening: golden files under tests/data/scenes/ (the shipped course as
it was in version 1, and one scene per panel saved by version 2) open with nothing skipped, and
every field they name ends up on its widget. A change that would break a lecturer's file fails here."""

import json
from pathlib import Path

import pytest

from cnnexplorer.core.lecture.scenes import VERSION, load_script
from cnnexplorer.gui.common.widget_state import find_inputs
from cnnexplorer.gui.lecture.scene_dock import course_script_path
from cnnexplorer.gui.common.scene_fields import FIELDS
from cnnexplorer.gui.lecture.scenes import apply_scene, capture_scene

GOLDEN = Path(__file__).parents[2] / "data" / "scenes"
PANEL_FILES = sorted(GOLDEN.glob("*_v2.json"))
MODEL_LOAD = 180000  # ms: the bundled model loads on a worker the first time a panel needs it


def _owner(window, panel):
    dock = window.panels[panel]
    return dock if hasattr(dock, "scene_state") else dock.widget()


def _holds(window, scene) -> bool:
    """The window shows ``scene``: every field on its widget, the rest of the state and the source as saved."""
    shown = capture_scene(window, scene.panel)
    if scene.source and {k: shown.source.get(k) for k in scene.source} != scene.source:
        return False
    inputs = scene.state.get("inputs", {})
    if {field: shown.state.get("inputs", {}).get(field) for field in inputs} != inputs:
        return False
    named = {key: value for key, value in scene.state.items() if key != "inputs" and value not in ("", None)}
    return all(shown.state.get(key) == value for key, value in named.items())  # "" or null: the panel's default


def test_every_panel_golden_file_is_there():
    assert {path.name for path in PANEL_FILES} >= {f"{panel}_v2.json" for panel in (
        "conv", "filters", "basics", "neurons", "model", "attribution", "augment", "training", "inception", "source")}


def test_every_input_of_every_panel_has_a_field_name(window):
    for panel in window.panels:
        owner = _owner(window, panel)
        state = owner.scene_state() if hasattr(owner, "scene_state") else {}
        paths = set(state.get("inputs", {}))
        table = FIELDS.get(type(owner).__name__, {})
        assert paths <= set(table.values()), f"{panel}: inputs with no field name {sorted(paths - set(table.values()))}"
        missing = set(table.values()) - set(find_inputs(owner))
        assert not missing, f"{panel}: the field table names widgets that are gone: {sorted(missing)}"
        others = set(find_inputs(owner)) - set(table.values())
        assert not set(table) & others, f"{panel}: a field name is another widget's attribute path"


@pytest.mark.parametrize("path", PANEL_FILES, ids=lambda p: p.stem)
def test_a_saved_panel_scene_opens_whole(window, qtbot, path):
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == VERSION
    script, skipped = load_script(path)
    assert skipped == [] and len(script.scenes) == 1
    scene = script.scenes[0]
    assert not _holds(window, scene), "the golden scene must differ from a fresh window, or it proves nothing"
    if scene.panel == "attribution":
        window.keras.start()  # its inputs wait for the model that fills its lists
    assert apply_scene(window, scene) == []
    qtbot.waitUntil(lambda: _holds(window, scene), timeout=MODEL_LOAD if scene.panel == "attribution" else 10000)


def test_the_version_1_course_opens_as_the_shipped_course(window, qtbot):
    old, skipped = load_script(GOLDEN / "course_v1.json")
    assert json.loads((GOLDEN / "course_v1.json").read_text(encoding="utf-8"))["version"] == 1
    assert skipped == []
    shipped, skipped = load_script(course_script_path())
    assert skipped == []
    assert [scene.to_json() for scene in old.scenes] == [scene.to_json() for scene in shipped.scenes]
    for scene in old.scenes:
        assert set(scene.state.get("inputs", {})) <= set(FIELDS.get(type(_owner(window, scene.panel)).__name__, {}))
    window.keras.start()
    for scene in old.scenes:
        assert apply_scene(window, scene) == [], scene.title
        qtbot.waitUntil(lambda: _holds(window, scene), timeout=MODEL_LOAD)
    qtbot.waitUntil(lambda: window.explorer.loader is None and window.keras.state != "loading", timeout=MODEL_LOAD)
