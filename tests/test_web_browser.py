"""The built playground in a real headless Chromium, served on 127.0.0.1, every other host
unresolvable: the Quickstart exercise opened by URL, values edited, practice answered, the
time limit and the stop button, an expression error, a 400 px screen, and no request to
any other host.

L = (y - exp(z))**2 / 2 with z = w*x + b at w=2, x=-1, b=0.5, y=1: z = -1.5,
exp(z) = 0.22313, L = (0.77687)**2 / 2 = 0.30176; with w=1, x=2, b=0, y=1: z = 2,
exp(z) = 7.38906, L = (-6.38906)**2 / 2 = 20.41.
"""

import functools
import http.server
import threading
import time
from urllib.parse import quote, urlencode

import pytest
from page_browser import open_browser
from web_site import QUICKSTART, QUICKSTART_SET, site

from viz.expression import build, parse_settings
from viz.pages.playground import split_settings
from viz.practice.quiz import make_quiz

LOAD_SECONDS = 120  # the first start reads about 15 MB and compiles the WebAssembly


class _Quiet(http.server.SimpleHTTPRequestHandler):
    served: list[str] = []

    def log_message(self, *args):  # the test reads the paths, not the log
        pass

    def do_GET(self):
        type(self).served.append(self.path)
        super().do_GET()


@pytest.fixture(scope="module")
def server():
    folder = site()
    handler = type("Handler", (_Quiet,), {"served": []})
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(folder))
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", handler.served
    httpd.shutdown()


def _open(tmp_path, width=1200, height=900, netlog=None):
    flags = [
        # every host but the one serving the site is unresolvable
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--disable-features=AutofillServerCommunication",  # Chromium's own, not the page's
    ]
    if netlog is not None:  # every request of the browser, the page's worker's included
        flags.append(f"--log-net-log={netlog}")
    return open_browser(tmp_path, width, height, extra_flags=flags, load_timeout=60)


def _page_requests(netlog):
    """The URLs that the page and its worker asked for, from Chromium's network log.

    A request the page or its worker makes names the page's origin as its initiator, and
    one made for the page (the navigation, Chromium's own services working for it) carries
    the page's site in its network isolation key. Chromium's background requests for
    itself (updates, time, accounts) carry neither and are not the page's.
    """
    import json

    text = netlog.read_text(encoding="utf-8").rstrip()
    if not text.endswith("}"):  # a log cut short still has every event written before
        text = text.rstrip(",") + "]}"
    log = json.loads(text)
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = set()
    for event in log["events"]:
        params = event.get("params", {})
        if event["type"] != start or "url" not in params:
            continue
        initiator = params.get("initiator", "")
        if initiator.startswith("http") or "127.0.0.1" in params.get("network_isolation_key", ""):
            urls.add(params["url"])
    return sorted(urls)


def _wait_state(driver, states, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = driver.execute_script("return document.body.getAttribute('data-state');")
        if state in states:
            return state
        time.sleep(0.05)
    raise AssertionError(f"page state stayed {state!r}, waited for {states} ({seconds} s)")


def _role(driver, name):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, f'[data-role="{name}"]')


def _submit(driver, role, text):
    from selenium.webdriver.common.keys import Keys

    box = _role(driver, role)
    box.clear()
    box.send_keys(text + Keys.ENTER)


def _run_and_wait(driver, action, seconds=30):
    """Do ``action``, then wait until the page has shown a new answer."""
    driver.execute_script("document.body.setAttribute('data-state', 'asked');")
    action()
    return _wait_state(driver, ("done", "error"), seconds)


def _url(base, expression, settings, extra=""):
    # as a person types it into the address bar: the browser escapes what it must
    return f"{base}?expr={quote(expression, safe='=*();/+,')}&set={settings}{extra}"


@pytest.fixture
def browser(tmp_path):
    driver = _open(tmp_path)
    yield driver
    driver.quit()


def test_quickstart_by_url_edit_values_and_practice(tmp_path, server):
    base, served = server
    netlog = tmp_path / "netlog.json"
    browser = _open(tmp_path, netlog=netlog)
    try:
        _quickstart_session(browser, base)
    finally:
        browser.quit()
    # nothing asked of any host but the one serving the site
    urls = _page_requests(netlog)
    assert [u for u in urls if not u.startswith(base)] == []
    assert base + "pyodide/pyodide.asm.wasm" in urls  # the worker's requests are logged too
    for needed in ("/worker.js", "/pyodide/pyodide.asm.wasm", "/viz/viz.js", "/manifest.json"):
        assert needed in served


def _quickstart_session(browser, base):
    from selenium.webdriver.common.by import By

    browser.get(_url(base, QUICKSTART, QUICKSTART_SET))
    assert _wait_state(browser, ("done", "error"), LOAD_SECONDS) == "done"
    picture = _role(browser, "picture")
    assert picture.find_elements(By.CSS_SELECTOR, "svg")
    text = picture.text
    assert "0.3018" in text and "grad" in text  # L's value, and the gradients drawn
    assert _role(browser, "steps").text.startswith("backward from L (seed ∂L/∂L = 1)")
    assert _role(browser, "expression").get_attribute("value") == QUICKSTART
    assert not _role(browser, "error").is_displayed()

    # edit the values, press Enter: a new picture without reloading the page
    browser.execute_script("window.notReloaded = true;")
    _run_and_wait(browser, lambda: _submit(browser, "values", "w=1,x=2,b=0,y=1"))
    assert "20.41" in _role(browser, "picture").text
    assert browser.execute_script("return window.notReloaded === true;")
    assert "set=w%3D1%2Cx%3D2%2Cb%3D0%2Cy%3D1" in browser.current_url  # a shareable link
    shared = browser.current_url

    # an expression error: one line in the error element, the last picture kept
    _run_and_wait(browser, lambda: _submit(browser, "expression", "L = (w*x - 1"))
    error = _role(browser, "error")
    assert error.is_displayed() and "\n" not in error.text
    assert error.text == "line 1, column 5: syntax error: '(' was never closed"

    # the shared link reopens the exercise; so does one written by a form encoder
    for link in (shared, base + "?" + urlencode({"expr": QUICKSTART, "set": "w=1,x=2,b=0,y=1"})):
        browser.get(link)
        assert _wait_state(browser, ("done", "error"), LOAD_SECONDS) == "done"
        assert _role(browser, "expression").get_attribute("value") == QUICKSTART
        assert "20.41" in _role(browser, "picture").text

    # practice mode by URL: answer boxes like viz.quiz_html's, checked with hints
    browser.get(_url(base, QUICKSTART, QUICKSTART_SET, "&mode=practice"))
    assert _wait_state(browser, ("done", "error"), LOAD_SECONDS) == "done"
    quiz = make_quiz(build(QUICKSTART, parse_settings(split_settings(QUICKSTART_SET))).root)
    boxes = browser.find_elements(By.CSS_SELECTOR, "input[data-node]")
    assert [b.get_attribute("data-node") for b in boxes] == [q.name for q in quiz.questions]
    first = boxes[0]
    first.send_keys("12345\n")
    assert first.get_attribute("data-state") == "wrong"
    hint = browser.find_element(By.CSS_SELECTOR, "#q0 .hint-text")
    assert hint.is_displayed() and hint.text
    for box, question in zip(boxes, quiz.questions, strict=True):
        box.clear()
        box.send_keys(f"{question.expected!r}\n")
        assert box.get_attribute("data-state") == "correct", question.name
    assert "9 / 9" in browser.find_element(By.ID, "score").text


def test_time_limit_and_stop_end_the_worker(browser, server):
    base, _ = server
    # a time limit no exercise meets: the worker is ended, the error says so, a new one loads
    browser.get(_url(base, QUICKSTART, QUICKSTART_SET, "&limit=0.001"))
    deadline = time.monotonic() + LOAD_SECONDS
    while not _role(browser, "error").text and time.monotonic() < deadline:
        time.sleep(0.05)
    error = _role(browser, "error")
    assert error.is_displayed()
    assert error.text == (
        "stopped after 0.001 s: the exercise took too long (a smaller graph draws faster)"
    )
    assert _wait_state(browser, ("ready",), LOAD_SECONDS) == "ready"  # a fresh worker

    browser.get(_url(base, QUICKSTART, QUICKSTART_SET))
    assert _wait_state(browser, ("done",), LOAD_SECONDS) == "done"
    # ask, and stop at once: the worker is ended and a new one loads
    browser.execute_script(
        "document.querySelector('[data-role=run]').click();"
        "document.querySelector('[data-role=stop]').click();"
    )
    assert _role(browser, "error").text.startswith("stopped: ")
    assert _wait_state(browser, ("ready",), LOAD_SECONDS) == "ready"
    _run_and_wait(browser, lambda: _role(browser, "run").click())
    assert "0.3018" in _role(browser, "picture").text and not _role(browser, "error").is_displayed()


def test_narrow_screen(tmp_path, server):
    base, _ = server
    driver = _open(tmp_path, 400, 800)
    try:
        driver.get(_url(base, QUICKSTART, QUICKSTART_SET, "&mode=practice"))
        assert _wait_state(driver, ("done",), LOAD_SECONDS) == "done"
        width = driver.execute_script("return document.documentElement.scrollWidth;")
        assert width <= 401  # nothing sticks out sideways: the picture scrolls inside its box
        assert _role(driver, "expression").rect["width"] > 300
    finally:
        driver.quit()
