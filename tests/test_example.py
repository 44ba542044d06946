"""The shipped example investigation: built as a reader would get it."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_SOURCES = {
    "moscow-times-2021-07-06",
    "efe-2021-07-07",
    "myanmar-now-2021-07",
    "myanmar-now-2022-07",
    "moscow-times-2021-03-26",
}
MT_URLS = {
    "moscow-times-2021-07-06": "https://www.themoscowtimes.com/2021/07/06/russian-military-delegation-secretly-visited-myanmar-a-head-of-junta-leaders-moscow-visit-reports-a74444",
    "moscow-times-2021-03-26": "https://www.themoscowtimes.com/2021/03/26/russia-to-deepen-ties-with-myanmar-military-junta-top-defense-official-says-in-first-visit-after-coup-a73387",
}


class _Footnotes(HTMLParser):
    """Collects, per footnote, the hrefs inside it, and the markers in the text."""

    def __init__(self) -> None:
        super().__init__()
        self.notes: dict[str, list[str]] = {}
        self.sources: dict[str, str] = {}
        self.markers: list[str] = []
        self._current: str | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "li" and (attributes.get("id") or "").startswith("fn-"):
            self._current, self._depth = attributes["id"], 0
            self.notes[self._current] = []
            self.sources[self._current] = attributes.get("data-source") or ""
        elif tag == "li" and self._current:
            self._depth += 1
        if tag == "a" and self._current:
            self.notes[self._current].append(attributes.get("href") or "")
            if attributes.get("class") == "source":
                self.notes[self._current].insert(0, attributes["href"])
        if tag == "a" and "fn-ref" in (attributes.get("class") or ""):
            self.markers.append(attributes["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._current:
            if self._depth == 0:
                self._current = None
            else:
                self._depth -= 1


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example") / "site"
    result = subprocess.run([sys.executable, "build.py", "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out


def test_check_passes_without_warnings() -> None:
    result = subprocess.run([sys.executable, "build.py", "check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr and "error" not in result.stderr.replace("no errors", "")


def test_every_dossier_has_a_page(site: Path) -> None:
    content = ROOT / "content"
    for section in ("actors", "deals", "events", "sources"):
        for dossier in (content / section).glob("*.yaml"):
            assert (site / section / f"{dossier.stem}.html").is_file(), dossier
    for page in (content / "pages").glob("*.md"):
        expected = site / ("index.html" if page.stem == "index" else f"pages/{page.stem}.html")
        assert expected.is_file(), page


def test_every_footnote_resolves_to_a_seed_source(site: Path) -> None:
    notes_seen = 0
    for html_file in site.rglob("*.html"):
        parser = _Footnotes()
        parser.feed(html_file.read_text(encoding="utf-8"))
        for marker in parser.markers:
            assert marker.lstrip("#") in parser.notes, (html_file, marker)
        for note_id, hrefs in parser.notes.items():
            notes_seen += 1
            cited = Path(hrefs[0]).stem  # the footnote's link to the source's page
            assert (html_file.parent / hrefs[0]).resolve().is_file()
            assert parser.sources[note_id] == cited
            assert cited in SEED_SOURCES, f"{html_file.relative_to(site)} {note_id} cites {cited}"
    assert notes_seen > 100


def test_moscow_times_urls_appear_where_cited(site: Path) -> None:
    for source_id, url in MT_URLS.items():
        citing_pages = 0
        for html_file in site.rglob("*.html"):
            text = html_file.read_text(encoding="utf-8")
            if f'sources/{source_id}.html"' in text and 'class="footnotes"' in text:
                citing_pages += 1
                assert f'href="{url}"' in text, html_file
        assert citing_pages >= 3, source_id
    sources_page = (site / "sources" / "moscow-times-2021-07-06.html").read_text(encoding="utf-8")
    assert MT_URLS["moscow-times-2021-07-06"] in sources_page


def _section(html: str, start: str) -> str:
    return html[html.index(start) :]


def test_conflicting_arms_import_figures_side_by_side(site: Path) -> None:
    html = (site / "deals" / "russian-arms-imports-myanmar.html").read_text(encoding="utf-8")
    values = _section(html, 'class="values side-by-side"')
    values = values[: values.index("</ul>")]
    assert "$1.5 billion" in values and "$807 million" in values
    notes = _Footnotes()
    notes.feed(html)
    by_figure = {}
    for item in values.split('<li class="value">')[1:]:
        figure = "$1.5 billion" if "$1.5 billion" in item else "$807 million"
        marker = re.search(r'href="#(fn-\d+)"', item).group(1)
        by_figure[figure] = notes.sources[marker]
    assert by_figure == {"$1.5 billion": "myanmar-now-2021-07", "$807 million": "moscow-times-2021-03-26"}


def test_un_vote_accounts_side_by_side(site: Path) -> None:
    [page] = [
        p
        for p in (site / "events").glob("*.html")
        if "General Assembly" in p.read_text(encoding="utf-8") and "Belarus" in p.read_text(encoding="utf-8")
    ]
    html = page.read_text(encoding="utf-8")
    assert "abstain" in html.lower()
    assert "opposed" in html.lower()
    notes = _Footnotes()
    notes.feed(html)
    cited = set(notes.sources.values())
    assert {"efe-2021-07-07", "myanmar-now-2021-07"} <= cited
