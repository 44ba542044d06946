"""The guide in a real browser, as its readers get it: every page of the built guide, served over HTTP, loaded in
Debian's chromium at 1280 px (light) and 375 px (dark), with no request leaving 127.0.0.1, no console error (a CSP
violation is one) and no serious accessibility problem (axe). The guide's own templates replace Casefile's
navigation and home page, so they get the checks Casefile's pages get in test_browser.py.

Its pages hold what no page of the example does, code blocks and markdown tables, and on a phone those still widen
the page (a defect of Casefile's stylesheet, not of the guide): that check is a strict expected failure, which
fails as soon as the stylesheet is fixed, so that the marker goes.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from conftest import BUILD, static_server
from test_browser import (
    EVERY_PAGE_VIEWS,
    OVERFLOW_JS,
    Visit,
    _axe_problems,
    _axe_script,
    _blocker,
    _Context,
    _is_external,
    _load_problems,
    _overflow_message,
    visit_each,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="module")
def guide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("guide-browser") / "guide"
    command = [sys.executable, str(BUILD), "guide", "--no-cache", "--out", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def base_url(guide: Path) -> Iterator[str]:
    with static_server(guide) as url:
        yield url


def visit_every_page(
    browser: Browser, guide: Path, base_url: str, width: int, scheme: str
) -> tuple[list[str], list[tuple[str, dict[str, Any]]]]:
    """Every page of the guide in one guarded tab: what went wrong on each, and how wide each page was."""
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    context.add_init_script(script=_axe_script())
    holder = _Context(context)
    context.route(_is_external, _blocker(holder))
    paths = sorted(p.relative_to(guide).as_posix() for p in guide.rglob("*.html"))
    assert {"index.html", "pages/getting-started.html", "pages/developers.html", "search.html"} <= set(paths)
    widths: list[tuple[str, dict[str, Any]]] = []

    def check(path: str, visit: Visit) -> list[str]:
        widths.append((path, visit.page.evaluate(OVERFLOW_JS)))
        fits = {"scrollWidth": 0, "innerWidth": 0}  # sideways scrolling is the other test's
        where = f"{path} at {width} px, {scheme} colour scheme"
        return _load_problems(path, width, visit, fits) + _axe_problems(visit.page, where)

    try:
        failures = visit_each(holder, base_url, paths, check)
    finally:
        context.close()
    failures += [f"a request tried to leave 127.0.0.1 between pages: {url}" for url in holder.stray]
    return failures, widths


@pytest.fixture(scope="module")
def visits(browser: Browser, guide: Path, base_url: str) -> dict[int, tuple[list[str], list]]:
    return {width: visit_every_page(browser, guide, base_url, width, scheme) for width, scheme in EVERY_PAGE_VIEWS}


@pytest.mark.parametrize("width", [width for width, _ in EVERY_PAGE_VIEWS])
def test_every_page_of_the_guide_loads_cleanly_without_leaving_the_site_and_passes_axe(
    visits: dict[int, tuple[list[str], list]], width: int
) -> None:
    failures = visits[width][0]
    assert not failures, f"{len(failures)} problems:\n\n" + "\n\n".join(failures)


def test_no_page_of_the_guide_scrolls_sideways_on_a_phone(visits: dict[int, tuple[list[str], list]]) -> None:
    wide = [_overflow_message(path, 375, o) for path, o in visits[375][1] if o["scrollWidth"] > o["innerWidth"]]
    assert not wide, "\n\n".join(wide)
