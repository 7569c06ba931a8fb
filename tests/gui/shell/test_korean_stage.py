"""The window in Korean, as a hall sees it: every panel and tab with a model loaded, in the stage
issue's three set-ups, speaks Korean, draws every Hangul glyph, cuts nothing, and switches to English
and back leaving no word of the other language."""

import pytest

from cnnexplorer.bench.stage import MIN_PICTURE_SHARE, SETUPS
from cnnexplorer.gui.shell.language_audit import has_hangul

LANGUAGE = "ko"
MIN_TRANSLATED = 0.98
pytestmark = pytest.mark.long


@pytest.mark.parametrize("setup", list(SETUPS))
def test_korean_walk(stage_walks, setup):
    report = stage_walks.report(setup, LANGUAGE)  # the window set-up's walk also switches languages
    pages = {p["page"]: p for p in report["pages"]}
    assert report["language"] == "ko"
    assert {"conv", "inception", "augment", "basics", "source"} <= {p.split("/")[0] for p in pages}
    assert report["translated_share"] >= MIN_TRANSLATED, report["untranslated"]
    assert report["glyphs_missing"] == []
    assert [m for m in report["menus"] if not has_hangul(m) and m not in ("English", "Inception")] == []
    cut = {page: p["cut"] for page, p in pages.items() if p["cut"]}
    assert cut == {}
    small = {page: p["share"] for page, p in pages.items() if p["share"] < MIN_PICTURE_SHARE}
    assert small == {}
    model_page = next(p for name, p in pages.items() if name.startswith("model/"))
    assert model_page["untranslated"] == []  # the cat's top-5 included
    if "switch_max_ms" in report:
        assert report["left_in_other_language"] == []
