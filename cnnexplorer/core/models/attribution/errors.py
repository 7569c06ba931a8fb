"""The one exception type of the attribution tools: the message says what is wrong and what to do."""

from __future__ import annotations


class AttributionError(ValueError):
    """A map cannot be computed for this model, layer, class or image (bad input, not a bug)."""


class Cancelled(AttributionError):
    """The caller asked a long computation to stop."""
