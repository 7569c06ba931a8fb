"""Receptive fields of any layer (Araujo, Norris & Sim, "Computing Receptive Fields of
Convolutional Neural Networks", Distill 2019), per axis, through branches and nested models.

Along a path of layers with kernel k_l (dilated: d·(k−1)+1), stride s_l and left/top padding p_l:
size r = 1 + Σ (k_l − 1)·Π_{i<l} s_i, stride S = Π s_l, effective padding P = Σ p_l·Π_{i<l} s_i;
unit u sees input pixels u·S − P … u·S − P + r − 1. TensorFlow's "same" padding puts the smaller
half of an odd total on the top/left. Where branches meet (Add, Concatenate) and disagree, the
largest field is kept and flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.models.attribution.alignment import CropGeometry, normalise
from cnnexplorer.core.models.attribution.errors import AttributionError
from cnnexplorer.core.models.attribution.field_walk import IDENTITY, combine, first_outputs, layer_named, propagate
from cnnexplorer.core.models.attribution.network import describe, input_batch, node_output, spatial_layer
from cnnexplorer.core.models.per_model import cached
from cnnexplorer.core.models.graph import inbound_tensors

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
    layer = layer_named(outer, parts[0])
    fields = propagate(outer, (IDENTITY, False), stop_at=parts[0])
    for part in parts[1:]:  # into a nested model, starting from what the outer graph feeds it
        entry = combine([fields.get(id(t), (IDENTITY, False)) for t in inbound_tensors(layer)])
        fields = propagate(layer, entry, stop_at=part)
        outer, layer = layer, layer_named(layer, part)
    outputs = first_outputs(layer)
    if not outputs or len(outputs[0].shape) != 4:
        raise AttributionError(tr("layer {layer!r} has no spatial map, so its units have no receptive field",
                                  layer=layer_path))
    ((size_y, stride_y, pad_y), (size_x, stride_x, pad_x)), flagged = fields[id(outputs[0])]
    return ReceptiveField(layer_path, (size_y, size_x), (stride_y, stride_x), (pad_y, pad_x), flagged,
                          handle.input_size, handle.preprocessing)


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
