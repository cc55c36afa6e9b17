"""Headless Chromium for the browser tests, driven by Selenium against pytest-django's live server.

Debian's chromium and chromedriver are used as installed (no browser downloads). Without them,
or without axe-core in node_modules, the browser tests are skipped with the reason, except on
CI (CI=true), where a missing tool fails the run so that the journeys can never silently vanish.
"""

import os
import shutil

import pytest

from .support import AXE_JS, DESKTOP, ROOT, set_width


def _missing_tools():
    missing = []
    for name in ("chromium", "chromedriver"):
        if not shutil.which(name):
            missing.append(f"{name} is not on PATH (apt-get install chromium chromium-driver)")
    if not AXE_JS.exists():
        missing.append(f"{AXE_JS.relative_to(ROOT)} is missing (run `npm ci --ignore-scripts`)")
    return missing


def _skip_or_fail(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(f"Browser tests cannot run on CI: {reason}", pytrace=False)
    pytest.skip(f"Browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def browser_tools():
    missing = _missing_tools()
    if missing:
        _skip_or_fail("; ".join(missing))
    return AXE_JS.read_text(encoding="utf-8")


def _new_driver(profile_dir, download_dir):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        # Bootstrap scrolls smoothly otherwise, and a click can land while the page still moves.
        "--force-prefers-reduced-motion",
        # Overlay scrollbars, as on a phone, so a 375 px window lays pages out 375 px wide.
        "--hide-scrollbars",
        f"--user-data-dir={profile_dir}",
    ):
        options.add_argument(flag)
    # The browser's console, to catch Content-Security-Policy violations and script errors.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(download_dir), "download.prompt_for_download": False},
    )
    driver = webdriver.Chrome(service=Service(executable_path=shutil.which("chromedriver")), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(download_dir)}
    )
    set_width(driver, DESKTOP)
    return driver


@pytest.fixture
def new_browser(browser_tools, live_server, tmp_path):
    """A factory of browsers: each call is a fresh session (its own profile, no cookies)."""
    drivers = []

    def make():
        home = tmp_path / f"browser-{len(drivers)}"
        (home / "downloads").mkdir(parents=True)
        driver = _new_driver(home / "profile", home / "downloads")
        driver.download_dir = home / "downloads"
        driver.base_url = live_server.url
        drivers.append(driver)
        return driver

    yield make
    for driver in drivers:
        driver.quit()


@pytest.fixture
def browser(new_browser):
    return new_browser()


@pytest.fixture
def catalog(transactional_db):
    """The built-in catalog (Production Associate and the levels above it), as `make run` loads it."""
    from django.core.management import call_command

    call_command("load_catalog", verbosity=0)
