"""Receptive fields of any layer (Araujo, Norris & Sim, "Computing Receptive Fields of
Convolutional Neural Networks", Distill 2019), per axis, through branches and nested models.

Along a path of layers with kernel k_l (dilated: d·(k−1)+1), stride s_l and left/top padding p_l:
size r = 1 + Σ (k_l − 1)·Π_{i<l} s_i, stride S = Π s_l, effective padding P = Σ p_l·Π_{i<l} s_i;
unit u sees input pixels u·S − P … u·S − P + r − 1. TensorFlow's "same" padding puts the smaller
half of an odd total on the top/left. Where branches meet (Add, Concatenate) and disagree, the
largest field is kept and flagged.
"""

from __future__ import annotations

import math

import numpy as np
from dataclasses import dataclass

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.models.attribution.alignment import CropGeometry, normalise
from cnnexplorer.core.models.attribution.errors import AttributionError
from cnnexplorer.core.models.attribution.network import describe, input_batch, node_output, spatial_layer
from cnnexplorer.core.models.attribution.runners import cached
from cnnexplorer.core.models.graph import inbound_tensors

Axis = tuple[int, int, int]  # size, stride, padding along one axis
IDENTITY: tuple[Axis, Axis] = ((1, 1, 0), (1, 1, 0))


@dataclass(frozen=True)
class ReceptiveField:
    """The input region one unit of ``layer`` depends on; every pair is (rows, columns)."""

    layer: str
    size: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]
    branches_disagree: bool = False  # paths into the layer see different regions; the largest is given
    input_size: int = 0
    preprocessing: str = "unit"

    def box(self, unit_y: int, unit_x: int, frame_shape: tuple[int, ...] | None = None
            ) -> tuple[float, float, float, float]:
        """(top, left, bottom, right) pixel edges of unit (``unit_y``, ``unit_x``)'s field in the
        model's input (the frame after its resize/crop); with ``frame_shape`` (height, width, …),
        in that frame's pixels instead. Not clipped: fields reach past the image edge."""
        top = unit_y * self.stride[0] - self.padding[0]
        left = unit_x * self.stride[1] - self.padding[1]
        bottom, right = top + self.size[0], left + self.size[1]
        if frame_shape is None:
            return float(top), float(left), float(bottom), float(right)
        geometry = CropGeometry.of(int(frame_shape[0]), int(frame_shape[1]), self.input_size, self.preprocessing)
        top_f, left_f = geometry.input_to_frame(top, left)
        bottom_f, right_f = geometry.input_to_frame(bottom, right)
        return top_f, left_f, bottom_f, right_f

    def unit_at(self, y: float, x: float, frame_shape: tuple[int, ...] | None = None) -> tuple[int, int]:
        """The unit whose field is centred nearest to point (``y``, ``x``) — in input pixels, or frame
        pixels with ``frame_shape``; pixel i spans i…i+1, so its centre is i + ½. Not clipped to the
        layer's map."""
        if frame_shape is not None:
            geometry = CropGeometry.of(int(frame_shape[0]), int(frame_shape[1]), self.input_size, self.preprocessing)
            y, x = geometry.frame_to_input(y, x)
        centre = [(self.size[a] - 1) / 2 - self.padding[a] for a in (0, 1)]
        return (round((y - 0.5 - centre[0]) / self.stride[0]), round((x - 0.5 - centre[1]) / self.stride[1]))


def receptive_field(model, layer_path: str) -> ReceptiveField:
    """The receptive field of ``layer_path`` ("outer/inner" inside nested models) in ``model``'s input."""
    handle = describe(model)
    parts = layer_path.split("/")
    outer = handle.model
    layer = _get(outer, parts[0])
    fields = _propagate(outer, (IDENTITY, False), stop_at=parts[0])
    for part in parts[1:]:  # into a nested model, starting from what the outer graph feeds it
        entry = _combine([fields.get(id(t), (IDENTITY, False)) for t in inbound_tensors(layer)])
        fields = _propagate(layer, entry, stop_at=part)
        outer, layer = layer, _get(layer, part)
    outputs = _outputs(layer)
    if not outputs or len(outputs[0].shape) != 4:
        raise AttributionError(tr("layer {layer!r} has no spatial map, so its units have no receptive field",
                                  layer=layer_path))
    ((size_y, stride_y, pad_y), (size_x, stride_x, pad_x)), flagged = fields[id(outputs[0])]
    return ReceptiveField(layer_path, (size_y, size_x), (stride_y, stride_x), (pad_y, pad_x), flagged,
                          handle.input_size, handle.preprocessing)


Field = tuple[tuple[Axis, Axis], bool]  # per axis, and whether paths into it disagreed


def _propagate(model, start: Field, stop_at: str) -> dict[int, Field]:
    """The field of every tensor of ``model``'s graph up to layer ``stop_at`` (all: ""), given the
    field at its inputs."""
    fields: dict[int, Field] = {id(t): start for t in model.inputs}
    for layer in model.layers:
        inputs = inbound_tensors(layer)
        if inputs:
            entry = _combine([fields.get(id(t), start) for t in inputs])
            if hasattr(layer, "layers") and layer.layers:  # a nested model: its own input → output
                result = _propagate(layer, entry, stop_at="")[id(layer.outputs[0])]
            else:
                result = (_through(layer, entry[0], inputs[0], _outputs(layer)), entry[1])
            for tensor in _outputs(layer):
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
        fields = _propagate(model, (IDENTITY, False), stop_at="")
    except AttributionError:
        return {}
    sizes = {}
    for layer in model.layers:
        outputs = _outputs(layer)
        if outputs and id(outputs[0]) in fields and len(outputs[0].shape) == 4:
            (rows, _, _), (cols, _, _) = fields[id(outputs[0])][0]
            sizes[layer.name] = (rows, cols)
    return sizes


def _combine(entries: list[Field]) -> Field:
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


def _get(model, name: str):
    try:
        return model.get_layer(name)
    except ValueError:
        raise AttributionError(tr("no layer {layer!r} in {model}", layer=name, model=model.name)) from None


def _outputs(layer) -> list:
    """The tensors ``layer`` produced in its first call (its place in the graph it was built in)."""
    nodes = getattr(layer, "_inbound_nodes", None)
    return list(nodes[0].output_tensors) if nodes else []


def effective_receptive_field(model, rgb, layer_path: str, unit_y: int, unit_x: int,
                              channel: int | None = None) -> np.ndarray:
    """Luo et al. 2016: how strongly each frame pixel moves one unit (its ``channel``, or the sum of
    all channels): |∂unit/∂input| as an (H, W) map in [0, 1], aligned with the frame. It fills the
    theoretical box far from evenly — mostly its centre."""
    handle = describe(model)
    layer = spatial_layer(handle.model, layer_path)
    _, rows, cols, channels = (d or 0 for d in node_output(layer).shape)
    if not (0 <= unit_y < rows and 0 <= unit_x < cols):
        raise AttributionError(tr("unit ({y}, {x}) is outside {layer!r}'s {rows}×{cols} map", y=unit_y, x=unit_x,
                                  layer=layer_path, rows=rows, cols=cols))
    if channel is not None and not 0 <= channel < channels:
        raise AttributionError(tr("channel must be 0…{last}, got {channel}", last=channels - 1, channel=channel))
    batch, geometry = input_batch(handle, rgb)
    gradient = cached(handle.model, ("unit-gradient", layer_path), lambda: _unit_gradient(handle.model, layer))
    grads = gradient(batch, np.int32(unit_y), np.int32(unit_x), np.int32(-1 if channel is None else channel))
    return normalise(geometry.to_frame(np.abs(np.asarray(grads)[0]).sum(axis=-1)))


def _unit_gradient(model, layer):
    import keras
    import tensorflow as tf

    tap = keras.Model(model.inputs, node_output(layer))
    spec = [tf.TensorSpec((1, *model.inputs[0].shape[1:]), tf.float32)] + [tf.TensorSpec((), tf.int32)] * 3

    @tf.function(autograph=False, input_signature=spec)
    def run(batch, unit_y, unit_x, channel):
        with tf.GradientTape() as tape:
            tape.watch(batch)
            unit = tap([batch], training=False)[0, unit_y, unit_x]
            value = tf.cond(channel < 0, lambda: tf.reduce_sum(unit), lambda: tf.gather(unit, tf.maximum(channel, 0)))
        return tape.gradient(value, batch)

    return run
