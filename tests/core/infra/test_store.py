import pytest

from cnnexplorer.core.infra.store import NamedJsonStore


def test_saves_lists_and_loads_by_name(tmp_path):
    store = NamedJsonStore("things", tmp_path / "things")
    assert store.names() == []
    path = store.save("my edge (v2)", {"kernel": [[1, -1]]})
    assert path.parent == tmp_path / "things" and store.names() == ["my edge (v2)"]
    assert store.load("my edge (v2)") == {"kernel": [[1, -1]]}
    assert not list(path.parent.glob("*.tmp"))  # written atomically, nothing left over


def test_follows_the_data_folder_by_default(user_home):
    store = NamedJsonStore("kernels")
    store.save("blur", [1])
    assert (user_home / "kernels" / "blur.json").is_file()


@pytest.mark.parametrize("name", ["", "../escape", "a/b", ".hidden", "x" * 65, None])
def test_refuses_names_that_are_not_plain_file_names(tmp_path, name):
    with pytest.raises(ValueError, match="name"):
        NamedJsonStore("things", tmp_path).save(name, {})


def test_files_it_could_not_have_written_are_not_listed(tmp_path):
    (tmp_path / "-odd name!.json").write_text("{}")
    (tmp_path / "fine.json").write_text("{}")
    assert NamedJsonStore("things", tmp_path).names() == ["fine"]


def test_a_damaged_file_is_refused_with_its_name(tmp_path):
    store = NamedJsonStore("things", tmp_path)
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(ValueError, match="broken.json"):
        store.load("broken")
    with pytest.raises(ValueError, match="missing.json"):
        store.load("missing")
