"""Published as GitHub Pages serves a project site: the example built for
``https://example.org/casefile/`` and served under ``/casefile/`` on 127.0.0.1, where a
missing address gets 404.html with status 404 at the requested depth."""

from __future__ import annotations

import mimetypes
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest
from conftest import (
    BASE,
    ROOT,
    built_site,
    example_only,
    load_html,
    make_site,
    parse_html,
    run_build,
    run_builds,
    snapshot,
)

BASE_URL = "https://example.org/casefile/"
PREFIX = "/casefile/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example built twice, the same way, into two folders."""
    root = tmp_path_factory.mktemp("published")
    outs = (root / "first", root / "second")
    results = run_builds([(ROOT, ("--base-url", BASE_URL, "--out", str(out))) for out in outs])
    for result in results:
        assert result.returncode == 0, result.stderr
    return outs


@pytest.fixture(scope="module")
def out(builds: tuple[Path, Path]) -> Path:
    return builds[0]


def pages_handler(out: Path) -> type[BaseHTTPRequestHandler]:
    class Pages(BaseHTTPRequestHandler):
        """Like GitHub Pages for a project site: files under /casefile/, else 404.html with status 404."""

        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            file = _file_at(out, path)
            status = 200 if file is not None else 404
            body = (file or out / "404.html").read_bytes()
            self.send_response(status)
            self.send_header("Content-Type", mimetypes.guess_type(str(file or "404.html"))[0] or "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Pages


def _file_at(out: Path, path: str) -> Path | None:
    if not path.startswith(PREFIX):
        return None
    file = (out / path[len(PREFIX) :]).resolve()
    if not file.is_relative_to(out.resolve()):
        return None
    if file.is_dir():
        file = file / "index.html"
    return file if file.is_file() else None


@pytest.fixture(scope="module")
def server(out: Path) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), pages_handler(out))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def fetch(url: str) -> tuple[int, str, bytes]:
    """(status, content type, body), 404s included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read()


class Crawler:
    """Fetches each internal address once and checks every link and fragment it finds."""

    def __init__(self, server: str) -> None:
        self.server = server
        self.responses: dict[str, tuple[int, str, bytes]] = {}
        self.ids: dict[str, set[str]] = {}

    def get(self, url: str) -> tuple[int, str, bytes]:
        if url not in self.responses:
            self.responses[url] = fetch(url)
        return self.responses[url]

    def internal_links(self, page_url: str, body: bytes) -> list[str]:
        """Every href/src (and form action: the search box leads to the search page) of the page on this server,
        absolute; outside addresses are left alone."""
        links = []
        for node in parse_html(body.decode("utf-8")).iter():
            for attr in ("href", "src", "action"):
                value = node.attrs.get(attr)
                if value is None or urlsplit(value).scheme in ("mailto", "data"):
                    continue
                url = urljoin(page_url, value)
                if url.startswith(self.server):
                    links.append(url)
                else:
                    assert urlsplit(url).scheme in ("http", "https") and urlsplit(url).hostname, (page_url, value)
        return links

    def check_link(self, page_url: str, url: str) -> str | None:
        """Assert ``url`` resolves (fragment included); the target when it is an HTML page."""
        address, fragment = urldefrag(url)
        status, kind, body = self.get(address)
        assert status == 200, f"{page_url} links to {url}: {status}"
        assert urlsplit(address).path.startswith(PREFIX), f"{page_url} links out of the site: {url}"
        if kind != "text/html":
            return None
        if fragment:
            if address not in self.ids:
                self.ids[address] = parse_html(body.decode("utf-8")).ids
            assert unquote(fragment) in self.ids[address], f"{page_url} links to {url}: no such id"
        return address

    def crawl(self, start: str) -> set[str]:
        """Every page reachable from ``start``."""
        seen, queue = {start}, [start]
        while queue:
            page_url = queue.pop()
            status, _, body = self.get(page_url)
            assert status == 200, page_url
            for url in self.internal_links(page_url, body):
                target = self.check_link(page_url, url)
                if target is not None and target not in seen:
                    seen.add(target)
                    queue.append(target)
        return seen


def site_path(url: str) -> str:
    """``http://host/casefile/actors/`` → ``actors/index.html``."""
    path = urlsplit(url).path.removeprefix(PREFIX)
    return path + "index.html" if path == "" or path.endswith("/") else path


def built_pages(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*.html")} - {"404.html"}


@example_only
def test_every_page_is_reachable_from_home_and_every_link_and_fragment_resolves(server: str, out: Path) -> None:
    crawler = Crawler(server)
    reached = crawler.crawl(server + PREFIX)
    assert {site_path(url) for url in reached} == built_pages(out)
    assert len(crawler.responses) > 100


def test_a_deep_missing_address_gets_the_404_page_with_working_links(server: str, out: Path) -> None:
    deep = server + PREFIX + "actors/nope/deeper.html"
    status, kind, body = fetch(deep)
    assert status == 404 and kind == "text/html"
    assert body == (out / "404.html").read_bytes()
    crawler = Crawler(server)
    links = crawler.internal_links(deep, body)
    assert any(link.endswith("/static/casefile.css") for link in links)
    assert server + PREFIX in links  # home
    doc = parse_html(body.decode("utf-8"))
    for url in links:
        address, fragment = urldefrag(url)
        if address == deep:  # the skip link, to the 404 page itself
            assert fragment in doc.ids
        else:
            crawler.check_link(deep, url)
    assert doc.find("link", rel="canonical") is None
    assert doc.find("meta", name="robots").attrs["content"] == "noindex"


def test_the_sitemap_lists_exactly_the_built_pages(out: Path) -> None:
    urls = [loc.text for loc in ET.parse(out / "sitemap.xml").getroot().iter(SITEMAP + "loc")]
    assert len(urls) == len(set(urls))
    assert all(url.startswith(BASE_URL) for url in urls)
    assert {site_path(url) for url in urls} == built_pages(out)
    assert (out / "robots.txt").read_text() == f"User-agent: *\nDisallow:\nSitemap: {BASE_URL}sitemap.xml\n"


def test_canonical_links_and_og_url_use_the_base_url(out: Path) -> None:
    for path in built_pages(out):
        doc = load_html(out / path)
        canonical = doc.find("link", rel="canonical").attrs["href"]
        assert canonical.startswith(BASE_URL) and site_path(canonical) == path
        assert doc.find("meta", property="og:url").attrs["content"] == canonical


@example_only
def test_internal_links_stay_relative(out: Path) -> None:
    for path in ("index.html", "actors/russia.html", "sources/index.html"):
        hrefs = [a.attrs["href"] for a in load_html(out / path).find_all("a") if "href" in a.attrs]
        internal = [h for h in hrefs if not urlsplit(h).scheme]
        assert internal and not any(h.startswith("/") for h in internal), path


def test_branch_publishing_files_are_written(out: Path) -> None:
    assert (out / ".nojekyll").read_bytes() == b""
    assert not (out / "CNAME").exists()  # the example's site.yaml names no domain
    updated = [path for path in (ROOT / "content").rglob("*.yaml") if "\nupdated:" in path.read_text(encoding="utf-8")]
    assert (out / "feed.xml").exists() == bool(updated)  # the feed lists the dossiers by their `updated:` date


def test_two_builds_are_byte_identical(builds: tuple[Path, Path]) -> None:
    first, second = builds
    assert snapshot(first) == snapshot(second)


# -------------------------------------------------------------------------------- feed, CNAME


FEED_SITE = BASE | {
    "site.yaml": "title: Test investigation\nlanguage: en\ndomain: investigations.example.org\n"
    "accepted_warnings:\n  source-without-url: [myanmar-now-2021]\n",
    "content/actors/russia.yaml": BASE["content/actors/russia.yaml"] + "updated: 2026-03\n",
    "content/actors/tatmadaw.yaml": BASE["content/actors/tatmadaw.yaml"] + "updated: 2026-11-23\n",
    "content/events/naval-visit.yaml": BASE["content/events/naval-visit.yaml"] + "updated: 2026-11-23\n",
    "content/pages/method.md": BASE["content/pages/method.md"].replace("order: 1\n", "order: 1\nupdated: 2025\n"),
}


@pytest.fixture(scope="module")
def feed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # no trailing slash on the base URL: one is added
    site, printed = built_site(
        tmp_path_factory.mktemp("feed") / "site", FEED_SITE, "--base-url", "https://example.org/tiny"
    )
    assert "warning" not in printed, printed
    return site / "output"


def test_the_feed_lists_dated_dossiers_newest_first(feed_site: Path) -> None:
    feed = ET.parse(feed_site / "feed.xml").getroot()
    assert feed.tag == ATOM + "feed"
    entries = [(e.findtext(ATOM + "id"), e.findtext(ATOM + "updated")) for e in feed.iter(ATOM + "entry")]
    assert entries == [
        ("https://example.org/tiny/events/naval-visit.html", "2026-11-23T00:00:00Z"),  # same day: by id
        ("https://example.org/tiny/actors/tatmadaw.html", "2026-11-23T00:00:00Z"),
        ("https://example.org/tiny/actors/russia.html", "2026-03-01T00:00:00Z"),
        ("https://example.org/tiny/pages/method.html", "2025-01-01T00:00:00Z"),
    ]
    assert feed.findtext(ATOM + "updated") == "2026-11-23T00:00:00Z"  # the newest entry's, not the build time
    assert feed.findtext(ATOM + "id") == "https://example.org/tiny/"
    assert feed.find(ATOM + "link[@rel='self']").get("href") == "https://example.org/tiny/feed.xml"
    first = next(feed.iter(ATOM + "entry"))
    assert first.findtext(ATOM + "title") == "Russian naval delegation visits Myanmar"
    assert first.find(ATOM + "link").get("href") == "https://example.org/tiny/events/naval-visit.html"


def test_cname_names_the_domain_from_site_yaml(feed_site: Path) -> None:
    assert (feed_site / "CNAME").read_text() == "investigations.example.org\n"


# -------------------------------------------------------------------------------- without a base URL


def test_without_a_base_url_there_are_no_absolute_addresses(built_base: Path) -> None:
    out = built_base / "output"
    assert not (out / "sitemap.xml").exists() and not (out / "feed.xml").exists()
    assert (out / "robots.txt").read_text() == "User-agent: *\nDisallow:\n"
    home = load_html(out / "index.html")
    assert home.find("link", rel="canonical") is None and home.find("meta", property="og:url") is None
    not_found = load_html(out / "404.html")
    assert not_found.find("link", rel="stylesheet").attrs["href"] == "/static/casefile.css"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("ftp://example.org/", "only http:// and https:// links are allowed"),
        ("example.org/casefile", "only http:// and https:// links are allowed"),
        ("https://example.org/casefile/?x=1", "leave out ? and #"),
    ],
)
def test_a_bad_base_url_on_the_command_line_is_refused(tmp_path: Path, value: str, message: str) -> None:
    site = make_site(tmp_path / "site", {"site.yaml": "title: T\n"})
    result = run_build(site, "check", "--base-url", value)
    assert result.returncode == 2
    assert "--base-url" in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr
