"""Import Keras (slow: seconds) and describe the backend and devices it sees."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass, field


@dataclass(frozen=True)
class KerasInfo:
    keras: str
    backend: str
    backend_version: str
    gpus: list[str] = field(default_factory=list)


def load_keras() -> KerasInfo:
    """Import Keras and its backend; call it off the GUI thread."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's C++ start-up chatter out
    import keras

    backend = keras.config.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        gpus = [d.name for d in tf.config.list_physical_devices("GPU")]
        for gpu in tf.config.list_physical_devices("GPU"):
            # Several panels share one GPU: take memory as needed, not all at once.
            try:
                tf.config.experimental.set_memory_growth(gpu, True)
            except RuntimeError:  # already initialised by someone else
                pass
        return KerasInfo(keras.__version__, backend, tf.__version__, gpus)
    if backend == "jax":
        import jax

        gpus = [str(d) for d in jax.devices() if d.platform != "cpu"]
        return KerasInfo(keras.__version__, backend, jax.__version__, gpus)
    if backend == "torch":
        import torch

        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        gpus = [torch.cuda.get_device_name(i) for i in range(count)]
        return KerasInfo(keras.__version__, backend, torch.__version__, gpus)
    return KerasInfo(keras.__version__, backend, "", [])


def base_versions() -> dict[str, str]:
    """Versions of what is always imported (no Keras)."""
    import cv2
    import numpy
    import PIL

    return {
        "Python": platform.python_version(),
        "NumPy": numpy.__version__,
        "OpenCV": cv2.__version__,
        "Pillow": PIL.__version__,
    }
