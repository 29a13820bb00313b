"""The step-through page in a real headless Chromium: buttons, arrow keys, active edge."""

import json
import re
import shutil

import pytest

from autograd import Value
from viz.stepper import stepper_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def _graph():
    # L = (w*x - 1)**2 with w = 2, x = 3: dL/d(wx-1) = 10, dL/dw = 30, dL/dx = 20
    w, x = Value(2.0, label="w"), Value(3.0, label="x")
    d = w * x - 1
    d.label = "d"
    L = d**2
    L.label = "L"
    return L, w, x


def test_page_is_self_contained(tmp_path):
    L, w, _ = _graph()
    text = stepper_html(L, tmp_path / "steps.html", precision=2).read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=\"?https?:", text)
    data = json.loads(re.search(r'id="steps-data">(.*?)</script>', text, re.S).group(1))
    assert [(s["parentName"], s["totalText"], s["status"]) for s in data["steps"]] == [
        ("d", "10", "final"), ("mul#2", "10", "final"), ("1", "-10", "final"),
        ("w", "30", "final"), ("x", "20", "final"),
    ]
    for s in data["steps"]:
        assert f'id="{s["edge"]}"' in text  # every step's edge is in the inline SVG
    assert w.grad == 0.0  # the page does not run backward on the graph


def test_label_cannot_close_the_script(tmp_path):
    x = Value(1.0, label="</script><script>alert(1)</script>")
    y = x * 2
    text = stepper_html(y, tmp_path / "s.html").read_text(encoding="utf-8")
    assert "<script>alert" not in text
    assert text.count("</script>") == 2


@pytest.fixture
def browser(tmp_path):
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip("no Chromium/chromedriver found (apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-quic", "--no-first-run", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'p'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def test_stepping_in_headless_chromium(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    L, _, _ = _graph()
    page = stepper_html(L, tmp_path / "steps.html", precision=2)
    browser.get(page.as_uri())
    text = lambda element_id: browser.find_element(By.ID, element_id).text
    active = lambda: browser.execute_script(
        "return Array.from(document.querySelectorAll('g.edge.active')).map(e => e.id)")
    node_grad = lambda node_id: browser.execute_script(
        "return Array.from(document.getElementById(arguments[0]).querySelectorAll('text'))"
        ".map(t => t.textContent).filter(t => t.startsWith('grad '))[0]", node_id)

    assert text("counter") == "step 0 / 5"
    assert text("grad") == "1" and "seed" in text("chain")
    assert active() == []
    assert browser.find_element(By.ID, "prev").get_attribute("disabled") == "true"

    nxt = browser.find_element(By.ID, "next")
    nxt.click()
    assert text("counter") == "step 1 / 5"
    assert text("grad-name") == "∂L/∂d" and text("grad") == "10"
    assert "∂L/∂d += ∂L/∂L · ∂L/∂d" in text("chain") and "2·d^(2-1) = 10" in text("chain")
    assert active() == ["e5_0"]  # order w, x, w*x, 1, d, L: L is node 5, its input 0 is d
    assert node_grad("v4") == "grad 10"  # d's box now shows its gradient
    assert node_grad("v0") == "grad —"  # w not reached yet

    for _ in range(3):
        nxt.click()
    assert text("counter") == "step 4 / 5"
    assert text("grad-name") == "∂L/∂w" and text("grad") == "30" and text("status") == "(final)"
    assert "∂L/∂w = ∂L/∂mul#2 · ∂mul#2/∂w = 10 · 3 = 30" in text("summary")
    assert active() == ["e2_0"] and node_grad("v0") == "grad 30"

    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.ARROW_RIGHT)
    assert text("grad-name") == "∂L/∂x" and text("grad") == "20"
    assert browser.find_element(By.ID, "next").get_attribute("disabled") == "true"
    body.send_keys(Keys.ARROW_LEFT)
    body.send_keys(Keys.ARROW_LEFT)
    assert text("counter") == "step 3 / 5" and text("grad") == "-10"
    assert node_grad("v0") == "grad —"  # stepping back hides w's gradient again
