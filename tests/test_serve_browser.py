"""Live reload as a journalist gets it: a real ``serve`` process, Debian's chromium with its default
settings, and the site's real Content-Security-Policy.  Nothing here switches a defence off: the page
must reload itself under the same CSP a reader's browser enforces."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import ROOT, missing_tool, start_serve, stop_serve, wait_for
from test_serve import SITE_FILES

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ANNA_PATH = "content/actors/anna.yaml"
ANNA = SITE_FILES[ANNA_PATH]
# Report every CSP violation as a console error, so none can pass unseen (Chromium also logs them itself).
REPORT_CSP = (
    "document.addEventListener('securitypolicyviolation',"
    " e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
)
CONNECTED = "() => !!window.LiveReload && window.LiveReload.connector.protocol >= 7"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    for name, text in SITE_FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    process, base = start_serve(tmp_path)
    try:
        yield tmp_path, base
    finally:
        output = stop_serve(process)
    assert "Traceback" not in output, output


def _save_and_wait(page: Page, save: callable, until: str) -> None:
    """Mark the open page, save, and wait until a reloaded page (the mark gone) satisfies ``until``."""
    page.wait_for_function(CONNECTED)
    page.evaluate("window.__beforeSave = true")
    save()
    page.wait_for_function(f"() => window.__beforeSave === undefined && ({until})", timeout=15_000)
    page.wait_for_timeout(600)  # the indexes' second reload follows; let it land before the next save


def test_saving_reloads_the_open_page_under_the_sites_own_csp(browser: Browser, served: tuple[Path, str]) -> None:
    site, base = served
    anna = site / ANNA_PATH
    context = browser.new_context()
    context.add_init_script(REPORT_CSP)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/actors/anna.html")
    csp = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp

    _save_and_wait(
        page,
        lambda: anna.write_text(ANNA.replace("Anna Example", "Anna Edited")),
        "document.querySelector('h1').textContent.includes('Anna Edited')",
    )
    _save_and_wait(
        page,
        lambda: anna.write_text("name: Anna Broken\nkind: persn\nsources: [report]\n"),
        "!!document.querySelector('.casefile-errors')",
    )
    banner = page.locator(".casefile-errors").inner_text()
    assert "content/actors/anna.yaml:2:7" in banner and "did you mean 'person'?" in banner
    assert "Anna Edited" in page.locator("h1").inner_text()  # the last good page stays under the banner

    _save_and_wait(
        page,
        lambda: anna.write_text(ANNA.replace("Anna Example", "Anna Fixed")),
        "!document.querySelector('.casefile-errors') && document.querySelector('h1').textContent.includes('Fixed')",
    )
    assert errors == []
    context.close()


def test_a_save_made_while_the_page_connects_still_reloads_it(browser: Browser, served: tuple[Path, str]) -> None:
    """A page connects for reloads a moment after it has loaded; a save rebuilt in that moment used to reach no
    one, and the page stayed stale until the next save. Here the reload client reaches the page late, as on a
    slow network, and the save is rebuilt before it connects: the page reloads all the same."""
    site, base = served
    context = browser.new_context()
    page = context.new_page()
    held: list = []
    page.route("**/livereload.js*", lambda route: held.append(route))
    page.goto(f"{base}/actors/anna.html", wait_until="commit")
    assert "Anna Example" in page.locator("h1").inner_text()
    (site / ANNA_PATH).write_text(ANNA.replace("Anna Example", "Anna Edited"))
    built = site / "output" / "actors" / "anna.html"
    wait_for(lambda: "Anna Edited" in built.read_text(encoding="utf-8"), what="serve to rebuild the page")
    page.wait_for_timeout(1_000)  # serve tells the open pages (none connected) just after writing the page
    assert "Anna Example" in page.locator("h1").inner_text()
    held[0].continue_()
    page.unroute("**/livereload.js*")
    page.wait_for_function("() => document.querySelector('h1').textContent.includes('Anna Edited')", timeout=15_000)
    context.close()


@pytest.mark.parametrize("scrolled", [False, True], ids=["at the top", "scrolled down"])
def test_the_error_banner_is_in_view_after_the_reload_and_read_out(
    browser: Browser, served: tuple[Path, str], scrolled: bool
) -> None:
    """A broken edit must not look like an edit that did not take: after the reload the banner is on screen, where
    the journalist was reading, and it has the focus, so a screen reader reads it out."""
    site, base = served
    context = browser.new_context(viewport={"width": 375, "height": 360})
    page = context.new_page()
    page.goto(f"{base}/actors/anna.html")
    if scrolled:
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        assert page.evaluate("window.scrollY") > 150, "the page is long enough to scroll"
    _save_and_wait(
        page,
        lambda: (site / ANNA_PATH).write_text("name: Anna Broken\nkind: persn\nsources: [report]\n"),
        "!!document.querySelector('.casefile-errors')",
    )
    box = page.locator(".casefile-errors").bounding_box()
    assert box is not None and 0 <= box["y"] < 360 and box["y"] + box["height"] <= 360, box
    assert page.evaluate("document.activeElement.matches('.casefile-errors[role=alert]')")
    context.close()


def test_saving_reloads_the_open_page_in_firefox(served: tuple[Path, str]) -> None:
    """The same loop in Firefox: its CSP and WebSocket rules differ from Chromium's in the details."""
    site, base = served
    firefox, node = shutil.which("firefox-esr") or shutil.which("firefox"), shutil.which("node")
    driver = ROOT / "node_modules" / "puppeteer-core"
    if not (firefox and node and driver.is_dir()):
        missing_tool("Firefox test needs firefox-esr, node and `npm ci` (scripts/test.sh installs them)")
    run = subprocess.run(
        [node, str(ROOT / "tests/firefox_reload.mjs"), f"{base}/actors/anna.html", str(site / ANNA_PATH)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result == {"steps": ["edit", "break", "fix"], "errors": []}, run.stderr
