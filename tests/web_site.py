"""The playground site for the web tests, built once per test run (skipped, saying why, when it
cannot be: no npm and no local copies of the npm packages).

The npm packages are cached by ``viz.pages.site`` under ``~/.cache/chalkgrad-web`` (or
``$CHALKGRAD_WEB_CACHE``), so only the first run on a machine downloads them.
"""

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

import pytest

from viz.pages.site import PYODIDE, VIZ_JS, WebBuildError, build_site, cached_package, missing_files

QUICKSTART = "z = w*x + b; L = (y - exp(z))**2 / 2"
QUICKSTART_SET = "w=2,x=-1,b=0.5,y=1"


def _cached(package):
    folder = cached_package(package)
    return folder.is_dir() and not missing_files(folder, package)


@functools.cache
def _build() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="chalkgrad-site-"))
    atexit.register(shutil.rmtree, folder, True)  # 15 MB: not left behind in /tmp
    build_site(folder / "site")
    return folder / "site"


def site() -> Path:
    """The built site's folder, or skip the test saying why it cannot be built."""
    if shutil.which("npm") is None and not (_cached(PYODIDE) and _cached(VIZ_JS)):
        pytest.skip(
            "npm is not installed and the npm packages are not cached (apt-get install nodejs npm)"
        )
    try:
        return _build()
    except WebBuildError as error:
        pytest.fail(f"chalkgrad web could not build the site: {error}")
