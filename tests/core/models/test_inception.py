"""Inception blocks: every branch followed to the block input (sub-branches too), named by what it
does, and costed like Keras counts its parameters."""

import keras
import pytest

from cnnexplorer.core.models.arch.mini_inception import build
from cnnexplorer.core.models.inception import CONV_TYPES, cost_table, find_blocks, totals


@pytest.fixture(scope="module")
def inception_v3():
    return keras.applications.InceptionV3(weights=None)


def _block(model, concat):
    return next(block for block in find_blocks(model) if block.concat == concat)


@pytest.mark.parametrize(("concat", "params"), [("mixed9", 5_038_080), ("mixed10", 6_070_272)])
def test_sub_branches_count_in_full(inception_v3, concat, params):
    block = _block(inception_v3, concat)
    rows = cost_table(inception_v3, block)
    assert totals(rows)["params"] == params
    for branch, row in zip(block.branches, rows):  # Keras' own count of each branch's convs
        convs = [layer for layer in branch.layers if type(layer).__name__ in CONV_TYPES]
        assert row["params"] == sum(layer.count_params() for layer in convs)
    assert [row["branch"] for row in rows] == ["1×1", "1×1 → [1×3, 3×1]", "1×1 → 3×3 → [1×3, 3×1]", "pool → 1×1"]
    assert totals(rows)["output_channels"] == inception_v3.get_layer(concat).output.shape[-1]


def test_every_block_of_inception_v3_has_all_its_conv_parameters(inception_v3):
    blocks = find_blocks(inception_v3)
    assert [block.concat for block in blocks] == [f"mixed{i}" for i in range(11)]
    for block in blocks:
        convs = {layer.name for branch in block.branches for layer in branch.layers
                 if type(layer).__name__ in CONV_TYPES}
        expected = sum(inception_v3.get_layer(name).count_params() for name in convs)
        assert totals(cost_table(inception_v3, block))["params"] == expected


def test_mini_inception_branches_and_what_the_bottlenecks_save():
    model = build()
    block = _block(model, "inception_a_concat")
    rows = cost_table(model, block)
    assert [row["branch"] for row in rows] == ["1×1", "1×1 → 3×3", "1×1 → 5×5", "pool → 1×1"]
    assert rows[1]["layers"] == "inception_a_3x3_reduce → inception_a_3x3"
    channels = model.get_layer(block.block_input).output.shape[-1]  # 32
    h, w = model.get_layer("inception_a_concat").output.shape[1:3]
    # without its 1×1 reduce, the 3×3 conv reads the 32 block channels directly
    assert rows[1]["naive_params"] == 3 * 3 * channels * 24 + 24
    assert rows[1]["naive_macs"] == h * w * 3 * 3 * channels * 24
    # the pool branch without its projection passes the pooled channels through: no conv at all
    assert rows[3]["naive_params"] == 0 and rows[3]["naive_output_channels"] == channels
    assert totals(rows)["params"] == sum(model.get_layer(f"inception_a_{s}").count_params()
                                         for s in ("1x1", "3x3_reduce", "3x3", "5x5_reduce", "5x5", "pool_proj"))
