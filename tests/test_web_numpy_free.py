"""The Value path with numpy blocked, as in the browser (Pyodide has no numpy wheel).

Each check runs in a fresh interpreter whose import system refuses numpy, so a module-level
``import numpy`` anywhere on the Value path fails here first.
"""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

BLOCK_NUMPY = """
import sys

class RefuseNumpy:
    def find_spec(self, name, path=None, target=None):
        if name == "numpy" or name.startswith("numpy."):
            raise ImportError(f"numpy is blocked in this test (import of {name})")
        return None

sys.meta_path.insert(0, RefuseNumpy())
for name in [m for m in sys.modules if m == "numpy" or m.startswith("numpy.")]:
    del sys.modules[name]
"""


def run_without_numpy(code: str) -> dict:
    """Run ``code`` (which prints one JSON line last) with numpy blocked; return that JSON."""
    script = BLOCK_NUMPY + textwrap.dedent(code)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_engine_and_pictures_without_numpy():
    answer = run_without_numpy("""
        import json, sys
        import autograd, viz
        from autograd import Value, topological_order
        from viz import backward_steps, draw, format_steps, make_quiz
        from viz.expression import build, parse_settings
        from viz.pages.page_data import step_entries
        from autograd.testing.explain import explain_gradient

        a, b = Value(2.0, label="a"), Value(-3.0, label="b")
        c = (a * b + a).tanh(); c.label = "c"
        c.backward()
        program = build("z = w*x + b; L = (y - exp(z))**2 / 2", dict(w=2, x=-1, b=0.5, y=1))
        program.root.backward()
        quiz = make_quiz(build("L = (w*x - 1)**2", dict(w=2, x=3)).root)
        entries = step_entries(backward_steps(program.root), 4)
        explained = explain_gradient(program.root, program.inputs["w"])
        print(json.dumps({
            "grads": [a.grad, b.grad],
            "order": [v.label for v in topological_order(c)][:2],
            "dot": "digraph" in draw(program.root).source,
            "steps": format_steps(backward_steps(program.root)).splitlines()[0],
            "quiz": [(q.name, q.expected) for q in quiz.questions],
            "entries": len(entries),
            "explained": explained.splitlines()[0],
            "numpy": sorted(m for m in sys.modules if m.split(".")[0] == "numpy"),
        }))
    """)
    assert answer["numpy"] == []
    assert answer["order"] == ["a", "b"]
    assert answer["dot"] is True
    assert answer["steps"] == "backward from L (seed ∂L/∂L = 1), 10 steps"
    assert answer["explained"].startswith("dL/dw")
    assert answer["entries"] == 10  # the stepper and explorer pages' step data
    assert answer["quiz"] == [["sub#4", 10.0], ["mul#2", 10.0], ["x", 20.0], ["w", 30.0]]
    # c = tanh(a*b + a) = tanh(-4): dc/da = (1 - tanh(-4)**2) * (b + 1), dc/db = (...) * a
    assert answer["grads"] == pytest.approx([-0.0026817, 0.0026817], rel=1e-4)


def test_pages_and_playground_without_numpy(tmp_path):
    answer = run_without_numpy(f"""
        import json, sys
        from viz import explore_html, quiz_html, stepper_html
        from viz.expression import build
        from viz.pages.playground import exercise
        from viz.writers.renderers import chosen_renderer, register_renderer

        register_renderer("count", lambda source, timeout: "<svg>%d</svg>" % source.count("->"))
        with chosen_renderer("count"):
            explore = exercise("z = w*x + b; L = (y - exp(z))**2 / 2", "w=2,x=-1,b=0.5,y=1")
            practice = exercise("L = (w*x - 1)**2", "w=2,x=3", "practice")
        root = build("L = (w*x - 1)**2", dict(w=2, x=3)).root
        pages = [stepper_html(root, {str(tmp_path / "s.html")!r}),
                 explore_html(root, {str(tmp_path / "e.html")!r}),
                 quiz_html(root, {str(tmp_path / "q.html")!r})]
        print(json.dumps({{
            "pages": [page.read_text(encoding="utf-8").count("<svg") > 0 for page in pages],
            "explore": explore["error"] or explore["svg"],
            "practice": practice["practice"].count('data-node="'),
            "numpy": sorted(m for m in sys.modules if m.split(".")[0] == "numpy"),
        }}))
    """)
    assert answer == {
        "pages": [True, True, True],
        "explore": "<svg>17</svg>",
        "practice": 4,
        "numpy": [],
    }


def test_what_needs_numpy_says_so():
    answer = run_without_numpy("""
        import json
        import autograd
        try:
            autograd.Tensor
            message = "loaded"
        except ImportError as error:
            message = str(error)
        print(json.dumps({"message": message, "has_value": hasattr(autograd, "Value")}))
    """)
    assert answer["has_value"] is True
    assert "numpy" in answer["message"] and "\\n" not in answer["message"]


def test_lazy_names_are_the_real_ones():
    import autograd
    from autograd.compiler import compile as compile_function
    from autograd.tensors import Tensor

    assert autograd.Tensor is Tensor and autograd.compile is compile_function
    assert set(autograd.__all__) <= set(dir(autograd)) | set(autograd._LAZY)
    with pytest.raises(AttributeError, match="has no attribute 'Tensr'"):
        autograd.Tensr  # noqa: B018
