"""Training data behind one interface: generated shapes (offline default), an image folder,
frames captured from the webcam, and Keras' MNIST / Fashion-MNIST / CIFAR-10 on request.

:class:`DatasetSpec` says which one, in plain values; :func:`load_dataset` builds it. The GUI reads
its widgets into a spec on the GUI thread and hands only the spec to its worker thread."""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from cnnexplorer.core.frames.images import IMAGE_SUFFIXES, ImageLoadError, load_image
from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.core.infra.paths import data_dir, write_new_file

# Class names stay English in datasets and the files a run saves (``class_names.json``); they are
# marked so that a view may show ``tr(name)``, which leaves a name of the user's own unchanged.
SHAPES = (N_("circle"), N_("square"), N_("triangle"), N_("star"), N_("line"), N_("cross"))
KERAS_DATASETS = ("mnist", "fashion_mnist", "cifar10")
KERAS_NAMES = {
    "fashion_mnist": [N_("T-shirt/top"), N_("Trouser"), N_("Pullover"), N_("Dress"), N_("Coat"), N_("Sandal"),
                      N_("Shirt"), N_("Sneaker"), N_("Bag"), N_("Ankle boot")],
    "cifar10": [N_("airplane"), N_("automobile"), N_("bird"), N_("cat"), N_("deer"), N_("dog"), N_("frog"),
                N_("horse"), N_("ship"), N_("truck")],
    "mnist": [str(i) for i in range(10)],
}


class DatasetError(ValueError):
    """A dataset cannot be built or loaded; the message says why."""


@dataclass
class Dataset:
    name: str
    class_names: list[str]
    x_train: np.ndarray  # (N, H, W, 3) uint8
    y_train: np.ndarray  # (N,) int
    x_val: np.ndarray
    y_val: np.ndarray
    skipped: int = 0  # unreadable files left out

    @property
    def image_shape(self) -> tuple[int, int, int]:
        return tuple(self.x_train.shape[1:])

    def counts(self) -> dict[str, int]:
        labels = np.concatenate([self.y_train, self.y_val])
        return {name: int((labels == i).sum()) for i, name in enumerate(self.class_names)}

    def preview(self, per_class: int = 4) -> list[tuple[str, np.ndarray]]:
        """A few training images of each class, for the dataset's sample grid."""
        out = []
        for i, name in enumerate(self.class_names):
            for index in np.flatnonzero(self.y_train == i)[:per_class]:
                out.append((name, self.x_train[index]))
        return out


def split(x: np.ndarray, y: np.ndarray, val_fraction: float, seed: int) -> tuple[np.ndarray, ...]:
    """Shuffle, then hold out ``val_fraction`` of every class for validation."""
    if not 0.0 < val_fraction < 1.0:
        raise DatasetError(tr("the validation fraction must be between 0 and 1, got {fraction}", fraction=val_fraction))
    rng = np.random.default_rng(seed)
    train, val = [], []
    for label in np.unique(y):
        index = rng.permutation(np.flatnonzero(y == label))
        held = max(1, int(round(len(index) * val_fraction))) if len(index) > 1 else 0
        val.extend(index[:held])
        train.extend(index[held:])
    train, val = rng.permutation(np.array(train, int)), rng.permutation(np.array(val, int))
    return x[train], y[train], x[val], y[val]


# -- generated shapes -------------------------------------------------------------------------------
def _star(cx: float, cy: float, r: float, angle: float) -> np.ndarray:
    points = []
    for k in range(10):
        radius = r if k % 2 == 0 else r * 0.45
        a = angle + k * math.pi / 5
        points.append((cx + radius * math.cos(a), cy + radius * math.sin(a)))
    return np.array(points, np.int32)


def draw_shape(kind: str, size: int, rng: np.random.Generator, noise: float = 0.05) -> np.ndarray:
    """One ``size``×``size`` RGB picture of ``kind`` with a random colour, scale, place and angle."""
    background = rng.integers(0, 90, 3)
    image = np.empty((size, size, 3), np.uint8)
    image[:] = background
    colour = tuple(int(v) for v in rng.integers(130, 256, 3))
    r = rng.uniform(0.28, 0.42) * size
    cx, cy = rng.uniform(r + 1, size - r - 1, 2)
    angle = rng.uniform(0, 2 * math.pi)
    thickness = max(2, size // 10)
    if kind == "circle":
        cv2.circle(image, (int(cx), int(cy)), int(r), colour, -1, cv2.LINE_AA)
    elif kind in ("square", "triangle"):
        sides = 4 if kind == "square" else 3
        pts = [(cx + r * math.cos(angle + 2 * math.pi * k / sides), cy + r * math.sin(angle + 2 * math.pi * k / sides))
               for k in range(sides)]
        cv2.fillPoly(image, [np.array(pts, np.int32)], colour, cv2.LINE_AA)
    elif kind == "star":
        cv2.fillPoly(image, [_star(cx, cy, r, angle)], colour, cv2.LINE_AA)
    elif kind == "line":
        dx, dy = r * math.cos(angle), r * math.sin(angle)
        cv2.line(image, (int(cx - dx), int(cy - dy)), (int(cx + dx), int(cy + dy)), colour, thickness, cv2.LINE_AA)
    elif kind == "cross":
        for a in (angle, angle + math.pi / 2):
            dx, dy = r * math.cos(a), r * math.sin(a)
            cv2.line(image, (int(cx - dx), int(cy - dy)), (int(cx + dx), int(cy + dy)), colour, thickness,
                     cv2.LINE_AA)
    else:
        raise DatasetError(tr("no shape {kind!r}; choose from {choices}", kind=kind, choices=", ".join(SHAPES)))
    if noise:
        image = np.clip(image + rng.normal(0, noise * 255, image.shape), 0, 255).astype(np.uint8)
    return image


def shapes(classes: tuple[str, ...] = SHAPES[:5], size: int = 32, per_class: int = 300, val_fraction: float = 0.2,
           noise: float = 0.03, seed: int = 0) -> Dataset:
    """Generated on the fly, offline: ``per_class`` pictures of each shape."""
    if len(classes) < 2:
        raise DatasetError(tr("a classifier needs at least two classes"))
    if size < 8 or per_class < 2:
        raise DatasetError(tr("shapes need size ≥ 8 and at least 2 pictures per class"))
    rng = np.random.default_rng(seed)
    x = np.stack([draw_shape(kind, size, rng, noise) for kind in classes for _ in range(per_class)])
    y = np.repeat(np.arange(len(classes)), per_class)
    return Dataset("shapes", list(classes), *split(x, y, val_fraction, seed))


# -- image folders and webcam captures --------------------------------------------------------------
def image_folder(path: str | Path, size: int = 64, val_fraction: float = 0.2, seed: int = 0) -> Dataset:
    """One sub-folder per class; images of any size are resized to ``size``; unreadable files are
    skipped and counted."""
    root = Path(path)
    if not root.is_dir():
        raise DatasetError(tr("{folder}: no such folder", folder=root))
    classes = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if len(classes) < 2:
        raise DatasetError(tr("{folder} needs at least two sub-folders, one per class (found {count})", folder=root,
                              count=len(classes)))
    images, labels, skipped = [], [], 0
    for label, name in enumerate(classes):
        for file in sorted((root / name).iterdir()):
            if file.suffix.lower() not in IMAGE_SUFFIXES:
                continue
            try:
                rgb = load_image(file)
            except ImageLoadError:
                skipped += 1
                continue
            images.append(cv2.resize(rgb, (size, size), interpolation=cv2.INTER_AREA))
            labels.append(label)
    if not images:
        raise DatasetError(tr("no readable images in {folder} ({skipped} unreadable)", folder=root, skipped=skipped))
    x, y = np.stack(images), np.array(labels)
    missing = [name for i, name in enumerate(classes) if not (y == i).any()]
    if missing:
        raise DatasetError(tr("no readable images for class(es): {classes}", classes=", ".join(missing)))
    return Dataset(root.name, classes, *split(x, y, val_fraction, seed), skipped=skipped)


_CLASS_NAME = re.compile(r"^[\w][\w .+-]{0,40}$")


class CaptureStore:
    """Webcam shots per class, saved at once as an image folder so nothing is lost."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root else data_dir() / "captures" / time.strftime("%Y%m%d-%H%M%S")

    def add(self, class_name: str, rgb: np.ndarray) -> Path:
        """Save ``rgb`` as a new PNG of ``class_name`` (any script: Hangul names and folders work), never
        over an earlier shot. Raises :class:`DatasetError` when it cannot be saved (a full disk…)."""
        if not _CLASS_NAME.match(class_name):
            raise DatasetError(tr("class name {name!r}: use letters, digits, spaces, . + - (at most 41)",
                                  name=class_name))
        # Encoded here and written by Python: cv2.imwrite cannot open a non-ASCII path on Windows.
        ok, encoded = cv2.imencode(".png", cv2.cvtColor(np.asarray(rgb), cv2.COLOR_RGB2BGR))
        if not ok:
            raise DatasetError(tr("could not encode the frame for class {name!r} as PNG", name=class_name))
        folder = self.root / class_name
        number = len(list(folder.glob("*.png"))) if folder.is_dir() else 0
        try:  # 00007.png, or 00007-2.png when a shot was deleted and 00007.png is still taken: never over one
            return write_new_file(folder, f"{number:05d}", ".png", encoded.tobytes())
        except OSError as exc:
            raise DatasetError(tr("could not save the capture of {name!r}: {error}", name=class_name,
                                  error=exc)) from None

    def counts(self) -> dict[str, int]:
        if not self.root.is_dir():
            return {}
        return {p.name: len(list(p.glob("*.png"))) for p in sorted(self.root.iterdir()) if p.is_dir()}

    def dataset(self, size: int = 96, val_fraction: float = 0.2) -> Dataset:
        return image_folder(self.root, size, val_fraction)


# -- Keras' datasets, downloaded on request ---------------------------------------------------------------
def keras_dataset(name: str, limit: int | None = None) -> Dataset:
    """MNIST, Fashion-MNIST or CIFAR-10 through ``keras.datasets`` (downloaded once into the Keras
    cache when the user asks; offline this raises :class:`DatasetError`)."""
    if name not in KERAS_DATASETS:
        raise DatasetError(tr("no Keras dataset {name!r}; choose from {choices}", name=name,
                              choices=", ".join(KERAS_DATASETS)))
    import keras

    try:
        (x_train, y_train), (x_val, y_val) = getattr(keras.datasets, name).load_data()
    except Exception as exc:  # Keras raises a bare Exception("URL fetch failure …") offline
        raise DatasetError(tr("could not get {name} — it is downloaded on first use; offline? ({error})", name=name,
                              error=exc)) from None

    def rgb(x: np.ndarray) -> np.ndarray:
        x = x[:limit] if limit else x
        return np.repeat(x[..., None], 3, axis=-1) if x.ndim == 3 else x

    return Dataset(name, KERAS_NAMES[name], rgb(x_train), np.asarray(y_train[:limit] if limit else y_train).reshape(-1),
                   rgb(x_val), np.asarray(y_val[:limit] if limit else y_val).reshape(-1))


# -- one entry point ----------------------------------------------------------------------------------
DATASET_KINDS = ("shapes", "folder", "capture", *KERAS_DATASETS)
KIND_TITLES = {"shapes": N_("shapes"), "folder": N_("image folder"), "capture": N_("webcam captures"),
               "mnist": "MNIST", "fashion_mnist": "Fashion-MNIST", "cifar10": "CIFAR-10"}  # shown through tr()


@dataclass(frozen=True)
class DatasetSpec:
    """What to load, in plain values: safe to hand to another thread.

    ``kind`` is one of :data:`DATASET_KINDS`; ``folder`` is the image folder (``"folder"``) or the
    capture folder (``"capture"``); ``size`` applies to shapes, folders and captures, ``classes`` and
    ``per_class`` to shapes only."""

    kind: str = "shapes"
    size: int = 32
    classes: int = 5
    per_class: int = 300
    folder: str = ""

    def describe(self) -> str:
        """In a few words, for a message: "shapes at 32×32", "CIFAR-10"."""
        title = tr(KIND_TITLES.get(self.kind, self.kind))
        if self.kind in ("shapes", "folder", "capture"):
            return tr("{kind} at {size}×{size}", kind=title, size=self.size)
        return title


def load_dataset(spec: DatasetSpec) -> Dataset:
    """Build the dataset ``spec`` names (Keras' downloads happen here: call it off the GUI thread).

    Raises :class:`DatasetError` with a message for the user."""
    if spec.kind == "shapes":
        if not 2 <= spec.classes <= len(SHAPES):
            raise DatasetError(tr("shapes: 2 to {most} classes, got {classes}", most=len(SHAPES), classes=spec.classes))
        return shapes(SHAPES[: spec.classes], spec.size, spec.per_class)
    if spec.kind == "folder":
        if not spec.folder.strip():
            raise DatasetError(tr("choose an image folder first"))
        return image_folder(spec.folder.strip(), spec.size)
    if spec.kind == "capture":
        if not spec.folder or not Path(spec.folder).is_dir():
            raise DatasetError(tr("no captures yet: name a class and press Capture frame"))
        return CaptureStore(Path(spec.folder)).dataset(spec.size)
    if spec.kind in KERAS_DATASETS:
        return keras_dataset(spec.kind)
    raise DatasetError(tr("no dataset kind {kind!r}; choose from {choices}", kind=spec.kind,
                          choices=", ".join(DATASET_KINDS)))
