import json

from cnnexplorer.core.infra.settings import MAX_RECENT, Settings


def test_round_trip(tmp_path):
    settings = Settings(tmp_path / "s.json")
    settings.set("camera_index", 2)
    settings.set("source", "sample:coffee")
    settings.save()
    again = Settings(tmp_path / "s.json")
    assert again.get("camera_index", 0) == 2
    assert again.get("source", "") == "sample:coffee"
    assert list(tmp_path.iterdir()) == [tmp_path / "s.json"]  # no temporary files left


def test_corrupt_file_gives_defaults(tmp_path):
    path = tmp_path / "s.json"
    path.write_text("{ not json")
    assert Settings(path).get("camera_index", 0) == 0
    path.write_text("[1, 2, 3]")
    assert Settings(path).get("source", "x") == "x"


def test_wrong_types_are_ignored(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"camera_index": "three", "mirror": 1, "recent_files": ["a", 5, "b"]}))
    settings = Settings(path)
    assert settings.get("camera_index", 0) == 0
    assert settings.get("mirror", True) is True
    assert settings.recent_files() == ["a", "b"]


def test_recent_files_dedupe_and_cap(tmp_path):
    settings = Settings(tmp_path / "s.json")
    for i in range(MAX_RECENT + 5):
        settings.add_recent_file(f"/f{i}.png")
    settings.add_recent_file("/f3.png")
    recent = settings.recent_files()
    assert recent[0] == "/f3.png" and len(recent) == MAX_RECENT and recent.count("/f3.png") == 1


def test_default_location_follows_home(user_home):
    settings = Settings()
    settings.save()
    assert settings.path == user_home / "settings.json" and settings.path.exists()


def test_a_chosen_data_dir_wins_over_the_environment(tmp_path, monkeypatch):
    from cnnexplorer.core.infra.paths import data_dir, use_data_dir

    monkeypatch.setenv("CNNEXPLORER_HOME", str(tmp_path / "env"))
    assert data_dir() == tmp_path / "env"
    use_data_dir(tmp_path / "chosen")
    try:
        assert data_dir() == tmp_path / "chosen" and data_dir().is_dir()
    finally:
        use_data_dir(None)
    assert data_dir() == tmp_path / "env"
