"""What a published site needs beside its pages: a sitemap, robots.txt, an Atom feed of the
dossiers that changed, ``.nojekyll`` and ``CNAME`` for those who publish from a branch.

Everything comes from the resolved investigation and the list of rendered pages, and is
byte-identical from one build to the next: nothing depends on the clock.  Without a
``base_url`` there are no absolute addresses, so no sitemap and no feed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from .config import SiteConfig
from .dates import FuzzyDate
from .model import Dossier
from .resolve import Investigation

NOT_FOUND_PAGE = "404.html"
FEED = "feed.xml"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def site_files(investigation: Investigation, page_paths: Iterable[str]) -> dict[str, str]:
    """The extra files, by site path."""
    config = investigation.config
    files = {".nojekyll": "", "robots.txt": robots_txt(config)}
    if config.domain:
        files["CNAME"] = config.domain + "\n"
    if config.base_url:
        files["sitemap.xml"] = sitemap(config, page_paths)
    if feed_path(investigation):
        files[FEED] = atom_feed(investigation)
    return files


def feed_path(investigation: Investigation) -> str | None:
    """Where the Atom feed is, for every page to link to; None without a base URL or a dossier with ``updated:``."""
    has_entries = any(d.updated is not None for d in investigation.dossiers.values())
    return FEED if investigation.config.base_url and has_entries else None


def robots_txt(config: SiteConfig) -> str:
    """Everything may be crawled; the sitemap is named when its address is known."""
    text = "User-agent: *\nDisallow:\n"
    if config.base_url:
        text += f"Sitemap: {config.absolute_url('sitemap.xml')}\n"
    return text


def sitemap(config: SiteConfig, page_paths: Iterable[str]) -> str:
    """Every HTML page but the 404 page, at the address its canonical link names."""
    urlset = ET.Element("urlset", xmlns=SITEMAP_NS)
    for path in sorted(p for p in page_paths if p.endswith(".html") and p != NOT_FOUND_PAGE):
        ET.SubElement(ET.SubElement(urlset, "url"), "loc").text = config.absolute_url(path)
    return _xml(urlset)


def atom_feed(investigation: Investigation) -> str:
    """Dossiers with an ``updated:`` date, newest first (there is one: see :func:`feed_path`).

    The feed's own date is its newest entry's, so an unchanged investigation gives an
    unchanged feed.
    """
    config = investigation.config
    dated = [d for d in investigation.dossiers.values() if d.updated is not None]
    newest_first = sorted(dated, key=lambda d: d.updated.sort_key, reverse=True)  # type: ignore[union-attr]
    feed = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: config.language})
    ET.SubElement(feed, "title").text = config.title
    if config.description:
        ET.SubElement(feed, "subtitle").text = config.description
    ET.SubElement(feed, "link", href=config.base_url)
    ET.SubElement(feed, "link", rel="self", href=config.absolute_url(FEED) or "")
    ET.SubElement(feed, "id").text = config.base_url
    ET.SubElement(feed, "updated").text = _timestamp(newest_first[0].updated)  # type: ignore[arg-type]
    ET.SubElement(ET.SubElement(feed, "author"), "name").text = config.title
    for dossier in newest_first:
        feed.append(_entry(dossier, config))
    return _xml(feed)


def _entry(dossier: Dossier, config: SiteConfig) -> ET.Element:
    url = config.absolute_url(dossier.page) or ""
    entry = ET.Element("entry")
    ET.SubElement(entry, "title").text = dossier.label
    ET.SubElement(entry, "link", href=url)
    ET.SubElement(entry, "id").text = url
    ET.SubElement(entry, "updated").text = _timestamp(dossier.updated)  # type: ignore[arg-type]
    ET.SubElement(entry, "category", term=dossier.type)
    if dossier.summary:
        ET.SubElement(entry, "summary").text = dossier.summary
    return entry


def _timestamp(date: FuzzyDate) -> str:
    """Atom wants a full timestamp: the last day named, a month or year counting from its first day."""
    day = date.end or date.start
    return f"{day.year:04d}-{day.month or 1:02d}-{day.day or 1:02d}T00:00:00Z"


def _xml(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
