"""Network surgery on a loaded model: change one filter's weights, knock filters out, undo bit for bit.

Works on ``Conv2D``, ``DepthwiseConv2D`` and ``Dense``. A "filter" is one output channel (a Dense
unit; for a depthwise layer, output channel ``c·multiplier + m``). Edits write into the model's
existing variables (no new graph, no retracing) and never touch the file the model came from.

Where a ``BatchNormalization`` directly follows a layer with no activation of its own (MobileNetV2's
``Conv1`` → ``bn_Conv1``), :func:`folded_kernel` gives the effective kernel and bias the frame
meets, and ``edit_kernel(..., folded=True)`` writes such a kernel back through the BN.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.infra.store import write_json
from cnnexplorer.core.models.graph import producers
from cnnexplorer.core.models.taps import find_layer

EDITABLE = ("Conv2D", "DepthwiseConv2D", "Dense")


_weights_locks: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # keras.Model → its weights' lock
_weights_locks_guard = threading.Lock()


def weights_lock(model) -> threading.Lock:
    """The lock that an edit of ``model``'s weights holds while it writes them, and a forward pass
    on another thread while it runs: the pass sees an edit whole (a kernel with its own bias)."""
    with _weights_locks_guard:
        lock = _weights_locks.get(model)
        if lock is None:
            lock = _weights_locks[model] = threading.Lock()
        return lock


class SurgeryError(ValueError):
    """An edit was refused; the model is unchanged and the message says why."""


class FilterIndexError(SurgeryError, IndexError):
    """A filter index outside the layer's filters."""


@dataclass
class Change:
    """One variable's values at ``index`` before and after an edit."""

    variable: object  # keras.Variable
    index: tuple
    before: np.ndarray
    after: np.ndarray


@dataclass
class Edit:
    """What an edit changed, enough to undo it bit for bit (undo edits newest first)."""

    layer_path: str
    filters: tuple[int, ...]
    kind: str  # "kernel" | "ablate"
    changes: list[Change] = field(default_factory=list)


class FoldedKernel(tuple):
    """``(kernel, bias)`` the frame meets, with ``batch_norm``: the folded BN layer's name or ``None``."""

    def __new__(cls, kernel: np.ndarray, bias: float, batch_norm: str | None):
        self = super().__new__(cls, (kernel, bias))
        self.kernel, self.bias, self.batch_norm = kernel, bias, batch_norm
        return self


def filter_count(layer) -> int:
    shape = tuple(layer.kernel.shape)
    if type(layer).__name__ == "DepthwiseConv2D":
        return shape[2] * shape[3]
    return shape[-1]


def filter_shape(layer) -> tuple[int, ...]:
    """The shape of one filter's kernel: (kh, kw, C_in) for Conv2D, (kh, kw) depthwise, (inputs,) Dense."""
    shape = tuple(layer.kernel.shape)
    return {"Conv2D": shape[:3], "DepthwiseConv2D": shape[:2], "Dense": shape[:1]}[type(layer).__name__]


def editable_layer(model, layer_path: str):
    """The layer at ``layer_path`` if surgery can edit it, else :class:`SurgeryError` saying why."""
    if len(getattr(model, "inputs", None) or []) != 1:
        raise SurgeryError(tr("the model has {count} inputs; surgery works on one-input models",
                              count=len(model.inputs or [])))
    try:
        layer, _ = find_layer(model, layer_path)
    except KeyError as exc:
        raise SurgeryError(str(exc).strip("'\"")) from None
    kind = type(layer).__name__
    if kind not in EDITABLE or getattr(layer, "kernel", None) is None:
        raise SurgeryError(tr("{layer} is a {kind} layer with no kernel to edit; choose a {kinds} or {last} layer",
                              layer=layer_path, kind=kind, kinds=", ".join(EDITABLE[:-1]), last=EDITABLE[-1]))
    return layer


def _index(layer, f: int) -> tuple:
    """Where filter ``f`` lives in the kernel."""
    if type(layer).__name__ == "DepthwiseConv2D":
        return (slice(None), slice(None), f // layer.kernel.shape[3], f % layer.kernel.shape[3])
    return (Ellipsis, f)


def _check_filter(layer, layer_path: str, f) -> int:
    count = filter_count(layer)
    if isinstance(f, bool) or not isinstance(f, (int, np.integer)) or not 0 <= f < count:
        raise FilterIndexError(tr("filter {index!r} is out of range: {layer} has filters 0…{last}", index=f,
                                  layer=layer_path, last=count - 1))
    return int(f)


def _following_batch_norm(model, layer_path: str, layer):
    """The BatchNormalization that alone reads ``layer``'s output (no activation in between), or None."""
    _, chain = find_layer(model, layer_path)
    consumers = [other for other in chain[-1].layers if any(p is layer for p in producers(other))]
    activation = getattr(getattr(layer, "activation", None), "__name__", "linear")
    if activation != "linear" or len(consumers) != 1 or type(consumers[0]).__name__ != "BatchNormalization":
        return None
    bn = consumers[0]
    axis = bn.axis if isinstance(bn.axis, int) else bn.axis[0]
    rank = len(tuple(layer.kernel.shape)) if type(layer).__name__ != "Dense" else 2
    return bn if axis % rank == rank - 1 else None


def _bn_terms(bn, f: int) -> tuple[float, float, float]:
    """(scale, mean, beta) of channel ``f``: BN(x) = (x − mean)·scale + beta."""
    gamma = float(np.asarray(bn.gamma)[f]) if bn.scale else 1.0
    beta = float(np.asarray(bn.beta)[f]) if bn.center else 0.0
    mean, variance = float(np.asarray(bn.moving_mean)[f]), float(np.asarray(bn.moving_variance)[f])
    return gamma / np.sqrt(variance + bn.epsilon), mean, beta


def folded_kernel(model, layer_path: str, filter_index: int, *, fold: bool = True) -> FoldedKernel:
    """Filter ``filter_index``'s kernel and bias as the frame meets them: multiplied through the
    BatchNormalization that follows, when one does (``batch_norm`` names it), else as stored
    (also with ``fold=False``)."""
    layer = editable_layer(model, layer_path)
    f = _check_filter(layer, layer_path, filter_index)
    kernel = np.asarray(layer.kernel, np.float32)[_index(layer, f)]
    bias = float(np.asarray(layer.bias)[f]) if layer.bias is not None else 0.0
    bn = _following_batch_norm(model, layer_path, layer) if fold else None
    if bn is None:
        return FoldedKernel(kernel.copy(), bias, None)
    scale, mean, beta = _bn_terms(bn, f)
    return FoldedKernel((kernel * scale).astype(np.float32), float((bias - mean) * scale + beta), bn.name)


def _write(model, changes: list[Change], use: str) -> None:
    """Assign each change's ``use`` values ("before" or "after") into its variable, in place, all
    under ``model``'s :func:`weights_lock`."""
    groups: dict[int, tuple[object, list[Change]]] = {}
    for change in changes:  # one read and one assign per variable
        groups.setdefault(id(change.variable), (change.variable, []))[1].append(change)
    with weights_lock(model):
        for variable, group in groups.values():
            values = np.array(variable.numpy(), copy=True)
            for change in group:
                values[change.index] = getattr(change, use)
            variable.assign(values)


def _change(variable, index: tuple, new) -> Change:
    before = np.array(np.asarray(variable)[index], copy=True)
    return Change(variable, index, before, np.broadcast_to(np.asarray(new, before.dtype), before.shape).copy())


def _as_kernel(layer, layer_path: str, kernel) -> np.ndarray:
    shape = filter_shape(layer)
    k = np.asarray(kernel, np.float64)
    if k.ndim == 2 and len(shape) == 3 and k.shape == shape[:2]:
        k = np.repeat(k[:, :, None], shape[2], axis=2)  # one 2-D kernel for every input channel
    if k.shape != shape:
        given = "×".join(map(str, k.shape))
        if len(shape) == 3:
            raise SurgeryError(tr("{layer}'s filters are {shape} or {plane}; the kernel given is {given}",
                                  layer=layer_path, shape="×".join(map(str, shape)), plane=f"{shape[0]}×{shape[1]}",
                                  given=given))
        raise SurgeryError(tr("{layer}'s filters are {shape}; the kernel given is {given}", layer=layer_path,
                              shape="×".join(map(str, shape)), given=given))
    if not np.isfinite(k).all():
        raise SurgeryError(tr("the kernel holds NaN or infinite values"))
    return k


def edit_kernel(model, layer_path: str, filter_index: int, kernel, bias: float | None = None, *,
                folded: bool = False) -> Edit:
    """Set one filter's kernel (shaped as the layer's filter, or 2-D for every input channel) and
    optionally its bias. ``folded``: ``kernel``/``bias`` are the BN-folded ones (see
    :func:`folded_kernel`) and are written back through the BatchNormalization."""
    layer = editable_layer(model, layer_path)
    f = _check_filter(layer, layer_path, filter_index)
    k = _as_kernel(layer, layer_path, kernel)
    if bias is not None and not np.isfinite(bias):
        raise SurgeryError(tr("the bias is NaN or infinite"))
    bn = _following_batch_norm(model, layer_path, layer) if folded else None
    changes = []
    if bn is not None:
        scale, mean, beta = _bn_terms(bn, f)
        if scale == 0.0:
            raise SurgeryError(tr("{batch_norm} multiplies filter {index} by zero: its folded kernel cannot be edited",
                                  batch_norm=bn.name, index=f))
        k = k / scale
        if bias is not None:  # folded bias = (b − mean)·scale + beta: solve for b, or for beta without b
            if layer.bias is not None:
                changes.append(_change(layer.bias, (f,), (bias - beta) / scale + mean))
            elif bn.center:
                changes.append(_change(bn.beta, (f,), bias + mean * scale))
            else:
                raise SurgeryError(tr("{layer} has no bias and {batch_norm} no offset: only the kernel can change",
                                      layer=layer_path, batch_norm=bn.name))
    elif bias is not None:
        if layer.bias is None:
            raise SurgeryError(tr("{layer} has no bias (use_bias=False): only the kernel can change",
                                  layer=layer_path))
        changes.append(_change(layer.bias, (f,), bias))
    changes.insert(0, _change(layer.kernel, _index(layer, f), k))
    _write(model, changes, "after")
    return Edit(layer_path, (f,), "kernel", changes)


def ablate(model, layer_path: str, filters: int | Iterable[int]) -> Edit:
    """Knock ``filters`` out: their kernel and bias become zero, and where a BatchNormalization
    follows, its offset is set so the channel it passes on is zero too."""
    layer = editable_layer(model, layer_path)
    chosen = (filters,) if isinstance(filters, (int, np.integer)) else tuple(filters)
    if not chosen:
        raise SurgeryError(tr("no filter given to knock out"))
    chosen = tuple(dict.fromkeys(_check_filter(layer, layer_path, f) for f in chosen))
    bn = _following_batch_norm(model, layer_path, layer)
    changes = []
    for f in chosen:
        changes.append(_change(layer.kernel, _index(layer, f), 0.0))
        if layer.bias is not None:
            changes.append(_change(layer.bias, (f,), 0.0))
        if bn is not None and bn.center:
            scale, mean, _ = _bn_terms(bn, f)
            changes.append(_change(bn.beta, (f,), mean * scale))  # BN(0) = −mean·scale + beta = 0
    _write(model, changes, "after")
    return Edit(layer_path, chosen, "ablate", changes)


def undo(model, edit: Edit) -> None:
    """Restore the weights ``edit`` changed, bit for bit (undo several edits newest first)."""
    _write(model, list(reversed(edit.changes)), "before")


def redo(model, edit: Edit) -> None:
    """Apply an undone ``edit`` again."""
    _write(model, edit.changes, "after")


def save_copy(model, path: str | Path, class_names: list[str] | None = None, preprocessing: str | None = None) -> Path:
    """Write the (edited) model to a NEW ``.keras`` file, with its class names (``<stem>.json``) and
    preprocessing (``<stem>.preprocessing.json``) beside it; an existing file is never overwritten."""
    path = Path(path)
    if path.suffix.lower() != ".keras":
        raise SurgeryError(tr("{name}: save as a .keras file", name=path.name))
    extras = {path.with_suffix(".json"): class_names,
              path.with_name(f"{path.stem}.preprocessing.json"): {"mode": preprocessing} if preprocessing else None}
    taken = [p.name for p in (path, *(p for p, value in extras.items() if value is not None)) if p.exists()]
    if taken:
        raise SurgeryError(tr("{names} already exists: Save as… only writes new files", names=", ".join(taken)))
    partial = path.with_name(f".{path.stem}.partial.keras")
    model.save(partial)
    partial.replace(path)
    for extra, value in extras.items():
        if value is not None:
            write_json(extra, value)
    return path


@dataclass
class KnockOut:
    """One filter knocked out on a frozen frame: how much the top class's probability dropped."""

    filter_index: int
    drop: float  # probability of the unedited top class, before minus after
    top_after: int  # the class on top with the filter knocked out


def knockout_sweep(model, layer_path: str, batch: np.ndarray, progress: Callable[[int, int], None] | None = None,
                   cancel: threading.Event | None = None) -> list[KnockOut]:
    """Knock out each filter of ``layer_path`` in turn on ``batch`` (one image), ranked by how much the
    top class drops, biggest first. The weights are restored after each filter (also when cancelled,
    which returns the filters done so far). Run it on a model no other thread is using."""
    layer = editable_layer(model, layer_path)
    count = filter_count(layer)
    before = np.asarray(model.predict_on_batch(batch))[0]
    top = int(np.argmax(before))
    rows = []
    for f in range(count):
        if cancel is not None and cancel.is_set():
            break
        edit = ablate(model, layer_path, f)
        try:
            after = np.asarray(model.predict_on_batch(batch))[0]
        finally:
            undo(model, edit)
        rows.append(KnockOut(f, float(before[top] - after[top]), int(np.argmax(after))))
        if progress is not None:
            progress(f + 1, count)
    return sorted(rows, key=lambda row: row.drop, reverse=True)


def detached_copy(model):
    """A copy of ``model`` with its current (edited) weights, for work off the live model's thread."""
    import keras

    copy = keras.models.clone_model(model)
    with weights_lock(model):  # no edit half written
        weights = model.get_weights()
    copy.set_weights(weights)
    return copy
