"""The explorer's model loads behind whatever panel is in front once the app starts its background
work, so the first model scene finds it loaded; hidden, it runs no frame through it."""


def test_the_model_loads_behind_another_panel_and_answers_once_in_front(window, qtbot):
    window.bring_forward("conv")  # the lecture starts elsewhere
    window.start_background_work("sample:chelsea")
    explorer = window.explorer
    qtbot.waitUntil(lambda: explorer.session.model is not None, timeout=120000)
    assert not explorer.on_screen()
    assert explorer.session.model.name == "mobilenet_v2"
    # the start-up work done, the neurons panel's pages follow behind it, still unseen
    qtbot.waitUntil(lambda: {"single", "mlp", "vanishing"} <= set(vars(window.neurons)), timeout=5000)
    assert not window.neurons.isVisible() or window.neurons.visibleRegion().isEmpty()
    qtbot.wait(500)  # an absence: time in which a hidden explorer would (wrongly) answer frames
    assert explorer.results_shown == 0 and explorer.last is None
    window.bring_forward("model")
    qtbot.waitUntil(lambda: explorer.last is not None and bool(explorer.last.top), timeout=30000)
    assert explorer.last.top[0][0] in {"Egyptian cat", "tiger cat", "tabby"}


def test_closing_while_the_model_loads_stops_cleanly(window, qtbot):
    window.start_background_work("sample:chelsea")
    qtbot.waitUntil(lambda: window.explorer.loader is not None, timeout=120000)
    # the window fixture closes it now, with the load under way, and checks no thread is left


def test_with_the_explorer_in_front_the_neurons_pages_wait_for_its_first_answer(window, qtbot):
    """Built while that answer is on its way, they would hold the GIL its forward pass needs."""
    pages = {"single", "mlp", "vanishing"}
    window.bring_forward("model")
    window.start_background_work("sample:chelsea")
    explorer = window.explorer
    built_at_first_answer = []
    explorer.result_on_screen.connect(lambda: built_at_first_answer.append(pages & set(vars(window.neurons))))
    qtbot.waitUntil(lambda: explorer.results_shown > 0, timeout=120000)
    assert built_at_first_answer[0] == set()
    qtbot.waitUntil(lambda: pages <= set(vars(window.neurons)), timeout=5000)


def test_off_screen_the_attribution_panel_builds_its_map_function_behind_the_model(window, qtbot):
    """Brought forward later, its first map costs one pass: the tapping model and the model's input
    check (~0.5 s) were built meanwhile, and no map was computed off screen."""
    from cnnexplorer.core.models.attribution.network import default_layer
    from cnnexplorer.core.models.per_model import cached

    window.bring_forward("conv")
    window.start_background_work("sample:chelsea")
    qtbot.waitUntil(lambda: window.explorer.session.model is not None, timeout=120000)
    model = window.explorer.session.model.model
    qtbot.waitUntil(lambda: window.attribution.preparing is None, timeout=30000)
    rebuilt = []
    cached(model, ("cam", default_layer(model), "gradcam", 1), lambda: rebuilt.append("built again") or rebuilt)
    assert rebuilt == [] and window.attribution.results_shown == 0
