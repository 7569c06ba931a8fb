"""The neuron views' choices as their boxes show them: translated labels over English keys.

A box's item data is the key (what the numpy code takes, what a scene file stores); its text is
the label in the current language."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QComboBox

from cnnexplorer.core.i18n import N_, tr

ACTIVATION_LABELS = {"step": N_("step"), "sigmoid": N_("sigmoid"), "tanh": N_("tanh"), "relu": N_("relu"),
                     "linear": N_("linear")}
INIT_LABELS = {"naive": N_("naive"), "glorot": N_("glorot"), "he": N_("he")}
PROBLEM_LABELS = {"xor": N_("xor"), "circles": N_("circles"), "spirals": N_("spirals"), "moons": N_("moons")}


def label(key: str, labels: dict[str, str]) -> str:
    """``key`` as shown, in the current language (a key without a label as it is)."""
    return tr(labels.get(key, key))


def fill(combo: QComboBox, keys: Iterable[str], labels: dict[str, str], current: str | None = None) -> None:
    """One item per key (its label, the key as data); ``current`` chosen when given."""
    for key in keys:
        combo.addItem(label(key, labels), key)
    if current is not None:
        combo.setCurrentIndex(combo.findData(current))
