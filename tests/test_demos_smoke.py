"""Every demo runs end to end into a temporary folder, returns 0 and writes an SVG."""

import subprocess
import sys

import pytest

from demos.common import DEFAULT_OUT, demo_names, load_demo, parse_args

NAMES = demo_names()


def test_every_problem_has_a_demo():
    assert len(NAMES) == 26  # P1-P23, moons, topological order, micrograd lecture
    for name in NAMES:
        module = load_demo(name)
        assert isinstance(module.TITLE, str) and "\n" not in module.TITLE
    titles = [load_demo(n).TITLE for n in NAMES]
    for p in range(1, 24):
        assert sum(t.startswith(f"P{p}:") for t in titles) == 1, f"P{p}"


@pytest.mark.parametrize("name", NAMES)
def test_demo_runs_and_writes_svg(name, tmp_path, capsys):
    module = load_demo(name)
    assert module.main(["--out", str(tmp_path)]) == 0
    svgs = list(tmp_path.glob("*.svg"))
    assert svgs, f"{name} wrote no SVG"
    assert all(s.read_text().lstrip().startswith("<?xml") for s in svgs)
    printed = capsys.readouterr().out
    assert module.TITLE in printed
    assert "[FAILED]" not in printed


def test_moons_also_writes_png(tmp_path):
    pytest.importorskip("matplotlib", reason="the moons PNG needs the demos extra")
    load_demo("moons").main(["--out", str(tmp_path)])
    assert (tmp_path / "moons.png").read_bytes()[:4] == b"\x89PNG"


def test_default_out_folder_and_unknown_demo():
    assert parse_args([], "t").out == DEFAULT_OUT == "chalkgrad-out"
    with pytest.raises(ValueError, match="no demo named 'nope'"):
        load_demo("nope")
    with pytest.raises(ValueError, match="no demo named 'common'"):
        load_demo("common")


def test_module_is_runnable_with_python_m(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "demos.momentum", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "P17" in done.stdout
    assert (tmp_path / "momentum.svg").exists()


def test_an_out_folder_that_cannot_be_made_is_one_clear_error(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(SystemExit) as stop:
        load_demo("momentum").main(["--out", str(blocker / "pictures")])
    assert stop.value.code == 2
    assert "cannot use --out" in capsys.readouterr().err


def test_attention_pictures_are_collapsed_and_labelled(tmp_path, capsys):
    for name, tensors in (
        ("transformer-language-model", ["p", "x", "Q", "K", "V", "A", "z"]),
        ("hand-designed-transformer", ["x", "Q", "K", "V", "A"]),
    ):
        load_demo(name).main(["--out", str(tmp_path)])
        svg = (tmp_path / (name.replace("-", "_") + ".svg")).read_text()
        assert "collapsed: " in svg and " boxes (" in svg, name
        for tensor in tensors:  # one tensor-level node per labelled tensor
            assert f">{tensor}<" in svg, (name, tensor)
    capsys.readouterr()


def test_loglu_picture_names_the_first_non_finite_nodes(tmp_path, capsys):
    load_demo("loglu-nan").main(["--out", str(tmp_path)])
    svg = (tmp_path / "loglu_nan.svg").read_text()
    assert "y = log(relu=0) = &#45;inf" in svg and "relu.grad = 1/relu = inf" in svg
    printed = capsys.readouterr().out
    assert "receiving node: relu = ReLU(x=-1)" in printed
    assert "node: (unlabelled) = log(relu[2]=0)" in printed  # the layer's full message
