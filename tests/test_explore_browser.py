"""The explorable page in headless Chromium: open/close boxes, search, info, pan, zoom, steps."""

import json
import re

import pytest
from page_browser import inside, open_browser, rect_of

from autograd import Tensor
from viz.pages.explore import explore_html


def _layer():
    # L = sum(relu(W @ x)), W = [[1, 2], [3, -4]], x = [5, 6]:
    # W @ x = [17, -9], relu = [17, 0], L = 17; dL/dW = [[5, 6], [0, 0]], dL/dx = [1, 2]
    W = Tensor([[1.0, 2.0], [3.0, -4.0]], label="W")
    x = Tensor([5.0, 6.0], label="x")
    L = (W @ x).name("h").relu().name("a").sum()
    root = L.values.flat[0]
    root.label = "L"
    return root


@pytest.fixture
def page(tmp_path):
    return explore_html(_layer(), tmp_path / "layer.html", precision=2, max_nodes=6)


@pytest.fixture
def browser(tmp_path):
    driver = open_browser(tmp_path)
    yield driver
    driver.quit()


def _data(page):
    text = page.read_text(encoding="utf-8")
    return json.loads(re.search(r'id="page-data">(.*?)</script>', text, re.S).group(1))


def _box(data, name):
    return next(b for b, box in enumerate(data["boxes"]) if box["name"] == name)


def _node(data, name):
    return next(k for k, n in enumerate(data["nodes"]) if n[0] == name)


def test_click_opens_and_closes_a_box(browser, page):
    data = _data(page)
    w = _box(data, "W")
    browser.get(page.as_uri())
    box_id = data["boxes"][w]["id"]
    members = [k for k, n in enumerate(data["nodes"]) if n[4] == w]
    assert (
        len(members) == 4
        and browser.execute_script("return document.getElementById(arguments[0])", f"s{members[0]}")
        is None
    )
    browser.find_element("id", box_id).click()
    for k in members:  # W's four scalars are drawn, each with its data and final grad
        texts = browser.execute_script(
            "return Array.from(document.getElementById(arguments[0]).querySelectorAll('text'))"
            ".map(t => t.textContent.trim())",
            f"s{k}",
        )
        assert texts[0] == data["nodes"][k][0] and texts[1] == f"data {data['nodes'][k][2]}"
    assert (
        browser.execute_script(
            "return document.getElementById('s' + arguments[0]).querySelector('text').textContent"
            " + ' ' + Array.from(document.getElementById('s' + arguments[0]).querySelectorAll('text'))"
            ".map(t => t.textContent.trim()).pop()",
            _node(data, "W[0,1]"),
        )
        == "W[0,1] grad 6"
    )
    assert browser.find_element("id", box_id).is_displayed() is False
    # the opened picture does not overlap the boxes next to it
    opened = rect_of(browser, f"{box_id}-open")
    for other in data["boxes"]:
        if other["id"] != box_id:
            r = rect_of(browser, other["id"])
            assert r[2] <= opened[0] or r[0] >= opened[2] or r[3] <= opened[1] or r[1] >= opened[3]
    browser.find_element("css selector", f"#{box_id}-open text.caption").click()
    assert rect_of(browser, f"s{members[0]}") is None
    assert browser.find_element("id", box_id).is_displayed()


def test_hover_shows_name_op_data_grad_and_local_derivatives(browser, page):
    from selenium.webdriver.common.action_chains import ActionChains

    data = _data(page)
    browser.get(page.as_uri())
    # an edge between two boxes shows its tensor-level rule
    browser.execute_script(
        "Array.from(document.querySelectorAll('g.edge > title')).filter(t => t.textContent =="
        " arguments[0])[0].parentNode.querySelector('path').dispatchEvent(new PointerEvent("
        "'pointerover', {bubbles: true}))",
        f"{data['boxes'][_box(data, 'W')]['id']}->{data['boxes'][_box(data, 'h')]['id']}",
    )
    assert browser.find_element("id", "info").text.splitlines()[:2] == [
        "edge W → h",
        "∂L/∂W = ∂L/∂h xᵀ",
    ]
    browser.execute_script("chalkgrad.openBox(arguments[0])", _box(data, "h"))
    dot = next(k for k, n in enumerate(data["nodes"]) if n[1] == "dot" and n[2] == "17")
    ActionChains(browser).move_to_element(browser.find_element("id", f"s{dot}")).perform()
    info = browser.find_element("id", "info").text
    name = data["nodes"][dot][0]
    assert info.splitlines()[:3] == [f"{name}   op dot", "data 17", f"grad ∂L/∂{name} = 1"]
    # d(W[0,0] x[0] + W[0,1] x[1]) / dW[0,0] = x[0] = 5, and so on: the registry's formulas
    # (the local derivative written as the derivative of the node's formula)
    local = "∂(W[0,0]·x[0] + W[0,1]·x[1])"
    assert f"{local}/∂W[0,0] = x[0] = 5" in info and f"{local}/∂x[1] = W[0,1] = 2" in info
    box = data["boxes"][_box(data, "x")]["id"]
    browser.execute_script("chalkgrad.fit()")
    ActionChains(browser).move_to_element(browser.find_element("id", box)).perform()
    assert browser.find_element("id", "info").text.splitlines()[:3] == [
        "box x   2 scalars   (2) in the graph",
        "data 5 … 6",
        "grad ∂L/∂x in 1 … 2",
    ]


def test_search_opens_the_box_and_centres_the_node(browser, page):
    from selenium.webdriver.common.keys import Keys

    data = _data(page)
    browser.get(page.as_uri())
    browser.execute_script("chalkgrad.viewBox().x += 500; chalkgrad.zoomBy && 0")
    search = browser.find_element("id", "search")
    search.send_keys("W[1,0]", Keys.ENTER)
    k = _node(data, "W[1,0]")
    assert browser.find_element("id", "message").text == "found W[1,0]"
    assert "found" in browser.find_element("id", f"s{k}").get_attribute("class")
    node, view = rect_of(browser, f"s{k}"), rect_of(browser, "view")
    assert inside(node, view)
    centre = ((node[0] + node[2]) / 2, (node[1] + node[3]) / 2)
    assert (
        abs(centre[0] - (view[0] + view[2]) / 2) < 5
        and abs(centre[1] - (view[1] + view[3]) / 2) < 5
    )
    search.clear()
    search.send_keys("no_such_node", Keys.ENTER)
    assert browser.find_element("id", "message").text == "no node named no_such_node"


def _view_box(browser):
    return browser.execute_script("var v = chalkgrad.viewBox(); return [v.x, v.y, v.w, v.h];")


def test_pan_and_zoom_by_mouse_keyboard_and_touch(browser, page):
    from selenium.webdriver.common.action_chains import ActionChains

    browser.get(page.as_uri())
    view = browser.find_element("id", "view")
    start = _view_box(browser)
    browser.execute_script(  # mouse wheel up: zoom in around the pointer
        "arguments[0].dispatchEvent(new WheelEvent('wheel', {deltaY: -200, clientX: 300,"
        " clientY: 300, bubbles: true, cancelable: true}))",
        view,
    )
    zoomed = _view_box(browser)
    assert zoomed[2] < 0.8 * start[2]
    ActionChains(browser).move_to_element_with_offset(view, 0, 0).click_and_hold().move_by_offset(
        80, 0
    ).release().perform()  # drag right: the picture moves right
    dragged = _view_box(browser)
    assert dragged[0] < zoomed[0] and abs(dragged[2] - zoomed[2]) < 1e-6
    view.send_keys("0")
    assert _view_box(browser) == pytest.approx(start)
    view.send_keys("+")
    assert _view_box(browser)[2] == pytest.approx(start[2] / 1.25)
    view.send_keys("-")
    assert _view_box(browser)[2] == pytest.approx(start[2])
    # two fingers moving apart: pinch zoom
    browser.execute_script(
        """
        var v = arguments[0];
        function ev(type, id, x) { v.dispatchEvent(new PointerEvent(type, {pointerId: id,
            pointerType: 'touch', clientX: x, clientY: 300, bubbles: true})); }
        ev('pointerdown', 1, 300); ev('pointerdown', 2, 400);
        ev('pointermove', 2, 500); ev('pointerup', 1, 300); ev('pointerup', 2, 500);""",
        view,
    )
    assert _view_box(browser)[2] == pytest.approx(start[2] / 2, rel=1e-3)


def test_box_steps_and_stepping_inside_a_box(browser, page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    data = _data(page)
    browser.get(page.as_uri())
    text = lambda element_id: browser.find_element(By.ID, element_id).text
    assert text("counter") == "4 steps"  # explore mode: final gradients shown
    browser.find_element(By.ID, "next").click()
    assert text("counter") == "step 0 / 4" and "seed" in text("chain")
    for _ in range(3):
        browser.find_element(By.ID, "next").click()
    # the third box step sends the gradient of the two dot products into W
    assert text("grad-name") == "∂L/∂W" and text("status") == "(final)"
    assert "∂L/∂W = ∂L/∂h xᵀ\n  ∂h/∂W = x, for each of the 4 scalar edges" in text("chain")
    assert "W[0,0] += 5\nW[0,1] += 6\nW[1,0] += 0\nW[1,1] += 0" in text("chain")
    active = browser.execute_script(
        "return Array.from(document.querySelectorAll('g.edge.active > title'))"
        ".map(t => t.textContent)"
    )
    w, dots = data["boxes"][_box(data, "W")]["id"], data["boxes"][_box(data, "h")]["id"]
    assert active == [f"{w}->{dots}"]
    edge = browser.execute_script("return document.querySelector('g.edge.active').id")
    assert inside(rect_of(browser, edge), rect_of(browser, "view"))

    Select(browser.find_element(By.ID, "scope")).select_by_visible_text("inside h")
    assert text("counter") == "step 0 / 8 inside h"
    for _ in range(7):
        browser.find_element(By.ID, "next").click()
    # inside the box the steps are the scalar ones, in backward's order: the second dot
    # (W[1] x = −9, cut by the ReLU) sends 0 to W[1,0], W[1,1], x[0], x[1]; then the first
    # sends 1·x[0] = 5 to W[0,0], 6 to W[0,1], 1·W[0,0] = 1 to x[0] (total 0 + 1 = 1, final)
    dot = next(k for k, n in enumerate(data["nodes"]) if n[1] == "dot" and n[2] == "17")
    name = data["nodes"][dot][0]
    assert text("grad-name") == "∂L/∂x[0]" and text("grad") == "1"
    assert text("status") == "(final)"
    local = "∂(W[0,0]·x[0] + W[0,1]·x[1])/∂x[0]"
    assert f"∂L/∂x[0] += ∂L/∂{name} · {local}\n        = 1 · (W[0,0] = 1)" in text("chain")
    assert browser.execute_script(
        "return Array.from(document.querySelectorAll('g.edge.active')).map(e => e.id)"
    ) == [f"e{dot}_2"]
    assert inside(rect_of(browser, f"e{dot}_2"), rect_of(browser, "view"))


def test_collapsed_page_at_400_px(tmp_path, page):
    from selenium.webdriver.common.by import By

    driver = open_browser(tmp_path, 400, 760)
    try:
        driver.get(page.as_uri())
        width = driver.execute_script("return window.innerWidth")
        height = driver.execute_script("return window.innerHeight")
        assert width <= 400
        assert driver.execute_script("return document.documentElement.scrollWidth") <= width
        for _ in range(4):  # to the third box step (h -> W)
            driver.find_element(By.ID, "next").click()
        assert driver.find_element(By.ID, "grad-name").text == "∂L/∂W"
        assert inside(rect_of(driver, "chain"), [0, 0, width, height])
        edge = driver.execute_script("return document.querySelector('g.edge.active').id")
        assert inside(rect_of(driver, edge), rect_of(driver, "view"))
        view = rect_of(driver, "view")
        assert view[3] - view[1] >= 0.3 * height
        # tapping a box opens it on a phone too
        data = _data(page)
        box_id = data["boxes"][_box(data, "x")]["id"]
        driver.execute_script("chalkgrad.fit()")
        driver.find_element("id", box_id).click()
        assert rect_of(driver, f"{box_id}-open") is not None
    finally:
        driver.quit()
