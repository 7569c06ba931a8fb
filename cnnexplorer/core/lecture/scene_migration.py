"""Scripts of version 1 kept a panel's inputs under the code's attribute paths; version 2 keeps them
under field names. This is the fixed record of what each version-1 key is called now: it never follows
later renames in the code (those change only cnnexplorer/gui/common/scene_fields.py).
"""

from __future__ import annotations

from typing import Any


def _v1_kernel_editor(path: str, field: str) -> dict[str, str]:
    """A kernel editor's version-1 keys (under attribute ``path``) → its field names (``field`` + …)."""
    names = {"rows": "rows", "cols": "columns", "preset_combo": "preset", "preset_size": "preset_size",
             "sigma": "preset_sigma", "scale": "preset_scale"}
    return {f"{path}{key}": f"{field}{name}" for key, name in names.items()}


V1_INPUTS: dict[str, dict[str, str]] = {  # panel → {version-1 key: field name}
    "conv": {
        **_v1_kernel_editor("editor.", "kernel_"), "controls.stride_y": "stride_y", "controls.stride_x": "stride_x",
        "controls.padding": "padding", "controls.pad_y": "pad_y", "controls.pad_x": "pad_x",
        "controls.dilation_y": "dilation_y", "controls.dilation_x": "dilation_x", "controls.border": "border",
        "controls.channels": "channels", "controls.bias": "bias", "controls.activation": "activation",
        "controls.pool": "pool", "controls.pool_size": "pool_size", "controls.pool_stride": "pool_stride",
        "abs_box": "absolute_output", "explainer.channel": "explained_channel", "compare_box": "compare",
        **_v1_kernel_editor("editor_b.", "kernel_b_"),
    },
    "filters": {
        "bank_combo": "bank", "count": "count", "size": "size", "stride": "stride",
    },
    "basics": {
        "depth": "bit_depth", "threshold": "threshold", "levels": "levels", "factor": "resolution",
        "channels": "split_channels", "numbers": "pixel_values",
    },
    "neurons": {
        "tabs": "tab", "single.inputs_count": "neuron_inputs", "single.activation": "neuron_activation",
        "single.x.0": "neuron_x1", "single.x.1": "neuron_x2", "single.x.2": "neuron_x3", "single.w.0": "neuron_w1",
        "single.w.1": "neuron_w2", "single.w.2": "neuron_w3", "single.bias": "neuron_bias",
        "mlp.problem": "mlp_problem", "mlp.hidden": "mlp_hidden_units", "mlp.layers_count": "mlp_hidden_layers",
        "mlp.activation": "mlp_activation", "mlp.lr": "mlp_learning_rate", "mlp.sample": "mlp_sample",
        "vanishing.depth": "vanishing_depth", "vanishing.activation": "vanishing_activation",
        "vanishing.init": "vanishing_init",
    },
    "model": {
        "tabs": "tab", "feed.mode": "feed_values", "feed.fit": "feed_fit", "feed.short_side": "feed_short_side",
        "feed.invert": "feed_invert", "grid.normalise": "grid_normalise", "grid.colours": "grid_colours",
        "grid.sort": "grid_sort", "grid_b.normalise": "compare_normalise", "grid_b.colours": "compare_colours",
        "grid_b.sort": "compare_sort", "filters.filter_index": "filter", "filters.mode": "filter_view",
        "surgery.filter_spin": "surgery_filter", "surgery.channel": "surgery_channel",
        "surgery.through_bn": "surgery_through_bn", "surgery.scale": "surgery_scale",
        "surgery.pin_combo": "surgery_watched_class", **_v1_kernel_editor("surgery.editor.", "surgery_kernel_"),
    },
    "attribution": {
        "tabs": "tab", "method": "method", "layer_combo": "layer", "follow_tree": "follow_explorer",
        "class_picker": "class", "top3": "top3", "opacity": "opacity", "colours": "colours",
        "smoothing": "smoothing",
    },
    "augment": {
        "preset_combo": "preset", "seed": "seed", "compare": "compare",
    },
}


def migrate_v1_state(panel: str, state: dict[str, Any]) -> dict[str, Any]:
    """``state`` with its version-1 input keys under their field names; keys it does not know stay as
    they are (the panel then says it has no such setting)."""
    inputs = state.get("inputs")
    names = V1_INPUTS.get(panel)
    if not isinstance(inputs, dict) or names is None:
        return state
    return {**state, "inputs": {names.get(key, key): value for key, value in inputs.items()}}
