"""Every public name of nn has type hints and a docstring with a runnable example.

Covered: the classes and functions exported by ``nn``, ``nn.functional``,
``nn.optim``, ``nn.init`` and ``nn.summary``, and every public method their
classes define (including methods of private base classes such as
``_Recurrent``). An override without its own docstring inherits the
documented contract of the method it overrides (``inspect.getdoc`` and
``help()`` show that one), so ``Linear.forward`` is documented by
``Module.forward`` and by the class example that calls it. The examples
themselves run through ``pytest --doctest-modules nn``.
"""

import inspect
import sys

import pytest

import nn
import nn.summary  # noqa: F401  (the submodule, shadowed by the function nn.summary)

MODULES = {
    "nn": nn,
    "nn.functional": nn.functional,
    "nn.optim": nn.optim,
    "nn.init": nn.init,
    "nn.summary": sys.modules["nn.summary"],
}


def _public_names():
    seen, out = set(), []
    for module_name, module in MODULES.items():
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.ismodule(obj) or id(obj) in seen:
                continue
            if not (getattr(obj, "__module__", "") or "").startswith("nn"):
                continue
            seen.add(id(obj))
            out.append((f"{module_name}.{name}", obj))
            if not inspect.isclass(obj):
                continue
            for cls in obj.__mro__:
                if not cls.__module__.startswith("nn"):
                    continue
                for attr, value in vars(cls).items():
                    if isinstance(value, property):
                        value = value.fget
                    public = not attr.startswith("_") or attr == "__init__"
                    if public and inspect.isfunction(value) and id(value) not in seen:
                        seen.add(id(value))
                        out.append((f"{cls.__module__}.{cls.__qualname__}.{attr}", value))
    return out


PUBLIC = _public_names()


def test_the_inventory_is_not_empty():
    names = [n for n, _ in PUBLIC]
    assert len(names) > 150
    for expected in (
        "nn.LSTM",
        "nn.optim.SGD",
        "nn.summary",
        "nn.summary.SummaryRow",
        "nn.manual_seed",
        "nn.cells._Recurrent.output_shape",
        "nn.module.Module.summary_name",
        "nn.optim.Optimizer.step",
    ):
        assert expected in names


def _problems(name, obj):
    """What ``obj`` lacks: [] when it has type hints and a docstring with an example."""
    signature = inspect.signature(obj)
    unannotated = [
        p.name
        for p in signature.parameters.values()
        if p.name not in ("self", "cls") and p.annotation is inspect.Parameter.empty
    ]
    problems = [f"parameters without type hints: {unannotated}"] if unannotated else []
    if inspect.isfunction(obj) and signature.return_annotation is inspect.Parameter.empty:
        problems.append("no return annotation")
    if obj.__name__ != "__init__":  # __init__ is documented by the class docstring
        doc = inspect.getdoc(obj)
        if not doc:
            problems.append("no docstring")
        elif ">>>" not in doc:
            problems.append("docstring has no runnable example")
    return problems


@pytest.mark.parametrize("name, obj", PUBLIC, ids=[n for n, _ in PUBLIC])
def test_public_names_have_hints_and_an_example(name, obj):
    assert _problems(name, obj) == []


def test_the_check_catches_what_is_missing():
    def bare(x, y: int):
        return x

    def documented(x: int) -> int:
        """Twice x, with no example."""
        return 2 * x

    assert _problems("bare", bare) == [
        "parameters without type hints: ['x']",
        "no return annotation",
        "no docstring",
    ]
    assert _problems("documented", documented) == ["docstring has no runnable example"]
