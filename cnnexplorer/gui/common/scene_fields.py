"""The field names a scene file uses for each panel's inputs, and the widget each one is.

One table per panel: field name (what a lecturer reads and a script keeps) → the widget's attribute
path inside the panel (what the code calls it today). Renaming a widget in the code changes only its
path here, never a saved script. Tables are keyed by the class that keeps the panel's scene; a new
input needs a name here (tests/gui/lecture/test_golden_scenes.py checks every input has one).
"""

from __future__ import annotations


def _kernel_editor(prefix: str, path: str) -> dict[str, str]:
    """The kernel editor's own inputs, under ``prefix``; it sits in more than one panel."""
    return {f"{prefix}rows": f"{path}.rows", f"{prefix}columns": f"{path}.cols",
            f"{prefix}preset": f"{path}.preset_combo", f"{prefix}preset_size": f"{path}.preset_size",
            f"{prefix}preset_sigma": f"{path}.sigma", f"{prefix}preset_scale": f"{path}.scale"}


FIELDS: dict[str, dict[str, str]] = {
    "ConvLabDock": {  # panel "conv"
        **_kernel_editor("kernel_", "editor"),
        "stride_y": "controls.stride_y", "stride_x": "controls.stride_x",
        "padding": "controls.padding", "pad_y": "controls.pad_y", "pad_x": "controls.pad_x",
        "dilation_y": "controls.dilation_y", "dilation_x": "controls.dilation_x",
        "border": "controls.border", "channels": "controls.channels", "bias": "controls.bias",
        "activation": "controls.activation",
        "pool": "controls.pool", "pool_size": "controls.pool_size", "pool_stride": "controls.pool_stride",
        "absolute_output": "abs_box", "explained_channel": "explainer.channel",
        "compare": "compare_box", **_kernel_editor("kernel_b_", "editor_b"),
    },
    "FilterBankDock": {  # panel "filters"
        "bank": "bank_combo", "count": "count", "size": "size", "stride": "stride",
    },
    "ImageBasicsDock": {  # panel "basics"
        "bit_depth": "depth", "threshold": "threshold", "levels": "levels", "resolution": "factor",
        "split_channels": "channels", "pixel_values": "numbers",
    },
    "NeuronDock": {  # panel "neurons"
        "tab": "tabs",
        "neuron_inputs": "single.inputs_count", "neuron_activation": "single.activation",
        "neuron_x1": "single.x.0", "neuron_x2": "single.x.1", "neuron_x3": "single.x.2",
        "neuron_w1": "single.w.0", "neuron_w2": "single.w.1", "neuron_w3": "single.w.2",
        "neuron_bias": "single.bias",
        "mlp_problem": "mlp.problem", "mlp_hidden_units": "mlp.hidden", "mlp_hidden_layers": "mlp.layers_count",
        "mlp_activation": "mlp.activation", "mlp_learning_rate": "mlp.lr", "mlp_sample": "mlp.sample",
        "vanishing_depth": "vanishing.depth", "vanishing_activation": "vanishing.activation",
        "vanishing_init": "vanishing.init",
    },
    "ModelExplorerDock": {  # panel "model"
        "tab": "tabs",
        "feed_values": "feed.mode", "feed_fit": "feed.fit", "feed_short_side": "feed.short_side",
        "feed_invert": "feed.invert",
        "grid_normalise": "grid.normalise", "grid_colours": "grid.colours", "grid_sort": "grid.sort",
        "compare_normalise": "grid_b.normalise", "compare_colours": "grid_b.colours", "compare_sort": "grid_b.sort",
        "filter": "filters.filter_index", "filter_view": "filters.mode",
        "surgery_filter": "surgery.filter_spin", "surgery_channel": "surgery.channel",
        "surgery_through_bn": "surgery.through_bn", "surgery_scale": "surgery.scale",
        "surgery_watched_class": "surgery.pins.pin_combo", **_kernel_editor("surgery_kernel_", "surgery.editor"),
    },
    "AttributionDock": {  # panel "attribution"
        "tab": "tabs", "method": "method", "layer": "layer_combo", "follow_explorer": "follow_tree",
        "class": "class_picker", "top3": "top3", "opacity": "opacity", "colours": "colours",
        "smoothing": "smoothing",
    },
    "AugmentDock": {  # panel "augment"
        "preset": "preset_combo", "seed": "seed", "compare": "compare",
    },
}
