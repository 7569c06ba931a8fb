"""Lecture scripts keep Hangul (titles, kernel and pipeline names) through saving and loading."""

import json

from cnnexplorer.core.lecture.scenes import Scene, Script, load_script, save_script


def _korean_script() -> Script:
    return Script([
        Scene("conv", "가장자리 검출: 세로 줄무늬에 Sobel x", {"spec": "pattern:stripes-0", "frozen": True},
              {"kernel_name": "내 커널", "kernel": [[1, 0, -1]]}),
        Scene("augment", "데이터 증강", {"spec": "sample:chelsea"}, {"pipeline": {"name": "강한 증강", "steps": []}}),
    ], title="4주차 강의: 합성곱")


def test_hangul_titles_and_names_round_trip_under_a_hangul_path(tmp_path):
    path = tmp_path / "강의" / "장면.json"
    save_script(path, _korean_script())
    raw = path.read_bytes()
    assert "4주차 강의: 합성곱".encode("utf-8") in raw  # written as UTF-8, readable in an editor
    assert json.loads(raw.decode("utf-8"))["scenes"][1]["state"]["pipeline"]["name"] == "강한 증강"
    script, skipped = load_script(path)
    assert skipped == [] and script == _korean_script()


def test_escaped_or_bom_prefixed_files_read_the_same(tmp_path):
    folder = tmp_path / "강의"
    folder.mkdir()
    data = _korean_script().to_json()
    escaped = folder / "이스케이프.json"
    escaped.write_bytes(json.dumps(data).encode("ascii"))  # \uXXXX escapes, as ensure_ascii writes them
    with_bom = folder / "메모장.json"
    with_bom.write_bytes(b"\xef\xbb\xbf" + json.dumps(data, ensure_ascii=False).encode("utf-8"))
    for path in (escaped, with_bom):
        script, skipped = load_script(path)
        assert skipped == [] and script == _korean_script()
