"""A panel's settings as plain JSON, read from and written back to its input widgets.

The inputs are found by attribute name (``controls.stride_y``, ``editor.rows``), walking the panel's
own cnnexplorer widgets, so the names stay stable across runs and readable in a scene file.
Values are written back as a user would set them (a combo box also emits ``activated``), in the
order they were read; what cannot be set (an unknown name, an option that no longer exists, a
value out of range) is returned as a list of reasons, never raised.
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

INPUTS = (QComboBox, QAbstractSpinBox, QCheckBox, QRadioButton, QAbstractSlider, QLineEdit, QTabWidget)


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


def apply_inputs(root: QWidget, values: dict[str, Any], exclude: set[str] = frozenset()) -> list[str]:
    """Set ``values`` (from :func:`capture_inputs`); returns what was skipped and why."""
    if not isinstance(values, dict):
        return ["the panel's settings are damaged"]
    widgets = find_inputs(root, exclude)
    skipped = []
    for path, value in values.items():
        widget = widgets.get(path)
        if widget is None:
            skipped.append(f"{path}: this version has no such setting")
            continue
        problem = _write(widget, value)
        if problem:
            skipped.append(f"{path}: {problem}")
    return skipped


def _read(widget: QWidget) -> Any:
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QTabWidget):
        return widget.tabText(widget.currentIndex())
    if isinstance(widget, QAbstractSpinBox):
        return widget.value()
    if isinstance(widget, (QCheckBox, QRadioButton)):
        return widget.isChecked()
    if isinstance(widget, QAbstractSlider):
        return widget.value()
    return widget.text()


def _write(widget: QWidget, value: Any) -> str:
    if isinstance(widget, QComboBox):
        index = widget.findText(str(value))
        if index < 0:
            return f"no option {value!r}"
        if index != widget.currentIndex():
            widget.setCurrentIndex(index)
            widget.activated.emit(index)  # as if chosen by hand: some panels act on "activated"
        return ""
    if isinstance(widget, QTabWidget):
        titles = [widget.tabText(i) for i in range(widget.count())]
        if value not in titles:
            return f"no tab {value!r}"
        widget.setCurrentIndex(titles.index(value))
        return ""
    if isinstance(widget, (QCheckBox, QRadioButton)):
        if not isinstance(value, bool):
            return f"expected true/false, got {value!r}"
        widget.setChecked(value)
        return ""
    if isinstance(widget, (QAbstractSpinBox, QAbstractSlider)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"expected a number, got {value!r}"
        if not widget.minimum() <= value <= widget.maximum():
            return f"{value} is outside {widget.minimum()}…{widget.maximum()}"
        widget.setValue(value if isinstance(widget.value(), float) else int(value))
        return ""
    if not isinstance(value, str):
        return f"expected text, got {value!r}"
    widget.setText(value)
    return ""
