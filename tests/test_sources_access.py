"""Sources as they really are (print, broadcast, on file, confidential), dates that make sense, how sure a
fact is (``confidence:``) and where the sources differ: as a reader sees the pages and an editor the warnings."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
from conftest import BASE, ROOT, Node, built_site, example_only, load_html, make_site, run_build

from casefile.content.confidence import LEVELS
from casefile.content.loader import load_site
from casefile.content.schema import schemas
from casefile.content.yamlio import parse_yaml
from casefile.diagnostics import Diagnostics
from casefile.investigation.chronology import check_dates
from casefile.investigation.conflicts import unexplained
from casefile.investigation.resolve import resolve

SOURCES = {
    "content/sources/print-notice.yaml": """\
title: Delivery notice
publisher: The Global New Light of Myanmar
date: 2021-03
access: print
edition: Yangon edition
pages: 4
kind: article
""",
    "content/sources/tv-bulletin.yaml": """\
title: Evening bulletin
publisher: MRTV
date: 2021-06-22
access: broadcast
edition: Evening news
time: "21:00"
kind: other
""",
    "content/sources/memo.yaml": """\
title: Ministry memo on the delivery
publisher: Ministry of Defence
date: 2021
access: on-file
kind: document
""",
    "content/sources/officer.yaml": """\
title: Interview with a serving officer
publisher: Our reporting
date: 2021-06
access: confidential
kind: other
""",
}

GOOD = {
    **BASE,
    **SOURCES,
    # print-notice (March) cannot report a delivery in May; memo (2021) and officer (June) may, as far as
    # their precision tells
    "content/deals/delivery.yaml": """\
title: Delivery of radar equipment
kind: delivery
parties:
  - actor: russia
    role: supplier
    confidence: confirmed
    sources: [tv-bulletin]
dates:
  delivered: {date: 2021-05, sources: [print-notice, memo]}
  reported:
    date: 2021-06-22
    sources: [tv-bulletin]
    other_dates:
      - date: 2021-06-23
        sources: [officer]
    editor_note: The officer remembers the day after the broadcast.
values:
  - text: $14.7 million
    sources: [print-notice]
  - text: $20 million
    sources: [officer]
values_note: The notice counts only the first shipment.
claims:
  - text: The radar was paid for in advance.
    confidence: alleged
    sources: [officer]
sources: [tv-bulletin]
""",
    # dated after every source that reports it, with no source of its own for the date
    "content/events/late-event.yaml": """\
title: Handover ceremony
kind: ceremony
date: 2021-09
sources: [print-notice, tv-bulletin]
""",
    "content/pages/methodology.md": """\
---
title: Methodology
---
How we work.
""",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The good site built, and what the build printed."""
    site, printed = built_site(tmp_path_factory.mktemp("access") / "site", GOOD)
    return site / "output", printed


def footnote_of(doc: Node, source_id: str) -> Node:
    [note] = doc.find_all("li", **{"data-source": source_id})
    return note


def test_each_access_kind_is_worded_honestly_in_its_footnote(built: tuple[Path, str]) -> None:
    doc = load_html(built[0] / "deals/delivery.html")
    wording = {
        "print-notice": "Print edition, Yangon edition, p. 4.",
        "tv-bulletin": "Broadcast, Evening news, 21:00.",
        "memo": "Document on file with the newsroom.",
        "officer": "Confidential source.",
    }
    for source_id, expected in wording.items():
        note = footnote_of(doc, source_id)
        assert note.find("span", class_="access").text == expected, note.text
        assert "No URL on record" not in note.text
        assert not note.find_all("a", class_="original")


def test_each_access_kind_is_worded_on_its_source_page_and_in_the_index(built: tuple[Path, str]) -> None:
    out = built[0]
    page = load_html(out / "sources/officer.html")
    assert page.find("dl", class_="facts").find("span", class_="access").text == "Confidential source"
    assert "No URL on record" not in page.text
    index = load_html(out / "sources/index.html").find("main")
    entries = {href.removesuffix(".html"): li for li in index.find_all("li") for href in li.hrefs()[:1]}
    assert "Print edition, Yangon edition, p. 4." in entries["print-notice"].text
    assert "No URL on record" not in entries["print-notice"].text
    assert "No URL on record." in entries["myanmar-now-2021"].text  # read, no access, no URL: as before


def test_no_missing_url_warning_for_sources_that_are_not_web_pages(built: tuple[Path, str]) -> None:
    assert "source-without-url" not in built[1]


def test_a_source_dated_before_the_date_it_supports_is_warned_at_the_citation(built: tuple[Path, str]) -> None:
    lines = [line for line in built[1].splitlines() if "source-before-fact]" in line]
    assert lines == [
        "content/deals/delivery.yaml:9:40: warning: 'print-notice' is dated March 2021, before the date it is cited "
        "for (May 2021) [source-before-fact]"
    ]


def test_an_event_dated_after_every_source_reporting_it_is_warned(built: tuple[Path, str]) -> None:
    lines = [line for line in built[1].splitlines() if "date-after-sources]" in line]
    assert lines == [
        "content/events/late-event.yaml:3:7: warning: the event 'late-event' is dated September 2021, after every "
        "source that reports it (the latest, 'tv-bulletin', is dated 22 June 2021) [date-after-sources]"
    ]
    assert ", 2 warning(s)" in built[1], built[1]  # nothing else: fuzzy dates that may fit are not flagged


def test_confidence_is_a_label_that_names_itself_and_links_to_the_legend(built: tuple[Path, str]) -> None:
    doc = load_html(built[0] / "deals/delivery.html")
    claim = doc.find("ul", class_="claims").find("li")
    label = claim.find("span", class_="confidence")
    assert label.text == "Confidence: Alleged"
    assert label.find("span", class_="visually-hidden").text == "Confidence:"
    link = label.find("a")
    assert link.attrs["href"] == "../pages/methodology.html#confidence-alleged"
    assert link.attrs["title"] == LEVELS["alleged"].meaning
    party = doc.section("Parties").find("li")
    assert party.find("span", class_="confidence").text == "Confidence: Confirmed"


def test_the_methodology_page_has_the_legend_of_every_level(built: tuple[Path, str]) -> None:
    legend = load_html(built[0] / "pages/methodology.html").section("How sure the sources are")
    for level in LEVELS.values():
        term = legend.find("dt", id=f"confidence-{level.name}")
        assert term is not None and term.text == level.label
    assert [dd.text for dd in legend.find_all("dd")] == [level.meaning for level in LEVELS.values()]


def test_values_that_differ_are_marked_each_with_its_footnote_and_the_editors_note(built: tuple[Path, str]) -> None:
    doc = load_html(built[0] / "deals/delivery.html")
    section = doc.section("Value")
    conflict = section.find("p", class_="conflict")
    assert conflict.find("strong", class_="sources-differ").text == "Sources differ"
    note = conflict.find("span", class_="editor-note")
    assert note.text == "Editor's note: The notice counts only the first shipment."
    values = section.find_all("li", class_="value")
    assert [v.find("strong").text for v in values] == ["$14.7 million", "$20 million"]
    assert [_sources_cited(doc, v) for v in values] == [["print-notice"], ["officer"]]


def test_dates_that_differ_are_marked_each_with_its_footnote_and_the_editors_note(built: tuple[Path, str]) -> None:
    doc = load_html(built[0] / "deals/delivery.html")
    facts = doc.find("dl", class_="facts")
    terms = zip(facts.find_all("dt"), facts.find_all("dd"), strict=True)
    reported = next(dd for dt, dd in terms if dt.text == "Reported")
    assert [t.text for t in reported.find_all("time")] == ["22 June 2021", "23 June 2021"]
    assert reported.find("strong", class_="sources-differ").text == "Sources differ"
    assert _sources_cited(doc, reported) == ["tv-bulletin", "officer"]
    note = reported.find("span", class_="editor-note")
    assert note.text == "Editor's note: The officer remembers the day after the broadcast."


def _sources_cited(doc: Node, node: Node) -> list[str]:
    """The sources of the footnotes that ``node``'s markers lead to, in order."""
    notes = [doc.find("li", id=a.attrs["href"][1:]) for a in node.find_all("a", class_="fn-ref")]
    return [note.attrs["data-source"] for note in notes]


def test_conflicts_without_an_editors_note_are_listed(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", GOOD)
    investigation = resolve(load_site(site, Diagnostics()), Diagnostics())
    [conflict] = unexplained(investigation)  # the base site's deal: two values and no note; delivery has notes
    assert conflict.dossier.id == "pantsir-contract"
    assert (
        str(conflict)
        == f"{site}/content/deals/pantsir-contract.yaml:15:1: the sources give 2 values for `values` (no editor's note)"
    )


BROKEN = {
    **BASE,
    "content/sources/no-address.yaml": "title: A web page\npublisher: X\nkind: website\naccess: online\n",
    "content/sources/web-page.yaml": "title: A page\npublisher: X\nkind: article\nurl: https://x.org/a\npages: 4\n",
    "content/sources/secret.yaml": (
        "title: A source\npublisher: X\nkind: other\naccess: confidential\nauthors: [Jane Doe]\n"
        "url: https://example.org/b\n"
    ),
    "content/sources/paper.yaml": 'title: A paper\npublisher: X\nkind: article\naccess: print\ntime: "21:00"\n',
    "content/sources/filed.yaml": "title: A memo\npublisher: X\nkind: document\naccess: on-file\nurl: https://example.org/c\n",
    "content/sources/radio.yaml": "title: News\npublisher: X\nkind: other\naccess: broadcast\ntime: 21:00\n",
    "content/sources/typo.yaml": "title: A paper\npublisher: X\nkind: article\naccess: print\npage: 4\n",
    "content/sources/unsaid.yaml": "title: A note\npublisher: X\nkind: other\nedition: Yangon edition\n",
    "content/deals/pantsir-contract.yaml": BASE["content/deals/pantsir-contract.yaml"].replace(
        "    role: seller\n", "    role: seller\n    confidence: aleged\n"
    ),
}


def test_access_fields_that_do_not_fit_are_located_errors_with_hints(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", BROKEN)
    result = run_build(site, "check")
    assert result.returncode == 1
    errors = result.stderr
    expected = [
        (
            "content/sources/no-address.yaml:4:9: error: 'no-address' is an online source without `url:`",
            "hint: add the address of the original, or say how it is held: `access: print`, `broadcast`, "
            "`on-file` or `confidential`",
        ),
        (
            "content/sources/web-page.yaml:5:1: error: 'web-page' is online: `pages:` is for print sources",
            "hint: write `access: print`, or remove `pages:`",
        ),
        (
            "content/sources/secret.yaml:6:1: error: 'secret' is confidential: `url:` is for online, print or "
            "broadcast sources",
            "hint: remove `url:`: the address would name the source",
        ),
        (
            "content/sources/secret.yaml:5:1: error: 'secret' is confidential: `authors:` is for online, print, "
            "broadcast or on-file sources",
            "hint: remove `authors:`: the authors' names would name the source",
        ),
        (
            "content/sources/paper.yaml:5:1: error: 'paper' is print: `time:` is for broadcast sources",
            "hint: write `access: broadcast`, or remove `time:`",
        ),
        (
            "content/sources/filed.yaml:5:1: error: 'filed' is on-file: `url:` is for online, print or broadcast "
            "sources",
            "hint: remove `url:`: a document on file has no public address; if it is online, write `access: online`",
        ),
        (
            "content/sources/radio.yaml:5:7: error: YAML reads '21:00' as the number 1260",
            "hint: quote it: '21:00'",
        ),
        ("content/sources/typo.yaml:5:1: error: unknown field 'page'", "hint: did you mean 'pages'?"),
        (
            "content/sources/unsaid.yaml:4:1: error: `edition:` is for print or broadcast sources",
            "hint: write `access: print` or `access: broadcast`, or remove `edition:`",
        ),
        (
            "content/deals/pantsir-contract.yaml:7:17: error: expected one of: confirmed, reported, alleged, "
            "disputed, denied — but got 'aleged'",
            "hint: did you mean 'alleged'?",
        ),
    ]
    for message, hint in expected:
        assert f"{message}\n    {hint}" in errors, errors
    assert errors.count("error:") == len(expected), errors


def test_the_editor_schema_underlines_the_same_access_mistakes() -> None:
    validator = jsonschema.Draft202012Validator(schemas()["source.schema.json"])
    for name, text in {**SOURCES, **BROKEN}.items():
        if name.startswith("content/sources/") and name not in BASE and "radio" not in name:
            errors = list(validator.iter_errors(parse_yaml(text, Path(name)).data))
            assert bool(errors) == (name in BROKEN), (name, [e.message for e in errors])


INFORMANT = """\
title: Notes of a meeting with an officer
publisher: Our reporting
access: confidential
kind: document
file: officer-notes.pdf
media:
  - file: officer-photo.jpg
    alt: A handwritten page
"""


def test_a_confidential_sources_own_files_are_never_published(tmp_path: Path) -> None:
    """Its url and authors are refused because they would name it; the document or a photo of it can too."""
    from test_media import camera_jpeg, office_pdf

    files = {
        **BASE,
        "content/sources/informant.yaml": INFORMANT,
        "content/sources/officer-notes.pdf": office_pdf(1),
        "content/sources/officer-photo.jpg": camera_jpeg(),
    }
    site = make_site(tmp_path / "site", files)
    result = run_build(site, "check")
    assert result.returncode == 1
    assert (
        "content/sources/informant.yaml:5:1: error: 'informant' is confidential: `file:` is for online, print, "
        "broadcast or on-file sources\n    hint: remove `file:`: the document could identify the source; to keep it "
        "in the repository and out of the site, list it under `media:` with `publish: false`"
    ) in result.stderr
    assert (
        "content/sources/informant.yaml:7:5: error: 'informant' is confidential: 'officer-photo.jpg' would be "
        "published, and could identify the source\n    hint: add `publish: false`"
    ) in result.stderr
    validator = jsonschema.Draft202012Validator(schemas()["source.schema.json"])
    assert list(validator.iter_errors(parse_yaml(INFORMANT, Path("informant.yaml")).data))
    kept = INFORMANT.replace(
        "file: officer-notes.pdf\nmedia:\n", "media:\n  - file: officer-notes.pdf\n    publish: false\n"
    )
    make_site(site, {"content/sources/informant.yaml": kept.replace("    alt:", "    publish: false\n    alt:")})
    built = run_build(site, "--no-search")
    assert built.returncode == 0, built.stderr
    published = [p for p in (site / "output").rglob("*") if p.is_file()]
    assert not [p for p in published if p.suffix in (".pdf", ".jpg")]
    assert not any(b"officer-notes" in p.read_bytes() or b"officer-photo" in p.read_bytes() for p in published)


@example_only
def test_the_example_dates_make_sense_and_its_one_conflict_is_listed() -> None:
    investigation = resolve(load_site(ROOT, Diagnostics()), Diagnostics())
    found = Diagnostics()
    check_dates(investigation, found)
    assert found.problems == []
    assert [(c.dossier.id, c.field, c.note) for c in unexplained(investigation)] == [
        ("russian-arms-imports-myanmar", "values", None)
    ]


def test_a_letter_is_confidential_unless_it_says_how_else_it_is_held(tmp_path: Path) -> None:
    """A letter to or from a party asked for comment: without `access:`, its address or authors would name
    whoever holds it, so they are refused as for a confidential source; its footnote says so; `access: on-file`
    is taken at its word."""
    letter = "title: Letter to the ministry\npublisher: The newsroom\nkind: letter\n"
    files = {**BASE, "content/sources/letter.yaml": letter + "url: https://example.org/letter\n"}
    result = run_build(make_site(tmp_path / "refused", files), "check")
    assert result.returncode == 1
    assert "content/sources/letter.yaml:4:1: error: 'letter' is confidential: `url:` is for online" in result.stderr
    cited = BASE["content/actors/russia.yaml"].replace("sources: [moscow-times-2021]", "sources: [letter]")
    files = {**BASE, "content/sources/letter.yaml": letter, "content/actors/russia.yaml": cited}
    site, _ = built_site(tmp_path / "site", files)
    assert "Confidential source" in (site / "output/actors/russia.html").read_text(encoding="utf-8")
    filed = make_site(tmp_path / "filed", {**files, "content/sources/letter.yaml": letter + "access: on-file\n"})
    assert run_build(filed).returncode == 0
    assert "Document on file" in (filed / "output/actors/russia.html").read_text(encoding="utf-8")
