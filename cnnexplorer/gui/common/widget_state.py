"""A panel's settings as plain JSON, read from and written back to its input widgets.

Inside the program the inputs are found by attribute path (``controls.stride_y``, ``editor.rows``),
walking the panel's own cnnexplorer widgets. A scene file names them by field (``stride_y``,
``kernel_rows``) through the panel's table in cnnexplorer/gui/common/scene_fields.py, so renaming
code never changes a file: :func:`field_names` turns captured paths into fields, and
:func:`apply_inputs` takes either. Values are written back as a user would set them (a combo box
also emits ``activated``), in the order they were read; what cannot be set (an unknown name, an option
that no longer exists, a value out of range) is returned as a list of reasons, never raised.

A combo box's choice and a tab are stored by their English text, whatever the language on screen, so a
scene saved in Korean opens in English and the shipped (English) course script opens in Korean.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractSlider,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QRadioButton,
    QTabWidget,
    QWidget,
)

from cnnexplorer.core.i18n import tr
from cnnexplorer.gui.common.translated import english
from cnnexplorer.gui.common.scene_fields import FIELDS
from cnnexplorer.gui.common.value_slider import ValueSlider

INPUTS = (QComboBox, QAbstractSpinBox, QCheckBox, QRadioButton, QAbstractSlider, ValueSlider, QLineEdit, QTabWidget)
NUMBERS = (QAbstractSpinBox, QAbstractSlider, ValueSlider)


def find_inputs(root: QWidget, exclude: set[str] = frozenset()) -> dict[str, QWidget]:
    """Input widgets held as attributes of ``root`` and of its own cnnexplorer sub-widgets."""
    found: dict[str, QWidget] = {}
    seen: set[int] = {id(root)}

    def walk(owner: object, prefix: str) -> None:
        for name, value in list(vars(owner).items()):
            path = f"{prefix}{name}"
            if name.startswith("_") or path in exclude:
                continue
            if isinstance(value, (list, tuple)):  # a row of sliders: x.0, x.1, …
                found.update((f"{path}.{i}", w) for i, w in enumerate(value) if isinstance(w, INPUTS))
                continue
            if not isinstance(value, QWidget) or id(value) in seen:
                continue
            seen.add(id(value))
            if isinstance(value, INPUTS):
                if not (isinstance(value, QLineEdit) and value.isReadOnly()):
                    found[path] = value
            elif type(value).__module__.startswith("cnnexplorer."):
                walk(value, f"{path}.")

    walk(root, "")
    return found


def capture_inputs(root: QWidget, exclude: set[str] = frozenset()) -> dict[str, Any]:
    return {path: _read(widget) for path, widget in find_inputs(root, exclude).items()}


def fields_of(root: QWidget) -> dict[str, str]:
    """The panel's table: field name → attribute path (empty for a panel without one)."""
    return FIELDS.get(type(root).__name__, {})


def field_names(root: QWidget, inputs: dict[str, Any]) -> dict[str, Any]:
    """Captured ``inputs`` keyed by field name, as a scene file keeps them (an input the table does
    not name yet keeps its path, so nothing is lost)."""
    names = {path: field for field, path in fields_of(root).items()}
    return {names.get(path, path): value for path, value in inputs.items()}


def apply_inputs(root: QWidget, values: dict[str, Any], exclude: set[str] = frozenset()) -> list[str]:
    """Set ``values``, keyed by field name or attribute path; returns what was skipped and why."""
    if not isinstance(values, dict):
        return [tr("the panel's settings are damaged")]
    widgets = find_inputs(root, exclude)
    fields = fields_of(root)
    skipped = []
    for key, value in values.items():
        widget = widgets.get(fields.get(key, key))
        if widget is None:
            skipped.append(tr("{setting}: this version has no such setting", setting=key))
            continue
        problem = _write(widget, value)
        if problem:
            skipped.append(f"{key}: {problem}")
    return skipped


def _read(widget: QWidget) -> Any:
    if isinstance(widget, QComboBox):
        return english(widget.currentText())
    if isinstance(widget, QTabWidget):
        return english(widget.tabText(widget.currentIndex()))
    if isinstance(widget, NUMBERS):
        return widget.value()
    if isinstance(widget, (QCheckBox, QRadioButton)):
        return widget.isChecked()
    return widget.text()


def _write(widget: QWidget, value: Any) -> str:
    if isinstance(widget, QComboBox):
        if str(value) == english(widget.currentText()):
            return ""  # already shown; also an empty list saved as "" and opened before it fills
        index = _find(str(value), [widget.itemText(i) for i in range(widget.count())])
        if index < 0:
            return tr("no option {value}", value=repr(value))
        if index != widget.currentIndex():
            widget.setCurrentIndex(index)
            widget.activated.emit(index)  # as if chosen by hand: some panels act on "activated"
        return ""
    if isinstance(widget, QTabWidget):
        index = _find(str(value), [widget.tabText(i) for i in range(widget.count())])
        if index < 0:
            return tr("no tab {value}", value=repr(value))
        widget.setCurrentIndex(index)
        return ""
    if isinstance(widget, (QCheckBox, QRadioButton)):
        if not isinstance(value, bool):
            return tr("expected true/false, got {value}", value=repr(value))
        widget.setChecked(value)
        return ""
    if isinstance(widget, NUMBERS):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return tr("expected a number, got {value}", value=repr(value))
        if not widget.minimum() <= value <= widget.maximum():
            return tr("{value} is outside {low}…{high}", value=value, low=widget.minimum(), high=widget.maximum())
        widget.setValue(value if isinstance(widget.value(), float) else int(value))
        return ""
    if not isinstance(value, str):
        return tr("expected text, got {value}", value=repr(value))
    widget.setText(value)
    return ""


def _find(value: str, texts: list[str]) -> int:
    """The index of the text shown for ``value`` (as saved: English), or -1."""
    if value in texts:
        return texts.index(value)
    keys = [english(text) for text in texts]
    return keys.index(value) if value in keys else -1
