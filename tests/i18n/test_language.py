"""Choosing the language and carrying texts between languages (core, no Qt)."""

from __future__ import annotations

import pytest

from cnnexplorer.core import i18n
from cnnexplorer.core.i18n import LanguageError, resolve_language, tr
from cnnexplorer.core.i18n.retranslate import Retranslator


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("CNNEXPLORER_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_command_line_wins_then_environment_then_saved_then_system(clean_env):
    clean_env.setenv("LANG", "ko_KR.UTF-8")
    assert resolve_language() == "ko"
    assert resolve_language(saved="en") == "en"
    clean_env.setenv("CNNEXPLORER_LANG", "ko")
    assert resolve_language(saved="en") == "ko"
    assert resolve_language(chosen="en", saved="ko") == "en"
    assert resolve_language(chosen="system", saved="en") == "ko"


def test_system_locale_decides_by_default(clean_env):
    clean_env.setenv("LANG", "de_DE.UTF-8")
    assert resolve_language() == "en"
    clean_env.setenv("LC_ALL", "ko_KR.eucKR")
    assert resolve_language() == "ko"


def test_unknown_language_is_a_clear_error_but_a_damaged_setting_is_ignored(clean_env):
    clean_env.setenv("LANG", "C.UTF-8")
    with pytest.raises(LanguageError, match="xx"):
        resolve_language(chosen="xx")
    clean_env.setenv("CNNEXPLORER_LANG", "klingon")
    with pytest.raises(LanguageError):
        resolve_language()
    clean_env.delenv("CNNEXPLORER_LANG")
    assert resolve_language(saved="klingon") == "en"


def test_tr_fills_named_fields_after_the_lookup():
    key = "There is no translation for the language “{code}”; choose one of: {choices}."
    english = tr(key, code="xx", choices="en, ko")
    try:
        i18n.set_language("ko")
        korean = tr(key, code="xx", choices="en, ko")
    finally:
        i18n.set_language("en")
    assert english.startswith("There is no translation") and "xx" in english
    assert korean != english and "xx" in korean and any("\uac00" <= c <= "\ud7a3" for c in korean)


def test_listeners_hear_each_switch_once():
    heard = []
    stop = i18n.on_language_changed(lambda old, new: heard.append((old, new)))
    try:
        i18n.set_language("ko")
        i18n.set_language("ko")
        i18n.set_language("en")
    finally:
        stop()
    assert heard == [("en", "ko"), ("ko", "en")]


def test_texts_on_screen_travel_both_ways_with_their_field_values():
    key = "There is no translation for the language “{code}”; choose one of: {choices}."
    shown = tr(key, code="fr", choices="en, ko")
    to_korean, to_english = Retranslator("en", "ko"), Retranslator("ko", "en")
    korean = to_korean(shown)
    assert korean is not None and "fr" in korean and korean != shown
    assert to_english(korean) == shown
    assert to_korean("a text that is no message of ours") is None
    assert to_korean("line one\n" + shown) == "line one\n" + korean


def test_imagenet_class_names_speak_korean_and_a_models_own_names_stay():
    from cnnexplorer.core.models.zoo import shown_class_name

    assert shown_class_name("Egyptian cat") == "Egyptian cat"
    i18n.set_language("ko")
    try:
        shown = [shown_class_name(n) for n in ("Egyptian cat", "crane bird", "crane", "my own class")]
    finally:
        i18n.set_language("en")
    assert all(any("\uac00" <= c <= "\ud7a3" for c in s) for s in shown[:3]) and len(set(shown[:3])) == 3
    assert shown[3] == "my own class"


def test_korean_class_list_is_whole_and_tells_every_class_apart():
    from cnnexplorer.core.models.zoo import imagenet_classes_in

    korean = imagenet_classes_in("ko")
    assert len(korean) == 1000 and len(set(korean)) == 1000 and all(k.strip() for k in korean)
