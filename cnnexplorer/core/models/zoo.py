"""Pretrained ImageNet models, offline first.

``mobilenet_v2`` ships with real ImageNet weights. The Keras applications use ImageNet weights
already in the Keras cache and otherwise come with random weights, flagged; :func:`download_weights`
fetches them only when the user asks.
"""

from __future__ import annotations

import hashlib
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import InitVar, dataclass, replace
from enum import Enum
from functools import cache
from pathlib import Path

import numpy as np

from cnnexplorer.core.i18n import SOURCE_LANGUAGE, N_, language, tr
from cnnexplorer.core.infra.resources import resource
from cnnexplorer.core.models import model_input
from cnnexplorer.core.models.files import image_input, load_model_file
from cnnexplorer.core.models.preprocess import FeedOptions, prepare_input

KERAS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/"


class ZooError(RuntimeError):
    """A zoo model or its weights could not be had; the message says why and what to do."""


@dataclass(frozen=True)
class ZooEntry:
    name: str
    title: str  # English, marked: shown through tr()
    input_size: int
    preprocessing: str
    builder: str = ""  # keras.applications attribute
    weights_file: str = ""  # in the Keras cache, folder "models"
    weights_url: str = ""
    weights_md5: str = ""


ENTRIES = {
    e.name: e
    for e in (
        ZooEntry("mobilenet_v2", N_("MobileNetV2 (bundled ImageNet weights)"), 224, "torch"),
        ZooEntry("vgg16", "VGG16", 224, "caffe", "VGG16", "vgg16_weights_tf_dim_ordering_tf_kernels.h5",
                 KERAS_URL + "vgg16/", "64373286793e3c8b2b4e3219cbf3544b"),
        ZooEntry("vgg19", "VGG19", 224, "caffe", "VGG19", "vgg19_weights_tf_dim_ordering_tf_kernels.h5",
                 KERAS_URL + "vgg19/", "cbe5617147190e668d6c5d5026f83318"),
        ZooEntry("resnet50", "ResNet50", 224, "caffe", "ResNet50", "resnet50_weights_tf_dim_ordering_tf_kernels.h5",
                 KERAS_URL + "resnet/", "2cb95161c43110f7111970584f804107"),
        ZooEntry("inception_v3", "InceptionV3", 299, "tf", "InceptionV3",
                 "inception_v3_weights_tf_dim_ordering_tf_kernels.h5", KERAS_URL + "inception_v3/",
                 "9a0d58056eeedaa3f26cb7ebd46da564"),
        ZooEntry("xception", "Xception", 299, "tf", "Xception", "xception_weights_tf_dim_ordering_tf_kernels.h5",
                 KERAS_URL + "xception/", "0a58e3b7378bc2990ea3b43d5981f1f6"),
        ZooEntry("inception_resnet_v2", "InceptionResNetV2", 299, "tf", "InceptionResNetV2",
                 "inception_resnet_v2_weights_tf_dim_ordering_tf_kernels.h5", KERAS_URL + "inception_resnet_v2/",
                 "e693bd0210a403b3192acc6073ad2e96"),
        ZooEntry("mini_inception", N_("Mini Inception (built in, untrained)"), 64, "unit"),
    )
}


class WeightsSource(str, Enum):
    """Where a loaded model's weights came from (the explorer's banner says it)."""

    BUNDLED = "bundled ImageNet"
    KERAS_CACHE = "Keras cache"
    RANDOM = "random"
    FILE = "file"


@dataclass
class ZooModel:
    """A loaded model and what the GUI must say about it."""

    model: object  # keras.Model
    name: str
    weights_source: WeightsSource
    input_size: int
    mode: InitVar[str]  # the preprocessing mode: kept in ``options`` (read it as ``preprocessing``)
    class_names: list[str] | None
    image_input: bool = True  # False: the tree shows, activations are off (see ``reason``)
    reason: str = ""
    input_shape: tuple = ()  # (H, W, C), sides may be None; default (input_size, input_size, 3)
    stride: int = 1  # total stride: None sides are fed at a multiple of it
    preprocessing_reason: str = ""
    preprocessing_sure: bool = True  # False: a guess, the explorer offers the choice
    class_names_note: str = ""  # where the class names came from, or why there are none
    # How frames are fed, mode included: one immutable value that the GUI replaces whole (never
    # changed in place) while worker threads read it, each once per frame.
    options: FeedOptions = FeedOptions()
    path: Path | None = None  # the file it was opened from

    def __post_init__(self, mode: str) -> None:
        self.options = replace(self.options, mode=mode)
        if not self.input_shape:
            self.input_shape = (self.input_size, self.input_size, 3)

    @property
    def preprocessing(self) -> str:
        """The preprocessing mode the frames are fed with (one of :data:`.preprocess.MODES`)."""
        return self.options.mode

    @property
    def random_weights(self) -> bool:
        return self.weights_source == WeightsSource.RANDOM

    def prepare(self, rgb: np.ndarray, options: FeedOptions | None = None) -> np.ndarray:
        """One uint8 RGB frame as this model's input batch (see :mod:`.preprocess`), fed with
        ``options`` (a value read once by the caller) or else the model's options now."""
        options = self.options if options is None else options
        return prepare_input(rgb, self.input_shape, options.mode, options, self.stride)

    def input_text(self, options: FeedOptions | None = None) -> str:
        """The model's true input, e.g. ``28×28×1 (gray)`` or ``?×?×3 (fed at 224×288)``, as fed with
        ``options`` (else the model's options now)."""
        options = self.options if options is None else options
        h, w, c = self.input_shape
        shape = f"{h or '?'}×{w or '?'}×{c}"
        if c == 1:
            shape = tr("{shape} (gray)", shape=shape)
        if h and w:
            return shape
        if self.stride > 1:
            return tr("{shape}, any size: fed with the short side at {side}, sides rounded to the total stride "
                      "{stride}", shape=shape, side=options.short_side, stride=self.stride)
        return tr("{shape}, any size: fed with the short side at {side}", shape=shape, side=options.short_side)


def available() -> list[str]:
    return list(ENTRIES)


def keras_cache_dir() -> Path:
    return Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras") / "models"


def cached_weights(name: str) -> Path | None:
    entry = _entry(name)
    if not entry.weights_file:
        return None
    path = keras_cache_dir() / entry.weights_file
    return path if path.is_file() else None


@cache
def imagenet_classes() -> list[str]:
    return resource("models", "imagenet_classes.txt").read_text(encoding="utf-8").splitlines()


@cache
def imagenet_classes_in(code: str) -> list[str]:
    """ImageNet's class names in language ``code`` (English when there is no list for it)."""
    path = resource("models", f"imagenet_classes_{code}.txt")
    return path.read_text(encoding="utf-8").splitlines() if code != SOURCE_LANGUAGE and path.exists() else \
        imagenet_classes()


def load_model(name: str, weights: str = "auto") -> ZooModel:
    """Build zoo model ``name``. ``weights``: "auto" (ImageNet when offline-available, else random,
    flagged), "imagenet" (raise :class:`ZooError` if not available offline) or "random"."""
    import keras

    entry = _entry(name)
    if weights not in ("auto", "imagenet", "random"):
        raise ValueError(tr("weights must be 'auto', 'imagenet' or 'random', got {weights!r}", weights=weights))
    if name == "mobilenet_v2":
        if weights == "random":
            from cnnexplorer.core.models.arch.mobilenet_v2 import build

            return ZooModel(build(), name, WeightsSource.RANDOM, entry.input_size, entry.preprocessing, imagenet_classes())
        model = keras.saving.load_model(resource("models", "mobilenet_v2_imagenet.keras"), compile=False)
        return ZooModel(model, name, WeightsSource.BUNDLED, entry.input_size, entry.preprocessing, imagenet_classes())
    if name == "mini_inception":
        from cnnexplorer.core.models.arch.mini_inception import build

        return ZooModel(build(), name, WeightsSource.RANDOM, entry.input_size, entry.preprocessing, None,
                        class_names_note=tr("an untrained demonstration model: its 10 classes have no names"))
    model = getattr(keras.applications, entry.builder)(weights=None)
    cached = cached_weights(name) if weights != "random" else None
    if cached is not None:
        try:
            model.load_weights(cached)
            return ZooModel(model, name, WeightsSource.KERAS_CACHE, entry.input_size, entry.preprocessing, imagenet_classes())
        except (OSError, ValueError) as exc:
            if weights == "imagenet":
                raise ZooError(tr("{path} is damaged ({error}); download it again", path=cached, error=exc)) from None
    elif weights == "imagenet":
        raise ZooError(tr("{model}'s ImageNet weights are not in {folder}; download them first",
                          model=tr(entry.title), folder=keras_cache_dir()))
    return ZooModel(model, name, WeightsSource.RANDOM, entry.input_size, entry.preprocessing, imagenet_classes())


def predict_top(model, rgb: np.ndarray, k: int = 5) -> list[tuple[str, float]]:
    """Top-``k`` (class name, probability) for one uint8 RGB frame of any size.

    ``model`` is a :class:`ZooModel` (its own resizing, cropping and value scaling are applied).
    """
    zoo_model = model if isinstance(model, ZooModel) else wrap(model)
    batch = zoo_model.prepare(rgb)
    probabilities = np.asarray(zoo_model.model.predict_on_batch(batch))[0]
    return top_k(probabilities, zoo_model.class_names, k)


def top_k(probabilities: np.ndarray, names: list[str] | None, k: int) -> list[tuple[str, float]]:
    order = np.argsort(probabilities)[::-1][:k]
    return [((names[i] if names and i < len(names) else class_label(i)), float(probabilities[i])) for i in order]


def shown_class_name(name: str) -> str:
    """An ImageNet class name in the user's language (other names as they are)."""
    return _names_in(language()).get(name, name)


@cache
def _names_in(code: str) -> dict[str, str]:
    return dict(zip(imagenet_classes(), imagenet_classes_in(code)))  # ImageNet's English names are unique


def class_label(index: int) -> str:
    """What a class with no name is called: "class 3"."""
    return tr("class {index}", index=index)


def wrap(model, weights_source: WeightsSource = WeightsSource.FILE, path: str | Path | None = None) -> ZooModel:
    """Describe a bare Keras model: its true input, stride, preprocessing (detected, or a guess with
    the reason) and class names (beside ``path``, or ImageNet's for 1000 outputs)."""
    ok, reason = image_input(model)
    shape = model_input.input_shape(model) if ok else (224, 224, 3)
    size = int(shape[0] or shape[1] or 224)
    classes = model_input.output_classes(model) if getattr(model, "outputs", None) else None
    if path is not None:
        names, note = model_input.find_class_names(path, classes)
    else:
        names, note = None, (tr("the output is not one score per class, so there is no top-5") if classes is None
                             else tr("no class names: shown as “class 0…{last}”", last=classes - 1))
    if names is None and classes == 1000:
        names, note = imagenet_classes(), tr("1000 outputs: ImageNet class names")
    mode, why, sure = model_input.detect_preprocessing(model, path)
    stride = model_input.total_stride(model) if ok and not (shape[0] and shape[1]) else 1
    return ZooModel(model, model.name, weights_source, size, mode, names, ok, reason, shape, stride, why, sure, note,
                    path=Path(path) if path is not None else None)


def open_file(path: str | Path, *, safe_mode: bool = True) -> ZooModel:
    """A user's model file described like a zoo model: named after the file, with activations off
    (and why) when it has no single image input. Raises :class:`ModelLoadError` (see
    :func:`load_model_file`)."""
    opened = load_model_file(path, safe_mode=safe_mode)
    model = wrap(opened.model, path=path)
    model.name = Path(path).name
    return model


def download_weights(name: str, progress: Callable[[int, int], None] | None = None,
                     cancel: threading.Event | None = None, timeout_s: float = 20.0,
                     url: str | None = None) -> Path:
    """Fetch ``name``'s ImageNet weights into the Keras cache (only when the user asks).

    Streams with a timeout, reports (bytes so far, total), stops when ``cancel`` is set, checks
    the MD5 Keras publishes and only then moves the file into place.
    """
    entry = _entry(name)
    if not entry.weights_file:
        raise ZooError(tr("{model} has no weights to download", model=tr(entry.title)))
    target = keras_cache_dir() / entry.weights_file
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    digest = hashlib.md5()
    try:
        with urllib.request.urlopen(url or entry.weights_url + entry.weights_file, timeout=timeout_s) as response:
            total = int(response.headers.get("Content-Length") or 0)
            done = 0
            with open(partial, "wb") as out:
                while chunk := response.read(1 << 20):
                    if cancel is not None and cancel.is_set():
                        raise ZooError(tr("download cancelled"))
                    out.write(chunk)
                    digest.update(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)
    except ZooError:
        partial.unlink(missing_ok=True)
        raise
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        partial.unlink(missing_ok=True)
        raise ZooError(tr("could not download {model}'s weights — offline? ({error})", model=tr(entry.title),
                          error=exc)) from None
    if digest.hexdigest() != entry.weights_md5:
        partial.unlink(missing_ok=True)
        raise ZooError(tr("the downloaded file's checksum is wrong ({digest}); nothing was saved",
                          digest=digest.hexdigest()))
    os.replace(partial, target)
    return target


def _entry(name: str) -> ZooEntry:
    try:
        return ENTRIES[name]
    except KeyError:
        raise ZooError(tr("no zoo model {name!r}; choose from {choices}", name=name, choices=", ".join(ENTRIES))) from None
