"""Zoo, model files and activations against Keras itself (TensorFlow backend)."""

import hashlib
import http.server
import threading

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from cnnexplorer.core.models import zoo  # noqa: E402
from cnnexplorer.core.models.taps import activations, layer_tree, probe, probe_many  # noqa: E402
from cnnexplorer.core.frames.images import load_image  # noqa: E402
from cnnexplorer.core.models.inception import cost_table, find_blocks, totals  # noqa: E402
from cnnexplorer.core.models.files import ModelLoadError, load_model_file  # noqa: E402
from cnnexplorer.core.infra.resources import resource  # noqa: E402
from cnnexplorer.core.models.preprocess import prepare  # noqa: E402


@pytest.fixture(scope="module")
def mobilenet():
    return zoo.load_model("mobilenet_v2")


@pytest.fixture(autouse=True)
def keras_home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))


def test_available_lists_the_zoo():
    assert {"mobilenet_v2", "vgg16", "vgg19", "resnet50", "inception_v3", "xception", "inception_resnet_v2",
            "mini_inception"} <= set(zoo.available())


def test_bundled_mobilenet_knows_the_cat_and_the_coffee(mobilenet):
    assert mobilenet.weights_source == "bundled ImageNet" and not mobilenet.random_weights
    cat = [name for name, _ in zoo.predict_top(mobilenet, load_image(resource("images", "chelsea.png")), 3)]
    assert {"Egyptian cat", "tiger cat", "tabby"} & set(cat)
    coffee = zoo.predict_top(mobilenet, load_image(resource("images", "coffee.png")), 5)
    assert coffee[0][0] == "espresso" and coffee[0][1] > 0.5
    assert len(coffee) == 5 and all(0 <= p <= 1 for _, p in coffee)


def test_imagenet_names_ship_in_order():
    names = zoo.imagenet_classes()
    assert len(names) == 1000 and names[0] == "tench" and names[285] == "Egyptian cat" and names[967] == "espresso"


def test_uncached_keras_model_comes_random_and_flagged():
    model = zoo.load_model("vgg16")
    assert model.random_weights and model.input_size == 224 and model.preprocessing == "caffe"
    with pytest.raises(zoo.ZooError, match="not in"):
        zoo.load_model("vgg16", weights="imagenet")


def test_bad_zoo_name():
    with pytest.raises(zoo.ZooError, match="no zoo model"):
        zoo.load_model("alexnet")


class _Server:
    """A loopback HTTP server serving ``body`` (slowly, if asked)."""

    def __init__(self, body: bytes, delay: float = 0.0):
        payload = body

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                self.send_response(200)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                for i in range(0, len(payload), 1 << 16):
                    try:
                        self.wfile.write(payload[i : i + (1 << 16)])
                        self.wfile.flush()
                    except OSError:
                        return
                    threading.Event().wait(delay)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/weights.h5"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_download_checks_the_hash_and_reports_progress(monkeypatch):
    body = b"pretend weights" * 100_000
    entry = zoo.ENTRIES["vgg16"]
    server = _Server(body)
    try:
        seen = []
        with pytest.raises(zoo.ZooError, match="checksum"):
            zoo.download_weights("vgg16", progress=lambda d, t: seen.append((d, t)), url=server.url)
        assert not (zoo.keras_cache_dir() / entry.weights_file).exists() and seen[-1] == (len(body), len(body))
        good = zoo.ZooEntry(**{**entry.__dict__, "weights_md5": hashlib.md5(body).hexdigest()})
        monkeypatch.setitem(zoo.ENTRIES, "vgg16", good)
        path = zoo.download_weights("vgg16", url=server.url)
        assert path.read_bytes() == body and zoo.cached_weights("vgg16") == path
    finally:
        server.close()


def test_download_offline_and_cancel():
    with pytest.raises(zoo.ZooError, match="offline"):
        zoo.download_weights("resnet50", url="http://127.0.0.1:9/nothing.h5", timeout_s=2)
    server = _Server(b"x" * (4 << 20), delay=0.05)
    cancel = threading.Event()
    try:
        with pytest.raises(zoo.ZooError, match="cancelled"):
            zoo.download_weights("resnet50", progress=lambda d, t: cancel.set(), cancel=cancel, url=server.url)
    finally:
        server.close()
    assert not list(zoo.keras_cache_dir().glob("*"))


def _keras_oracle(model, layer, batch):
    return np.asarray(keras.Model(model.inputs, model.get_layer(layer).output).predict_on_batch(batch))[0]


def test_activations_equal_keras_flat_model(mobilenet):
    rgb = load_image(resource("images", "astronaut.png"))
    batch = prepare(rgb, 224, "torch")
    for layer in ("stem_conv_relu6", "block5_add", "global_pool"):
        ours = activations(mobilenet.model, layer, rgb, preprocessing="torch")
        np.testing.assert_allclose(ours, _keras_oracle(mobilenet.model, layer, batch), rtol=1e-5, atol=1e-5)
    assert activations(mobilenet.model, "global_pool", rgb, preprocessing="torch").shape == (1280,)


def test_activations_equal_keras_branches_and_nested():
    base = zoo.load_model("mini_inception").model
    rgb = load_image(resource("images", "coins.png"))
    batch = prepare(rgb, 64, "unit")
    for layer in ("inception_a_5x5", "inception_a_pool_proj", "inception_b_concat"):
        np.testing.assert_allclose(activations(base, layer, rgb), _keras_oracle(base, layer, batch), rtol=1e-5, atol=1e-6)
    base.trainable = False
    inputs = keras.Input((64, 64, 3))
    features = base(keras.layers.Rescaling(1.0, name="identity")(inputs))
    transfer = keras.Model(inputs, keras.layers.Dense(3, name="head")(features), name="transfer")
    nested = activations(transfer, "mini_inception/inception_a_3x3", rgb)
    np.testing.assert_allclose(nested, _keras_oracle(base, "inception_a_3x3", batch), rtol=1e-5, atol=1e-6)
    predictions, tapped = probe(transfer, "mini_inception/inception_b_1x1")(batch)
    np.testing.assert_allclose(predictions, transfer.predict_on_batch(batch), rtol=1e-5, atol=1e-6)
    nested_paths = ["mini_inception/inception_a_1x1", "head", "mini_inception/inception_b_concat"]
    predictions, (a_1x1, head, b_concat) = probe_many(transfer, nested_paths)(batch)
    np.testing.assert_allclose(head, predictions, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(a_1x1[0], _keras_oracle(base, "inception_a_1x1", batch), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(b_concat[0], _keras_oracle(base, "inception_b_concat", batch), rtol=1e-5, atol=1e-6)
    eager_predictions, eager_tapped = probe_many(transfer, nested_paths)(batch, eager=True)  # a first, untraced pass
    np.testing.assert_allclose(eager_predictions, predictions, rtol=1e-5, atol=1e-6)
    for eager, traced in zip(eager_tapped, (a_1x1, head, b_concat)):
        np.testing.assert_allclose(eager, traced, rtol=1e-5, atol=1e-6)
    tree = layer_tree(transfer)
    nested_node = next(n for n in tree if n.name == "mini_inception")
    assert nested_node.frozen_params == base.count_params() and nested_node.trainable_params == 0
    assert any(c.path == "mini_inception/inception_a_concat" for c in nested_node.children)
    assert next(n for n in nested_node.children if n.name == "predictions").role == "classifier"


def test_layer_tree_marks_base_and_classifier(mobilenet):
    tree = layer_tree(mobilenet.model)
    roles = {n.name: n.role for n in tree}
    assert roles["image"] == "input" and roles["head_conv"] == "base"
    assert roles["global_pool"] == roles["predictions"] == "classifier"
    predictions = next(n for n in tree if n.name == "predictions")
    assert predictions.output_shape == (None, 1000) and predictions.trainable_params == 1280 * 1000 + 1000


def test_inception_blocks_and_bottleneck_savings():
    model = zoo.load_model("mini_inception").model
    blocks = find_blocks(model)
    assert [b.concat for b in blocks] == ["inception_a_concat", "inception_b_concat"]
    assert [b.names for b in blocks[0].branches] == [
        ["inception_a_1x1"], ["inception_a_3x3_reduce", "inception_a_3x3"],
        ["inception_a_5x5_reduce", "inception_a_5x5"], ["inception_a_pool", "inception_a_pool_proj"]]
    rows = cost_table(model, blocks[0])
    assert rows[1]["params"] == (32 * 16 + 16) + (9 * 16 * 24 + 24)
    assert rows[1]["naive_params"] == 9 * 32 * 24 + 24
    assert rows[2]["macs"] == 16 * 16 * (32 * 4 + 25 * 4 * 8)
    total = totals(rows)
    assert total["params"] < total["naive_params"] and total["macs"] < total["naive_macs"]
    layer_params = sum(model.get_layer(n).count_params() for br in blocks[0].branches for n in br.names)
    assert total["params"] == layer_params


def _save(model, path):
    model.save(path)
    return path


def test_model_file_errors(tmp_path):
    with pytest.raises(ModelLoadError, match="no such file"):
        load_model_file(tmp_path / "missing.keras")
    fake = tmp_path / "fake.keras"
    fake.write_text("not a zip")
    with pytest.raises(ModelLoadError, match="not a valid .keras file"):
        load_model_file(fake)
    corrupt = tmp_path / "corrupt.h5"
    corrupt.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\x00" * 100)
    with pytest.raises(ModelLoadError, match="corrupt"):
        load_model_file(corrupt)
    saved = tmp_path / "saved_model"
    saved.mkdir()
    (saved / "saved_model.pb").write_bytes(b"")
    with pytest.raises(ModelLoadError, match="SavedModel"):
        load_model_file(saved)


def test_lambda_layer_is_refused_unless_trusted(tmp_path):
    inputs = keras.Input((8, 8, 3))
    outputs = keras.layers.Lambda(lambda t: t * 2.0)(inputs)
    path = _save(keras.Model(inputs, outputs), tmp_path / "lambda.keras")
    with pytest.raises(ModelLoadError, match="Lambda") as info:
        load_model_file(path)
    assert info.value.unsafe
    assert load_model_file(path, safe_mode=False).image_input


def test_unknown_custom_layer(tmp_path):
    @keras.saving.register_keras_serializable(package="cnnexplorer_test")
    class Doubler(keras.layers.Layer):
        def call(self, x):
            return x * 2.0

    inputs = keras.Input((4, 4, 3))
    path = _save(keras.Model(inputs, Doubler()(inputs)), tmp_path / "custom.keras")
    keras.saving.get_custom_objects().pop("cnnexplorer_test>Doubler")
    with pytest.raises(ModelLoadError, match="custom layer"):
        load_model_file(path)


def test_models_without_one_image_input_still_load(tmp_path):
    dense_in = keras.Input((10,))
    dense = _save(keras.Model(dense_in, keras.layers.Dense(2)(dense_in)), tmp_path / "dense.keras")
    loaded = load_model_file(dense)
    assert not loaded.image_input and "not an image batch" in loaded.reason
    assert [n.class_name for n in layer_tree(loaded.model)] == ["InputLayer", "Dense"]
    a, b = keras.Input((8, 8, 3)), keras.Input((8, 8, 3))
    two = _save(keras.Model([a, b], keras.layers.Add()([a, b])), tmp_path / "two.h5")
    loaded = load_model_file(two)
    assert not loaded.image_input and "2 inputs" in loaded.reason


@pytest.mark.parametrize("mode", ["torch", "caffe", "tf"])
def test_value_scaling_equals_keras_preprocess_input(mode):
    from cnnexplorer.core.models.preprocess import scale_values

    rgb = np.random.default_rng(1).integers(0, 256, (31, 17, 3), dtype=np.uint8)
    expected = keras.applications.imagenet_utils.preprocess_input(rgb.astype(np.float32), mode=mode)
    np.testing.assert_allclose(scale_values(rgb, mode), expected, rtol=1e-5, atol=1e-5)
