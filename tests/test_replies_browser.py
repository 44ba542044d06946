"""The Response section in a real browser (Debian's chromium), under the site's own CSP: on the example's event page
it is visible on a 375 px phone in every language the labels ship in and nothing scrolls sideways; on the fixture
site a claim's "Response on record" leads to the reply it names."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from conftest import built_output, static_server
from test_browser import (  # noqa: F401 - the example's fixtures: site, base_url, editions, contexts
    EDITIONS,
    IN_VIEW_JS,
    OVERFLOW_JS,
    SCREENSHOTS,
    Visit,
    _listen,
    _load_problems,
    base_url,
    contexts,
    editions,
    site,
)
from test_replies_pages import EXAMPLE_EVENT, replies_site

PHONE = 375

# Every entry of the section, and the section itself, against the viewport's width
BOXES_JS = """() => [...document.querySelectorAll('section.response, section.response li')].map(el => {
  const r = el.getBoundingClientRect();
  return {id: el.id || el.className, left: r.left, right: r.right, width: r.width, height: r.height};
})"""


@pytest.mark.parametrize("language", EDITIONS)
def test_the_response_section_is_visible_on_a_phone_without_sideways_scroll(
    contexts: Callable[..., Any],  # noqa: F811 - the fixture imported above
    editions: Callable[[str], str],  # noqa: F811
    language: str,
) -> None:
    holder = contexts(PHONE)
    page = holder.context.new_page()
    visit = holder.current = Visit(page=page)
    _listen(page, lambda: visit)
    try:
        response = page.goto(urljoin(editions(language), EXAMPLE_EVENT), wait_until="load")
        assert response is not None and response.status == 200
        section = page.locator("section.response")
        section.scroll_into_view_if_needed()
        assert section.is_visible(), f"the Response section is hidden ({language})"
        assert "Neither country has commented on the trip." in section.inner_text()
        boxes = page.evaluate(BOXES_JS)
        SCREENSHOTS.mkdir(exist_ok=True)
        section.screenshot(path=str(SCREENSHOTS / f"response-{language}-{PHONE}.png"))
        failures = _load_problems(f"{EXAMPLE_EVENT} ({language})", PHONE, visit, page.evaluate(OVERFLOW_JS))
    finally:
        holder.current = None
        page.close()
    assert len(boxes) == 2 and all(box["height"] > 0 for box in boxes), boxes
    assert all(box["left"] >= 0 and box["right"] <= PHONE for box in boxes), boxes
    assert not failures, "\n\n".join(failures)


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site with a reply of every kind (test_replies_pages), built by the real build.py."""
    return built_output(replies_site(tmp_path_factory.mktemp("replies-browser") / "site"))


def test_a_claims_response_link_leads_to_the_reply_on_a_phone(browser, fixture_site: Path) -> None:
    context = browser.new_context(viewport={"width": PHONE, "height": 800})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        with static_server(fixture_site) as url:
            page.goto(f"{url}deals/pantsir-contract.html", wait_until="load")
            page.locator("#claim-delivery a.reply-note").click()
            page.wait_for_function("() => location.hash === '#reply-2'", timeout=3000)
            target = page.locator("li:target")
            assert target.get_attribute("id") == "reply-2"
            assert target.evaluate(IN_VIEW_JS), "the reply is not scrolled into view"
            assert "answered: “The contract was signed in 2018.”" in target.inner_text()
            found = page.evaluate(OVERFLOW_JS)
        assert found["scrollWidth"] <= found["innerWidth"], found
        assert not errors, errors
    finally:
        context.close()
