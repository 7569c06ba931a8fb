"""Where a fit runs: one device, several GPUs of one machine, or several machines.

TensorFlow: one device → no strategy; several GPUs → ``MirroredStrategy`` (see
:func:`~cnnexplorer.core.models.tf_devices.distribution_scope`); ``TF_CONFIG`` set →
``MultiWorkerMirroredStrategy``, worker 0 (or the ``chief`` task) being the chief that writes the
run folder. JAX: ``keras.distribution.DataParallel`` over the devices it sees. Only the engines of
Keras and TensorFlow are used; nothing here moves data itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from cnnexplorer.core.i18n import ENV, LanguageError, language, set_language, tr
from cnnexplorer.core.models.tf_devices import backend, devices, gpu_count

PEER_TIMEOUT_S = 60.0  # how long the workers wait for each other to form the cluster before giving up
COLLECTIVE_TIMEOUT_S = 600.0  # one all-reduce waiting longer (a worker still loading its data or weights is slow, not gone)
_LOST_TASK = re.compile(r"/job:(?:worker|chief)/replica:\d+/task:(\d+)")


class DistributionError(RuntimeError):
    """The cluster cannot be formed (bad ``TF_CONFIG``, a worker that cannot join); the message
    says which and where."""


@dataclass(frozen=True)
class Cluster:
    """The workers ``TF_CONFIG`` names (chief first if it names one) and which one this is."""

    workers: tuple[str, ...]
    index: int

    @property
    def is_chief(self) -> bool:
        return self.index == 0

    @property
    def address(self) -> str:
        return self.workers[self.index]

    @property
    def peers(self) -> tuple[str, ...]:
        return tuple(a for i, a in enumerate(self.workers) if i != self.index)


@dataclass
class Placement:
    """What a fit runs under: ``strategy`` (None: Keras' default), whether this process writes the
    run folder, and a line for the user."""

    strategy: object | None
    chief: bool
    description: str
    data_parallel: int = 1  # JAX DataParallel: devices every batch is split over


def cluster_from_env(environ=None) -> Cluster | None:
    """The cluster ``TF_CONFIG`` describes, or None when it is not set.

    Raises :class:`DistributionError` when it is malformed."""
    raw = (os.environ if environ is None else environ).get("TF_CONFIG", "").strip()
    if not raw:
        return None
    try:
        config = json.loads(raw)
        cluster, task = config["cluster"], config["task"]
        kind, index = task["type"], int(task["index"])
        chiefs, workers = list(cluster.get("chief", [])), list(cluster.get("worker", []))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        example = '{"cluster": {"worker": ["host:port", ...]}, "task": {"type": "worker", "index": 0}}'
        raise DistributionError(tr("TF_CONFIG is not a cluster description ({kind}: {error}); expected {example}",
                                   kind=type(exc).__name__, error=exc, example=example)) from None
    everyone = chiefs + workers
    if kind not in ("chief", "worker"):
        raise DistributionError(tr("TF_CONFIG task type {kind!r}: this trainer runs 'worker' (or 'chief') tasks",
                                   kind=kind))
    group = chiefs if kind == "chief" else workers
    if not 0 <= index < len(group):
        raise DistributionError(tr("TF_CONFIG task index {index} but the cluster lists {count} {kind}(s)", index=index,
                                   count=len(group), kind=kind))
    for address in everyone:
        host, _, port = str(address).rpartition(":")
        if not host or not port.isdigit():
            raise DistributionError(tr("TF_CONFIG address {address!r} is not host:port", address=address))
    return Cluster(tuple(everyone), index if kind == "chief" else len(chiefs) + index)


def reachable(address: str, timeout_s: float = 1.0) -> bool:
    host, _, port = address.rpartition(":")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout_s):
            return True
    except OSError:
        return False


def multi_worker_strategy(cluster: Cluster, timeout_s: float = PEER_TIMEOUT_S):
    """``MultiWorkerMirroredStrategy`` for ``cluster`` (``TF_CONFIG`` must describe it).

    Its constructor waits until every worker has answered, holding the interpreter so that no
    thread or signal handler of this process can run. A watchdog process therefore stands by:
    after ``timeout_s`` without a cluster it prints which workers did not answer and ends this
    process (exit status 137, killed). A worker gone mid-run is noticed by the others within
    seconds (it stops sending heartbeats to the cluster's coordination service), and an all-reduce
    waiting over :data:`COLLECTIVE_TIMEOUT_S` fails instead of hanging; :func:`lost_workers` tells
    those failures apart."""
    import tensorflow as tf

    watchdog = subprocess.Popen(
        [sys.executable, "-c", "from cnnexplorer.core.training.distribute import watch; watch()", str(os.getpid()),
         str(timeout_s), str(cluster.index), *cluster.workers],
        env={**os.environ, "PYTHONPATH": os.pathsep.join([_package_root(), os.environ.get("PYTHONPATH", "")]),
             ENV: language()})  # the watchdog speaks the trainer's language
    try:
        options = tf.distribute.experimental.CommunicationOptions(timeout_seconds=COLLECTIVE_TIMEOUT_S)
        return tf.distribute.MultiWorkerMirroredStrategy(communication_options=options)
    except Exception as exc:
        raise DistributionError(tr("worker {index} ({address}) could not join the cluster: {kind}: {error}",
                                   index=cluster.index, address=cluster.address, kind=type(exc).__name__,
                                   error=exc)) from None
    finally:
        watchdog.kill()
        watchdog.wait()


def watch() -> None:
    """The watchdog of :func:`multi_worker_strategy` (``argv``: parent pid, timeout, this worker's
    index, every worker's address): killed when the cluster forms, else it ends the parent."""
    parent, timeout_s, index, workers = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    with contextlib.suppress(LanguageError, OSError):  # no catalogue: English
        set_language(os.environ.get(ENV, "en").lower())
    time.sleep(timeout_s)
    cluster = Cluster(tuple(workers), index)
    silent = [peer for peer in cluster.peers if not reachable(peer)] or list(cluster.peers)
    message = tr("worker {index} ({address}) had no answer from {peers} within {seconds} s: start the other "
                 "worker(s) with the same TF_CONFIG cluster, and check the address and that its port is open",
                 index=index, address=cluster.address, peers=", ".join(silent), seconds=f"{timeout_s:.0f}")
    sys.stderr.write(f"cnnexplorer train: {message}\n")
    sys.stderr.flush()
    with contextlib.suppress(ProcessLookupError):
        os.kill(parent, signal.SIGKILL)


def lost_workers(error: Exception) -> list[int] | None:
    """The task indexes of the workers that ``error`` says are gone (stopped sending heartbeats,
    an all-reduce aborted or timed out for want of them), ``[]`` when it names none; ``None``
    when ``error`` is not about a lost worker."""
    kind, text = type(error).__name__, str(error)
    if kind not in ("UnavailableError", "DeadlineExceededError", "AbortedError") or not any(
            clue in text for clue in ("heartbeat", "Collective", "unhealthy")):
        return None
    unhealthy = text.split("unhealthy", 1)[1] if "unhealthy" in text else ""
    return sorted({int(index) for index in _LOST_TASK.findall(unhealthy)})


def _package_root() -> str:
    import cnnexplorer

    return str(Path(cnnexplorer.__file__).resolve().parent.parent)


def choose_placement(timeout_s: float = PEER_TIMEOUT_S) -> Placement:
    """The strategy for this process (call it before any other TensorFlow work: a multi-worker
    strategy must be made first). Raises :class:`DistributionError`."""
    name = backend()
    cluster = cluster_from_env()
    if cluster is not None:
        if name != "tensorflow":
            raise DistributionError(tr("TF_CONFIG is set but Keras runs on {backend}: several machines need "
                                       "KERAS_BACKEND=tensorflow", backend=name))
        strategy = multi_worker_strategy(cluster, timeout_s)
        where = {"index": cluster.index, "count": len(cluster.workers), "replicas": strategy.num_replicas_in_sync}
        role = (tr("chief {index} of {count} workers ({replicas} replicas)", **where) if cluster.is_chief
                else tr("worker {index} of {count} workers ({replicas} replicas)", **where))
        return Placement(strategy, cluster.is_chief, role)
    if name == "tensorflow" and gpu_count() > 1:
        import tensorflow as tf

        strategy = tf.distribute.MirroredStrategy()
        return Placement(strategy, True, tr("MirroredStrategy over {count} GPUs", count=strategy.num_replicas_in_sync))
    if name == "jax":
        import keras

        found = keras.distribution.list_devices()
        if len(found) > 1:
            keras.distribution.set_distribution(keras.distribution.DataParallel(devices=found))
            return Placement(None, True, tr("DataParallel over {count} devices", count=len(found)), len(found))
    return Placement(None, True, tr("one device ({devices}, {backend})", devices=", ".join(devices()), backend=name))


def is_multi_worker(strategy) -> bool:
    if strategy is None or backend() != "tensorflow":
        return False
    import tensorflow as tf

    return isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)


def adapt_for_multi_worker(model, strategy, image_shape: tuple[int, int, int]) -> None:
    """Let Keras 3's ``fit`` run under ``MultiWorkerMirroredStrategy`` (keras-team/keras#20585):
    its first build averages a distributed batch with a collective that rejects it, and its metric
    reduction asks a scalar for an axis. The model is built from a local batch of the right shapes
    instead, and metrics are read as the strategy's synchronised variables already hold them."""
    if not is_multi_worker(strategy):
        return
    import numpy as np
    from keras.src.backend.tensorflow import trainer as tf_trainer

    sample = (np.zeros((1, *image_shape), np.float32), np.zeros((1,), np.int64))

    def symbolic_build(iterator=None, data_batch=None) -> None:
        with strategy.scope():
            model._symbolic_build(data_batch=sample)

    model._maybe_symbolic_build = symbolic_build
    tf_trainer._collective_all_reduce_multi_worker = lambda strategy: False

