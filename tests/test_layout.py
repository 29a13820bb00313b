"""The house keeps its shape: one way down, no import circles, small modules, folders by concept.

Every import counts, at module level or inside a function; imports of a package's face
(its ``__init__.py``) are set aside, since a face only gathers what lives below it.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIBRARIES = ("autograd", "nn", "viz", "demos")
# What each library may import of the others (demos may import all).
ALLOWED = {
    "autograd": set(),
    "nn": {"autograd"},
    "viz": {"autograd"},
    "demos": {"autograd", "nn", "viz"},
}
MAX_LINES = 500
MAX_MODULES_DIRECTLY = 16


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    found = {}
    for library in LIBRARIES:
        for path in sorted((ROOT / library).rglob("*.py")):
            found[_module_name(path)] = path
    return found


SOURCES = _sources()


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, resolved to a source module where one exists."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            # ``from package import module`` imports the module, not the face
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {n for n in names if n in SOURCES}


def _is_face(module: str) -> bool:
    return SOURCES[module].name == "__init__.py"


def _edges() -> dict[str, set[str]]:
    return {
        m: {t for t in _imports(p) if not _is_face(t) and t != m}
        for m, p in SOURCES.items()
        if not _is_face(m)
    }


def _circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            for t in targets:
                if t not in edges:
                    continue
                if t not in index:
                    index[t] = low[t] = counter
                    counter += 1
                    stack.append(t)
                    on_stack.add(t)
                    work.append((t, iter(sorted(edges[t]))))
                    break
                if t in on_stack:
                    low[node] = min(low[node], index[t])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_the_circle_finder_finds_a_circle() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circles(edges) == [["a", "b", "c"]]
    assert _circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles() -> None:
    circles = _circles(_edges())
    assert circles == [], "import circles (break them by direction): " + "; ".join(
        " <-> ".join(c) for c in circles
    )


def test_libraries_import_one_way() -> None:
    wrong = []
    for module, path in SOURCES.items():
        library = module.split(".")[0]
        for target in _imports(path):
            other = target.split(".")[0]
            if other != library and other not in ALLOWED[library]:
                wrong.append(f"{module} imports {target}")
    assert wrong == [], "imports that go the wrong way: " + ", ".join(wrong)


def test_no_module_over_500_lines() -> None:
    long = {
        m: n
        for m, p in SOURCES.items()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, f"modules over {MAX_LINES} lines: {long}"


@pytest.mark.parametrize("library", ["autograd", "viz"])
def test_few_modules_directly_in_a_library(library: str) -> None:
    direct = sorted(p.name for p in (ROOT / library).glob("*.py"))
    assert len(direct) <= MAX_MODULES_DIRECTLY, (
        f"{library}/ holds {len(direct)} modules directly: {direct}"
    )


def test_every_subpackage_says_what_lives_there() -> None:
    silent = []
    for library in ("autograd", "viz", "nn"):
        for face in (ROOT / library).rglob("__init__.py"):
            doc = ast.get_docstring(ast.parse(face.read_text(encoding="utf-8")))
            if not doc:
                silent.append(str(face.relative_to(ROOT)))
    assert silent == [], f"package faces without a docstring: {silent}"


@pytest.mark.parametrize(
    "args",
    [["check", "."], ["format", "--check", "."]],
    ids=["ruff-check", "ruff-format"],
)
def test_ruff_is_clean(args: list[str]) -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed (pip install -e '.[dev]' installs it)")
    done = subprocess.run([ruff, *args], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
