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


# What sticks out at the window's width: a box that scrolls or cuts its content sideways, an
# element whose content spills out of its box (a long word, a wide table), or an element reaching
# past the window's left or right edge. Text hidden for sight only (clipped to nothing, for screen
# readers) is left out. Each problem is named once, where to fix it: the box that scrolls (not
# what is inside it), the innermost element that spills (not every box around it), the outermost
# element past the edge. Bootstrap's .row hangs its gutters past its parent by design (negative
# margins), so a box may be as much wider than its parent as its children's negative margins.
OVERFLOW_JS = """
const width = document.documentElement.clientWidth;
const hidden = new Map();
const isHidden = element => {
  if (!element || element === document.documentElement) return false;
  if (hidden.has(element)) return hidden.get(element);
  const style = getComputedStyle(element);
  const result = style.clip.startsWith('rect') || style.clipPath !== 'none' || isHidden(element.parentElement);
  hidden.set(element, result);
  return result;
};
const describe = element => {
  const classes = typeof element.className === 'string' && element.className.trim()
    ? '.' + element.className.trim().split(/\\s+/).join('.') : '';
  const text = (element.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
  return `${element.tagName.toLowerCase()}${element.id ? '#' + element.id : ''}${classes}` + (text ? ` ("${text}")` : '');
};
const scrolls = [], spills = [], beyond = [];
for (const element of document.body.querySelectorAll('*')) {
  if (!element.getClientRects().length || isHidden(element)) continue;
  const box = element.getBoundingClientRect();
  if (box.width === 0 && box.height === 0) continue;
  if (element instanceof HTMLElement && element.clientWidth > 0) {
    const clips = getComputedStyle(element).overflowX !== 'visible';
    const gutter = clips ? 0 : Math.max(0, ...[...element.children].map(
      child => -parseFloat(getComputedStyle(child).marginRight) || 0));
    const excess = element.scrollWidth - element.clientWidth;
    if (excess > 1 + gutter) {
      (clips ? scrolls : spills).push([element, `is ${element.scrollWidth}px wide inside its ${element.clientWidth}px box` +
                                                (clips ? ' and scrolls or cuts it sideways' : '')]);
    }
  }
  if (box.right > width + 1 || box.left < -1) {
    beyond.push([element, `reaches ${Math.round(box.left)}..${Math.round(box.right)}px in a ${width}px window`]);
  }
}
const inside = (element, list) => list.some(([outer]) => outer !== element && outer.contains(element));
const around = (element, list) => list.some(([inner]) => inner !== element && element.contains(inner));
const found = [
  ...scrolls.filter(([e]) => !inside(e, scrolls)),
  ...beyond.filter(([e]) => !inside(e, scrolls) && !inside(e, beyond)),
  ...spills.filter(([e]) => !inside(e, scrolls) && !around(e, spills) && !around(e, beyond)),
];
return found.map(([element, problem]) => `${describe(element)} ${problem}`);
"""


def overflowing_elements(driver):
    """Descriptions of what sticks out at the current width (see OVERFLOW_JS); empty when all fits."""
    return driver.execute_script(OVERFLOW_JS)


def assert_nothing_overflows(driver):
    """Nothing on the page needs scrolling sideways, inside its own box or past the window's edges."""
    found = overflowing_elements(driver)
    width = driver.execute_script("return document.documentElement.clientWidth")
    assert not found, f"{driver.current_url} at {width}px: these do not fit:\n" + "\n".join(found)


def stacked_cell_labels(driver):
    """Every cell of a table whose rows are stacked (not laid out as table rows) and the label it
    shows before its value, beside the words of its column's header; only where they differ.

    A column whose header says nothing visible (words for screen readers only) needs no label."""
    return driver.execute_script(
        """
        const visibleText = cell => {
          const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
          let text = '';
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            let shown = true;
            for (let e = node.parentElement; e && e !== cell; e = e.parentElement) {
              if (getComputedStyle(e).clip.startsWith('rect')) { shown = false; break; }
            }
            if (shown) text += node.textContent;
          }
          return text.trim().replace(/\\s+/g, ' ');
        };
        const wrong = [];
        for (const table of document.querySelectorAll('main table')) {
          const rows = table.tBodies.length ? [...table.tBodies[0].rows] : [];
          if (!rows.length || getComputedStyle(rows[0]).display === 'table-row') continue;
          const headers = table.tHead ? [...table.tHead.rows[0].cells].map(visibleText) : [];
          rows.forEach((row, number) => {
            [...row.cells].forEach((cell, index) => {
              if (cell.tagName === 'TH') return;
              const content = getComputedStyle(cell, '::before').content;
              const label = /^".*"$/.test(content) ? content.slice(1, -1).trim() : '';
              const expected = headers[index] || '';
              if (label !== expected) {
                wrong.push(`${table.id || table.className} row ${number + 1}, column ${index + 1}: ` +
                           `label "${label}", header "${expected}"`);
              }
            });
          });
        }
        return wrong;
        """
    )
