"""What a model file says about its input and output: shape, total stride, preprocessing and class
names — read from the model itself and from the files beside it (no Qt, no Keras import).

A training run folder holds ``best.keras`` / ``last.keras`` with ``class_names.json`` (a JSON list of
strings) and ``preprocessing.json`` (``{"mode": "<mode>"}``, a mode of ``preprocess.MODES``).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.models.preprocess import MODE_TITLES, MODES

# sha256 of the bundled MobileNetV2's first kernel (float32 bytes): a copy saved under any name is
# still recognised, and gets the torchvision preprocessing its weights need.
BUNDLED_FINGERPRINTS = {"7cd7fd4f032db3ae7a15f84522177b423653429d9db11e755cb9482141e73adc": "torch"}
# Layer names that only keras.applications architectures use together, and their preprocessing.
ARCHITECTURES = (
    (("block1_conv1", "fc2"), "VGG", "caffe"),
    (("conv1_conv", "conv5_block3_out"), "ResNet50", "caffe"),
    (("mixed10",), "InceptionV3", "tf"),
    (("block14_sepconv2",), "Xception", "tf"),
    (("conv_7b",), "InceptionResNetV2", "tf"),
    (("Conv1", "block_16_project"), "Keras MobileNetV2", "tf"),
)
CLASS_FILES = ("class_names.json", "class_names.txt", "classes.txt", "labels.txt")
RESCALING = ("Rescaling", "Normalization")


class ClassNamesError(ValueError):
    """A class-names file could not be read; the message says why."""


class PreprocessingFileError(ValueError):
    """The preprocessing file beside a model is damaged; the message names it and says why."""


def input_shape(model) -> tuple:
    """(H, W, C) of the model's single image input; sides may be ``None``."""
    return tuple(model.inputs[0].shape)[1:]


def output_classes(model) -> int | None:
    """How many scores the model's output has per image, or ``None`` when it is not (batch, classes)."""
    shape = tuple(model.outputs[0].shape)
    return int(shape[1]) if len(shape) == 2 and shape[1] else None


def total_stride(model) -> int:
    """The largest product of strides from the input to any layer (32 for most ImageNet CNNs)."""
    from cnnexplorer.core.models.graph import producers

    reached: dict[str, int] = {}
    best = 1
    for layer in model.layers:
        if hasattr(layer, "layers"):
            own = total_stride(layer)
        else:
            strides = getattr(layer, "strides", None)
            own = int(strides[0]) if strides else 1
        try:
            before = max((reached.get(p.name, 1) for p in producers(layer)), default=1)
        except AttributeError:
            before = 1
        reached[layer.name] = before * own
        best = max(best, reached[layer.name])
    return best


def _all_layers(model):
    for layer in model.layers:
        yield layer
        if hasattr(layer, "layers"):
            yield from _all_layers(layer)


def _first_kernel(model):
    for layer in _all_layers(model):
        if type(layer).__name__ == "Conv2D":
            return layer
    return None


def weights_fingerprint(model) -> str:
    """sha256 of the first Conv2D kernel's float32 bytes ("" when the model has none)."""
    layer = _first_kernel(model)
    if layer is None:
        return ""
    kernel = np.ascontiguousarray(np.asarray(layer.kernel, np.float32))
    return hashlib.sha256(kernel.tobytes()).hexdigest()


def preprocessing_file(model_path: str | Path) -> tuple[str, Path] | None:
    """(mode, file) from the preprocessing file beside a model: ``<stem>.preprocessing.json``, else the
    run folder's ``preprocessing.json`` (the first that exists decides); ``None`` when there is none.

    Raises :class:`PreprocessingFileError` when that file is damaged: unreadable, not JSON, or no
    ``{"mode": <a mode of preprocess.MODES>}``."""
    model_path = Path(model_path)
    for sidecar in (model_path.with_name(f"{model_path.stem}.preprocessing.json"),
                    model_path.parent / "preprocessing.json"):
        if not sidecar.is_file():
            continue
        try:
            data = json.loads(sidecar.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            raise PreprocessingFileError(tr("{file} beside {model} is damaged ({error})", file=sidecar.name,
                                            model=model_path.name, error=exc)) from None
        mode = data.get("mode") if isinstance(data, dict) else None
        if mode not in MODES:
            raise PreprocessingFileError(tr("{file} beside {model} is damaged: it names no preprocessing of {modes} "
                                            "(found {found!r})", file=sidecar.name, model=model_path.name,
                                            modes=", ".join(MODES), found=mode))
        return mode, sidecar
    return None


def detect_preprocessing(model, path: str | Path | None = None) -> tuple[str, str, bool]:
    """(mode, reason, sure). ``sure`` is False for a guess the user should be offered to change.

    In order: the preprocessing file beside the model (:func:`preprocessing_file`); a Rescaling/
    Normalization layer inside (feed raw 0–255); the bundled MobileNetV2's weights; a
    keras.applications architecture; else 0–1. A damaged preprocessing file is passed over, and the
    reason then says so and what is used instead."""
    try:
        found = preprocessing_file(path) if path is not None else None
    except PreprocessingFileError as exc:
        mode, reason, _ = _detect_from_model(model)
        return mode, tr("{problem}: ignored — {reason}", problem=exc, reason=reason), False
    if found is not None:
        mode, sidecar = found
        return mode, tr("from {file} beside the model ({mode})", file=sidecar.name, mode=tr(MODE_TITLES[mode])), True
    return _detect_from_model(model)


def _detect_from_model(model) -> tuple[str, str, bool]:
    """:func:`detect_preprocessing` from the model alone."""
    inside = next((layer for layer in _all_layers(model) if type(layer).__name__ in RESCALING), None)
    if inside is not None:
        return "raw", tr("the model scales its own input ({kind} layer “{layer}”): fed raw 0–255",
                         kind=type(inside).__name__, layer=inside.name), True
    fingerprint = weights_fingerprint(model)
    if fingerprint in BUNDLED_FINGERPRINTS:
        mode = BUNDLED_FINGERPRINTS[fingerprint]
        return mode, tr("its weights are the bundled MobileNetV2's ({mode})", mode=tr(MODE_TITLES[mode])), True
    names = {layer.name for layer in _all_layers(model)}
    for needed, title, mode in ARCHITECTURES:
        if set(needed) <= names:
            return mode, tr("its layers are named like Keras' {architecture} ({mode}) — a guess",
                            architecture=title, mode=tr(MODE_TITLES[mode])), False
    return "unit", tr("no hint in the model: guessed 0–1, the most common choice for models trained from "
                      "scratch — choose another if the predictions look wrong"), False


def _decode(path: Path) -> tuple[str, str]:
    """The text of ``path`` and the encoding it was read in: UTF-8 (a BOM is dropped), else CP949,
    which Korean Windows tools (Notepad before 2019, Excel's "Text") save in."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ClassNamesError(tr("{name} cannot be read ({error})", name=path.name, error=exc)) from None
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp949"), "cp949"
    except UnicodeDecodeError:
        raise ClassNamesError(tr("{name} is neither UTF-8 nor CP949 (Korean Windows) text: save it as UTF-8",
                                 name=path.name)) from None


def read_class_names(path: str | Path) -> list[str]:
    """Class names from a ``.json`` list of strings or a ``.txt`` with one name per line, in UTF-8
    or CP949 (see :func:`load_class_names`)."""
    return load_class_names(path)[0]


def load_class_names(path: str | Path) -> tuple[list[str], str]:
    """(class names, a note for the user saying where they came from) from a ``.json`` list of
    strings or a ``.txt`` with one name per line. The file is read as UTF-8 (with or without a BOM),
    else as CP949 — what Korean Windows tools save — and the note then says so.

    Raises :class:`ClassNamesError` saying why the file cannot be used."""
    path = Path(path)
    text, encoding = _decode(path)
    if path.suffix.lower() == ".json":
        try:
            names = json.loads(text)
        except ValueError as exc:
            raise ClassNamesError(tr("{name} is not valid JSON ({error})", name=path.name, error=exc)) from None
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ClassNamesError(tr("{name} must hold a JSON list of strings", name=path.name))
    else:
        names = [line.strip() for line in text.splitlines()]
        while names and not names[-1]:
            names.pop()
    if not names:
        raise ClassNamesError(tr("{name} holds no class names", name=path.name))
    if encoding == "cp949":
        return names, tr("class names read as CP949 (Korean Windows) from {name}", name=path.name)
    return names, tr("class names from {name}", name=path.name)


def find_class_names(model_path: str | Path, classes: int | None) -> tuple[list[str] | None, str]:
    """Class names beside a model file (``<stem>.json``/``.txt``, then the run folder's files), ImageNet's
    for 1000 outputs, else ``None``; with a sentence saying where they came from or why there are none."""
    if classes is None:
        return None, tr("the output is not one score per class, so there is no top-5")
    model_path = Path(model_path)
    candidates = [model_path.with_suffix(".json"), model_path.with_suffix(".txt")]
    candidates += [model_path.parent / name for name in CLASS_FILES]
    problems = []
    for candidate in dict.fromkeys(candidates):
        if not candidate.is_file():
            continue
        try:
            names, note = load_class_names(candidate)
        except ClassNamesError as exc:
            problems.append(str(exc))
            continue
        if len(names) == classes:
            return names, note
        problems.append(tr("{name} has {names} names for {classes} outputs", name=candidate.name,
                           names=len(names), classes=classes))
    if classes == 1000:
        return None, tr("1000 outputs: ImageNet class names")
    why = "; ".join(problems) or tr("no class-names file beside {name}", name=model_path.name)
    return None, tr("{why} — shown as “class 0…{last}”; pick a .txt or .json to name them", why=why,
                    last=classes - 1)


def softmax_head(model) -> tuple[str, object] | None:
    """(the path feeding it, the layer) when the model ends in a softmax ``Dense`` layer, whose logits
    are then ``features @ kernel + bias``; ``None`` otherwise."""
    from cnnexplorer.core.models.graph import producers

    head = model.layers[-1] if getattr(model, "layers", None) else None
    if type(head).__name__ != "Dense" or getattr(head.activation, "__name__", "") != "softmax":
        return None
    feeding = producers(head)
    if len(feeding) != 1 or feeding[0] not in model.layers or type(feeding[0]).__name__ == "InputLayer":
        return None
    return feeding[0].name, head
