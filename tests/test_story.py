"""The site reads like an investigative story: a home page that opens with a standfirst, key findings
and ways in; a timeline with one entry per deal and date; a sources index that says how each
unread work is known; deal values shown in the page's language, sortable, with ISO 4217 currencies.

All sites are built at once by the real ``build.py``: the example, the base fixture with a story
home page and a few deals, the same in German, a site without a home page, and one with bad
currencies and language.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import BASE, ROOT, Node, example_only, free_port, http_get, load_html, make_site, run_builds, wait_for

if TYPE_CHECKING:
    from playwright.sync_api import Browser

HOME = """\
---
title: What the test reports found
summary: Two reports on one contract, and what they leave open.
claims:
  - text: The [[pantsir-contract]] was signed in January 2018.
    sources: [moscow-times-2021]
  - text: Russia [[naval-visit|sent a delegation]] in June 2021.
    sources: [{id: myanmar-now-2021, citing: [sipri-arms-data]}]
main_actors: [min-aung-hlaing, russia]
---
This site follows the [[pantsir-contract]] and the [[naval-visit]] [@moscow-times-2021].
"""

# Signed and agreed on one date, delivered on another; 1,500,000 US dollars.
RADAR_DEAL = """\
title: Radar deal
kind: contract
parties:
  - actor: russia
    role: seller
values:
  - text: 1.5 million dollars
    amount: 1500000
    currency: USD
    sources: [moscow-times-2021]
dates:
  signed: {date: 2021-01, sources: [moscow-times-2021]}
  agreed: {date: 2021-01, sources: [myanmar-now-2021]}
  delivered: 2021-03
sources: [moscow-times-2021]
"""

NO_VALUE_DEAL = """\
title: Drone deal
kind: contract
parties:
  - actor: russia
    role: seller
dates:
  reported: 2021-05
sources: [moscow-times-2021]
"""

# Known only through a `citing:` in a deal (its relay does not list it in `cites:`, which warns).
TASS = """\
title: TASS report
publisher: TASS
kind: news-agency
read: false
"""

# Read by nobody here and relayed by no report: cited directly by the drone deal.
RUMOUR = """\
title: A rumour
publisher: Unknown
kind: other
read: false
"""

STORY = {
    **BASE,
    "content/sources/rumour.yaml": RUMOUR,
    "content/pages/index.md": HOME,
    "content/deals/radar-deal.yaml": RADAR_DEAL.replace(
        "sources: [moscow-times-2021]\n", "sources: [{id: moscow-times-2021, citing: [tass]}]\n", 1
    ),
    "content/deals/drone-deal.yaml": NO_VALUE_DEAL.replace("sources: [moscow-times-2021]", "sources: [rumour]"),
    "content/sources/tass.yaml": TASS,
}

BAD_VALUES = """\
title: Bad values
kind: contract
values:
  - text: five million euros
    amount: 5000000
    currency: €
  - text: two million dollars
    currency: usd
  - text: a sum
    currency: DOLLARS
  - text: another sum
    currency: UDS
sources: [moscow-times-2021]
"""


SITE_TITLES = {"example": "Russia–Myanmar military ties", "story": "Test investigation"}


@dataclass(frozen=True)
class Builds:
    out: dict[str, Path]  # output folder of each good site by name
    bad: subprocess.CompletedProcess[str]  # the build with bad currencies and language


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    root = tmp_path_factory.mktemp("story")
    sites = {
        "story": make_site(root / "story", STORY),
        "german": make_site(root / "german", {**STORY, "site.yaml": BASE["site.yaml"] + "language: de\n"}),
        "plain": make_site(root / "plain", {**BASE, "content/pages/index.md": None}),
    }
    bad = make_site(
        root / "bad", {**BASE, "content/deals/bad.yaml": BAD_VALUES, "site.yaml": BASE["site.yaml"] + "language: xx\n"}
    )
    jobs = [(site, ()) for site in sites.values()] + [(ROOT, ("--out", str(root / "example"))), (bad, ())]
    *good, bad_result = run_builds(jobs)
    for name, result in zip([*sites, "example"], good, strict=True):
        assert result.returncode == 0, f"{name}: {result.stderr}"
    return Builds({**{name: site / "output" for name, site in sites.items()}, "example": root / "example"}, bad_result)


@pytest.fixture(scope="module")
def built(builds: Builds) -> dict[str, Path]:
    return builds.out


def main(out: Path, page: str) -> Node:
    main_node = load_html(out / page).find("main")
    assert main_node is not None, page
    return main_node


# ---------------------------------------------------------------------------- home page


@pytest.mark.parametrize("site", [pytest.param("example", marks=example_only), "story"])
def test_home_opens_with_headline_standfirst_findings_and_ways_in(built: dict[str, Path], site: str) -> None:
    out = built[site]
    home = main(out, "index.html")
    headline = home.find("h1").text
    assert headline and headline != SITE_TITLES[site], "the home page's title repeats the site's name"
    standfirst = home.find("p", class_="standfirst")
    assert standfirst is not None and len(standfirst.text) > 20
    findings = home.find("ol", class_="findings").find_all("li")
    assert len(findings) >= 2
    for finding in findings:
        markers = finding.find_all("a", class_="fn-ref")
        assert markers, f"finding without a footnote: {finding.text}"
        assert all(home.find("li", id=m.attrs["href"][1:]) for m in markers), "a marker leads to no footnote"
    ways_in = home.find("section", class_="explore").hrefs()
    assert {"graph.html", "timeline.html"} <= set(ways_in)
    actors = [href for href in home.find("ul", class_="main-actors").hrefs() if href.startswith("actors/")]
    assert len(actors) >= 2 and all((out / href).is_file() for href in actors)
    sections = [h.text for h in home.find_all("h2")]
    assert sections[:3] == ["Key findings", "Explore the investigation", "The full account"]


def test_home_findings_are_read_and_numbered_first_and_the_page_text_follows(built: dict[str, Path]) -> None:
    home = main(built["story"], "index.html")
    numbers = [int(a.text.strip("[]")) for a in home.find("ol", class_="findings").find_all("a", class_="fn-ref")]
    assert numbers[0] == 1
    account = home.find("section", class_="account")
    assert account is not None and "This site follows" in account.text


def test_home_without_a_page_still_leads_to_network_timeline_and_actors(built: dict[str, Path]) -> None:
    home = main(built["plain"], "index.html")
    assert home.find("h1").text == "Test investigation"
    assert home.find("p", class_="standfirst").text == "A tiny investigation for the test suite."
    assert {"graph.html", "timeline.html", "actors/index.html"} <= set(home.hrefs())


# ---------------------------------------------------------------------------- timeline


def timeline_entries(out: Path) -> list[tuple[str, str, Node]]:
    """(dossier href, datetime, entry) for every entry of the full timeline."""
    entries = []
    for entry in main(out, "timeline.html").find_all("li", class_="timeline-entry"):
        what = entry.find("span", class_="timeline-what")
        entries.append((what.hrefs()[0], entry.find("time").attrs["datetime"], entry))
    return entries


@pytest.mark.parametrize("site", ["example", "story"])
def test_timeline_lists_each_deal_once_per_date(built: dict[str, Path], site: str) -> None:
    entries = timeline_entries(built[site])
    deals = [(href, when) for href, when, _ in entries if href.startswith("deals/")]
    assert deals and len(deals) == len(set(deals)), sorted(deals)


@pytest.mark.parametrize(
    ("site", "deal", "when", "kinds"),
    [
        pytest.param(
            "example",
            "deals/pantsir-orlan-radar-contract-2021.html",
            "2021-01",
            ["signed", "agreed"],
            marks=example_only,
        ),
        ("story", "deals/radar-deal.html", "2021-01", ["signed", "agreed"]),
        ("story", "deals/radar-deal.html", "2021-03", ["delivered"]),
    ],
)
def test_timeline_entry_names_each_kind_of_date_with_its_sources(
    built: dict[str, Path], site: str, deal: str, when: str, kinds: list[str]
) -> None:
    [entry] = [node for href, date, node in timeline_entries(built[site]) if href == deal and date == when]
    named = [span.text for span in entry.find_all("span", class_="date-kind")]
    assert named == kinds
    text = entry.find("span", class_="timeline-what").text
    for kind in kinds:
        assert re.search(rf"{kind}\u2060?\[\d+\]", text), f"'{kind}' has no footnote of its own: {text}"


# ---------------------------------------------------------------------------- sources index


def source_groups(out: Path) -> dict[str, dict[str, Node]]:
    """Heading of each group → {source page: its list item}."""
    groups = {}
    for section in main(out, "sources/index.html").find_all("section"):
        items = section.find_all("li")
        groups[section.find("h2").text] = {li.find("cite").hrefs()[0]: li for li in items}
    return groups


@pytest.mark.parametrize(
    ("site", "unread", "known_from"),
    [
        pytest.param(
            "example", "sipri.html", {"myanmar-now-2021-07.html", "moscow-times-2021-03-26.html"}, marks=example_only
        ),
        pytest.param("example", "tass.html", {"myanmar-now-2021-07.html", "efe-2021-07-07.html"}, marks=example_only),
        ("story", "sipri-arms-data.html", {"myanmar-now-2021.html"}),  # through its cites:
        ("story", "tass.html", {"moscow-times-2021.html"}),  # through a citing: in a deal only
    ],
)
def test_sources_index_separates_read_reports_from_works_known_through_them(
    built: dict[str, Path], site: str, unread: str, known_from: set[str]
) -> None:
    groups = source_groups(built[site])
    assert list(groups) == ["Reports read for this site", "Known only through other reports"]
    read, known = groups.values()
    assert unread in known and unread not in read
    relays = known[unread].find("span", class_="known-from")
    assert relays.text.startswith("Known from ")
    assert set(relays.hrefs()) == known_from
    assert known_from <= set(read), "a work is known from a report that is not listed as read"


def test_sources_index_says_when_the_report_a_work_is_known_from_is_missing(built: dict[str, Path]) -> None:
    _, known = source_groups(built["story"]).values()
    relays = known["rumour.html"].find("span", class_="known-from")
    assert relays.text == "The report it is known from is not on record." and not relays.hrefs()


# ---------------------------------------------------------------------------- deal values


@pytest.mark.parametrize(("site", "shown"), [("story", "$1,500,000.00"), ("german", "1.500.000,00\xa0$")])
def test_deal_amount_is_shown_in_the_page_language(built: dict[str, Path], site: str, shown: str) -> None:
    value = main(built[site], "deals/radar-deal.html").find("li", class_="value")
    assert "1.5 million dollars" in value.text
    assert value.find("data").attrs["value"] == "1500000.0"
    assert value.find("data").text == shown.replace("\xa0", " ")
    table_cell = deal_rows(built[site])["radar-deal.html"][VALUE]
    assert shown.replace("\xa0", " ") in table_cell.text


VALUE = 4  # the deals table's Value column


def deal_rows(out: Path) -> dict[str, list[Node]]:
    rows = main(out, "deals/index.html").find("tbody").find_all("tr")
    return {row.find_all("td")[1].hrefs()[0]: row.find_all("td") for row in rows}


def test_deals_table_sorts_by_the_largest_amount(built: dict[str, Path]) -> None:
    rows = deal_rows(built["story"])
    keys = {deal: cells[VALUE].attrs.get("data-sort") for deal, cells in rows.items()}
    assert keys == {"pantsir-contract.html": "1500000000.0", "radar-deal.html": "1500000.0", "drone-deal.html": ""}


def test_deals_table_sorts_by_amount_in_a_browser(built: dict[str, Path], browser: Browser) -> None:
    """Click "Value": smallest first, then largest first; a deal with no value stays last both ways."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(built["story"])],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/deals/index.html"
        wait_for(lambda: bool(http_get(url)), what="http.server")
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(url)
        order = "() => [...document.querySelectorAll('tbody tr td:nth-child(2) a')].map(a => a.textContent)"
        button = page.get_by_role("button", name="Value")
        button.click()
        assert page.evaluate(order) == ["Radar deal", "Pantsir-S1 contract", "Drone deal"]
        button.click()
        assert page.evaluate(order) == ["Pantsir-S1 contract", "Radar deal", "Drone deal"]
        assert not errors, errors
        page.close()
    finally:
        server.terminate()
        server.wait(timeout=5)


@pytest.mark.parametrize(
    ("location", "message", "hint"),
    [
        ("content/deals/bad.yaml:6:15", "'€' is not an ISO 4217 currency code", "use the ISO 4217 code, e.g. EUR"),
        ("content/deals/bad.yaml:8:15", "'usd' is not an ISO 4217 currency code", "use the ISO 4217 code, e.g. USD"),
        ("content/deals/bad.yaml:10:15", "'DOLLARS' is not an ISO 4217 currency code", "e.g. USD"),
        ("content/deals/bad.yaml:12:15", "'UDS' is not an ISO 4217 currency code", "did you mean 'USD'?"),
        ("site.yaml:5:11", "'xx' is not a known language tag", "write e.g. en, my or ru"),
    ],
    ids=["symbol", "lowercase-code", "name", "swapped-letters", "language"],
)
def test_currency_and_language_are_checked_where_written(
    builds: Builds, location: str, message: str, hint: str
) -> None:
    bad_build = builds.bad
    assert bad_build.returncode == 1
    assert "Traceback" not in bad_build.stderr
    lines = bad_build.stderr.splitlines()
    error = f"{location}: error: {message}"
    assert error in lines, bad_build.stderr
    following = lines[lines.index(error) + 1]
    assert following.startswith("    hint: ") and hint in following, following
