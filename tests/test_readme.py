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
