"""Words every language keeps as they are: proper names, units, keys (the notes keep them too)."""

from __future__ import annotations

import re

PROPER_NAMES = frozenset({
    "MobileNetV2", "MobileNetV3", "ResNet50", "VGG16", "InceptionV3", "EfficientNetB0", "Xception", "Keras",
    "TensorFlow", "ImageNet", "ReLU", "GELU", "Sigmoid", "Tanh", "Softmax", "Grad-CAM", "Grad-CAM++",
    "Score-CAM", "Sobel", "Prewitt", "Laplacian", "Gaussian", "RandAugment", "AutoAugment", "MNIST",
    "CIFAR-10", "RGB", "BGR", "HSV", "PNG", "JPEG", "MP4", "H.264", "CSV", "JSON", "Adam", "SGD", "fps", "px",
    "ms", "MB", "GB", "KB", "CPU", "GPU", "CUDA", "OpenCV", "Inception", "cnnexplorer", "ffmpeg", "Qt",
    "ImageNet-1k", "Ctrl", "Shift", "Alt", "Esc", "Space", "PgUp", "PgDn", "Tab", "Enter", "Home", "End",
    "dB", "std", "conv", "LANG", "XOR", "MLP", "English", "Mini", "sigmoid", "tanh", "relu", "softmax",
    "Conv2D", "Dense", "MaxPooling2D", "AveragePooling2D", "BatchNormalization", "DepthwiseConv2D",
    "GlobalAveragePooling2D", "Dropout", "Flatten", "Concatenate", "Add", "ZeroPadding2D", "InputLayer",
    "Rescaling", "Activation", "ReLU6", "min", "max", "mean", "sum", "log", "exp", "ln",
    "gradcam", "gradcam++", "eigencam",  # the attribution methods' ids, as scene files keep them
    "Glorot", "He", "LeCun", "adam", "sgd", "rmsprop", "RMSprop",  # initialisers and optimisers
    "viridis", "inferno", "magma", "plasma", "turbo", "jet", "cividis",  # colour map names
})
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_+\-.]*[A-Za-z0-9+]|[A-Za-z]{2,}")  # identifiers stay whole


def is_name(word: str) -> bool:
    """A proper name, unit, key or code identifier rather than a word to translate."""
    return (word in PROPER_NAMES or "_" in word or any(c.isdigit() for c in word)
            or (word.isupper() and len(word) <= 4) or any(c.isupper() for c in word[1:])  # acronyms, CamelCase
            or bool(re.fullmatch(r"F\d+|[a-z]", word)))


def words(text: str) -> list[str]:
    """The words of ``text`` a translation must carry (names and single letters left out)."""
    return [w for w in WORD.findall(text) if len(w) >= 2 and not is_name(w)]
