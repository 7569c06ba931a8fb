import keras

from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from cnnexplorer.core.models.taps import layer_tree
from cnnexplorer.gui.models.layer_tree import LayerTreeWidget
from cnnexplorer.gui.shell.stage_audit import clipped_texts


def _small_model():
    inputs = keras.Input((32, 32, 3), name="image")
    x = keras.layers.Conv2D(8, 3, name="a_rather_long_convolution_name")(inputs)
    x = keras.layers.BatchNormalization(name="norm")(x)
    x = keras.layers.GlobalAveragePooling2D(name="pool")(x)
    return keras.Model(inputs, keras.layers.Dense(4, name="classes")(x))


def test_a_column_shows_whole_or_not_at_all(qtbot):
    tree_widget = LayerTreeWidget()
    qtbot.addWidget(tree_widget)
    tree_widget.set_nodes(layer_tree(_small_model()))
    tree_widget.show()
    tree, header = tree_widget.tree, tree_widget.tree.header()
    needs = [max(tree.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in range(tree.columnCount())]
    for width, shown in ((needs[0] + needs[1] // 2, 1), (sum(needs[:2]) + 60, 2), (sum(needs) + 80, 4)):
        tree_widget.resize(width, 300)
        qtbot.waitUntil(lambda: [tree.isColumnHidden(c) for c in range(4)] == [c >= shown for c in range(4)],
                        timeout=2000)
        assert all(tree.columnWidth(c) >= needs[c] for c in range(shown))  # nothing cut: each shown column whole
    item = tree_widget.items["norm"]
    assert "BatchNormalization" in item.toolTip(0)  # what a hidden column says is in the name's tooltip


def test_the_stage_audit_sees_a_tree_cell_cut_in_an_expanded_branch(qtbot):
    """The check the stage walks make of every tree: a name in a column too narrow for it, under
    an expanded branch, is reported; given the room, nothing is."""
    tree = QTreeWidget()
    qtbot.addWidget(tree)
    tree.setHeaderLabels(["Layer", "Class"])
    branch = QTreeWidgetItem(tree, ["block_1", "Functional"])
    QTreeWidgetItem(branch, ["block_1_depthwise_convolution_relu6", "ReLU"])
    tree.expandAll()
    tree.resize(500, 200)
    tree.show()
    qtbot.waitExposed(tree)
    tree.setColumnWidth(0, 90)
    assert any("block_1_depthwise_convolution_relu6" in cut for cut in clipped_texts(tree))
    tree.resizeColumnToContents(0)
    tree.resizeColumnToContents(1)
    assert clipped_texts(tree) == []
