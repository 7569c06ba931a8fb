"""One translation mechanism for core and GUI: gettext catalogues under ``resources/i18n``.

Mark every string a user reads with :func:`tr`; the English text is the key and named fields
are filled in after the lookup, because Korean word order differs::

    tr("Epoch {epoch} of {total}", epoch=3, total=10)

Strings fixed at import time (tables of names, presets) are marked with :func:`N_` and passed
through :func:`tr` where they are shown, so they follow a language switch.
"""

from __future__ import annotations

import gettext
import locale
import os
import sys
from collections.abc import Callable

from cnnexplorer.core.infra.resources import resource

DOMAIN = "cnnexplorer"
ENV = "CNNEXPLORER_LANG"
SETTING = "language"  # View → Language, saved: "system", "en" or "ko"
LANGUAGES = {"en": "English", "ko": "한국어"}  # each in its own language, as a menu shows them
SOURCE_LANGUAGE = "en"


class LanguageError(ValueError):
    """A language code cnnexplorer has no catalogue for."""


_language = SOURCE_LANGUAGE
_translations: gettext.NullTranslations = gettext.NullTranslations()
_listeners: list[Callable[[str, str], None]] = []


def tr(message: str, /, **fields: object) -> str:
    """``message`` in the current language, its ``{fields}`` filled in."""
    text = _translations.gettext(message)
    return text.format(**fields) if fields else text


def N_(message: str) -> str:  # noqa: N802 - the gettext name extractors know
    """Mark ``message`` for translation without translating it yet (see the module's note)."""
    return message


def language() -> str:
    """The current language code (``"en"`` or ``"ko"``)."""
    return _language


def catalogue(code: str) -> gettext.NullTranslations:
    """The translations for ``code``; English is the source and needs none."""
    _check(code)
    if code == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=resource("i18n"), languages=[code])


def set_language(code: str) -> None:
    """Speak ``code`` from now on and tell every listener (old code, new code)."""
    global _language, _translations
    translations = catalogue(code)
    old, _language, _translations = _language, code, translations
    if old != code:
        for listener in list(_listeners):
            listener(old, code)


def on_language_changed(listener: Callable[[str, str], None]) -> Callable[[], None]:
    """Call ``listener(old, new)`` after each switch; returns a function that stops it."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


def system_language() -> str:
    """The user's display language when it is one we speak, else English."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return _known(value.split(":")[0])
    if sys.platform == "win32":  # Windows' display language, not the formats' locale
        import ctypes

        return _known(locale.windows_locale.get(ctypes.windll.kernel32.GetUserDefaultUILanguage(), ""))
    return _known(locale.getlocale()[0] or "")


def _known(tag: str) -> str:
    code = tag.replace("-", "_").split("_")[0].split(".")[0].lower()
    return code if code in LANGUAGES else SOURCE_LANGUAGE


def resolve_language(chosen: str | None = None, saved: str | None = None) -> str:
    """The language to speak: the command line's, else ``$CNNEXPLORER_LANG``, else the one saved
    from View → Language (unless "system"), else the system's."""
    for candidate in (chosen, os.environ.get(ENV)):
        if candidate and candidate != "system":
            _check(candidate.lower())
            return candidate.lower()
    if saved in LANGUAGES:  # a hand-edited setting falls back to the system's language
        return saved
    return system_language()


def _check(code: str) -> None:
    if code not in LANGUAGES:
        raise LanguageError(tr("There is no translation for the language “{code}”; choose one of: {choices}.",
                               code=code, choices=", ".join(LANGUAGES)))


def start_command_line(argv: list[str], saved: str | None = None) -> None:
    """Speak the language a command line asks for with ``--lang``, else as :func:`resolve_language`
    decides; before its parser is built, so that its help speaks it too."""
    chosen = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            chosen = argv[i + 1]
        elif arg.startswith("--lang="):
            chosen = arg.partition("=")[2]
    set_language(resolve_language(chosen, saved))


def add_language_option(parser) -> None:
    """The ``--lang`` option every command line of ours takes (read early by :func:`start_command_line`)."""
    parser.add_argument("--lang", choices=sorted(LANGUAGES),
                        help=tr("the language to speak (default: $CNNEXPLORER_LANG, else the one chosen "
                                "in View → Language, else the system's)"))
