"""Class-names files as students bring them: UTF-8 with or without a BOM, and CP949 — what Korean
Windows tools (older Notepad, Excel's "Text") save (no Keras needed)."""

import json

import pytest

from cnnexplorer.core.models import model_input


def test_a_cp949_file_is_read_and_the_note_says_so(tmp_path):
    path = tmp_path / "labels.txt"
    path.write_bytes("고양이\n커피\n".encode("cp949"))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # really not UTF-8
    names, note = model_input.load_class_names(path)
    assert names == ["고양이", "커피"]
    assert note == "class names read as CP949 (Korean Windows) from labels.txt"
    assert model_input.read_class_names(path) == ["고양이", "커피"]


def test_utf8_with_or_without_a_bom_says_nothing_about_encodings(tmp_path):
    for encoding in ("utf-8", "utf-8-sig"):
        text, listed = tmp_path / f"{encoding}.txt", tmp_path / f"{encoding}.json"
        text.write_text("고양이\n커피\n", encoding=encoding)
        listed.write_text(json.dumps(["고양이", "커피"], ensure_ascii=False), encoding=encoding)
        for path in (text, listed):
            assert model_input.load_class_names(path) == (["고양이", "커피"], f"class names from {path.name}")


def test_a_cp949_file_beside_a_model_names_its_classes(tmp_path):
    model = tmp_path / "best.keras"
    (tmp_path / "best.txt").write_bytes("고양이\n커피\n".encode("cp949"))
    names, note = model_input.find_class_names(model, 2)
    assert names == ["고양이", "커피"] and "CP949" in note and "best.txt" in note
    names, note = model_input.find_class_names(model, 3)
    assert names is None and "best.txt has 2 names for 3 outputs" in note


def test_neither_utf8_nor_cp949_is_refused_with_a_reason(tmp_path):
    path = tmp_path / "labels.txt"
    path.write_bytes(b"\xff\xfe\xff\n")
    with pytest.raises(model_input.ClassNamesError, match="neither UTF-8 nor CP949"):
        model_input.read_class_names(path)
