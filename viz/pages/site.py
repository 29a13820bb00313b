"""The playground site (``chalkgrad web OUT_DIR``): a static site that runs chalkgrad itself.

The site holds everything it loads, so it works with no network once built: the Pyodide
runtime and Graphviz as WebAssembly (the npm packages :data:`PYODIDE` and :data:`VIZ_JS`,
fetched with ``npm pack`` at build time into a cache, or copied from local folders given
with ``--pyodide DIR`` / ``--viz DIR``), chalkgrad's own wheel (the ``autograd`` and
``viz`` packages, made from the installed code) and the ``graphviz`` Python package's
wheel, and the page (``index.html``, its script, style and Web Worker). Python runs in
the worker, so the page's stop button and time limit can end a runaway computation.

Serve the folder over http (browsers refuse module scripts from ``file://``)::

    chalkgrad web site/ && python -m http.server -d site
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

ASSETS = Path(__file__).parent / "assets" / "playground"
SITE_FILES = ("index.html", "playground.js", "playground.css", "worker.js")
NPM_TIMEOUT = 300.0  # seconds for one ``npm pack``


@dataclass(frozen=True)
class NpmPackage:
    """A pinned npm package and the files of it the site needs (paths inside the package)."""

    name: str
    version: str
    files: tuple[str, ...]
    folder: str  # where its files go in the site

    @property
    def spec(self) -> str:
        """``name@version`` as npm takes it.

        Example:
            >>> VIZ_JS.spec
            '@viz-js/viz@3.31.0'
        """
        return f"{self.name}@{self.version}"


PYODIDE = NpmPackage(
    "pyodide",
    "314.0.8",
    (
        "pyodide.mjs",
        "pyodide.asm.mjs",
        "pyodide.asm.wasm",
        "python_stdlib.zip",
        "pyodide-lock.json",
    ),
    "pyodide",
)
VIZ_JS = NpmPackage("@viz-js/viz", "3.31.0", ("dist/viz.js",), "viz")
WHEEL_PACKAGES = ("autograd", "viz")  # what runs in the browser (nn and demos need numpy)
LEFT_OUT = ("pages/assets/playground/",)  # the site itself is not needed inside the site


class WebBuildError(RuntimeError):
    """The site could not be built; the message is one line saying what was wrong.

    Example:
        >>> str(WebBuildError("npm is not installed"))
        'npm is not installed'
    """


def cache_folder() -> Path:
    """Where fetched npm packages are kept: ``$CHALKGRAD_WEB_CACHE``, else ``~/.cache/chalkgrad-web``.

    Example:
        >>> cache_folder().name in ("chalkgrad-web", os.environ.get("CHALKGRAD_WEB_CACHE", "")[-13:])
        True
    """
    given = os.environ.get("CHALKGRAD_WEB_CACHE")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "chalkgrad-web"


def missing_files(folder: Path, package: NpmPackage) -> list[str]:
    """The files of ``package`` that ``folder`` (an unpacked npm package) lacks.

    Example:
        >>> missing_files(Path(tempfile.mkdtemp()), VIZ_JS)
        ['dist/viz.js']
    """
    return [name for name in package.files if not (Path(folder) / name).is_file()]


def _check_version(folder: Path, package: NpmPackage, flag: str) -> None:
    manifest = folder / "package.json"
    try:
        found = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise WebBuildError(
            f"{flag} {folder}: no readable package.json (an unpacked "
            f"{package.name} package is expected)"
        ) from None
    if found.get("name") != package.name or found.get("version") != package.version:
        raise WebBuildError(
            f"{flag} {folder}: holds {found.get('name')}@{found.get('version')}, the site is "
            f"built with {package.spec}"
        )


def local_package(folder: str | os.PathLike, package: NpmPackage, flag: str) -> Path:
    """Check that ``folder`` is an unpacked copy of ``package`` and return it.

    Example:
        >>> local_package(tempfile.mkdtemp(), PYODIDE, "--pyodide")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        viz.pages.site.WebBuildError: --pyodide ...: no readable package.json (an unpacked pyodide package is expected)
    """
    path = Path(folder)
    if not path.is_dir():
        raise WebBuildError(f"{flag} {path}: not a folder")
    _check_version(path, package, flag)
    lacking = missing_files(path, package)
    if lacking:
        raise WebBuildError(f"{flag} {path}: lacks {', '.join(lacking)}")
    return path


def cached_package(package: NpmPackage, cache: Path | None = None) -> Path:
    """Where the unpacked ``package`` lives in the cache (whether it is there yet or not).

    Example:
        >>> cached_package(VIZ_JS, Path("cache")).as_posix()
        'cache/viz-js-viz-3.31.0/package'
    """
    cache = cache if cache is not None else cache_folder()
    return (
        cache / f"{package.name.replace('@', '').replace('/', '-')}-{package.version}" / "package"
    )


def _extract(archive: tarfile.TarFile, folder: Path) -> None:
    names = archive.getnames()
    unsafe = [n for n in names if n.startswith(("/", "\\")) or ".." in Path(n).parts]
    if unsafe:
        raise WebBuildError(f"the npm package holds a path outside its folder: {unsafe[0]}")
    if hasattr(tarfile, "data_filter"):  # Python 3.12, and 3.10.12/3.11.4 onwards
        archive.extractall(folder, filter="data")
    else:
        archive.extractall(folder)  # noqa: S202 (paths checked above)


def fetch_package(package: NpmPackage, cache: Path | None = None) -> Path:
    """The unpacked npm ``package`` from the cache, fetched with ``npm pack`` the first time.

    Example (not run: it may download):
        >>> fetch_package(PYODIDE)  # doctest: +SKIP
        PosixPath('/root/.cache/chalkgrad-web/pyodide-314.0.8/package')
    """
    cache = cache if cache is not None else cache_folder()
    unpacked = cached_package(package, cache)
    target = unpacked.parent
    if unpacked.is_dir() and not missing_files(unpacked, package):
        return unpacked
    npm = shutil.which("npm")
    if npm is None:
        raise WebBuildError(
            f"npm is not installed: install Node.js and npm to fetch {package.spec}, or give "
            "a local copy with --pyodide DIR / --viz DIR"
        )
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as work:
        try:
            done = subprocess.run(
                [npm, "pack", package.spec, "--pack-destination", work, "--json", "--silent"],
                capture_output=True,
                text=True,
                timeout=NPM_TIMEOUT,
                cwd=work,
            )
        except subprocess.TimeoutExpired:
            raise WebBuildError(
                f"npm pack {package.spec} did not finish in {NPM_TIMEOUT:g} s"
            ) from None
        tarballs = sorted(Path(work).glob("*.tgz"))
        if done.returncode != 0 or not tarballs:
            lines = (done.stderr or done.stdout).strip().splitlines()
            detail = next((line for line in lines if "ERR" in line), lines[-1] if lines else "")
            raise WebBuildError(f"npm pack {package.spec} failed: {detail.strip()}")
        with tarfile.open(tarballs[0]) as archive:
            _extract(archive, Path(work) / "out")
        if target.exists():
            shutil.rmtree(target)
        (Path(work) / "out").rename(target)  # whole or not at all
    lacking = missing_files(unpacked, package)
    if lacking:
        raise WebBuildError(f"{package.spec} from npm lacks {', '.join(lacking)}")
    return unpacked


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode("ascii")


def write_wheel(
    folder: str | os.PathLike,
    name: str,
    version: str,
    packages: tuple[str, ...],
    summary: str = "",
) -> Path:
    """Write a pure-Python wheel of the installed ``packages`` into ``folder``; return it.

    The files are read from where Python imports them, so an editable install and an
    installed wheel give the same result. Caches and :data:`LEFT_OUT` are left out.

    Example:
        >>> wheel = write_wheel(tempfile.mkdtemp(), "chalkgrad", "0.1.0", ("autograd",))
        >>> wheel.name
        'chalkgrad-0.1.0-py3-none-any.whl'
        >>> names = zipfile.ZipFile(wheel).namelist()
        >>> "autograd/value.py" in names, names[-1]
        (True, 'chalkgrad-0.1.0.dist-info/RECORD')
    """
    dist = f"{name.replace('-', '_')}-{version}"
    out = Path(folder) / f"{dist}-py3-none-any.whl"
    files: list[tuple[str, bytes]] = []
    for package in packages:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise WebBuildError(f"package {package!r} is not importable here")
        root = Path(list(spec.submodule_search_locations)[0])
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root)
            if path.is_dir() or "__pycache__" in relative.parts or path.suffix in (".pyc", ".pyo"):
                continue
            if relative.as_posix().startswith(LEFT_OUT):
                continue
            files.append((f"{package}/{relative.as_posix()}", path.read_bytes()))
    info = f"{dist}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: {summary}\n"
    wheel = (
        "Wheel-Version: 1.0\nGenerator: chalkgrad web\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    files.append((f"{info}/METADATA", metadata.encode("utf-8")))
    files.append((f"{info}/WHEEL", wheel.encode("utf-8")))
    record = "".join(f"{path},{_record_hash(data)},{len(data)}\n" for path, data in files)
    record += f"{info}/RECORD,,\n"
    files.append((f"{info}/RECORD", record.encode("utf-8")))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files:
            archive.writestr(
                zipfile.ZipInfo(path, (2020, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED
            )
    return out


def _installed_version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        raise WebBuildError(f"the Python package {distribution!r} is not installed") from None


def _copy_package(source: Path, package: NpmPackage, site: Path) -> None:
    for name in package.files:
        target = site / package.folder / Path(name).name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, target)


def build_site(
    out_dir: str | os.PathLike,
    pyodide: str | os.PathLike | None = None,
    viz_js: str | os.PathLike | None = None,
    cache: str | os.PathLike | None = None,
) -> Path:
    """Build the playground site into ``out_dir``; returns the path of its ``index.html``.

    ``pyodide`` and ``viz_js`` are folders holding the unpacked npm packages; without
    them the packages are fetched with ``npm pack`` into ``cache`` (default
    :func:`cache_folder`) the first time and reused after.

    Example (not run: it may download 8 MB):
        >>> build_site("site")  # doctest: +SKIP
        PosixPath('site/index.html')
    """
    site = Path(out_dir)
    if site.exists() and not site.is_dir():
        raise WebBuildError(f"{site} exists and is not a folder")
    cache_path = Path(cache) if cache is not None else None
    sources = {
        PYODIDE: local_package(pyodide, PYODIDE, "--pyodide")
        if pyodide is not None
        else fetch_package(PYODIDE, cache_path),
        VIZ_JS: local_package(viz_js, VIZ_JS, "--viz")
        if viz_js is not None
        else fetch_package(VIZ_JS, cache_path),
    }
    site.mkdir(parents=True, exist_ok=True)
    for package, source in sources.items():
        _copy_package(source, package, site)
    wheels = site / "wheels"
    if wheels.exists():
        shutil.rmtree(wheels)
    wheels.mkdir()
    chalkgrad = write_wheel(
        wheels,
        "chalkgrad",
        _installed_version("chalkgrad"),
        WHEEL_PACKAGES,
        "chalkgrad's Value engine and pictures",
    )
    graphviz = write_wheel(
        wheels,
        "graphviz",
        _installed_version("graphviz"),
        ("graphviz",),
        "the graphviz Python package (DOT source only)",
    )
    for name in SITE_FILES:
        shutil.copyfile(ASSETS / name, site / name)
    manifest = {
        "wheels": [f"wheels/{graphviz.name}", f"wheels/{chalkgrad.name}"],
        "pyodide": f"{PYODIDE.folder}/",
        "viz": f"{VIZ_JS.folder}/viz.js",
        "versions": {p.name: p.version for p in sources},
    }
    (site / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return site / "index.html"
