"""Every link of a built site leads somewhere, checked before the site goes live.

Internal ``href``/``src`` must name a file of the site, and a ``#fragment`` an id in
that page; outbound addresses must be complete http(s) URLs.  These are checked offline
on the staged folder, and a broken one stops the swap.  With ``--check-external`` the
outbound addresses are also fetched, a few at a time, and a dead one is reported at the
source that holds it, pointing at its archived copy.
"""

from __future__ import annotations

import http.client
import posixpath
import re
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from casefile.content.model import Source
from casefile.diagnostics import Diagnostics, Location, did_you_mean
from casefile.investigation.lint import warn
from casefile.investigation.resolve import Investigation

EXTERNAL_TIMEOUT = 10  # seconds before an outbound address counts as unreachable
EXTERNAL_WORKERS = 8  # outbound requests at once: quick, without hammering one publisher
USER_AGENT = "Casefile link checker"
TEXT_LINK_HINT = "fix or remove the link in the text this page comes from"
OTHER_SCHEMES = ("mailto", "data")  # the only non-web links a page may carry (markdown mailto:, the icon)


Verdict = tuple[str, str] | None  # (message, hint) for a link that leads nowhere
_UNSEEN = ("", "")  # no verdict yet

# A comment, or a tag holding one of the attributes below: most tags hold none, and are passed over in the regex
_TAG = re.compile(r"<!--.*?-->|<[a-zA-Z][^>]*?\s(?:id|href|src|xlink:href)\s*=[^>]*>", re.DOTALL | re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""\s(id|href|src|xlink:href)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


@dataclass(frozen=True)
class PageLinks:
    """A page's link table: the ids it defines and every link it holds, with the link's line and column."""

    ids: frozenset[str]
    links: tuple[tuple[str, int, int], ...]


def page_links(html: str) -> PageLinks:
    """The link table of ``html``, from its tags, skipping comments.

    A scan of the tags rather than a full HTML parser: the pages are ours, attribute values are
    quoted and escaped.  It runs where the page is rendered, on the string in hand, so the check
    never reads a page back; values are interned, so a table of the same links page after page
    travels back from a worker process once.
    """
    ids: set[str] = set()
    links: list[tuple[str, int, int]] = []
    line, line_start, last = 1, 0, 0
    for tag in _TAG.finditer(html):
        start, end = tag.span()
        if html.startswith("<!--", start):
            continue
        for attribute in _ATTRIBUTE.finditer(html, start, end):
            name, double, single = attribute.groups()
            quoted = single if double is None else double
            value = sys.intern((unescape(quoted) if "&" in quoted else quoted).strip())
            if name.lower() == "id":
                ids.add(value)
                continue
            offset = attribute.start(1)
            if newlines := html.count("\n", last, offset):
                line, line_start = line + newlines, html.rfind("\n", last, offset) + 1
            last = offset
            links.append((value, line, offset - line_start + 1))
    return PageLinks(frozenset(ids), tuple(links))


def check_folder(
    folder: Path,
    root_path: str,
    shown_as: Path,
    diagnostics: Diagnostics,
    known: dict[str, PageLinks],
    unchanged: frozenset[str] = frozenset(),
) -> bool:
    """Report every link in the site at ``folder`` that leads nowhere; True when there is none.

    ``known`` holds the link tables of the pages rendered into it; any other page (a static one)
    is read when its links are checked or its ids are needed.  The links of ``unchanged`` pages are not
    checked: a partial build keeps them from the last build, whose check they passed, and only keeps them
    where every file and fragment they can lead to is still there.  ``root_path`` is the site's folder on
    its server (``/casefile/``), for the 404 page's root-relative links; errors name the pages as they will
    stand in ``shown_as``.
    """
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    site = _Site(files, _PageTables(folder, known), root_path)
    by_folder: dict[str, dict[str, Verdict]] = {}  # most links recur on page after page
    broken = 0
    for path in sorted(p for p in files if p.endswith(".html") and p not in unchanged):
        in_folder = by_folder.setdefault(posixpath.dirname(path), {})
        on_page: dict[str, Verdict] = {}
        for url, line, column in site.pages[path].links:
            verdicts = on_page if url[:1] in ("", "#", "?") else in_folder  # an empty path means the page itself
            problem = verdicts.get(url, _UNSEEN)
            if problem is _UNSEEN:
                problem = verdicts[url] = site.problem(path, url)
            if problem is not None:
                diagnostics.error(Location(shown_as / path, line, column), *problem)
                broken += 1
    return broken == 0


class _PageTables(dict[str, PageLinks]):
    """Link tables by page: the rendered pages' as given, any other read from the folder when first asked for."""

    def __init__(self, folder: Path, known: dict[str, PageLinks]) -> None:
        super().__init__(known)
        self.folder = folder

    def __missing__(self, path: str) -> PageLinks:
        self[path] = found = page_links((self.folder / path).read_text(encoding="utf-8"))
        return found


@dataclass
class _Site:
    """A staged site: its files, its parsed pages, and the folder it will be served from."""

    files: set[str]
    pages: _PageTables
    root_path: str

    def problem(self, page: str, url: str) -> tuple[str, str] | None:
        """(message, hint) when ``url`` on ``page`` leads nowhere."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            return _outbound_problem(url)
        target = self.target(page, unquote(parts.path))
        if target is None:
            return f"the link '{url}' leads out of the site", "link to a page inside the site"
        if target not in self.files:
            hint = did_you_mean(target, self.files) or "fix the link in the template or text the page comes from"
            return f"the link '{url}' leads nowhere: the site has no {target}", hint
        fragment = unquote(parts.fragment)
        if fragment and target.endswith(".html") and fragment not in self.pages[target].ids:
            ids = self.pages[target].ids
            hint = did_you_mean(fragment, ids) or f"link to an id that {target} has, or drop '#{fragment}'"
            return f"the link '{url}' leads nowhere: {target} has no element with id '{fragment}'", hint
        return None

    def target(self, page: str, path: str) -> str | None:
        """The site file ``path`` names from ``page`` (a folder means its index.html); None when outside."""
        if path.startswith("/"):
            if not (path + "/").startswith(self.root_path):
                return None
            joined = posixpath.normpath(path[len(self.root_path) :] or ".")
        elif not path:
            return page
        else:
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        if joined == ".." or joined.startswith("../"):
            return None
        joined = "" if joined == "." else joined
        index = posixpath.join(joined, "index.html")
        return index if joined not in self.files and index in self.files else joined


def _outbound_problem(url: str) -> tuple[str, str] | None:
    parts = urlsplit(url)
    if (parts.scheme in ("http", "https") and parts.hostname) or parts.scheme in OTHER_SCHEMES:
        return None
    return (
        f"'{url}' is not a complete web address",
        "outbound links start with https:// or http:// and name a host; mail links start with mailto:",
    )


def outbound_links(pages: dict[str, PageLinks]) -> dict[str, tuple[str, int, int]]:
    """Every http(s) address of the pages, with the first page (and line, column) that holds it."""
    found: dict[str, tuple[str, int, int]] = {}
    for path in sorted(pages):
        for url, line, column in pages[path].links:
            if url not in found and urlsplit(url).scheme in ("http", "https"):
                found[url] = (path, line, column)
    return found


def check_external(
    investigation: Investigation, pages: dict[str, PageLinks], shown_as: Path, diagnostics: Diagnostics
) -> None:
    """Fetch every outbound address of ``pages`` (by their link tables) and warn about the dead ones,
    where they can be fixed.

    The site's own addresses (canonical links) are left out: the site is not published yet.
    """
    own = investigation.config.base_url
    links = {url: at for url, at in outbound_links(pages).items() if not (own and url.startswith(own))}
    with ThreadPoolExecutor(max_workers=EXTERNAL_WORKERS) as pool:
        failures = dict(zip(links, pool.map(fetch_failure, links), strict=True))
    holders = {s.url: s for s in investigation.sources if s.url} | {
        s.archived.url: s for s in investigation.sources if s.archived
    }
    for url, failure in sorted(failures.items()):
        if failure is None:
            continue
        source = holders.get(url)
        if source is not None:
            where, hint, subject = _at_source(source, url), _archive_hint(source, url), source.id
        else:
            page, line, column = links[url]
            where, hint, subject = Location(shown_as / page, line, column), TEXT_LINK_HINT, url
        warn(investigation, diagnostics, "dead-link", subject, where, f"'{url}' {failure}", hint)


def _at_source(source: Source, url: str) -> Location:
    return source.origin.location(("url",) if url == source.url else ("archived", "url"))


def _archive_hint(source: Source, url: str) -> str:
    if url == source.url and source.archived:
        return f"readers can still open the archived copy {source.archived.url}; if the page moved, update `url:`"
    if url == source.url:
        return "find an archived copy (e.g. on web.archive.org) and add it as `archived: {url: …, date: …}`"
    return "the archived copy is gone: find another one and update `archived:`"


def fetch_failure(url: str) -> str | None:
    """Why ``url`` is dead (``answered 404 Not Found``), or None when it answers."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=EXTERNAL_TIMEOUT):
                return None
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in (403, 405, 501):  # some servers refuse HEAD only
                continue
            return f"answered {exc.code} {exc.reason}"
        except (OSError, http.client.HTTPException, ValueError) as exc:  # URLError and timeouts are OSErrors
            reason = getattr(exc, "reason", exc)
            return f"could not be reached ({reason})"
    return None
