"""The step-through page in a real headless Chromium: buttons, arrow keys, active edge, widths."""

import json
import re

import pytest
from hand_graphs import squared_error
from page_browser import inside, open_browser, rect_of

from autograd import Value
from viz.pages.stepper import stepper_html


def _data(text):
    return json.loads(re.search(r'id="page-data">(.*?)</script>', text, re.S).group(1))


def test_page_is_self_contained(tmp_path):
    L, w, _ = squared_error()
    text = stepper_html(L, tmp_path / "steps.html", precision=2).read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=\"?https?:", text)
    assert "fetch(" not in text and "XMLHttpRequest" not in text
    data = _data(text)
    names = [n[0] for n in data["nodes"]]
    assert names == ["w", "x", "mul#2", "1", "d", "L"]
    assert [(names[s[1]], s[6], s[7]) for s in data["steps"]] == [
        ("d", "10", True),
        ("mul#2", "10", True),
        ("1", "-10", True),
        ("w", "30", True),
        ("x", "20", True),
    ]
    for s in data["steps"]:  # every step's edge is in the picture
        assert f'id=\\"e{s[0]}_{s[2]}\\"' in text or f'id="e{s[0]}_{s[2]}"' in text
    assert w.grad == 0.0  # the page does not run backward on the graph


def test_label_cannot_close_the_script(tmp_path):
    x = Value(1.0, label="</script><script>alert(1)</script>")
    y = x * 2
    text = stepper_html(y, tmp_path / "s.html").read_text(encoding="utf-8")
    assert "<script>alert" not in text
    assert text.count("</script>") == 2


def test_bad_path_is_refused(tmp_path):
    L, _, _ = squared_error()
    with pytest.raises(FileNotFoundError, match="does not exist"):
        stepper_html(L, tmp_path / "no" / "such" / "s.html")
    with pytest.raises(TypeError, match="takes a Value"):
        stepper_html("L", tmp_path / "s.html")


@pytest.fixture
def browser(tmp_path):
    driver = open_browser(tmp_path)
    yield driver
    driver.quit()


def test_stepping_in_headless_chromium(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    L, _, _ = squared_error()
    page = stepper_html(L, tmp_path / "steps.html", precision=2)
    browser.get(page.as_uri())
    text = lambda element_id: browser.find_element(By.ID, element_id).text
    active = lambda: browser.execute_script(
        "return Array.from(document.querySelectorAll('g.edge.active')).map(e => e.id)"
    )
    node_grad = lambda node_id: browser.execute_script(
        "return Array.from(document.getElementById(arguments[0]).querySelectorAll('text'))"
        ".map(t => t.textContent.trim()).filter(t => t.startsWith('grad '))[0]",
        node_id,
    )

    assert text("counter") == "step 0 / 5"
    assert text("grad") == "1" and "seed" in text("chain")
    assert active() == []
    assert browser.find_element(By.ID, "prev").get_attribute("disabled") == "true"
    # every box is titled with the name the chain-rule lines use
    titles = browser.execute_script(
        "return ['s0','s1','s2','s3','s4','s5'].map(i => document.getElementById(i)"
        ".querySelector('text').textContent)"
    )
    assert titles == ["w", "x", "mul#2", "1", "d", "L"]

    nxt = browser.find_element(By.ID, "next")
    nxt.click()
    assert text("counter") == "step 1 / 5"
    assert text("grad-name") == "∂L/∂d" and text("grad") == "10"
    assert "∂L/∂d += ∂(d**2)/∂d" in text("chain") and "2·d^(2-1) = 10" in text("chain")
    assert active() == ["e5_0"]  # order w, x, w*x, 1, d, L: L is node 5, its input 0 is d
    assert node_grad("s4") == "grad 10"  # d's box now shows its gradient
    assert node_grad("s0") == "grad —"  # w not reached yet

    for _ in range(3):
        nxt.click()
    assert text("counter") == "step 4 / 5"
    assert text("grad-name") == "∂L/∂w" and text("grad") == "30" and text("status") == "(final)"
    assert "∂L/∂w = ∂L/∂mul#2 · ∂(w * x)/∂w = 10 · 3 = 30" in text("summary")
    assert active() == ["e2_0"] and node_grad("s0") == "grad 30"

    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.ARROW_RIGHT)
    assert text("grad-name") == "∂L/∂x" and text("grad") == "20"
    assert browser.find_element(By.ID, "next").get_attribute("disabled") == "true"
    body.send_keys(Keys.ARROW_LEFT)
    body.send_keys(Keys.ARROW_LEFT)
    assert text("counter") == "step 3 / 5" and text("grad") == "-10"
    assert node_grad("s0") == "grad —"  # stepping back hides w's gradient again


def _overflowing_texts(browser):
    """Texts of scalar boxes that stick out of their box's outline."""
    return browser.execute_script("""
        var bad = [];
        document.querySelectorAll('g.node').forEach(function (g) {
          if (!/^s\\d+$/.test(g.id)) return;
          var box = g.querySelector('polygon').getBBox();
          g.querySelectorAll('text').forEach(function (t) {
            var b = t.getBBox();
            if (b.x < box.x - 0.5 || b.x + b.width > box.x + box.width + 0.5) bad.push(t.textContent);
          });
        });
        return bad;""")


def test_numbers_fit_their_boxes_at_every_step(browser, tmp_path):
    # the root's gradient used to overflow ("grad 1.0C"): boxes are laid out at full width
    a, b = Value(-1234.5, label="a"), Value(0.001, label="b")
    y = a * b + a * a
    y.label = "y"
    page = stepper_html(y, tmp_path / "w.html", precision=4)
    browser.get(page.as_uri())
    count = len(_data(page.read_text(encoding="utf-8"))["steps"])
    for k in range(count + 1):
        browser.execute_script("chalkgrad.show(arguments[0])", k)
        assert _overflowing_texts(browser) == [], f"step {k}"


def _chain(n):
    x = Value(0.5, label="x")
    v = x
    for k in range(n):
        v = (v * 1.01 + 0.1).tanh()
        v.label = f"h{k}"
    v.label = "L"
    return v


def test_active_edge_is_brought_into_view(browser, tmp_path):
    # 241 scalars in one long row, stepped scalar by scalar
    page = stepper_html(_chain(40), tmp_path / "long.html", precision=3, max_nodes=1000)
    browser.get(page.as_uri())
    view = rect_of(browser, "view")
    data = _data(page.read_text(encoding="utf-8"))
    for k in (1, 60, 150, len(data["steps"])):
        browser.execute_script("chalkgrad.show(arguments[0])", k)
        s = data["steps"][k - 1]
        edge = rect_of(browser, f"e{s[0]}_{s[2]}")
        assert inside(edge, view), (k, edge, view)
        # zoomed so the boxes read: at least 0.85 screen px per picture unit (11 pt text)
        assert (
            browser.execute_script("return document.querySelector('#view svg').getScreenCTM().a")
            >= 0.85
        )


def test_usable_at_400_px(tmp_path):
    from selenium.webdriver.common.by import By

    driver = open_browser(tmp_path, 400, 800)
    try:
        page = stepper_html(_chain(12), tmp_path / "narrow.html", precision=3, max_nodes=100)
        driver.get(page.as_uri())
        width = driver.execute_script("return window.innerWidth")
        height = driver.execute_script("return window.innerHeight")
        assert width <= 400
        assert driver.execute_script("return document.documentElement.scrollWidth") <= width
        view, chain = rect_of(driver, "view"), rect_of(driver, "chain")
        assert view[3] - view[1] >= 0.3 * height  # the picture keeps a real share
        assert inside(chain, [0, 0, width, height])  # the chain-rule panel is on screen
        for _ in range(5):
            driver.find_element(By.ID, "next").click()
        assert "∂L/∂" in driver.find_element(By.ID, "chain").text
        assert inside(rect_of(driver, "chain"), [0, 0, width, height])
        assert inside(rect_of(driver, "next"), [0, 0, width, height])
        data = _data(page.read_text(encoding="utf-8"))
        s = data["steps"][4]
        assert inside(rect_of(driver, f"e{s[0]}_{s[2]}"), rect_of(driver, "view"))
    finally:
        driver.quit()


def test_a_collapsed_graph_steps_box_by_box(browser, tmp_path):
    from selenium.webdriver.common.by import By

    import nn
    from autograd import Tensor

    nn.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))
    x = Tensor([[0.5, -0.2], [1.0, 0.3], [-0.7, 0.8]], label="x")
    loss = nn.MSELoss()(model(x), Tensor([[1.0], [0.0], [0.5]]))
    loss.values.flat[0].label = "L"
    page = stepper_html(loss, tmp_path / "mlp.html", precision=3)  # 62 scalars: collapsed
    data = _data(page.read_text(encoding="utf-8"))
    assert data["collapsed"] is True
    assert len(data["boxSteps"]) == 8 and len(data["steps"]) > 100
    browser.get(page.as_uri())
    names = [b["name"] for b in data["boxes"]]
    for k in range(1, 9):
        browser.execute_script("chalkgrad.show(arguments[0])", k)
        step = data["boxSteps"][k - 1]
        edge = browser.execute_script("return document.querySelector('g.edge.active').id")
        assert inside(rect_of(browser, edge), rect_of(browser, "view")), k
        assert browser.find_element(By.ID, "grad-name").text == f"∂L/∂{names[step['from']]}"
    weight = names.index("0.weight")
    k = next(j for j, s in enumerate(data["boxSteps"]) if s["from"] == weight)
    browser.execute_script("chalkgrad.show(arguments[0])", k + 1)
    chain = browser.find_element(By.ID, "chain").text
    assert chain.startswith("∂L/∂0.weight += ∂L/∂0.fc.out · (local ∂0.fc.out/∂0.weight)")
    assert "∂L/∂0.weight = (∂L/∂0.fc.out)ᵀ x" in chain  # the tensor-level rule
