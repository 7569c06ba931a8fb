import keras

from cnnexplorer.core.models.taps import layer_tree
from cnnexplorer.gui.models.layer_tree import LayerTreeWidget


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
