"""Corrections and history, archived copies, the `archive` verb and the CSL-JSON bibliography."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import jsonschema
import pytest
from conftest import BASE, ROOT, built_site, example_only, make_site, parse_html, run_build, run_builds, snapshot

from casefile.content.model import SOURCE_KINDS, Source
from casefile.exports.csl import csl_item

ATOM = "{http://www.w3.org/2005/Atom}"
BASE_URL = "https://example.org/inquiry/"
CSL_SCHEMA = json.loads((Path(__file__).parent / "csl" / "csl-data.json").read_text(encoding="utf-8"))

ARCHIVE = "https://web.archive.org/web/20210327101500/https://www.themoscowtimes.com/2021/03/26/russia-myanmar-a73387"
CORRECTED = BASE | {
    "site.yaml": BASE["site.yaml"] + f"base_url: {BASE_URL}\n",
    # two corrections, no `updated:`: the page is last updated on the newer one
    "content/actors/tatmadaw.yaml": BASE["content/actors/tatmadaw.yaml"]
    + """\
corrections:
  - date: 2021-08-02
    what: The role no longer says the Tatmadaw bought from Belarus.
    why: No report names Belarus as a seller.
  - date: 2021-09-15
    what: The alias "Sit-Tat" was removed.
    why: The Moscow Times does not use it.
    sources: [moscow-times-2021]
""",
    # `updated:` later than its correction wins
    "content/deals/pantsir-contract.yaml": BASE["content/deals/pantsir-contract.yaml"]
    + """\
updated: 2022-01-10
corrections:
  - date: 2021-09-15
    what: The quantity is six systems, not eight.
    why: A typing error.
""",
    "content/sources/moscow-times-2021.yaml": BASE["content/sources/moscow-times-2021.yaml"]
    + f"archived: {{url: '{ARCHIVE}', date: 2021-03-27}}\n",
    "content/pages/methodology.md": "---\ntitle: Methodology\n---\nHow we work.\n",
}


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The base site with corrections and an archived copy, built with a base URL; its output folder."""
    site, _ = built_site(tmp_path_factory.mktemp("corrected") / "site", CORRECTED)
    return site / "output"


@pytest.fixture(scope="module")
def example_csl(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    out = tmp_path_factory.mktemp("example") / "output"
    result = run_build(ROOT, "--no-cache", out=out)
    assert result.returncode == 0, result.stderr
    return json.loads((out / "data" / "sources.csl.json").read_text(encoding="utf-8"))


def page(out: Path, path: str):
    return parse_html((out / path).read_text(encoding="utf-8"))


def test_corrections_show_on_the_dossier_page_with_the_last_update(corrected: Path) -> None:
    tatmadaw = page(corrected, "actors/tatmadaw.html")
    section = tatmadaw.section("Corrections")
    first, second = section.find_all("li")
    assert first.attrs["id"] == "correction-1" and second.attrs["id"] == "correction-2"
    assert "2 August 2021" in first.text and "What changed: The role no longer says" in first.text
    assert "Why: No report names Belarus as a seller." in first.text
    assert second.find("a", class_="fn-ref") is not None, "a correction's own source gets a footnote"
    # no `updated:`: the newest correction's date; with a later `updated:`, that date
    assert tatmadaw.find("p", class_="updated").find("time").attrs["datetime"] == "2021-09-15"
    deal = page(corrected, "deals/pantsir-contract.html")
    assert deal.find("p", class_="updated").find("time").attrs["datetime"] == "2022-01-10"
    # neither: no date is made up
    assert page(corrected, "actors/russia.html").find("p", class_="updated") is None


def test_corrections_page_lists_every_correction_newest_first(corrected: Path) -> None:
    listing = page(corrected, "corrections.html")
    items = listing.find("ol", class_="corrections").find_all("li")
    assert [item.find("time").attrs["datetime"] for item in items] == ["2021-09-15", "2021-09-15", "2021-08-02"]
    links = [item.find("a").attrs["href"] for item in items]
    assert links == [
        "actors/tatmadaw.html#correction-2",
        "deals/pantsir-contract.html#correction-1",
        "actors/tatmadaw.html#correction-1",
    ]
    feeds = [link.attrs["href"] for link in listing.find_all("link", rel="alternate", type="application/atom+xml")]
    assert feeds == ["feed.xml", "corrections.xml"]
    assert listing.find("section", class_="corrections-policy") is not None
    # linked from every page's footer, and the policy is on the methodology page
    assert "corrections.html" in page(corrected, "index.html").find("footer").hrefs()
    methodology = page(corrected, "pages/methodology.html")
    assert "How we correct mistakes" in methodology.find("section", class_="corrections-policy").text


def test_corrections_feed_is_atom_newest_first(corrected: Path) -> None:
    feed = ET.parse(corrected / "corrections.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert len(feed.findall(f"{ATOM}{required}")) == 1, required
    assert feed.find(f"{ATOM}link[@rel='self']").attrib["href"] == BASE_URL + "corrections.xml"
    assert feed.findtext(f"{ATOM}id") != ET.parse(corrected / "feed.xml").getroot().findtext(f"{ATOM}id")
    entries = feed.findall(f"{ATOM}entry")
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert ids == [
        BASE_URL + "actors/tatmadaw.html#correction-2",
        BASE_URL + "deals/pantsir-contract.html#correction-1",
        BASE_URL + "actors/tatmadaw.html#correction-1",
    ]
    for entry in entries:
        assert datetime.fromisoformat(entry.findtext(f"{ATOM}updated")).tzinfo is not None  # RFC 3339
        assert entry.find(f"{ATOM}link").attrib["href"] == entry.findtext(f"{ATOM}id")
    assert feed.findtext(f"{ATOM}updated") == "2021-09-15T00:00:00Z"
    assert entries[0].findtext(f"{ATOM}title") == "Correction to Tatmadaw"
    assert entries[0].findtext(f"{ATOM}summary") == (
        'What changed: The alias "Sit-Tat" was removed.\nWhy: The Moscow Times does not use it.'
    )
    # the dossiers' feed counts a correction as an update
    updated = ET.parse(corrected / "feed.xml").getroot()
    assert BASE_URL + "actors/tatmadaw.html" in [e.findtext(f"{ATOM}id") for e in updated.findall(f"{ATOM}entry")]


def test_a_footnote_links_original_and_archived_copy_as_robust_links(corrected: Path) -> None:
    original_url = "https://www.themoscowtimes.com/2021/03/26/russia-myanmar-a73387"
    for path, selector in (("actors/russia.html", "footnotes"), ("sources/moscow-times-2021.html", "facts")):
        html = page(corrected, path)
        scope = html.find(class_=selector)
        original = scope.find("a", href=original_url)
        assert original.attrs["data-versionurl"] == ARCHIVE and original.attrs["data-versiondate"] == "2021-03-27"
        archived = scope.find("a", href=ARCHIVE)
        assert archived.attrs["data-originalurl"] == original_url
        assert archived.attrs["data-versiondate"] == "2021-03-27"
        assert "captured 27 March 2021" in archived.parent.text


def test_archive_lists_sources_to_save_with_file_line_and_save_link(corrected: Path) -> None:
    result = run_build(corrected.parent, "archive")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    sipri = "content/sources/sipri-arms-data.yaml:3:6: sipri-arms-data"
    assert (
        lines[lines.index(sipri) + 1]
        == "    save: https://web.archive.org/save/https://www.sipri.org/databases/armstransfers"
    )
    assert "moscow-times-2021" not in result.stdout, "a source with an archived copy is not listed"
    no_address = lines.index("1 source(s) with no address (nothing to archive):")
    assert lines[no_address + 1] == "content/sources/myanmar-now-2021.yaml:1:1: myanmar-now-2021"


def test_exports_are_deterministic_and_bibliography_is_linked(corrected: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert run_build(corrected.parent, "--no-cache", out=again).returncode == 0
    first, second = snapshot(corrected), snapshot(again)
    for path in ("corrections.xml", "feed.xml", "data/sources.csl.json", "corrections.html"):
        assert first[path] == second[path], path
    assert "data/sources.csl.json" in page(corrected, "data.html").hrefs()


def test_csl_json_of_the_fixture_validates_and_keeps_precision(corrected: Path) -> None:
    items = {item["id"]: item for item in json.loads((corrected / "data" / "sources.csl.json").read_text("utf-8"))}
    jsonschema.validate(list(items.values()), CSL_SCHEMA)
    moscow = items["moscow-times-2021"]
    assert moscow["type"] == "article-newspaper" and moscow["container-title"] == "The Moscow Times"
    assert moscow["author"] == [{"literal": "Uliana Pavlova"}]
    assert moscow["issued"] == {"date-parts": [[2021, 3, 26]]} and moscow["language"] == "en"
    assert ARCHIVE in moscow["note"]
    assert items["myanmar-now-2021"]["issued"] == {"date-parts": [[2021, 7]]}  # a month stays a month
    assert items["sipri-arms-data"]["type"] == "dataset" and items["sipri-arms-data"]["publisher"] == "SIPRI"


@example_only
def test_csl_json_of_the_example_validates_with_every_source(example_csl: list[dict]) -> None:
    jsonschema.validate(example_csl, CSL_SCHEMA)
    assert {item["id"] for item in example_csl} == {p.stem for p in (ROOT / "content" / "sources").glob("*.yaml")}
    efe = next(item for item in example_csl if item["id"] == "efe-2021-07-07")
    assert efe["container-title"] == "EFE" and efe["issued"] == {"date-parts": [[2021, 7, 7]]}


def test_bad_corrections_and_archived_copies_are_located_errors(tmp_path: Path) -> None:
    russia = BASE["content/actors/russia.yaml"] + "corrections:\n  - date: 2021-08-02\n    what: The summary was cut.\n"
    moscow = BASE["content/sources/moscow-times-2021.yaml"] + f"archived_url: {ARCHIVE}\n"
    sipri = (
        BASE["content/sources/sipri-arms-data.yaml"] + "archived: {url: 'https://web.archive.org/x', date: 2021-07}\n"
    )
    unknown = (
        BASE["content/actors/russia.yaml"] + "corrections:\n  - {date: 2021-08-02, what: x, why: y, sources: [sipri]}\n"
    )
    broken = make_site(
        tmp_path / "broken",
        BASE
        | {
            "content/actors/russia.yaml": russia,
            "content/sources/moscow-times-2021.yaml": moscow,
            "content/sources/sipri-arms-data.yaml": sipri,
        },
    )
    cited = make_site(tmp_path / "cited", BASE | {"content/actors/russia.yaml": unknown})
    before = snapshot(tmp_path)
    result, unresolved = run_builds([(broken, ("check",)), (cited, ("check",))])
    assert result.returncode == 1 and unresolved.returncode == 1
    assert snapshot(tmp_path) == before and "Traceback" not in result.stderr + unresolved.stderr
    errors = {m[0]: m[1:] for m in re.findall(r"^(\S+:\d+:\d+): error: (.*)\n +hint: (.*)$", result.stderr, re.M)}
    assert errors["content/actors/russia.yaml:6:5"][0] == "missing required field 'why'"
    moved, hint = errors["content/sources/moscow-times-2021.yaml:8:15"]
    assert moved == "`archived_url:` is now written `archived:`, with the day the copy was captured"
    assert f"`archived: {{url: {ARCHIVE}, date: 2021-03-27}}`" in hint, "the Wayback address gives the day"
    day, hint = errors["content/sources/sipri-arms-data.yaml:6:52"]
    assert day == "'2021-07' is not one day: an archived copy was captured on a day"
    assert hint == "write the day the archive gives for the copy, e.g. 2021-07-08"
    # a correction's sources are checked like any citation
    assert "content/actors/russia.yaml:6:51: error: unknown source 'sipri'" in unresolved.stderr


def test_every_kind_of_source_is_a_valid_csl_item() -> None:
    """A source kind added to the model without a CSL type would stop every build at the bibliography."""
    items = [
        csl_item(Source.model_validate({"title": "T", "publisher": "P", "kind": kind}).model_copy(update={"id": kind}))
        for kind in SOURCE_KINDS
    ]
    jsonschema.validate(items, CSL_SCHEMA)
    assert {item["type"] for item in items if item["id"] == "letter"} == {"personal_communication"}
