"""The terminal quiz and the practice page read typed answers with one grammar.

``viz/practice/answers.py`` (Python) and ``viz/pages/assets/answers.js`` (the page) are
run on the same answers, a written table and thousands of random strings over the
grammar's alphabet, and must agree on every one: the same number (inf and nan
included) or both a refusal. Needs Node.js (the browser test in
test_practice_browser.py checks the page itself).
"""

import json
import math
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from viz.practice.answers import AnswerError, parse_answer

NODE = shutil.which("node") or shutil.which("nodejs")
ANSWERS_JS = Path(__file__).resolve().parent.parent / "viz" / "pages" / "assets" / "answers.js"
pytestmark = pytest.mark.skipif(
    NODE is None, reason="Node.js is not installed (apt install nodejs)"
)

TABLE = [
    # numbers
    "3", "-0.5", "−0.5", ".5", "5.", "1e2", "1E-2", "1.e5", "1e+3", "1e400", "1e-400", "007",
    # arithmetic
    "2*3 - 1", "1/4", "2^3", "2**3", "-2^2", "2^-1", "2^3^2", "(-2)^2", "3--1", "--1", "+-+1",
    "((2))", "-(3)", "3 × 2 · 2", "1/0", "-1/0", "1/-0", "0/0", "0^-1", "(-0)^-1", "(-0)^-2",
    "8^(1/3)", "(-8)^(1/3)", "(-8)^2", "(-2)^0.5", "1^inf", "(-1)^inf", "inf^0", "nan^0",
    "2^inf", "0.5^inf", "(-2)^inf", "inf", "-INF", "nan", "NaN", "inf-inf", "0*inf",
    # overflow is an answer, never a crash
    "1e200^2", "1e200**2", "2**100000", "(-10)^401", "(-10)^400", "10^400", "1e200*1e200",
    "10^-400", "-1e308*10",
    # refused by both
    "", "   ", "x", "2 +", "(1", ")", "1e", "2(3)", "2 3", "2 * * 3", "2***3", "0x10", "1_0",
    "0b1", "1j", "infinity", "٣", "alert(1)", "Math.PI", "1,5", "2^", "^2", "()", "e5",
    "1" * 201, " " * 3 + "1" * 199 + " ",
]  # fmt: skip
ALPHABET = "0123456789.eE+-*/^() \u2212×·infaxn_"


def python_reading(text: str) -> object:
    try:
        value = parse_answer(text)
    except AnswerError:
        return "refused"
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def javascript_readings(texts: list[str]) -> list[object]:
    script = (
        f"const a = require({json.dumps(str(ANSWERS_JS))});\n"
        "const texts = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n"
        "console.log(JSON.stringify(texts.map(t => {\n"
        "  let v; try { v = a.parseAnswer(t); } catch (e) { return 'refused'; }\n"
        "  if (Number.isNaN(v)) return 'nan';\n"
        "  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';\n"
        "  return v; })));\n"
    )
    done = subprocess.run(
        [NODE, "-e", script], input=json.dumps(texts), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def random_answers(count: int, seed: int = 21) -> list[str]:
    rng = random.Random(seed)
    pieces = list(ALPHABET) + ["**", "inf", "nan", "1e200", "0x", "1_0", "(-", "^-"]
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(count)]


def _agree(python: object, javascript: object) -> bool:
    if isinstance(python, float) and isinstance(javascript, int | float):
        return python == pytest.approx(javascript, rel=1e-12, abs=0)
    return python == javascript


def test_the_python_and_javascript_readers_agree_on_the_table():
    got = javascript_readings(TABLE)
    for text, javascript in zip(TABLE, got):
        assert _agree(python_reading(text), javascript), (text, python_reading(text), javascript)


def test_they_agree_on_random_strings_over_the_alphabet():
    texts = random_answers(4000)
    got = javascript_readings(texts)
    disagreements = [
        (t, python_reading(t), j) for t, j in zip(texts, got) if not _agree(python_reading(t), j)
    ]
    assert disagreements == []
    readable = sum(python_reading(t) != "refused" for t in texts)
    assert readable > 150  # the random strings do reach the arithmetic (229 with this seed)


def test_written_values_of_the_table():
    # a few of the table's answers, by hand
    assert [python_reading(t) for t in ("1e200^2", "(-10)^401", "2^3^2", "-2^2", "1/-0")] == [
        "inf",
        "-inf",
        512.0,
        -4.0,
        "-inf",
    ]
    assert [python_reading(t) for t in ("0x10", "1_0", "(-8)^(1/3)", "1^inf")] == [
        "refused",
        "refused",
        "refused",
        "nan",
    ]
