"""Open a user's Keras model file safely, with a clear message for every way it can fail."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from cnnexplorer.core.i18n import tr


class ModelLoadError(ValueError):
    """A model file could not be opened; ``unsafe`` is True when only ``safe_mode`` refused it."""

    def __init__(self, message: str, unsafe: bool = False) -> None:
        super().__init__(message)
        self.unsafe = unsafe


@dataclass
class LoadedFile:
    model: object  # keras.Model
    path: Path
    image_input: bool
    reason: str  # why activations are off, when image_input is False


def load_model_file(path: str | Path, *, safe_mode: bool = True) -> LoadedFile:
    """Load a ``.keras`` or ``.h5`` model. With ``safe_mode`` (the default) a Lambda layer, which
    would run arbitrary code, is refused with :class:`ModelLoadError` whose ``unsafe`` is True."""
    import keras

    path = Path(path)
    if path.is_dir():
        if (path / "saved_model.pb").exists():
            raise ModelLoadError(tr("{name} is a TensorFlow SavedModel folder; Keras 3 opens only .keras and "
                                    ".h5 files — re-save it with model.save('model.keras') in TensorFlow",
                                    name=path.name))
        raise ModelLoadError(tr("{path} is a folder, not a model file", path=path))
    if not path.exists():
        raise ModelLoadError(tr("{path}: no such file", path=path))
    suffix = path.suffix.lower()
    if suffix not in (".keras", ".h5", ".hdf5"):
        raise ModelLoadError(tr("{name}: not a Keras model file (expected .keras or .h5)", name=path.name))
    if suffix == ".keras" and not zipfile.is_zipfile(path):
        raise ModelLoadError(tr("{name} is not a valid .keras file (a .keras file is a zip archive); "
                                "it may be truncated or another format renamed", name=path.name))
    try:
        model = keras.saving.load_model(path, compile=False, safe_mode=safe_mode)
    except ValueError as exc:
        text = str(exc)
        if "Lambda" in text or "safe_mode" in text or "unsafe" in text.lower():
            raise ModelLoadError(tr("{name} contains a Lambda layer: loading it would run code stored in the "
                                    "file. Open it only if you trust where it came from.", name=path.name),
                                 unsafe=True) from None
        if not text:
            raise ModelLoadError(tr("{name}: cannot be read", name=path.name)) from None
        raise ModelLoadError(f"{path.name}: {text.splitlines()[0]}") from None  # Keras' own words
    except TypeError as exc:
        raise ModelLoadError(tr("{name} uses a layer or object this app does not know (a custom layer?): "
                                "{error}", name=path.name, error=str(exc).splitlines()[0])) from None
    except (OSError, KeyError, EOFError) as exc:
        raise ModelLoadError(tr("{name} is corrupt or not a Keras model ({error})", name=path.name,
                                error=str(exc).splitlines()[0])) from None
    ok, reason = image_input(model)
    return LoadedFile(model, path, ok, reason)


def image_input(model) -> tuple[bool, str]:
    """Whether the model takes exactly one (batch, H, W, C) image; if not, why activations are off."""
    inputs = getattr(model, "inputs", None) or []
    if len(inputs) != 1:
        return False, tr("the model has {count} inputs; live activations need exactly one image input",
                         count=len(inputs))
    shape = tuple(inputs[0].shape)
    if len(shape) != 4:
        return False, tr("the input shape {shape} is not an image batch (batch, height, width, channels)",
                         shape=shape)
    if shape[3] not in (1, 3):
        return False, tr("the input has {channels} channels; live activations need 1 (gray) or 3 (RGB)",
                         channels=shape[3])
    return True, ""
