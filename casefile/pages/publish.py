"""What a published site needs beside its pages: a sitemap, robots.txt, Atom feeds of the
dossiers that changed and of the corrections, ``.nojekyll`` and ``CNAME`` for those who publish from a branch.

Everything comes from the resolved investigation and the list of rendered pages, and is
byte-identical from one build to the next: nothing depends on the clock.  Without a
``base_url`` there are no absolute addresses, so no sitemap and no feed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from casefile.content.config import SiteConfig
from casefile.content.dates import FuzzyDate
from casefile.content.model import Dossier
from casefile.content.translations import Untranslated
from casefile.investigation import corrections
from casefile.investigation.corrections import Listed, all_corrections, last_updated
from casefile.investigation.resolve import Investigation
from casefile.pages.i18n import site_labels

NOT_FOUND_PAGE = "404.html"
FEED = "feed.xml"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def site_files(investigation: Investigation, page_paths: Iterable[str]) -> dict[str, str]:
    """The extra files, by site path, for the default edition with ``page_paths``: the site's own and its feeds."""
    config = investigation.config
    files = {".nojekyll": "", "robots.txt": robots_txt(config)}
    if config.domain:
        files["CNAME"] = config.domain + "\n"
    if config.base_url:
        files["sitemap.xml"] = sitemap(config, page_paths)
    return files | edition_files(investigation)


def edition_files(investigation: Investigation) -> dict[str, str]:
    """The feeds of one edition, in its language and its folder."""
    files = {}
    folder = investigation.config.folder
    if feed_path(investigation):
        files[folder + FEED] = atom_feed(investigation)
    if corrections.feed_path(investigation):
        files[folder + corrections.FEED] = corrections_feed(investigation)
    return files


def feed_path(investigation: Investigation) -> str | None:
    """Where the Atom feed is, for every page to link to; None without a base URL or a dossier with a date of
    last update."""
    has_entries = any(last_updated(d) is not None for d in investigation.dossiers.values())
    return FEED if investigation.config.base_url and has_entries else None


def robots_txt(config: SiteConfig) -> str:
    """Everything may be crawled; the sitemap is named when its address is known."""
    text = "User-agent: *\nDisallow:\n"
    if config.base_url:
        text += f"Sitemap: {config.absolute_url('sitemap.xml')}\n"
    return text


def sitemap(config: SiteConfig, page_paths: Iterable[str]) -> str:
    """Every HTML page of the default edition but the 404 page, at the address its canonical link names; with
    more languages, the page in each, each naming all of them as alternates (as search engines ask)."""
    attributes = {"xmlns": SITEMAP_NS} | ({"xmlns:xhtml": XHTML_NS} if len(config.editions) > 1 else {})
    urlset = ET.Element("urlset", attributes)
    for path in sorted(p for p in page_paths if p.endswith(".html") and p != NOT_FOUND_PAGE):
        addresses = {language: config.absolute_url(config.folder_of(language) + path) for language in config.editions}
        for address in addresses.values():
            url = ET.SubElement(urlset, "url")
            ET.SubElement(url, "loc").text = address
            for language, alternate in addresses.items() if len(addresses) > 1 else ():
                ET.SubElement(url, "xhtml:link", rel="alternate", hreflang=language, href=alternate or "")
    return _xml(urlset)


def atom_feed(investigation: Investigation) -> str:
    """Dossiers by the day they were last updated, newest first (there is one: see :func:`feed_path`)."""
    dated = [d for d in investigation.dossiers.values() if last_updated(d) is not None]
    newest_first = sorted(dated, key=lambda d: last_updated(d).sort_key, reverse=True)  # type: ignore[union-attr]
    config = investigation.config
    feed_id = config.edition_url("")
    return _feed(config, FEED, feed_id, [_entry(dossier, config) for dossier in newest_first])


def corrections_feed(investigation: Investigation) -> str:
    """Every correction, newest first (there is one: see :func:`corrections.feed_path`)."""
    config = investigation.config
    entries = [_correction_entry(listed, config) for listed in all_corrections(investigation)]
    return _feed(config, corrections.FEED, config.edition_url(corrections.FEED), entries)


def _feed(config: SiteConfig, path: str, feed_id: str, entries: list[ET.Element]) -> str:
    """An Atom feed of ``entries`` (newest first) at ``path``.

    The feed's own date is its newest entry's, so an unchanged investigation gives an unchanged feed.
    """
    feed = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: config.language})
    ET.SubElement(feed, "title").text = config.title
    if config.description:
        ET.SubElement(feed, "subtitle").text = config.description
    ET.SubElement(feed, "link", href=config.edition_url(""))
    ET.SubElement(feed, "link", rel="self", href=config.edition_url(path))
    ET.SubElement(feed, "id").text = feed_id
    ET.SubElement(feed, "updated").text = entries[0].findtext("updated")
    ET.SubElement(ET.SubElement(feed, "author"), "name").text = config.title
    feed.extend(entries)
    return _xml(feed)


def _entry(dossier: Dossier, config: SiteConfig) -> ET.Element:
    url = config.edition_url(dossier.page)
    entry = _entry_head(dossier.label, url, last_updated(dossier))  # type: ignore[arg-type]
    ET.SubElement(entry, "category", term=dossier.type)
    if dossier.summary:
        summary = ET.SubElement(entry, "summary", _language_of(dossier.summary))
        summary.text = dossier.summary
    return entry


def _language_of(text: str) -> dict[str, str]:
    """``xml:lang`` for a text shown untranslated, in the language it is written in: not the feed's."""
    return {XML_LANG: text.lang} if isinstance(text, Untranslated) else {}


def _correction_entry(listed: Listed, config: SiteConfig) -> ET.Element:
    """A correction as an entry: its id and link are the correction's place on the dossier's page."""
    gettext = site_labels(config).gettext
    title = gettext("Correction to %(name)s") % {"name": listed.dossier.label}
    correction = listed.correction
    entry = _entry_head(title, config.edition_url(listed.page), correction.date)
    ET.SubElement(entry, "category", term="correction")
    what, why = gettext("What changed:"), gettext("Why:")
    ET.SubElement(entry, "summary").text = f"{what} {correction.what}\n{why} {correction.why}"
    return entry


def _entry_head(title: str, url: str, updated: FuzzyDate) -> ET.Element:
    entry = ET.Element("entry")
    ET.SubElement(entry, "title", _language_of(title)).text = title
    ET.SubElement(entry, "link", href=url)
    ET.SubElement(entry, "id").text = url
    ET.SubElement(entry, "updated").text = _timestamp(updated)
    return entry


def _timestamp(date: FuzzyDate) -> str:
    """Atom wants a full timestamp: the last day named, a month or year counting from its first day."""
    day = date.end or date.start
    return f"{day.year:04d}-{day.month or 1:02d}-{day.day or 1:02d}T00:00:00Z"


def _xml(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
