"""A training run as a file: what to train on, what to train, how, and with which seed.

A run file is versioned JSON (``run.json``)::

    {"version": 1, "seed": 0,
     "dataset": {"kind": "shapes", "size": 32, "classes": 5, "per_class": 300},
     "model": {"kind": "cnn", "filters": [16, 32, 32], "kernel": 3, "activation": "relu"},
     "fit": {"optimizer": "adam", "learning_rate": 0.002, "batch_size": 32, "epochs": 10},
     "augmentation": null}

``dataset.kind`` is one of :data:`~cnnexplorer.core.training.datasets.DATASET_KINDS` (``folder``
and ``capture`` need ``dataset.folder``); ``model.kind`` one of :data:`MODEL_KINDS` (``file``: a
``.keras`` model fine-tuned under a new classifier, ``model.path``); ``augmentation`` an
augmentation lab pipeline (``Augmenter.to_dict``). Relative paths are read from the run file's
folder. :func:`load_run_file` and :func:`check_inputs` raise :class:`RunFileError` with a message
for the user; nothing here imports Keras until a model is built.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.core.infra.paths import unique_path
from cnnexplorer.core.infra.store import write_json
from cnnexplorer.core.training import builders
from cnnexplorer.core.training.builders import ACTIVATIONS, CnnSpec, ConvBlock
from cnnexplorer.core.training.datasets import DATASET_KINDS, SHAPES, DatasetSpec
from cnnexplorer.core.training.fit import OPTIMIZERS, TrainConfig

RUN_FILE_VERSION = 1
MODEL_KINDS = ("cnn", "mlp", "inception", "transfer", "file")
FOLDER_KINDS = ("folder", "capture")


class RunFileError(ValueError):
    """A run file cannot be read or run; the message says which field or path, and why."""


@dataclass
class ModelSpec:
    """What to train: a builder of :mod:`.builders` and its settings, or a model file (``file``)."""

    kind: str = "cnn"
    filters: list[int] = field(default_factory=lambda: [16, 32, 32])  # cnn: filters per conv block
    kernel: int = 3  # cnn
    activation: str = "relu"  # cnn, mlp
    batch_norm: bool = False  # cnn
    dropout: float = 0.0  # cnn, mlp, transfer, file
    unfreeze: int = 0  # transfer, file: top layers of the base that fine-tune
    path: str = ""  # file: the .keras model


@dataclass
class FitSettings:
    optimizer: str = "adam"
    learning_rate: float = 0.002
    batch_size: int = 32
    epochs: int = 10
    early_stopping: int = 0
    tensorboard: bool = False


@dataclass
class RunFile:
    dataset: DatasetSpec = field(default_factory=DatasetSpec)
    model: ModelSpec = field(default_factory=ModelSpec)
    fit: FitSettings = field(default_factory=FitSettings)
    augmentation: dict | None = None
    seed: int = 0

    def train_config(self, snapshot_layer: str | None = None) -> TrainConfig:
        f = self.fit
        return TrainConfig(f.optimizer, f.learning_rate, f.batch_size, f.epochs, f.early_stopping, f.tensorboard,
                           snapshot_layer, self.seed)

    def to_dict(self, relative_to: Path | None = None) -> dict:
        """The JSON form; paths under ``relative_to`` are written relative to it."""
        dataset, model = asdict(self.dataset), asdict(self.model)
        dataset["folder"] = _portable(dataset["folder"], relative_to)
        model["path"] = _portable(model["path"], relative_to)
        return {"version": RUN_FILE_VERSION, "seed": self.seed, "dataset": dataset, "model": model,
                "fit": asdict(self.fit), "augmentation": self.augmentation}


# -- reading -------------------------------------------------------------------------------------
REQUIRED = {"dataset": ("kind",), "model": ("kind",), "fit": ("optimizer", "learning_rate", "batch_size", "epochs")}


def run_from_dict(data: dict, base: Path | None = None) -> RunFile:
    """Check ``data`` field by field and build the run; relative paths are taken from ``base``.

    Raises :class:`RunFileError` naming the field."""
    if not isinstance(data, dict):
        raise RunFileError(tr("a run file is a JSON object with version, seed, dataset, model and fit"))
    version = data.get("version")
    if version is None:
        raise RunFileError(tr("missing field 'version' (this cnnexplorer writes version {version})",
                              version=RUN_FILE_VERSION))
    if not isinstance(version, int) or isinstance(version, bool):
        raise RunFileError(tr("'version' must be a whole number, got {value!r}", value=version))
    if version > RUN_FILE_VERSION:
        raise RunFileError(tr("the run file is version {version}, newer than this cnnexplorer reads ({readable}): "
                              "update cnnexplorer", version=version, readable=RUN_FILE_VERSION))
    unknown = set(data) - {"version", "seed", "dataset", "model", "fit", "augmentation"}
    if unknown:
        raise RunFileError(tr("unknown field(s): {fields}", fields=", ".join(sorted(unknown))))
    sections = {}
    for name, cls in (("dataset", DatasetSpec), ("model", ModelSpec), ("fit", FitSettings)):
        sections[name] = _section(data, name, cls)
    if "seed" not in data:
        raise RunFileError(tr("missing field 'seed' (a whole number: the same seed trains the same weights)"))
    seed = _typed("seed", data["seed"], int)
    augmentation = data.get("augmentation")
    if augmentation is not None:
        from cnnexplorer.core.augment.pipeline import Augmenter

        try:
            Augmenter.from_dict(augmentation)
        except (ValueError, TypeError) as exc:
            raise RunFileError(tr("augmentation: {error}", error=exc)) from None
    run = RunFile(sections["dataset"], sections["model"], sections["fit"], augmentation, seed)
    _check_values(run)
    if base is not None:
        run.dataset = replace(run.dataset, folder=_resolved(run.dataset.folder, base))
        run.model.path = _resolved(run.model.path, base)
    return run


def load_run_file(path: str | Path) -> RunFile:
    """Read and check ``path``. Raises :class:`RunFileError` (a missing or unreadable file, bad JSON,
    a newer version, a missing or wrong field)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RunFileError(tr("{path}: no such run file", path=path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RunFileError(tr("{path}: cannot be read ({error})", path=path, error=exc)) from None
    except ValueError as exc:
        raise RunFileError(tr("{name}: not JSON ({error})", name=path.name, error=exc)) from None
    try:
        return run_from_dict(data, path.parent.resolve())
    except RunFileError as exc:
        raise RunFileError(f"{path.name}: {exc}") from None


def save_run_file(run: RunFile, path: str | Path) -> Path:
    """Write ``run`` to ``path`` atomically; paths under its folder are stored relative to it."""
    path = Path(path)
    write_json(path, run.to_dict(relative_to=path.parent.resolve()))
    return path


def export_run(run: RunFile, folder: str | Path) -> Path:
    """Write ``run`` as ``folder/run.json`` with what it needs to travel: webcam captures are copied
    to ``folder/captures`` (an image folder or a model file is referred to where it is). What an
    earlier export left there is kept: the new one is then ``run-2.json`` with ``captures-2``."""
    import shutil

    folder = Path(folder)
    if run.dataset.kind == "capture":
        if not Path(run.dataset.folder).is_dir():
            raise RunFileError(tr("no captures to export yet"))
        target = unique_path(folder, "captures", directory=True)
        shutil.copytree(run.dataset.folder, target, dirs_exist_ok=True)  # into the new, empty folder
        run = replace(run, dataset=replace(run.dataset, folder=str(target)))
    path = unique_path(folder, "run", ".json")
    try:
        return save_run_file(run, path)
    except OSError:
        path.unlink(missing_ok=True)  # the name claimed for it, still empty
        raise


def check_inputs(run: RunFile) -> None:
    """What the run reads from disk is there: the dataset folder, and a model file that is a Keras
    model file (checked without importing Keras). Raises :class:`RunFileError`."""
    if run.dataset.kind in FOLDER_KINDS:
        folder = Path(run.dataset.folder)
        if not folder.is_dir():
            raise RunFileError(tr("dataset folder {folder} is gone (or not a folder)", folder=folder))
    if run.model.kind == "file":
        path = Path(run.model.path)
        if not path.is_file():
            raise RunFileError(tr("model file {path} is missing", path=path))
        if not _looks_like_model(path):
            raise RunFileError(tr("model file {name} is not a Keras model (.keras, or .h5)", name=path.name))


def model_builder(spec: ModelSpec, image_shape: tuple[int, int, int], classes: int) -> Callable[[], object]:
    """A function that builds the model ``spec`` describes (call it on the thread that fits)."""
    if spec.kind == "cnn":
        blocks = [ConvBlock(f, spec.kernel) for f in spec.filters]
        cnn = CnnSpec(blocks, spec.activation, spec.batch_norm, spec.dropout)
        return lambda: builders.small_cnn(image_shape, classes, cnn)
    if spec.kind == "mlp":
        return lambda: builders.mlp(image_shape, classes, activation=spec.activation, dropout=spec.dropout)
    if spec.kind == "inception":
        return lambda: builders.mini_inception(image_shape, classes)
    if spec.kind == "transfer":
        return lambda: builders.transfer(image_shape, classes, spec.unfreeze, spec.dropout or 0.2)
    return lambda: _file_transfer(spec, image_shape, classes)


# -- helpers -------------------------------------------------------------------------------------------
def _section(data: dict, name: str, cls) -> object:
    section = data.get(name)
    if not isinstance(section, dict):
        if section is None:
            raise RunFileError(tr("missing field '{field}'", field=name))
        raise RunFileError(tr("'{field}' must be an object", field=name))
    known = {f.name: f for f in fields(cls)}
    unknown = set(section) - set(known)
    if unknown:
        raise RunFileError(tr("unknown field(s) {fields}", fields=", ".join(f"{name}.{k}" for k in sorted(unknown))))
    for key in REQUIRED[name]:
        if key not in section:
            raise RunFileError(tr("missing field '{field}'", field=f"{name}.{key}"))
    defaults = asdict(cls())
    values = {}
    for key, value in section.items():
        wanted = type(defaults[key])
        values[key] = _typed(f"{name}.{key}", value, wanted)
    return cls(**values)


def _typed(name: str, value, wanted: type):
    if wanted is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if wanted is list:
        if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            raise RunFileError(tr("'{field}' must be a list of whole numbers, got {value!r}", field=name, value=value))
        return value
    if not isinstance(value, wanted) or (wanted is int and isinstance(value, bool)):
        if wanted in _TYPE_MESSAGES:
            raise RunFileError(tr(_TYPE_MESSAGES[wanted], field=name, value=value))
        raise RunFileError(tr("'{field}' must be of type {kind}, got {value!r}", field=name, kind=wanted.__name__,
                              value=value))
    return value


_TYPE_MESSAGES = {
    int: N_("'{field}' must be a whole number, got {value!r}"),
    float: N_("'{field}' must be a number, got {value!r}"),
    bool: N_("'{field}' must be true or false, got {value!r}"),
    str: N_("'{field}' must be a string, got {value!r}"),
}


def _check_values(run: RunFile) -> None:
    d, m, f = run.dataset, run.model, run.fit
    if d.kind not in DATASET_KINDS:
        raise RunFileError(tr("dataset.kind {kind!r}: choose from {choices}", kind=d.kind,
                              choices=", ".join(DATASET_KINDS)))
    if d.kind in FOLDER_KINDS and not d.folder.strip():
        raise RunFileError(tr("missing field 'dataset.folder' (a dataset of kind {kind!r} reads a folder)",
                              kind=d.kind))
    if not 8 <= d.size <= 512:
        raise RunFileError(tr("dataset.size must be 8…512 pixels, got {size}", size=d.size))
    if d.kind == "shapes" and not (2 <= d.classes <= len(SHAPES) and d.per_class >= 2):
        raise RunFileError(tr("shapes: 2…{most} classes and at least 2 per class", most=len(SHAPES)))
    if m.kind not in MODEL_KINDS:
        raise RunFileError(tr("model.kind {kind!r}: choose from {choices}", kind=m.kind, choices=", ".join(MODEL_KINDS)))
    if m.kind == "file" and not m.path.strip():
        raise RunFileError(tr("missing field 'model.path' (a model of kind 'file' fine-tunes a .keras file)"))
    if m.activation not in ACTIVATIONS:
        raise RunFileError(tr("model.activation {activation!r}: choose from {choices}", activation=m.activation,
                              choices=", ".join(ACTIVATIONS)))
    if m.kind == "cnn" and (not m.filters or any(not 1 <= v <= 512 for v in m.filters)):
        raise RunFileError(tr("model.filters: 1 to 512 filters per block, at least one block"))
    if not 0.0 <= m.dropout < 1.0 or m.unfreeze < 0 or m.kernel < 1:
        raise RunFileError(tr("model: dropout 0…1 (excluded), unfreeze ≥ 0, kernel ≥ 1"))
    if f.optimizer not in OPTIMIZERS:
        raise RunFileError(tr("fit.optimizer {optimizer!r}: choose from {choices}", optimizer=f.optimizer,
                              choices=", ".join(OPTIMIZERS)))
    if f.batch_size < 1 or f.epochs < 1 or not f.learning_rate > 0 or f.early_stopping < 0:
        raise RunFileError(tr("fit: batch_size and epochs ≥ 1, learning_rate > 0, early_stopping ≥ 0"))


def _portable(path: str, relative_to: Path | None) -> str:
    if not path or relative_to is None:
        return path
    try:
        return Path(os.path.relpath(Path(path).resolve(), relative_to)).as_posix() \
            if Path(path).resolve().is_relative_to(relative_to) else path
    except ValueError:  # another drive on Windows
        return path


def _resolved(path: str, base: Path) -> str:
    return str(base / path) if path and not Path(path).is_absolute() else path


def _looks_like_model(path: Path) -> bool:
    if path.suffix == ".keras":
        return zipfile.is_zipfile(path) and "config.json" in zipfile.ZipFile(path).namelist()
    if path.suffix == ".h5":
        with open(path, "rb") as f:
            return f.read(8) == b"\x89HDF\r\n\x1a\n"
    return False


def _file_transfer(spec: ModelSpec, image_shape: tuple[int, int, int], classes: int):
    """``spec.path``'s model, its classifier replaced for ``classes`` (see :func:`builders.fine_tune`)."""
    from cnnexplorer.core.models.files import ModelLoadError, load_model_file
    from cnnexplorer.core.models.model_input import PreprocessingFileError, preprocessing_file

    try:
        found = preprocessing_file(spec.path)
    except PreprocessingFileError as exc:  # the input it was trained on is unknown: not guessed for a fine-tune
        raise RunFileError(tr("{problem}: repair or delete it to fine-tune this model", problem=exc)) from None
    if found is not None and found[0] != builders.PREPROCESSING:
        raise RunFileError(tr("{name} is fed {mode!r} input ({file}); models trained here are fed {ours!r}",
                              name=Path(spec.path).name, mode=found[0], file=found[1].name,
                              ours=builders.PREPROCESSING))
    try:
        opened = load_model_file(spec.path)
    except ModelLoadError as exc:
        raise RunFileError(tr("model file: {error}", error=exc)) from None
    if not opened.image_input:
        raise RunFileError(tr("model file {name}: {reason}", name=Path(spec.path).name, reason=opened.reason))
    return builders.fine_tune(opened.model, image_shape, classes, spec.unfreeze, spec.dropout)
