"""Inception modules found in any Keras graph, and what their 1×1 bottlenecks save (course §7).

A module is a Concatenate whose inputs come from parallel branches that start at one block input.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cnnexplorer.core.models.graph import producers

CONV_TYPES = ("Conv2D", "SeparableConv2D", "DepthwiseConv2D")


@dataclass
class Branch:
    layers: list  # from just after the block input to the branch's last layer, in order
    output: str  # name of the branch's last layer (what the concatenation receives)

    @property
    def names(self) -> list[str]:
        return [layer.name for layer in self.layers]


@dataclass
class InceptionBlock:
    concat: str
    block_input: str
    branches: list[Branch] = field(default_factory=list)


def _chain_back(layer, stop: set) -> list:
    """Layers from ``layer`` backwards (following first inputs) until one in ``stop`` or the input."""
    chain = []
    while layer is not None and layer.name not in stop:
        chain.append(layer)
        found = producers(layer)
        layer = found[0] if found and type(layer).__name__ != "InputLayer" else None
    return chain


def find_blocks(model, min_branches: int = 3) -> list[InceptionBlock]:
    """Every Concatenate with at least ``min_branches`` inputs whose branches share a block input."""
    blocks = []
    for layer in model.layers:
        if type(layer).__name__ != "Concatenate":
            continue
        heads = producers(layer)
        if len(heads) < min_branches:
            continue
        chains = [[x.name for x in _chain_back(head, set())] for head in heads]
        common = next((name for name in chains[0] if all(name in c for c in chains[1:])), None)
        if common is None:
            continue
        block = InceptionBlock(layer.name, common)
        for head in heads:
            back = _chain_back(head, {common})
            block.branches.append(Branch(list(reversed(back)), head.name))
        blocks.append(block)
    return blocks


def _conv_cost(layer, in_channels: int) -> tuple[int, int]:
    """(parameters, multiply-adds) of a conv layer reading ``in_channels`` channels."""
    kh, kw = layer.kernel_size
    h, w, c_out = (int(v) for v in layer.output.shape[1:])
    kind = type(layer).__name__
    bias = c_out if layer.use_bias else 0
    if kind == "DepthwiseConv2D":
        return kh * kw * in_channels + bias, h * w * kh * kw * in_channels
    if kind == "SeparableConv2D":
        return kh * kw * in_channels + in_channels * c_out + bias, h * w * (kh * kw * in_channels + in_channels * c_out)
    return kh * kw * in_channels * c_out + bias, h * w * kh * kw * in_channels * c_out


def cost_table(model, block: InceptionBlock) -> list[dict]:
    """Per branch: parameters and multiply-adds as built, and without the 1×1 bottlenecks (every
    1×1 conv feeding a larger conv removed, the larger conv reading the block input directly;
    the pool branch's 1×1 projection removed, the pooled channels concatenated as they are)."""
    block_channels = int(model.get_layer(block.block_input).output.shape[-1])
    rows = []
    for branch in block.branches:
        convs = [layer for layer in branch.layers if type(layer).__name__ in CONV_TYPES]
        params = macs = naive_params = naive_macs = 0
        channels = block_channels
        naive_channels = block_channels
        pooled = any("Pooling" in type(layer).__name__ for layer in branch.layers)
        for i, conv in enumerate(convs):
            p, m = _conv_cost(conv, channels)
            params, macs = params + p, macs + m
            channels = int(conv.output.shape[-1])
            is_one_by_one = tuple(conv.kernel_size) == (1, 1)
            feeds_larger = i + 1 < len(convs) and tuple(convs[i + 1].kernel_size) != (1, 1)
            if is_one_by_one and (feeds_larger or (pooled and len(convs) == 1)):
                continue  # the bottleneck (or pool projection) is what the naive block lacks
            p, m = _conv_cost(conv, naive_channels)
            naive_params, naive_macs = naive_params + p, naive_macs + m
            naive_channels = int(conv.output.shape[-1])
        out_channels = int(branch.layers[-1].output.shape[-1]) if branch.layers else block_channels
        rows.append({
            "branch": " → ".join(branch.names) or block.block_input,
            "output_channels": out_channels,
            "params": params, "macs": macs,
            "naive_params": naive_params, "naive_macs": naive_macs,
            "naive_output_channels": block_channels if pooled and len(convs) <= 1 else out_channels,
        })
    return rows


def totals(rows: list[dict]) -> dict[str, int]:
    keys = ("params", "macs", "naive_params", "naive_macs", "output_channels", "naive_output_channels")
    return {k: int(np.sum([r[k] for r in rows])) for k in keys}
