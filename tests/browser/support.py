"""Helpers the browser tests share: plain functions, so each test reads as the steps a person takes."""

import base64
import json
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(settings.BASE_DIR)
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "screenshots"

DESKTOP = (1280, 900)
PHONE = (375, 812)
BLOCKING_IMPACTS = ("serious", "critical")

def set_width(driver, size):
    """Resize the browser window so that the page gets a viewport of exactly this size."""
    width, height = size
    driver.set_window_size(width, height)
    chrome_height = driver.execute_script("return window.outerHeight - window.innerHeight")
    driver.set_window_size(width, height + chrome_height)
    assert driver.execute_script("return window.innerWidth") == width


def visit(driver, path):
    driver.get(driver.base_url + path)


def screenshot(driver, name):
    """Save the whole page at desktop and phone widths, as screenshots/<name>-desktop|phone.png."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        set_width(driver, size)
        shot = driver.execute_cdp_cmd(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}
        )
        (SCREENSHOTS / f"{name}-{label}.png").write_bytes(base64.b64decode(shot["data"]))
    set_width(driver, DESKTOP)


def axe_violations(driver, axe_source):
    """Run axe-core on the current page and return its violations of serious or critical impact."""
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(axe_source)
    result = driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        axe.run(document, {resultTypes: ['violations']})
          .then(results => done(results.violations))
          .catch(error => done({error: String(error)}));
        """
    )
    if isinstance(result, dict) and "error" in result:
        raise AssertionError(f"axe-core failed on {driver.current_url}: {result['error']}")
    return [violation for violation in result if violation["impact"] in BLOCKING_IMPACTS]


def describe_violations(violations):
    lines = []
    for violation in violations:
        targets = [json.dumps(node["target"]) for node in violation["nodes"]][:5]
        detail = violation["nodes"][0].get("failureSummary", "").replace("\n", " ")
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"  {violation['helpUrl']}\n  on: {', '.join(targets)}\n  first: {detail}"
        )
    return "\n".join(lines)


def assert_accessible(driver, axe_source):
    """Fail on any serious or critical violation axe-core finds on the current page."""
    violations = axe_violations(driver, axe_source)
    assert not violations, (
        f"axe-core found serious or critical violations on {driver.current_url}:\n"
        + describe_violations(violations)
    )


def assert_no_horizontal_scroll(driver):
    """The page fits the window's width; a failure names the elements that stick out."""
    width, scroll = driver.execute_script(
        "return [window.innerWidth, document.documentElement.scrollWidth]"
    )
    assert scroll <= width, (
        f"{driver.current_url} scrolls sideways: content {scroll}px in a {width}px window; "
        f"too wide: {widest_elements(driver, 20)}"
    )


def console_errors(driver):
    """Errors the page logged since the last call: CSP violations, failed loads, script errors."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def check_page(driver, axe_source, name):
    """Screenshot the page at both widths, check its console is clean, then run axe-core on it."""
    errors = [error for error in console_errors(driver) if "favicon.ico" not in error]
    assert not errors, f"{driver.current_url} logged errors:\n" + "\n".join(errors)
    screenshot(driver, name)
    assert_accessible(driver, axe_source)


@contextmanager
def new_page(driver, timeout=15):
    """Wait, after the block, until the browser has loaded another page (after a submit or a link)."""
    driver.execute_script("window.skillgapOldPage = true")
    yield
    WebDriverWait(driver, timeout, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script(
            "return !window.skillgapOldPage && document.readyState === 'complete'"
        )
    )


def press(driver, *keys):
    """Keys sent to whatever has focus, as a person types them (no element is clicked)."""
    ActionChains(driver).send_keys(*keys).perform()


def focused(driver):
    """What has focus: {tag, type, name, value, text, checked, id}."""
    return driver.execute_script(
        """
        const e = document.activeElement;
        return {tag: e.tagName.toLowerCase(), type: e.type || '', name: e.name || '', value: e.value || '',
                text: (e.innerText || '').trim(), checked: !!e.checked, id: e.id || ''};
        """
    )


def tab_to(driver, wanted, description, limit=120):
    """Press Tab until the focused element satisfies wanted(focused(driver)); fail if it never does."""
    for _ in range(limit):
        press(driver, Keys.TAB)
        now = focused(driver)
        if wanted(now):
            return now
    raise AssertionError(f"{description} cannot be reached with the Tab key on {driver.current_url}")


def assert_controls_reachable(driver, limit=400):
    """Tab through the whole page: every visible link, button and field in <main> gets focus (one
    stop per radio group), and when it has focus it lies inside the window's width."""
    expected = set(
        driver.execute_script(
            """
            const controls = document.querySelectorAll(
              'main a[href], main button, main input:not([type=hidden]), main select, main textarea, main summary');
            const keys = [];
            controls.forEach((element, index) => {
              if (!element.getClientRects().length || element.disabled) return;
              element.dataset.tabStop = element.type === 'radio' ? 'radio:' + element.name : 'control:' + index;
              keys.push(element.dataset.tabStop);
            });
            document.activeElement.blur();
            window.scrollTo(0, 0);
            return keys;
            """
        )
    )
    reached, outside = set(), []
    for _ in range(limit):
        press(driver, Keys.TAB)
        key, inside, description = driver.execute_script(
            """
            const element = document.activeElement;
            const box = element.getBoundingClientRect();
            return [element.dataset.tabStop || null, box.left >= -1 && box.right <= window.innerWidth + 1,
                    element.outerHTML.slice(0, 120)];
            """
        )
        if key in reached:
            break  # round the page and back to the start
        if key:
            reached.add(key)
            if not inside:
                outside.append(description)
        if reached == expected:
            break
    missing = driver.execute_script(
        "return arguments[0].map(key => document.querySelector(`[data-tab-stop='${key}']`).outerHTML.slice(0, 120))",
        sorted(expected - reached),
    )
    assert not missing, f"not reachable with Tab on {driver.current_url}:\n" + "\n".join(missing)
    assert not outside, f"focused outside the window's width on {driver.current_url}:\n" + "\n".join(outside)


def widest_elements(driver, count=5):
    """The elements that stick out past the window's right edge, widest first: what to fix."""
    return driver.execute_script(
        """
        const width = window.innerWidth;
        const wide = [...document.querySelectorAll('main *')]
          .filter(e => e.getBoundingClientRect().right > width + 1)
          .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= width + 1);
        return wide.slice(0, arguments[0]).map(e => {
          const classes = typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\\s+/).join('.') : '';
          return `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${classes} reaches ${Math.round(e.getBoundingClientRect().right)}px`;
        });
        """,
        count,
    )
