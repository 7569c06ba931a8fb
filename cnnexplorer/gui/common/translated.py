"""Texts a widget puts together from several messages (an HTML table, a fold tab's arrow and title)
are drawn again after a language switch, and a text on screen is traced back to its English key where
a saved file needs one (a scene stores "same", not "동일")."""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable
from functools import lru_cache

import shiboken6
from PySide6.QtCore import QObject

from cnnexplorer.core.i18n import SOURCE_LANGUAGE, language, on_language_changed
from cnnexplorer.core.i18n.retranslate import Retranslator


def follow_language(owner: QObject, redraw: Callable[[str, str], None]) -> Callable[[], None]:
    """Call ``redraw(old, new)`` after every language switch while ``owner`` lives; returns a
    function that stops it. A bound method is held weakly: following does not keep ``owner`` alive."""
    owner_ref = weakref.ref(owner)
    method = weakref.WeakMethod(redraw) if inspect.ismethod(redraw) else None

    def listener(old: str, new: str) -> None:
        target, call = owner_ref(), method() if method is not None else redraw
        if target is None or call is None or not shiboken6.isValid(target):
            stop()
            return
        call(old, new)

    stop = on_language_changed(listener)
    owner.destroyed.connect(lambda *_: stop())
    return stop


@lru_cache(maxsize=8)
def _retranslator(old: str, new: str) -> Retranslator:
    return Retranslator(old, new)


def carried(text: str, old: str, new: str) -> str:
    """``text`` shown in language ``old``, in language ``new`` (unchanged when it is no message)."""
    if old == new or not text:
        return text
    found = _retranslator(old, new)(text)
    return text if found is None else found


def english(text: str) -> str:
    """The English key of a text shown in the current language (the text itself when it is no message)."""
    return carried(text, language(), SOURCE_LANGUAGE)
