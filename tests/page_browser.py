"""A headless Chromium for the page tests (skipped, with the reason, when there is none)."""

import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def open_browser(tmp_path, width=1200, height=800, extra_flags=(), load_timeout=30):
    """A headless Chromium window of the given size, or skip the test saying why.

    ``extra_flags`` are more Chromium switches (the playground test makes every other
    host unresolvable and keeps a network log).
    """
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip("no Chromium/chromedriver found (apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-quic",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'p'}",
        f"--window-size={width},{height}",
        *extra_flags,
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(load_timeout)
    if width < 500:  # a headless window is at least 500 px wide: emulate a phone instead
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True},
        )
    return driver


# JavaScript helpers the tests run in the page
RECT = "var r = arguments[0].getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom];"


def rect_of(driver, element_id):
    """The element's box on screen: [left, top, right, bottom] in CSS pixels."""
    return driver.execute_script(
        "var e = document.getElementById(arguments[0]); if (!e) return null;"
        "var r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom];",
        element_id,
    )


def inside(inner, outer, slack=1.0):
    """True when the rectangle ``inner`` lies within ``outer``."""
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )
