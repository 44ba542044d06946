"""Search on the example investigation, as a reader uses it: Debian's chromium driven by Playwright.

The example is built once for the module with the real ``build.py``, Pagefind's real index with it, and
served by ``python -m http.server`` on 127.0.0.1. Pages load under their own Content-Security-Policy, as in a
reader's browser: a CSP violation shows as a console error, and every test fails on one.

Without chromium or Playwright the tests skip, except under ``CI=true``, where they fail: CI must run them.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlparse

import pytest
from conftest import require_example, static_server

from casefile.content.loader import load_site
from casefile.content.model.kinds import Actor
from casefile.diagnostics import Diagnostics

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example investigation, built by the real ``build.py`` with its search index."""
    require_example()
    out = tmp_path_factory.mktemp("search") / "public"
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"build.py failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    assert (out / "pagefind" / "pagefind.js").is_file(), "the build wrote no search index"
    return out


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with static_server(site) as url:
        yield url


class Reader:
    """One browser tab at one width, which fails the test on a console error, an uncaught exception or a request
    that leaves 127.0.0.1 (all blocked)."""

    def __init__(self, browser: Browser, width: int) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 800})
        self.context.set_default_timeout(TIMEOUT_MS)
        self.problems: list[str] = []
        self.context.route(
            lambda url: urlparse(url).scheme in ("http", "https") and urlparse(url).hostname != "127.0.0.1",
            lambda route: (self.problems.append(f"external request: {route.request.url}"), route.abort()),
        )
        self.page: Page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console error: {m.text}"))
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))

    def results(self, url: str) -> list[dict[str, str]]:
        """The results listed for a search page's address: href and excerpt of each, in order."""
        self.page.goto(url)
        self.page.wait_for_selector(".search-results li a, .search-status:text-is('Nothing found.')")
        return self.page.eval_on_selector_all(
            ".search-results li",
            "items => items.map(li => ({href: li.querySelector('a').getAttribute('href'),"
            " excerpt: li.querySelector('.excerpt').textContent}))",
        )


@pytest.fixture()
def reader(browser: Browser) -> Iterator[Reader]:
    opened = Reader(browser, 1280)
    yield opened
    opened.context.close()
    assert not opened.problems, "\n".join(opened.problems)


def actor_names() -> list[tuple[str, str]]:
    """(what a reader types, the actor page it must find first): every actor's name, in every form it is written,
    and each of its aliases, as the example's content gives them."""
    diagnostics = Diagnostics()
    loaded = load_site(ROOT, diagnostics)
    assert loaded.config is not None and not diagnostics.has_errors(), diagnostics.errors
    asked = []
    for actor in loaded.dossiers:
        if isinstance(actor, Actor) and not actor.draft:
            for name in dict.fromkeys([*actor.name_forms.values(), *actor.aliases]):
                asked.append((name, f"actors/{actor.id}.html"))
    return asked


def test_every_actor_is_the_first_result_for_its_name_and_each_alias(reader: Reader, base_url: str) -> None:
    """Shoigu once found an event first and his page third; Min Aung Hlaing's page came 14th of 50 for his name."""
    asked = actor_names()
    assert len(asked) > 60, asked  # the example's 50 actors and their aliases
    missed = []
    for name, page in asked:
        found = [result["href"] for result in reader.results(f"{base_url}search.html?q={quote(name)}")]
        if not found or found[0] != page:
            rank = found.index(page) + 1 if page in found else None
            missed.append(f"{name!r}: {page} is result {rank} of {len(found)}, after {found[:3]}")
    assert not missed, f"{len(missed)} of {len(asked)} names do not find their actor first:\n" + "\n".join(missed)


def test_excerpts_read_as_text(reader: Reader, base_url: str) -> None:
    """Excerpts ran a fact's label into its value ("SignedJanuary 2021", "Statusreported signed"), showed
    footnote markers as "[1] [2]" and repeated the title and summary the result already shows above them."""
    results = reader.results(f"{base_url}search.html?q={quote('publisher TASS')}")
    assert results, "nothing found for 'publisher TASS'"
    for result in results:
        href, text = result["href"], result["excerpt"]
        assert not re.search(r"\[\d+\]|\u2060", text), f"{href}: a footnote marker in the excerpt: {text}"
        assert not re.search(r"[a-z](Signed|Agreed|Status|Date|Place|Publisher|Country)\b", text), (
            f"{href}: a label runs into its value: {text}"
        )
        assert "Last updated" not in text and "This dossier as data" not in text, f"{href}: {text}"
    tass = next((result["excerpt"] for result in results if result["href"] == "sources/tass.html"), "")
    assert "Publisher TASS Outlet state media Date unknown" in tass, results
    shoigu = reader.results(f"{base_url}search.html?q=Shoigu")[0]
    assert not shoigu["excerpt"].startswith("Sergei Shoigu"), shoigu  # the title, again


def test_the_query_box_is_usable_on_a_320_pixel_screen(browser: Browser, base_url: str) -> None:
    narrow = Reader(browser, 320)
    try:
        narrow.page.goto(f"{base_url}search.html")
        width = narrow.page.locator("#search-q").bounding_box()["width"]
        assert width >= 200, f"the search page's query box is {width:.0f} px wide at 320 px"
        assert not narrow.problems, "\n".join(narrow.problems)
    finally:
        narrow.context.close()


def test_opened_from_disk_the_search_page_says_it_needs_a_web_server(
    browser: Browser, site: Path, base_url: str
) -> None:
    """From file:// a browser loads no search index: the page once stayed blank, with no word of why."""
    served = Reader(browser, 375)
    disk = Reader(browser, 375)
    try:
        served.page.goto(f"{base_url}search.html")
        assert served.page.locator(".search-offline").count() == 1, "the search page has no word for a reader on disk"
        assert served.page.locator(".search-offline").is_hidden(), "served, the page says it needs a server"
        disk.page.goto((site / "search.html").as_uri())
        message = disk.page.locator(".search-offline")
        message.wait_for(state="visible")
        text = message.inner_text()
        assert "web server" in text and "casefile serve" in text and "python3 -m http.server" in text, text
        problems = served.problems + disk.problems  # the site's own script runs from disk too, under its CSP
        assert not problems, "\n".join(problems)
    finally:
        served.context.close()
        disk.context.close()
