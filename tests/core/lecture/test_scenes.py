import json

import pytest

from cnnexplorer.core.lecture.scenes import VERSION, Scene, SceneFileError, Script, load_script, save_script


def _script() -> Script:
    return Script([
        Scene("conv", "Edges", {"spec": "pattern:circles", "frozen": True}, {"kernel": [[0, 1], [1, 0]]}),
        Scene("basics", "Bit depth", {"spec": "sample:chelsea"}, {"inputs": {"depth": "1-bit"}}),
    ], title="Week 4")


def test_round_trip_is_readable_json(tmp_path):
    path = tmp_path / "lecture.json"
    save_script(path, _script())
    data = json.loads(path.read_text())
    assert data["format"] == "cnnexplorer-lecture" and data["version"] == VERSION
    assert data["scenes"][0]["panel"] == "conv" and "\n" in path.read_text()  # indented, for people
    script, skipped = load_script(path)
    assert skipped == [] and script == _script()


def test_damaged_scene_is_skipped_and_named_the_rest_opens(tmp_path):
    path = tmp_path / "lecture.json"
    data = _script().to_json()
    data["scenes"].insert(1, {"title": "no panel"})
    data["scenes"][0]["state"] = "garbage"
    path.write_text(json.dumps(data))
    script, skipped = load_script(path)
    assert [s.panel for s in script.scenes] == ["conv", "basics"]
    assert script.scenes[0].state == {}
    assert skipped == ["scene 1 (Edges): its panel state is damaged", "scene 2: damaged (no panel named); skipped"]


def test_newer_version_opens_as_far_as_it_can(tmp_path):
    path = tmp_path / "lecture.json"
    data = _script().to_json()
    data["version"] = VERSION + 1
    data["scenes"][1]["camera_rig"] = {"angle": 3}
    path.write_text(json.dumps(data))
    script, skipped = load_script(path)
    assert len(script.scenes) == 2
    assert "newer version" in skipped[0] and "unknown fields skipped: camera_rig" in skipped[1]


@pytest.mark.parametrize("content, message", [
    ("{not json", "is damaged: not JSON"),
    ('{"scenes": 3}', "not a lecture script"),
    ("[]", "not a lecture script"),
])
def test_unreadable_file_raises_a_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(SceneFileError, match=message):
        load_script(path)
    with pytest.raises(SceneFileError, match="no such file"):
        load_script(tmp_path / "missing.json")
