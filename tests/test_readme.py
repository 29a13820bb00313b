"""The README's Quickstart is what CI runs: two commands, the second one in .ci/run verbatim."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def quickstart_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```(?:bash|sh)?\n(.*?)```", section, re.S).group(1)
    return [line.strip() for line in block.splitlines() if line.strip()]


def test_quickstart_is_exactly_two_commands():
    commands = quickstart_commands()
    assert len(commands) == 2, commands
    assert commands[0].startswith("pip install ")
    assert commands[1].startswith("pip install ")


def test_ci_runs_the_readme_test_command():
    test_command = quickstart_commands()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in [line.strip() for line in ci]


def python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, re.S)


def expected_output(block: str) -> list[str]:
    """The README writes expected output as comments: after a print, or on a line of its own."""
    lines = []
    for line in block.splitlines():
        code, _, comment = line.partition("#")
        if comment and (not code.strip() or code.strip().startswith("print(")):
            lines.append(comment.strip())
    return lines


def test_readme_examples_print_what_the_readme_says(tmp_path):
    import subprocess
    import sys

    blocks = python_blocks()
    assert len(blocks) >= 2
    for block in blocks:
        done = subprocess.run(
            [sys.executable, "-c", block], capture_output=True, text=True, cwd=tmp_path, timeout=120
        )
        assert done.returncode == 0, done.stderr
        for expected in expected_output(block):
            assert expected in done.stdout, (expected, done.stdout)
