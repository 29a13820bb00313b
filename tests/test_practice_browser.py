"""The practice page in a real headless Chromium: checking, hints, readiness, score, reset.

L = (w*x - 1)**2 with w = 2, x = 3, by hand: d = w*x - 1 = 5, dL/dd = 2d = 10,
dL/d(w*x) = 10, dL/dw = 10 * x = 30, dL/dx = 10 * w = 20.
"""

import json
import math
import re

import pytest
from hand_graphs import squared_error
from page_browser import open_browser

from autograd import Value
from viz.pages.practice_page import quiz_html
from viz.practice.quiz import QuizTooBigError


def test_page_is_self_contained_and_hides_gradients(tmp_path):
    L, w, _ = squared_error()
    text = quiz_html(L, tmp_path / "q.html").read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=\"?https?:", text)
    assert "eval(" not in text and "Function(" not in text
    data = json.loads(re.search(r'id="quiz-data">(.*?)</script>', text, re.S).group(1))
    assert [(q["name"], q["expected"]) for q in data["questions"]] == [
        ("d", 10.0),
        ("mul#2", 10.0),
        ("x", 20.0),
        ("w", 30.0),
    ]
    svg = text.split("<svg", 1)[1]
    assert "grad 30" not in svg and "grad 10" not in svg  # no gradient in the picture
    assert text.count('data-node="') == 4
    assert w.grad == 0.0  # the page does not run backward on the graph


def test_label_cannot_break_the_page(tmp_path):
    x = Value(1.0, label='"><script>alert(1)</script>')
    text = quiz_html(x * 2, tmp_path / "q.html").read_text(encoding="utf-8")
    assert "<script>alert" not in text
    assert text.count("</script>") == 2


def test_too_big_graph_is_refused_in_one_line(tmp_path):
    x = Value(0.5, label="x")
    y = x
    for _ in range(100):
        y = y * 1.01
    with pytest.raises(QuizTooBigError, match=r"^\d+ blanks .* quiz a part of the graph") as error:
        quiz_html(y, tmp_path / "q.html")
    assert "\n" not in str(error.value)
    assert not (tmp_path / "q.html").exists()


@pytest.fixture
def browser(tmp_path):
    driver = open_browser(tmp_path, 800, 600)  # Chromium's own default window
    yield driver
    driver.quit()


def _helpers(browser):
    from selenium.webdriver.common.by import By

    box = lambda name, kind="grad": browser.find_element(
        By.CSS_SELECTOR, f'input[data-node="{name}"][data-kind="{kind}"]'
    )
    row = lambda name, kind="grad": box(name, kind).find_element(By.XPATH, "..")
    text = lambda element_id: browser.find_element(By.ID, element_id).text

    def answer(name, value, kind="grad"):
        field = box(name, kind)
        field.clear()
        field.send_keys(value)
        row(name, kind).find_element(By.CLASS_NAME, "check").click()
        return field.get_attribute("data-state")

    return box, row, text, answer


def test_practice_in_headless_chromium(browser, tmp_path):
    from selenium.webdriver.common.by import By

    L, _, _ = squared_error()
    browser.get(quiz_html(L, tmp_path / "q.html", precision=2).as_uri())
    box, row, text, answer = _helpers(browser)
    ready = lambda: [
        e.get_attribute("data-node")
        for e in browser.find_elements(By.CSS_SELECTOR, ".q.ready input")
    ]

    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    assert text("score") == "score 0 / 4" and text("progress") == "0 / 4 done"
    assert ready() == ["d"]  # only d: every other node waits for a node that uses it
    assert box("w").get_attribute("disabled") == "true"
    # the seed is written into the output's box, d's blank is still empty
    assert browser.find_element(By.ID, "v5").text.splitlines()[-1] == "1"

    browser.find_element(By.ID, "v4").click()  # clicking d's box focuses d's answer box
    assert browser.switch_to.active_element.get_attribute("data-node") == "d"
    assert "q-focus" in browser.find_element(By.ID, "v4").get_attribute("class")
    assert answer("d", "2*6") == "wrong"
    hint = row("d").find_element(By.CLASS_NAME, "hint-text")
    assert hint.text == "∂L/∂d = ∂(d**2)/∂d, local: ∂(d**2)/∂d = 2·d^(2-1)"
    row("d").find_element(By.CLASS_NAME, "hint").click()  # second level: the numbers
    assert hint.text.splitlines()[1] == "∂L/∂d = 1·10"
    assert text("score") == "score 0 / 4"

    assert answer("d", "2 * 5") == "correct"
    # d's box shows its gradient
    assert browser.find_element(By.ID, "v4").text.splitlines()[-1] == "10"
    assert ready() == ["mul#2"]
    assert answer("mul#2", "10") == "correct"
    assert sorted(ready()) == ["w", "x"]  # both inputs of w*x are ready: any order
    assert answer("w", "10*3") == "correct"
    assert answer("x", "1e1 * 2.0") == "correct"
    assert text("score") == "score 4 / 4" and text("progress") == "4 / 4 done"
    assert "All done" in text("finished")

    browser.find_element(By.ID, "reset").click()
    assert text("score") == "score 0 / 4" and ready() == ["d"]
    assert box("w").get_attribute("data-state") is None and box("w").get_attribute("value") == ""
    assert "10" not in browser.find_element(By.ID, "v4").text.split()

    assert answer("d", "10.05") == "correct"  # within 1%
    browser.find_element(By.ID, "reveal").click()
    assert box("w").get_attribute("value") == "30"
    assert box("w").get_attribute("data-state") == "revealed"
    assert text("score") == "score 1 / 4" and text("progress") == "4 / 4 done"


def test_answers_are_parsed_not_evaluated(browser, tmp_path):
    L, _, _ = squared_error()
    browser.get(quiz_html(L, tmp_path / "q.html").as_uri())
    parse = lambda s: browser.execute_script(
        "try { var v = window.chalkgradQuiz.parseAnswer(arguments[0]);"
        " return isFinite(v) ? v : String(v); }"
        " catch (e) { return 'error: ' + e.message; }",
        s,
    )
    assert parse("2*3 - 1") == 5 and parse("−0.5") == -0.5 and parse("2^3") == 8
    assert parse("2**3") == 8 and parse("-(1 + 1)/4") == -0.5 and parse("3 × 2") == 6
    assert parse("1e-3") == 0.001 and parse("-2^2") == -4
    for bad in ("alert(1)", "Math.PI", "2 +", "(1", "", "x"):
        assert str(parse(bad)).startswith("error: "), bad
    # the page and the terminal quiz read answers the same way
    from viz.practice.answers import AnswerError, parse_answer

    for text in (
        "1/4",
        "2^-1",
        "-(3)",
        "2 ** 0.5",
        "((2))",
        "3--1",
        "1/0",
        "0.1*3",
        ".5",
        "1e2",
        "2(3)",
        "2 3",
        "--1",
        "1+",
        ")",
        "1e",
        "8^(1/3)",
        "inf",
        "-INF",
        "infinity",
        "nan",
        "2 * * 3",
        "1e200^2",
        "2^3^4",
        "(-10)^401",
        "0x10",
        "1_0",
        "(-8)^(1/3)",
    ):
        try:
            expected = parse_answer(text)
        except AnswerError:
            expected = None
        got = parse(text)
        if expected is None:
            assert str(got).startswith("error: "), text
        elif math.isnan(expected):
            assert got == "NaN", text
        elif math.isinf(expected):
            assert got == ("Infinity" if expected > 0 else "-Infinity"), text
        else:
            assert got == pytest.approx(expected, rel=1e-12), text
    *_, answer = _helpers(browser)
    assert answer("d", "window.close()") == "unreadable"


def test_forward_mode_fills_values_first(browser, tmp_path):
    L, _, _ = squared_error()
    browser.get(quiz_html(L, tmp_path / "q.html", forward=True).as_uri())
    box, row, text, answer = _helpers(browser)
    assert text("score") == "score 0 / 7"
    assert box("d").get_attribute("disabled") == "true"  # gradients wait for the values
    assert answer("mul#2", "6", kind="data") == "correct"
    assert answer("d", "6 - 1", kind="data") == "correct"
    assert answer("L", "24", kind="data") == "wrong"
    hint = row("L", "data").find_element(By_CLASS, "hint-text")
    assert hint.text == "L = d**2"
    assert answer("L", "26", kind="data") == "wrong"
    assert hint.text.splitlines() == ["L = d**2", "L = 5**2"]
    assert answer("L", "25", kind="data") == "correct"
    assert answer("d", "10") == "correct"


def test_works_at_400_px(browser, tmp_path):
    from selenium.webdriver.common.by import By

    L, _, _ = squared_error()
    browser.set_window_size(400, 800)
    browser.get(quiz_html(L, tmp_path / "q.html").as_uri())
    width = browser.execute_script("return document.documentElement.clientWidth")
    scroll = browser.execute_script("return document.documentElement.scrollWidth")
    assert scroll <= width  # nothing sticks out sideways
    tall = browser.find_element(By.ID, "graph-tall")
    assert tall.is_displayed() and not browser.find_element(By.ID, "graph-wide").is_displayed()
    field = browser.find_element(By.CSS_SELECTOR, 'input[data-node="d"]')
    assert field.rect["x"] + field.rect["width"] <= width
    *_, answer = _helpers(browser)
    assert answer("d", "10") == "correct"
    assert browser.find_element(By.ID, "tall-v4").text.splitlines()[-1] == "10"
    svg = browser.find_element(By.CSS_SELECTOR, "#graph-tall svg")
    before = svg.rect["width"]
    browser.find_element(By.ID, "zoom-in").click()
    assert svg.rect["width"] == pytest.approx(before * 1.25, rel=0.02)
    browser.find_element(By.ID, "zoom-fit").click()
    assert svg.rect["width"] <= width


By_CLASS = "class name"
