"""Stored source texts and quotation checks: a source may keep its report's text beside it
(``content/sources/ID.txt``), which the site never publishes unless site.yaml asks; ``check --quotes`` (and
``--strict``) finds every quotation that cites such a source in the report word for word, reports a miss at the
quotation's own line and column with the closest passage, and warns when words credited to a person are the
report's own paraphrase; a verified quotation's footnote links to the passage with a URL text fragment."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from conftest import BASE, ROOT, built_site, example_only, load_html, make_site, run_build

from casefile.investigation.report_text import quotations, text_directive

# The report as a newsroom keeps it: pasted from the web page, its links still written as markdown.
REPORT = """\
# Russia to deepen ties with Myanmar's military

By [Uliana Pavlova](#)

Russia and Myanmar are deepening their defense ties, Deputy Defense Minister Alexander Fomin [said](#) Friday \
at a meeting in Naypyidaw.

"The Russian Federation adheres to a strategic line to intensify relations between the two countries," Fomin said \
at the meeting.

Rock-and-roll, bread & butter — the visit was business as usual, a diplomat said.

The Quillmarsh ledger recorded every crate twice.
"""
SECRET = "Quillmarsh"  # a word only the stored text holds

SOURCE = """\
title: Russia to deepen ties with Myanmar's military
publisher: The Moscow Times
date: 2021-03-26
url: https://www.themoscowtimes.com/2021/03/26/russia-myanmar-a73387
archived:
  url: https://web.archive.org/web/20210327101500/https://www.themoscowtimes.com/2021/03/26/russia-myanmar-a73387
  date: 2021-03-27
kind: article
"""

FOMIN = "The Russian Federation adheres to a strategic line to intensify relations between the two countries"
GOOD_CLAIMS = f"""\
  - text: “{FOMIN},” Fomin said.
    sources: [moscow-times-2021]
  - text: 'Fomin said Russia "adheres to a strategic line … between the two countries".'
    sources: [moscow-times-2021]
  - text: The Moscow Times says Fomin spoke on “Friday”.
    sources: [moscow-times-2021]
  - text: The report calls the visit “rock–and–roll, bread & butter - the visit was business as usual.”
    sources: [moscow-times-2021]
"""


def event(claims: str) -> str:
    return f"title: Russian naval delegation visits Myanmar\nkind: visit\nclaims:\n{claims}"


def site_files(claims: str = GOOD_CLAIMS, **extra: str) -> dict[str, str]:
    return {
        **BASE,
        "content/sources/moscow-times-2021.yaml": SOURCE,
        "content/sources/moscow-times-2021.txt": REPORT,
        "content/events/naval-visit.yaml": event(claims),
        **extra,
    }


def output_bytes(out: Path) -> dict[str, bytes]:
    """Every file of the built site by path, gzip-compressed ones (the search index) decompressed."""
    found = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        data = path.read_bytes()
        while data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        found[str(path.relative_to(out))] = data
    return found


# --------------------------------------------------------------------------------------------
# Stored texts: read, never published unless site.yaml asks
# --------------------------------------------------------------------------------------------


def test_a_stored_text_is_published_nowhere_by_default(tmp_path: Path) -> None:
    site, printed = built_site(tmp_path / "site", site_files())
    assert "moscow-times-2021.txt" not in printed  # accepted beside its source: no "ignored" warning
    files = output_bytes(site / "output")
    assert any(path.startswith("pagefind/") for path in files), "the search index was built"
    sentence = b"recorded every crate twice"
    leaks = [path for path, data in files.items() if SECRET.lower().encode() in data.lower() or sentence in data]
    assert leaks == []


def test_publish_source_texts_shows_the_text_on_the_source_page_and_nowhere_else(tmp_path: Path) -> None:
    files = site_files()
    files["site.yaml"] += "publish_source_texts: true\n"
    site, _ = built_site(tmp_path / "site", files)
    found = output_bytes(site / "output")
    holding = {path for path, data in found.items() if SECRET.lower().encode() in data.lower()}
    assert "sources/moscow-times-2021.html" in holding
    assert any(path.startswith("pagefind/") for path in holding), "a published text is searchable"
    assert not any(path.startswith("data/") or path.endswith(".json") and "pagefind" not in path for path in holding)
    page = load_html(site / "output/sources/moscow-times-2021.html")
    section = page.find_all("section", class_="stored-text")
    assert len(section) == 1 and "The Quillmarsh ledger recorded every crate twice." in section[0].text


def test_a_text_without_its_source_is_an_error_at_the_file(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", site_files(**{"content/sources/orphan-report.txt": "Some words.\n"}))
    result = run_build(site, "check")
    assert result.returncode == 1
    assert "content/sources/orphan-report.txt:1:1: error: 'orphan-report.txt' has no source orphan-report.yaml" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------------------------
# check --quotes
# --------------------------------------------------------------------------------------------


def test_quotations_found_word_for_word_pass_check_quotes(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", site_files())
    result = run_build(site, "check", "--quotes")
    assert result.returncode == 0, result.stderr
    assert "quot" not in result.stderr


def test_a_changed_word_inside_a_quotation_is_an_error_at_its_line_with_the_closest_passage(tmp_path: Path) -> None:
    claims = (
        "  - text: >-\n"
        "      Deputy Defense Minister Alexander Fomin said at the meeting:\n"
        "      “The Russian Federation adheres to a strategic course to intensify relations between the two"
        " countries.”\n"
        "    sources: [moscow-times-2021]\n"
    )
    site = make_site(tmp_path / "site", site_files(claims))
    assert run_build(site, "check").returncode == 0  # a plain check does not read the reports
    for args in (("--quotes",), ("--strict",)):
        result = run_build(site, "check", *args)
        assert result.returncode == 1, args
        assert "Traceback" not in result.stderr
        error, hint = re.search(
            r"(content/events/naval-visit\.yaml:6:7: error: .*)\n\s+hint: (.*)", result.stderr
        ).groups()
        assert "not in the report of The Moscow Times" in error and "strategic course" in error
        assert (
            "“The Russian Federation adheres to a strategic line to intensify relations between the two countries"
            in (hint)
        )


def test_a_changed_word_in_a_narrative_or_page_quotation_is_an_error_at_its_line(tmp_path: Path) -> None:
    narrative = BASE["content/actors/min-aung-hlaing.md"] + (
        "\nFomin spoke at the meeting in Naypyidaw.\n"
        'He said that Russia "adheres to a strategic line to deepen relations" [@moscow-times-2021].\n'
    )
    page = (
        "---\ntitle: How we source\norder: 1\n---\nWe cite every statement.\n\n"
        "Fomin saw the ties “deepening their defence ties” [@moscow-times-2021].\n"
    )
    files = site_files(**{"content/actors/min-aung-hlaing.md": narrative, "content/pages/method.md": page})
    result = run_build(make_site(tmp_path / "site", files), "check", "--quotes")
    assert result.returncode == 1
    assert re.search(r"content/actors/min-aung-hlaing\.md:8:21: error: .*deepen relations", result.stderr)
    assert re.search(r"content/pages/method\.md:7:20: error: .*defence ties", result.stderr)
    assert "deepening their defense ties" in result.stderr  # the closest passage: one letter differs


def test_a_paraphrase_credited_to_a_person_in_quotation_marks_is_a_warning(tmp_path: Path) -> None:
    claims = GOOD_CLAIMS + (
        "  - text: Alexander Fomin said Russia and Myanmar “are deepening their defense ties”.\n"
        "    sources: [moscow-times-2021]\n"
    )
    site = make_site(tmp_path / "site", site_files(claims))
    result = run_build(site, "check", "--quotes")
    assert result.returncode == 0, result.stderr
    warning = re.search(r"content/events/naval-visit\.yaml:12:51: warning: (.*)\n\s+hint: (.*)", result.stderr)
    assert warning and "[paraphrase-quoted]" in warning.group(1)
    assert "not in quotation marks" in warning.group(1)
    assert "Alexander Fomin said Friday at a meeting in Naypyidaw" in warning.group(2)  # the report's sentence
    assert "1 paraphrase-quoted" in result.stderr
    assert run_build(site, "check", "--strict").returncode == 1
    make_site(site, {"site.yaml": BASE["site.yaml"] + "  paraphrase-quoted: [naval-visit]\n"})
    accepted = run_build(site, "check", "--strict")
    assert accepted.returncode == 0, accepted.stderr


# --------------------------------------------------------------------------------------------
# Footnotes that land on the passage
# --------------------------------------------------------------------------------------------


def test_a_verified_quotation_links_its_footnote_to_the_passage(tmp_path: Path) -> None:
    claims = GOOD_CLAIMS + "  - text: Fomin said it was “a strategic course”.\n    sources: [moscow-times-2021]\n"
    site, _ = built_site(tmp_path / "site", site_files(claims))
    page = load_html(site / "output/events/naval-visit.html")
    passages = [a.attrs["href"] for a in page.find_all("a", class_="passage")]
    original = "https://www.themoscowtimes.com/2021/03/26/russia-myanmar-a73387"
    archived = "https://web.archive.org/web/20210327101500/" + original
    start_end = "The%20Russian%20Federation%20adheres,between%20the%20two%20countries"
    assert f"{original}#:~:text={start_end}" in passages
    assert f"{archived}#:~:text={start_end}" in passages
    assert f"{original}#:~:text=Friday" in passages
    rock = "Rock%2Dand%2Droll%2C%20bread%20%26%20butter%20%E2%80%94%20the,was%20business%20as%20usual"
    assert f"{original}#:~:text={rock}" in passages
    assert not any("strategic%20course" in href for href in passages)  # not in the report: no fragment


def test_serve_links_the_passage_once_the_stored_text_holds_it(tmp_path: Path) -> None:
    """The dev server re-reads a stored text that changed, and rewrites the pages that cite its source."""
    from casefile.dev.incremental import Session
    from casefile.settings import SitePaths

    claims = "  - text: Fomin said it was “a strategic course”.\n    sources: [moscow-times-2021]\n"
    site = make_site(tmp_path / "site", site_files(claims))
    session = Session(SitePaths(site, site / "output"))
    assert session.full_build()
    page = site / "output/events/naval-visit.html"
    assert "#:~:text=a%20strategic%20course" not in page.read_text()
    stored = site / "content/sources/moscow-times-2021.txt"
    stored.write_text(REPORT + "\nIt was a strategic course, he said.\n", encoding="utf-8")
    session.rebuild({str(stored)})
    session.settle()
    assert "#:~:text=a%20strategic%20course" in page.read_text()


@pytest.mark.parametrize(
    ("text", "directive"),
    [
        ("Friday", "text=Friday"),
        ("bread & butter, jam", "text=bread%20%26%20butter%2C%20jam"),
        ("a well-known line", "text=a%20well%2Dknown%20line"),
        ("Ç’est “là”", "text=%C3%87%E2%80%99est%20%E2%80%9Cl%C3%A0%E2%80%9D"),
    ],
)
def test_a_text_directive_percent_encodes_what_the_syntax_reserves(text: str, directive: str) -> None:
    assert text_directive([text]) == directive


def test_quotations_are_told_from_apostrophes() -> None:
    text = "China’s policy, he said, was ‘carrot and stick’ and “the officers’ choice”; a 5' gap and 'single'"
    assert [text[start:end] for start, end in quotations(text)] == ["carrot and stick", "the officers’ choice"]


# --------------------------------------------------------------------------------------------
# The example
# --------------------------------------------------------------------------------------------


@example_only
def test_the_example_keeps_its_five_reports_and_passes_check_quotes() -> None:
    texts = sorted(path.stem for path in (ROOT / "content/sources").glob("*.txt"))
    assert texts == [
        "efe-2021-07-07",
        "moscow-times-2021-03-26",
        "moscow-times-2021-07-06",
        "myanmar-now-2021-07",
        "myanmar-now-2022-07",
    ]
    result = run_build(ROOT, "check", "--quotes", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert "paraphrase-quoted" not in result.stderr
