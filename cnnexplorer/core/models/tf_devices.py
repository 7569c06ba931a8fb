"""Everything that talks to TensorFlow directly (devices, memory growth, multi-GPU), in one place.
The rest of the training core uses only the Keras 3 API, so it also runs on JAX or PyTorch."""

from __future__ import annotations

import contextlib


def backend() -> str:
    import keras

    return keras.config.backend()


def devices() -> list[str]:
    """The devices Keras computes on, e.g. ["CPU:0", "GPU:0"]."""
    name = backend()
    if name == "tensorflow":
        import tensorflow as tf

        return [d.name.replace("/physical_device:", "") for d in tf.config.list_physical_devices()]
    if name == "jax":
        import jax

        return [f"{d.platform.upper()}:{d.id}" for d in jax.devices()]
    if name == "torch":
        import torch

        return ["CPU:0"] + [f"GPU:{i}" for i in range(torch.cuda.device_count())]
    return ["CPU:0"]


def gpu_count() -> int:
    return sum(1 for d in devices() if d.startswith("GPU"))


def distribution_scope(strategy=None):
    """The scope models are built and trained in: ``strategy``'s, a MirroredStrategy when
    TensorFlow sees several GPUs, else a no-op."""
    if strategy is not None:
        return strategy.scope()
    if backend() == "tensorflow" and gpu_count() > 1:
        import tensorflow as tf

        return tf.distribute.MirroredStrategy().scope()
    return contextlib.nullcontext()


def mirrored_on_cpus(count: int = 2):
    """A MirroredStrategy over ``count`` logical CPU devices: a stand-in for several GPUs.
    Must run before TensorFlow initialises its devices (a fresh process)."""
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * count)
    return tf.distribute.MirroredStrategy([f"/cpu:{i}" for i in range(count)])


def is_out_of_memory(exc: BaseException) -> bool:
    text = f"{type(exc).__name__} {exc}".lower()
    return any(key in text for key in ("resourceexhausted", "out of memory", "resource_exhausted", "oom when"))

