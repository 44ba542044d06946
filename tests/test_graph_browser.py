"""The network as Chromium draws it: labels measured in the rendered page, not estimated.

The example is built once with the real ``build.py`` and served over HTTP. Screenshots of the network
page at 1280 px and 375 px (and of the whole network opened on a phone) are written to
``screenshots/network-*.png``.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import require_example, static_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "screenshots"

# Every visible label's and node's box on the page, in CSS pixels, with the node each belongs to.
GEOMETRY_JS = """() => [...document.querySelectorAll('svg.graph')].filter(svg => svg.getClientRects().length)
  .map(svg => {
    const rect = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    const nodes = [...svg.querySelectorAll('g.nodes a')].map(a => ({
      title: a.querySelector('title').textContent, box: rect(a.querySelector('circle, rect, polygon'))}));
    const labels = [...svg.querySelectorAll('text.label')].map(t => ({text: t.textContent, box: rect(t)}));
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return {id: svg.getAttribute('aria-labelledby'), nodes, labels, scale};
  })"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_example()
    out = tmp_path_factory.mktemp("graph-browser") / "public"
    build = subprocess.run([sys.executable, "build.py", "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert build.returncode == 0, build.stdout + build.stderr
    with static_server(out) as url:
        yield url


def open_page(browser: Browser, url: str, width: int) -> Page:
    page = browser.new_context(viewport={"width": width, "height": 800}).new_page()
    page.goto(url, wait_until="load")
    return page


def overlap(a: list[float], b: list[float], slack: float = 0.5) -> bool:
    return a[0] + slack < b[2] and b[0] + slack < a[2] and a[1] + slack < b[3] and b[1] + slack < a[3]


def collisions(page: Page) -> list[str]:
    """Every pair of rendered labels that overlap, and every label drawn over another node."""
    found = []
    for svg in page.evaluate(GEOMETRY_JS):
        labels, nodes = svg["labels"], svg["nodes"]
        for i, a in enumerate(labels):
            found += [
                f"{svg['id']}: {a['text']!r} over {b['text']!r}" for b in labels[i + 1 :] if overlap(a["box"], b["box"])
            ]
            found += [
                f"{svg['id']}: {a['text']!r} over the node {n['title']!r}" for n in nodes if overlap(a["box"], n["box"])
            ]
    return found


def page_overflow(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("width", [1280, 375])
def test_rendered_network_has_no_overlapping_labels_and_fits(browser: Browser, base_url: str, width: int) -> None:
    page = open_page(browser, base_url + "graph.html", width)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"network-{width}.png"), full_page=True)
    shown = page.evaluate(GEOMETRY_JS)
    assert [svg["id"] for svg in shown] == ["graph-all-title" if width > 600 else "graph-core-title"]
    assert len(shown[0]["labels"]) == len(shown[0]["nodes"])  # the example's nodes all carry their label
    assert shown[0]["scale"] >= 0.9  # labels at about their own size, not shrunk to fit
    assert collisions(page) == []
    assert page_overflow(page) <= 0


def test_phone_opens_the_whole_network_without_the_page_scrolling_sideways(browser: Browser, base_url: str) -> None:
    page = open_page(browser, base_url + "graph.html", 375)
    assert page.locator("figure.network-whole").is_hidden()
    page.get_by_role("link", name="The whole network").click()
    whole = page.locator("figure.network-whole")
    assert whole.is_visible() and page.url.endswith("#whole-network")
    assert page.evaluate("(e => e.scrollWidth > e.clientWidth)(document.querySelector('figure.network-whole'))")
    assert page_overflow(page) <= 0  # the frame scrolls, not the page
    assert collisions(page) == []
    page.screenshot(path=str(SCREENSHOTS / "network-whole-375.png"), full_page=True)


@pytest.mark.parametrize("path", ["actors/min-aung-hlaing.html", "actors/russia.html", "deals/su-30-fighter-jets.html"])
def test_one_hop_maps_have_no_overlapping_labels_on_a_phone(browser: Browser, base_url: str, path: str) -> None:
    page = open_page(browser, base_url + path, 375)
    maps = page.evaluate(GEOMETRY_JS)
    assert len(maps) == 1 and len(maps[0]["labels"]) == len(maps[0]["nodes"])
    assert collisions(page) == []
    assert maps[0]["scale"] >= 0.85  # readable: about its own size, not shrunk to fit the phone
    assert page_overflow(page) <= 0


def test_a_small_network_is_drawn_whole_on_a_phone(browser: Browser, built_base: Path) -> None:
    """With too few nodes for a separate phone map, the phone shows the whole picture."""
    page = open_page(browser, (built_base / "output" / "graph.html").as_uri(), 375)
    [shown] = page.evaluate(GEOMETRY_JS)
    assert shown["id"] == "graph-all-title" and len(shown["labels"]) == len(shown["nodes"]) >= 3
    assert collisions(page) == [] and page_overflow(page) <= 0
