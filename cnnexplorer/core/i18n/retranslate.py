"""Carry a text already on screen from one language to another (for a switch at run time).

A text shown in language A is traced back to its English key, either directly or by matching
the translated template of a message with named fields, then rendered in language B with the
same field values. Texts that match no message are left alone.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from cnnexplorer.core.i18n import catalogue

_FORMATTER = string.Formatter()


@dataclass(frozen=True)
class _Template:
    pattern: re.Pattern[str]
    anchor: str  # its longest literal piece: a cheap test before the pattern
    target: list[tuple[str, str | None]]  # (literal, field name) pieces in the other language


def _pieces(template: str) -> list[tuple[str, str | None]]:
    pieces = []
    for literal, field, _spec, _conversion in _FORMATTER.parse(template):
        pieces.append((literal, field))
    return pieces


class Retranslator:
    """Maps texts rendered in ``old`` to the same texts in ``new``."""

    def __init__(self, old: str, new: str) -> None:
        old_catalogue, new_catalogue = catalogue(old), catalogue(new)
        keys = set(_keys(old_catalogue)) | set(_keys(new_catalogue))
        self._exact: dict[str, str] = {}
        self._templates: list[_Template] = []
        for key in sorted(keys, key=len, reverse=True):  # longer templates first: more specific
            shown, wanted = old_catalogue.gettext(key), new_catalogue.gettext(key)
            try:
                shown_pieces, wanted_pieces = _pieces(shown), _pieces(wanted)
            except ValueError:  # a literal brace: not a template
                self._exact.setdefault(shown, wanted)
                continue
            if all(field is None for _, field in shown_pieces):
                self._exact.setdefault(shown, wanted)
                continue
            if _has_words(shown_pieces):  # "{kind} {size}×{size}" would match texts that are none of it
                self._templates.append(_compile(shown_pieces, wanted_pieces))
        self._memo: dict[str, str | None] = {}

    def __call__(self, text: str) -> str | None:
        """``text`` in the new language, or ``None`` when it is no message of ours."""
        if not text:
            return None
        if text not in self._memo:
            self._memo[text] = self._lookup(text)
        return self._memo[text]

    def _lookup(self, text: str) -> str | None:
        if text in self._exact:
            return self._exact[text]
        for template in self._templates:
            if template.anchor in text:
                match = template.pattern.fullmatch(text)
                if match:
                    values = match.groupdict()
                    return "".join(literal + (self._value(values[field]) if field else "")
                                   for literal, field in template.target)
        if "\n" in text:  # a message per line
            lines = [self(line) for line in text.split("\n")]
            if any(line is not None for line in lines):
                return "\n".join(new if new is not None else old for old, new in zip(text.split("\n"), lines))
        return None

    def _value(self, value: str) -> str:
        return self(value) or value  # a field may hold a message itself ("Sample: {name}", "valid")


def _compile(shown: list[tuple[str, str | None]], wanted: list[tuple[str, str | None]]) -> _Template:
    regex, seen = [], set()
    for literal, field in shown:
        regex.append(re.escape(literal))
        if field is not None:
            name = _group(field)
            regex.append(f"(?P={name})" if name in seen else f"(?P<{name}>.*?)")
            seen.add(name)
    target = [(literal, _group(field) if field is not None else None) for literal, field in wanted]
    anchor = max((literal for literal, _ in shown), key=len)
    return _Template(re.compile("".join(regex), re.DOTALL), anchor, target)


def _has_words(pieces: list[tuple[str, str | None]]) -> bool:
    return sum(c.isalpha() for literal, _ in pieces for c in literal) >= 2


def _group(field: str) -> str:
    return "f_" + re.sub(r"\W", "_", field)


def _keys(translations) -> list[str]:
    # GNUTranslations keeps its messages in ``_catalog``; the empty key is the header.
    return [key for key in getattr(translations, "_catalog", {}) if isinstance(key, str) and key]
