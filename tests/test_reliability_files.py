"""Every file chalkgrad writes is written whole or not at all; a closed pipe is quiet.

A full disk is simulated two ways: a file-size limit (RLIMIT_FSIZE) in a child
process, and a failing ``fsync`` (what a full file system reports late) in process.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from viz.cli import command as cli
from viz.files import write_atomic

GOOD = "an old file that must survive\n"


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _full_disk(monkeypatch):
    def fail(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("viz.files.os.fsync", fail)


def test_write_atomic_replaces_whole_files_and_keeps_permissions(tmp_path):
    path = tmp_path / "g.svg"
    path.write_text("old")
    path.chmod(0o640)
    write_atomic(path, "new text")
    assert path.read_text() == "new text"
    assert path.stat().st_mode & 0o777 == 0o640
    assert _leftovers(tmp_path) == []


def test_write_atomic_follows_a_symlink_to_its_target(tmp_path):
    target = tmp_path / "real.svg"
    target.write_text("old")
    link = tmp_path / "link.svg"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert link.is_symlink() and target.read_text() == "new"


def test_write_atomic_on_a_full_disk_keeps_the_old_file_and_names_the_path(tmp_path, monkeypatch):
    path = tmp_path / "g.svg"
    path.write_text(GOOD)
    _full_disk(monkeypatch)
    with pytest.raises(
        OSError,
        match=r"cannot write .*g\.svg: No space left on device; the "
        r"file there is unchanged",
    ) as info:
        write_atomic(path, "<svg>new</svg>")
    assert info.value.errno == errno.ENOSPC
    assert path.read_text() == GOOD
    assert _leftovers(tmp_path) == []


def test_write_atomic_in_a_missing_folder_names_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"cannot write .*nowhere.*no file was written"):
        write_atomic(tmp_path / "nowhere" / "g.svg", b"x")


def test_write_atomic_refuses_other_data():
    with pytest.raises(TypeError, match="write_atomic needs bytes or str, got int"):
        write_atomic("unused.txt", 3)


@pytest.mark.parametrize("suffix", ["svg", "dot", "png", "pdf"])
def test_draw_on_a_full_disk_keeps_the_old_picture(capsys, tmp_path, monkeypatch, suffix):
    path = tmp_path / f"g.{suffix}"
    path.write_text(GOOD)
    _full_disk(monkeypatch)
    status = cli.main(["draw", "y = 2*x", "--set", "x=1", "-o", str(path)])
    err = capsys.readouterr().err
    assert status == 1
    assert err.strip() == (
        f"chalkgrad draw: error: [Errno 28] cannot write {path}: No space "
        "left on device; the file there is unchanged"
    )
    assert path.read_text() == GOOD
    assert _leftovers(tmp_path) == []


def test_steps_html_on_a_full_disk_writes_nothing(capsys, tmp_path, monkeypatch):
    path = tmp_path / "steps.html"
    _full_disk(monkeypatch)
    status = cli.main(["steps", "y = x*x", "--set", "x=3", "--html", str(path)])
    err = capsys.readouterr().err
    assert status == 1
    assert f"cannot write {path}: No space left on device; no file was written" in err
    assert not path.exists() and _leftovers(tmp_path) == []


def test_a_demo_on_a_full_disk_keeps_its_old_picture(capsys, tmp_path, monkeypatch):
    from autograd import Value
    from demos.common import save_graph

    old = tmp_path / "times3.svg"
    old.write_text(GOOD)
    _full_disk(monkeypatch)
    with pytest.raises(OSError, match="cannot write .*times3.svg"):
        save_graph(Value(2.0, label="x") * 3, tmp_path, "times3")
    assert old.read_text() == GOOD


def _child(code: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.skipif(
    not hasattr(os, "fork") or sys.platform == "win32",
    reason="RLIMIT_FSIZE is a Unix resource limit",
)
def test_a_file_size_limit_leaves_svg_and_html_untouched(tmp_path):
    svg, page = tmp_path / "g.svg", tmp_path / "steps.html"
    svg.write_text(GOOD)
    page.write_text(GOOD)
    done = _child(
        """
        import resource, sys
        from viz.cli import command as cli
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))  # pictures are larger
        a = cli.main(["draw", "L = (w*x - 1)**2", "--set", "w=2", "x=3", "-o", "g.svg"])
        b = cli.main(["steps", "L = (w*x - 1)**2", "--set", "w=2", "x=3", "--html", "steps.html"])
        sys.exit(10 * a + b)
    """,
        tmp_path,
    )
    assert done.returncode == 11, done.stderr
    assert "chalkgrad draw: error: [Errno 27] cannot write g.svg: File too large" in done.stderr
    assert (
        "chalkgrad steps: error: [Errno 27] cannot write steps.html: File too large" in done.stderr
    )
    assert svg.read_text() == GOOD and page.read_text() == GOOD
    assert _leftovers(tmp_path) == []


@pytest.mark.skipif(sys.platform == "win32", reason="uses a POSIX shell pipe into head")
def test_a_demo_piped_into_head_stops_quietly(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    script = (
        f"{sys.executable} -m viz.cli demo funky-conv1d --out {tmp_path} | head -1; "
        "echo status ${PIPESTATUS[0]} >&2"
    )
    done = subprocess.run(
        ["bash", "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.stdout == "=" * 78 + "\n"
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr
    assert "demo failed" not in done.stderr
    assert done.stderr.strip().endswith("status 1")
