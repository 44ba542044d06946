"""The evidence gallery in a real browser: it fits a phone and a desktop, every image is described, every
image loads (lazily, from the site itself) and nothing is requested beyond 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import built_output
from test_browser import (  # noqa: F401 - base_url, contexts, open_page: its fixtures, over this module's `site`
    OVERFLOW_JS,
    SCREENSHOTS,
    Visit,
    _overflow_message,
    base_url,
    contexts,
    open_page,
)
from test_media import media_site

PAGE = "deals/pantsir-contract.html"

IMAGES_JS = """() => [...document.querySelectorAll('img')].map(img => ({
  src: img.currentSrc, alt: img.getAttribute('alt'), loaded: img.complete && img.naturalWidth > 0,
  right: img.getBoundingClientRect().right}))"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The media fixture site, built by the real build.py (overrides test_browser's example site)."""
    return built_output(media_site(tmp_path_factory.mktemp("media-browser") / "site"))


@pytest.mark.parametrize("width", (375, 1280))
def test_gallery_fits_and_every_image_is_described_and_local(
    open_page: Callable[..., Visit],  # noqa: F811 - the fixture imported above
    width: int,
) -> None:
    visit = open_page(PAGE, width, wait="networkidle")
    page = visit.page
    page.locator("section.gallery").scroll_into_view_if_needed()  # lazy images load once near the viewport
    page.wait_for_function("() => [...document.querySelectorAll('section.gallery img')].every(i => i.complete)")
    images = page.evaluate(IMAGES_JS)
    overflow = page.evaluate(OVERFLOW_JS)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"gallery-{width}.png"), full_page=True)
    assert len(images) == 4  # the photo in the text, then the gallery: photo, scan, the PDF's first page
    assert all(image["alt"] for image in images), images
    gallery = images[1:]
    assert all(image["loaded"] for image in gallery), gallery
    assert all(image["src"].startswith("http://127.0.0.1:") and "/media/" in image["src"] for image in gallery)
    smallest = ("-480.jpg", "-480.png", "-page1.jpg")  # a grid cell loads the smallest width of each
    assert all(image["src"].endswith(smallest) for image in gallery), gallery
    assert all(image["right"] <= width for image in images), images
    assert overflow["scrollWidth"] <= width, _overflow_message(PAGE, width, overflow)
    assert not visit.external and not visit.problems(), visit.problems()
