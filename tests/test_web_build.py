"""Building the playground site: the wheel, the local package copies, one-line errors."""

import json
import zipfile

import pytest
from web_site import site

from viz.pages.site import (
    PYODIDE,
    VIZ_JS,
    WebBuildError,
    build_site,
    cached_package,
    fetch_package,
    local_package,
    write_wheel,
)


def test_the_wheel_holds_the_browser_packages_and_no_caches(tmp_path):
    wheel = write_wheel(tmp_path, "chalkgrad", "0.1.0", ("autograd", "viz"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "autograd/value.py" in names and "viz/pages/playground.py" in names
    assert any(n.endswith("practice.js") for n in names)  # the practice page's own script
    assert not [
        n for n in names if "__pycache__" in n or "assets/playground/" in n or n.endswith(".pyc")
    ]
    record = zipfile.ZipFile(wheel).read("chalkgrad-0.1.0.dist-info/RECORD").decode()
    assert len(record.splitlines()) == len(names)


def test_a_wrong_local_copy_is_refused_in_one_line(tmp_path):
    with pytest.raises(WebBuildError, match=r"^--viz .*: not a folder$"):
        local_package(tmp_path / "missing", VIZ_JS, "--viz")
    (tmp_path / "package.json").write_text(json.dumps({"name": "pyodide", "version": "0.27.0"}))
    with pytest.raises(
        WebBuildError,
        match=r"holds pyodide@0.27.0, the site is built with "
        r"pyodide@314.0.8$",
    ):
        local_package(tmp_path, PYODIDE, "--pyodide")
    (tmp_path / "package.json").write_text(json.dumps({"name": "pyodide", "version": "314.0.8"}))
    with pytest.raises(WebBuildError, match=r"lacks pyodide.mjs, pyodide.asm.mjs"):
        local_package(tmp_path, PYODIDE, "--pyodide")


def test_without_npm_the_error_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no npm on it
    with pytest.raises(
        WebBuildError, match=r"^npm is not installed: .* --pyodide DIR / --viz DIR$"
    ):
        fetch_package(VIZ_JS, tmp_path / "cache")


def test_build_from_local_copies(tmp_path):
    site()  # the npm packages are in the cache now: give them as local copies
    unpacked = cached_package(PYODIDE)
    out = build_site(tmp_path / "site", pyodide=unpacked, viz_js=None).parent
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == sorted(
        [
            "index.html",
            "manifest.json",
            "playground.css",
            "playground.js",
            "worker.js",
            "pyodide/pyodide.asm.mjs",
            "pyodide/pyodide.asm.wasm",
            "pyodide/pyodide-lock.json",
            "pyodide/pyodide.mjs",
            "pyodide/python_stdlib.zip",
            "viz/viz.js",
            "wheels/chalkgrad-0.1.0-py3-none-any.whl",
            next(f for f in files if f.startswith("wheels/graphviz-")),
        ]
    )
    page = (out / "index.html").read_text(encoding="utf-8")
    for role in ("picture", "steps", "expression", "values", "run", "error"):
        assert f'data-role="{role}"' in page
    assert "http://" not in page and "https://" not in page  # nothing from elsewhere


def test_the_command_builds_the_site_and_refuses_a_wrong_copy_in_one_line(tmp_path, capsys):
    from viz.cli.command import main

    assert main(["web", str(tmp_path / "bad"), "--viz", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and error.startswith("chalkgrad web: error: --viz ")
    assert not (tmp_path / "bad").exists()  # refused before anything was written
    site()  # the npm packages are cached: the command reuses them
    assert main(["web", str(tmp_path / "site")]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {tmp_path / 'site' / 'index.html'}")
    assert (tmp_path / "site" / "wheels").is_dir()
