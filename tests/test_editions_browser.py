"""One investigation in two languages (issue 30) in a real browser: Debian's chromium driven by Playwright.

The site of ``tests/test_editions.py`` (the base site with ``languages: [en, ru]``, a Russian narrative holding a
word no English text has) is built once for the module by the real ``build.py``, with Pagefind's real index, and
served by ``python -m http.server`` on 127.0.0.1. Pages load under their own Content-Security-Policy, as in a
reader's browser; every request that would leave 127.0.0.1 is blocked and fails the test, as does a console error
(a CSP violation is one), an uncaught exception or a failed response.

On a phone the language switcher is visible and leads from a dossier to the same dossier in Russian and back; the
Russian search page searches the Russian index, the English one the English index; no page of either edition
scrolls sideways at 320 or 375 px; axe finds nothing on a page of each kind in each language; the Nu HTML Checker
finds no error on any page.

Without chromium or Playwright the browser tests skip, except under ``CI=true``, where they fail: CI must run them.
The Nu HTML Checker needs Java and ``npm ci``, as in ``tests/test_html_valid.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest
from conftest import built_output, make_site, static_server
from test_browser import (
    AXE_OPTIONS,
    AXE_REVIEW_FAILS,
    EVERY_PAGE_VIEWS,
    OVERFLOW_JS,
    Visit,
    _Context,
    _http_status,
    _listen,
    _load_problems,
    guarded_contexts,
    visit_each,
)
from test_editions import EDITIONS, RUSSIAN_WORD, edition_pages, site_path
from test_html_valid import validation_errors

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ACTOR = "actors/min-aung-hlaing.html"
# A page of each kind, in each edition, for axe
SAMPLE = ["index.html", ACTOR, "deals/pantsir-contract.html", "search.html", "timeline.html"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two-language fixture site, built by the real ``build.py`` with its search index: its output folder."""
    out = built_output(make_site(tmp_path_factory.mktemp("editions-browser") / "site", EDITIONS))
    assert (out / "pagefind" / "pagefind.js").is_file(), "the build wrote no search index"
    return out


@pytest.fixture(scope="module")
def base(site: Path) -> Iterator[str]:
    """``http://127.0.0.1:PORT/`` serving the built site; stopped afterwards."""
    with static_server(site) as url:
        yield url


@pytest.fixture(scope="module")
def contexts(browser: Browser) -> Iterator[Callable[..., _Context]]:
    yield from guarded_contexts(browser)


@contextmanager
def tab(holder: _Context) -> Iterator[Visit]:
    """A new tab of ``holder``, listened to: the test fails on anything that went wrong in it."""
    page = holder.context.new_page()
    visit = holder.current = Visit(page=page)
    _listen(page, lambda: visit)
    try:
        yield visit
    finally:
        holder.current = None
        page.close()
    assert not visit.problems(), visit.problems()


def every_page(site: Path) -> list[str]:
    """Every page of both editions, as paths of the output (the root's 404 page is no edition's)."""
    return [site_path(language, path) for language, paths in edition_pages(site).items() for path in paths]


# --------------------------------------------------------------------------------------------
# (a) The language switcher on a phone
# --------------------------------------------------------------------------------------------


def _switch(page: Page, to: str, width: int) -> None:
    """Click the switcher's link named ``to``, after checking that a reader can see and reach it."""
    link = page.locator("nav.languages").get_by_role("link", name=to, exact=True)
    assert link.count() == 1, f"{page.url}: {link.count()} links named {to!r} in the language switcher"
    assert link.is_visible(), f"{page.url}: the switcher's {to!r} link is not visible at {width} px"
    box = link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, f"{to!r} at {box}, {width} px"
    link.click()  # Playwright clicks only what is visible, stable and the element hit at the click's point
    page.wait_for_load_state("load")


@pytest.mark.parametrize("width", (320, 375))
def test_on_a_phone_the_switcher_leads_to_the_same_dossier_in_russian_and_back(
    contexts: Callable[..., _Context], base: str, width: int
) -> None:
    with tab(contexts(width)) as visit:
        page = visit.page
        page.goto(base + ACTOR)
        _switch(page, "Русский", width)
        assert page.url == base + "ru/" + ACTOR, f"clicking Русский on {ACTOR} led to {page.url}"
        assert page.evaluate("document.documentElement.lang") == "ru"
        assert RUSSIAN_WORD in page.locator(".narrative").inner_text()
        _switch(page, "English", width)
        assert page.url == base + ACTOR, f"clicking English on ru/{ACTOR} led to {page.url}"
        assert page.evaluate("document.documentElement.lang") == "en"
        assert RUSSIAN_WORD not in page.locator("main").inner_text()


# --------------------------------------------------------------------------------------------
# (b) Search: each edition's search page searches its own language
# --------------------------------------------------------------------------------------------

# The search page has answered: results, or its own "nothing found" or "unavailable" words.
ANSWERED_JS = """() => {
  const root = document.getElementById('search'), status = root.querySelector('.search-status');
  return document.querySelector('.search-results li a') !== null
    || [root.dataset.none, root.dataset.unavailable].includes(status.textContent);
}"""


def search(page: Page, url: str) -> list[str]:
    """The addresses the results of a search page's ``url`` lead to, in order (resolved as the browser does)."""
    page.goto(url)
    page.wait_for_function(ANSWERED_JS)
    status = page.locator(".search-status").inner_text()
    assert status != page.locator("#search").get_attribute("data-unavailable"), f"{url}: {status}"
    return page.eval_on_selector_all(".search-results li a", "links => links.map(a => a.href)")


def test_the_russian_search_page_finds_the_russian_page(contexts: Callable[..., _Context], base: str) -> None:
    with tab(contexts(1280)) as visit:
        page = visit.page
        found = search(page, f"{base}ru/search.html?q={quote(RUSSIAN_WORD)}")
        assert found, f"ru/search.html finds nothing for {RUSSIAN_WORD!r}"
        assert base + "ru/" + ACTOR in found, f"ru/search.html, for {RUSSIAN_WORD!r}, lists {found}"
        page.locator(".search-results li a").first.click()
        page.wait_for_load_state("load")
        assert page.url == base + "ru/" + ACTOR
        assert page.evaluate("document.documentElement.lang") == "ru"
        assert RUSSIAN_WORD in page.locator(".narrative").inner_text()


def test_the_english_search_page_does_not_find_the_russian_word(contexts: Callable[..., _Context], base: str) -> None:
    with tab(contexts(1280)) as visit:
        found = search(visit.page, f"{base}search.html?q={quote(RUSSIAN_WORD)}")
        assert found == [], f"search.html finds {found} for {RUSSIAN_WORD!r}: the Russian index"
        none = visit.page.locator("#search").get_attribute("data-none")
        assert visit.page.locator(".search-status").inner_text() == none == "Nothing found."


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_result_leads_to_a_page_of_the_same_edition(
    contexts: Callable[..., _Context], base: str, language: str
) -> None:
    """A name both editions share: the results of each search page lead to existing pages of its own edition."""
    folder = "" if language == "en" else f"{language}/"
    with tab(contexts(1280)) as visit:
        found = search(visit.page, f"{base}{folder}search.html?q=Tatmadaw")
    assert len(found) >= 3, found
    wrong = []
    for url in found:
        inside = url.removeprefix(base)
        if not url.startswith(base) or (language == "en") == inside.startswith("ru/"):
            wrong.append(f"{url}: not a page of the {language} edition")
        elif (status := _http_status(url.split("#")[0])) != 200:
            wrong.append(f"{url}: HTTP {status}")
    assert not wrong, f"results of {folder}search.html?q=Tatmadaw:\n" + "\n".join(wrong)


# --------------------------------------------------------------------------------------------
# (c) No page of either edition scrolls sideways on a phone
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", (320, 375))
def test_no_page_of_either_edition_scrolls_sideways_on_a_phone(
    contexts: Callable[..., _Context], base: str, site: Path, width: int
) -> None:
    paths = every_page(site)

    def check(path: str, visit: Visit) -> list[str]:
        return _load_problems(path, width, visit, visit.page.evaluate(OVERFLOW_JS))

    failures = visit_each(contexts(width), base, paths, check)
    assert len(paths) > 30, paths
    assert not failures, f"{len(failures)} problems on {len(paths)} pages:\n\n" + "\n\n".join(failures)


# --------------------------------------------------------------------------------------------
# (d) axe: no violation on a page of each kind, in each edition
# --------------------------------------------------------------------------------------------


def _axe_violations(page: Page, where: str) -> list[str]:
    """Every violation axe finds on the loaded page, whatever its impact, with the elements at fault."""
    results: dict[str, Any] = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    bad = results["violations"] + [v for v in results["incomplete"] if v["id"] in AXE_REVIEW_FAILS]
    report = []
    for violation in bad:
        report.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        report += [f"    {node['target']}: {node.get('html', '')[:200]}" for node in violation["nodes"]]
    return [f"axe on {where}:\n" + "\n".join(report)] if bad else []


@pytest.mark.parametrize("width, scheme", EVERY_PAGE_VIEWS, ids=[f"{w}-{s}" for w, s in EVERY_PAGE_VIEWS])
def test_a_page_of_each_kind_in_each_edition_passes_axe(
    contexts: Callable[..., _Context], base: str, width: int, scheme: str
) -> None:
    paths = [site_path(language, path) for path in SAMPLE for language in ("en", "ru")]

    def check(path: str, visit: Visit) -> list[str]:
        return _load_problems(path, width, visit, visit.page.evaluate(OVERFLOW_JS)) + _axe_violations(
            visit.page, f"{path} at {width} px, {scheme} colour scheme"
        )

    failures = visit_each(contexts(width, scheme=scheme, axe=True), base, paths, check)
    assert not failures, "\n\n".join(failures)


# --------------------------------------------------------------------------------------------
# (e) The Nu HTML Checker: every page of both editions is valid HTML
# --------------------------------------------------------------------------------------------


def test_every_page_of_both_editions_is_valid_html(site: Path) -> None:
    assert len(list((site / "ru").rglob("*.html"))) > 15
    errors = validation_errors(site)
    assert errors == [], "\n".join(errors)
