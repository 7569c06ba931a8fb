"""The receptive-field walk through a Keras graph: per axis (size, stride, padding) of every
tensor, through branches and nested models (the arithmetic is in :mod:`.receptive_field`'s notes)."""

from __future__ import annotations

import math

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.models.attribution.errors import AttributionError
from cnnexplorer.core.models.graph import inbound_tensors

Axis = tuple[int, int, int]  # size, stride, padding along one axis
IDENTITY: tuple[Axis, Axis] = ((1, 1, 0), (1, 1, 0))
Field = tuple[tuple[Axis, Axis], bool]  # per axis, and whether paths into it disagreed


def propagate(model, start: Field, stop_at: str) -> dict[int, Field]:
    """The field of every tensor of ``model``'s graph up to layer ``stop_at`` (all: ""), given the
    field at its inputs."""
    fields: dict[int, Field] = {id(t): start for t in model.inputs}
    for layer in model.layers:
        inputs = inbound_tensors(layer)
        if inputs:
            entry = combine([fields.get(id(t), start) for t in inputs])
            if hasattr(layer, "layers") and layer.layers:  # a nested model: its own input → output
                result = propagate(layer, entry, stop_at="")[id(layer.outputs[0])]
            else:
                result = (_through(layer, entry[0], inputs[0], first_outputs(layer)), entry[1])
            for tensor in first_outputs(layer):
                fields[id(tensor)] = result
        if layer.name == stop_at:
            return fields
    if stop_at:
        raise AttributionError(tr("no layer {layer!r} in {model}", layer=stop_at, model=model.name))
    return fields


def field_sizes(model) -> dict[str, tuple[int, int]]:
    """Every top-level spatial layer's receptive-field size (rows, columns); layers the walk cannot
    follow (and those after them) are left out."""
    try:
        fields = propagate(model, (IDENTITY, False), stop_at="")
    except AttributionError:
        return {}
    sizes = {}
    for layer in model.layers:
        outputs = first_outputs(layer)
        if outputs and id(outputs[0]) in fields and len(outputs[0].shape) == 4:
            (rows, _, _), (cols, _, _) = fields[id(outputs[0])][0]
            sizes[layer.name] = (rows, cols)
    return sizes


def combine(entries: list[Field]) -> Field:
    """Where paths meet: the largest field per axis, flagged when the paths disagree."""
    axes = [e[0] for e in entries]
    best = tuple(max((a[axis] for a in axes), key=lambda f: f[0]) for axis in (0, 1))
    return best, any(e[1] for e in entries) or any(a != axes[0] for a in axes)


def _through(layer, entry: tuple[Axis, Axis], tensor, outputs) -> tuple[Axis, Axis]:
    """``entry`` after one layer."""
    name = type(layer).__name__
    in_shape = tuple(tensor.shape)
    if hasattr(layer, "kernel_size") or hasattr(layer, "pool_size"):
        if "Transpose" in name:
            raise AttributionError(tr("cannot follow a receptive field through {layer} ({kind})", layer=layer.name,
                                      kind=name))
        kernel = tuple(getattr(layer, "kernel_size", None) or layer.pool_size)
        strides = tuple(layer.strides or kernel)
        dilation = tuple(getattr(layer, "dilation_rate", (1, 1)))
        result = []
        for axis in (0, 1):
            k = dilation[axis] * (kernel[axis] - 1) + 1
            s = strides[axis]
            n = in_shape[1 + axis]
            if layer.padding == "same":
                total = max((math.ceil(n / s) - 1) * s + k - n, 0) if n else max(k - s, 0)
                pad = total // 2
            else:
                pad = 0
            result.append(_step(entry[axis], k, s, pad))
        return tuple(result)
    if name == "ZeroPadding2D":
        return tuple(_step(entry[axis], 1, 1, layer.padding[axis][0]) for axis in (0, 1))
    if name == "Cropping2D":
        return tuple(_step(entry[axis], 1, 1, -layer.cropping[axis][0]) for axis in (0, 1))
    out_shape = tuple(outputs[0].shape) if outputs else ()
    if len(in_shape) == 4 and len(out_shape) == 4 and in_shape[1:3] != out_shape[1:3]:
        raise AttributionError(tr("cannot follow a receptive field through {layer} ({kind}): it resizes the map",
                                  layer=layer.name, kind=name))
    return entry  # point-wise in space: activations, normalisation, adds, concatenations, 1-channel ops


def _step(axis: Axis, kernel: int, stride: int, pad: int) -> Axis:
    size, jump, padding = axis
    return size + (kernel - 1) * jump, jump * stride, padding + pad * jump


def layer_named(model, name: str):
    try:
        return model.get_layer(name)
    except ValueError:
        raise AttributionError(tr("no layer {layer!r} in {model}", layer=name, model=model.name)) from None


def first_outputs(layer) -> list:
    """The tensors ``layer`` produced in its first call (its place in the graph it was built in)."""
    nodes = getattr(layer, "_inbound_nodes", None)
    return list(nodes[0].output_tensors) if nodes else []
