"""Numbers as the room reads them."""

from __future__ import annotations


def number(value: float, spec: str = ".4g") -> str:
    """``value`` formatted by ``spec``, never "-0" (a tiny negative that rounds to 0 reads "0")."""
    text = format(float(value), spec)
    return text[1:] if text.startswith("-") and float(text) == 0 else text
