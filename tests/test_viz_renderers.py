"""The DOT-to-SVG renderer interface: registered functions, chosen by name or by availability."""

import pytest

import viz
from autograd import Value
from viz.writers.renderers import (
    RenderError,
    chosen_renderer,
    current_renderer,
    register_renderer,
    renderer_names,
    unregister_renderer,
    use_renderer,
)


@pytest.fixture
def fake():
    calls = []

    def to_svg(source, timeout):
        calls.append((source, timeout))
        return "<svg><!-- fake --></svg>"

    register_renderer("fake", to_svg)
    yield calls
    unregister_renderer("fake")
    use_renderer(None)


def test_the_subprocess_renderers_are_registered_first():
    assert renderer_names()[:2] == ["dot", "graphviz-pure"]
    assert current_renderer().name in ("dot", "graphviz-pure")  # the first one installed


def test_every_svg_goes_through_the_chosen_renderer(fake, tmp_path):
    x = Value(2.0, label="x")
    y = x * 3
    with chosen_renderer("fake"):
        assert viz.to_svg(y) == "<svg><!-- fake --></svg>"
        assert viz.render(y, tmp_path / "y.svg").read_text() == "<svg><!-- fake --></svg>"
    assert len(fake) == 2 and fake[0][0].startswith("digraph") and fake[0][1] == 30.0
    assert "<!-- fake -->" not in viz.to_svg(y)  # the earlier choice is back


def test_use_renderer_picks_until_told_otherwise(fake):
    viz.use_renderer("fake")
    assert current_renderer().name == "fake"
    use_renderer(None)
    assert current_renderer().name != "fake"


def test_errors_name_the_renderer_in_one_line():
    with pytest.raises(
        RenderError, match=r"^no renderer named 'nope' is registered \(registered: "
    ):
        use_renderer("nope")
    with pytest.raises(TypeError, match="renderer 'bad': to_svg must be callable, got int"):
        register_renderer("bad", 3)
    with pytest.raises(ValueError, match="a renderer needs a non-empty name"):
        register_renderer("", lambda source, timeout: "")


def test_no_function_hides_a_module():
    import importlib

    assert callable(viz.render) and callable(viz.register_renderer)
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("viz.render")  # the function is all there is by that name
