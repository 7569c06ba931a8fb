"""The shipped catalogues: current with the sources, complete, faithful to fields and glossary."""

from __future__ import annotations

import csv
import gettext
import re
import string

import pytest

from cnnexplorer.core.i18n import DOMAIN, catalogues
from cnnexplorer.core.infra.resources import resource
from tests.i18n.unmarked import unmarked


def glossary() -> list[tuple[str, str]]:
    with resource("i18n", "glossary_ko.tsv").open(encoding="utf-8", newline="") as f:
        return [(row["en"], row["ko"]) for row in csv.DictReader(f, delimiter="\t")]


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.fixture(scope="module")
def korean():
    return catalogues.read("ko")


def test_every_user_visible_literal_is_marked():
    found = unmarked()
    assert found == [], "mark these with tr() (see cnnexplorer/core/i18n):\n" + "\n".join(found)


def test_korean_catalogue_is_current_with_the_sources(korean):
    in_sources = {m.id for m in catalogues.extract() if m.id}
    in_catalogue = {m.id for m in korean if m.id}
    hint = "run: python -m cnnexplorer.core.i18n.catalogues"
    assert sorted(in_sources - in_catalogue) == [], f"messages missing from the catalogue ({hint})"
    assert sorted(in_catalogue - in_sources) == [], f"messages no longer in the sources ({hint})"


def test_every_message_is_translated_with_the_same_fields(korean):
    untranslated = [m.id for m in korean if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []
    mismatched = [m.id for m in korean if m.id and fields(m.id) != fields(m.string)]
    assert mismatched == []


def test_the_compiled_catalogue_is_the_text_one(korean):
    path = resource("i18n", "ko", "LC_MESSAGES", f"{DOMAIN}.mo")
    with path.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    wrong = [m.id for m in korean if m.id and compiled.gettext(m.id) != m.string]
    assert wrong == [], "the .mo is stale: run python -m cnnexplorer.core.i18n.catalogues"


def test_glossary_terms_are_always_rendered_the_glossary_way(korean):
    terms = glossary()
    assert len(terms) >= 19
    breaks = []
    for message in korean:
        if not message.id:
            continue
        english = string.Formatter().parse(message.id)
        words = " ".join(literal for literal, *_ in english)
        for en, ko in terms:
            if re.search(rf"\b{re.escape(en)}(s|es)?\b", words, re.IGNORECASE) and ko not in message.string:
                breaks.append(f"{en} → {ko}: {message.id!r} → {message.string!r}")
    assert breaks == []


def test_every_translation_leads_back_to_one_english_message(korean):
    """A text on screen is carried back to English (a language switch, a scene saved in Korean):
    two messages sharing one Korean text could come back as the wrong one."""
    by_text: dict[str, list[str]] = {}
    for message in korean:
        if message.id:
            by_text.setdefault(message.string, []).append(message.id)
    shared = {text: ids for text, ids in by_text.items() if len(ids) > 1}
    assert shared == {}
