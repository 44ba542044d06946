"""``casefile review ID --by NAME``: an editor's sign-off, written into the dossier's own file by the real command,
and read back by the build's own loader as signed off, or as changed once the dossier is edited."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import BASE, make_site, run_build

from casefile.content.loader import load_site
from casefile.content.review import review_digest, review_state
from casefile.diagnostics import Diagnostics

STAFF = BASE["site.yaml"] + "staff: [Anna Editor, Ben Desk]\n"
EVENT = "content/events/naval-visit.yaml"
COMMENTED = """\
# The visit, as two reports tell it.
title: Russian naval delegation visits Myanmar   # the headline
kind: visit

date: 2021-06-13/2021-06-19
participants:
  - actor: min-aung-hlaing
    role: received the delegation   # Myanmar Now's words
    sources: [myanmar-now-2021]
sources: [moscow-times-2021]
# keep this comment at the end
"""


def review(site: Path, dossier_id: str, *by: str):
    return run_build(site, "review", dossier_id, *(("--by", *by) if by else ()))


def dossier(site: Path, path: str):
    """The dossier at ``path``, read as the build reads it."""
    loaded = load_site(site, Diagnostics())
    return next(d for d in loaded.dossiers if d.path == (site / path))


def signed_off(name: str, digest: str, indent: str = "  ") -> str:
    return f"{indent}- by: {name}\n{indent}  on: {date.today().isoformat()}\n{indent}  digest: {digest}\n"


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site", BASE | {"site.yaml": STAFF})


def test_a_sign_off_reads_as_signed_and_an_edit_afterwards_as_changed(site: Path) -> None:
    assert review_state(dossier(site, EVENT)) == "unsigned"
    digest = review_digest(dossier(site, EVENT))
    result = review(site, "naval-visit", "Anna Editor")
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        f"signed off content/events/naval-visit.yaml: reviewed by Anna Editor on {date.today().isoformat()} "
        f"(digest {digest})\n"
    )
    signed = dossier(site, EVENT)
    assert review_state(signed) == "signed"
    assert [(r.by, r.on.iso, r.digest) for r in signed.reviewed] == [("Anna Editor", date.today().isoformat(), digest)]
    assert run_build(site, "check", "--strict").returncode == 0, "a signed-off site builds"

    path = site / EVENT
    path.write_text(path.read_text(encoding="utf-8").replace("Naypyitaw and Yangon", "Naypyitaw"), encoding="utf-8")
    assert review_state(dossier(site, EVENT)) == "changed"
    again = review(site, "naval-visit", "Ben Desk")
    assert again.returncode == 0, again.stderr
    assert review_state(dossier(site, EVENT)) == "signed"
    assert [r.by for r in dossier(site, EVENT).reviewed] == ["Anna Editor", "Ben Desk"], "the newest is the last"


def test_the_rest_of_the_file_stays_as_it_was_written(site: Path) -> None:
    """Comments, blank lines and the order of the keys are the journalist's: the sign-off is added, nothing else."""
    path = site / EVENT
    path.write_text(COMMENTED, encoding="utf-8")
    digest = review_digest(dossier(site, EVENT))
    assert review(site, "naval-visit", "Anna Editor").returncode == 0
    first = COMMENTED + "reviewed:\n" + signed_off("Anna Editor", digest)
    assert path.read_text(encoding="utf-8") == first
    # a `reviewed:` list already there, followed by more keys and comments: the item goes after its last one
    text = first.replace("reviewed:\n", "# sign-offs\nreviewed:\n") + "updated: 2021-07-08   # when it changed\n"
    path.write_text(text, encoding="utf-8")
    digest = review_digest(dossier(site, EVENT))
    assert review(site, "naval-visit", "Ben Desk").returncode == 0
    at = text.index("updated:")
    assert path.read_text(encoding="utf-8") == text[:at] + signed_off("Ben Desk", digest) + text[at:]
    assert review_state(dossier(site, EVENT)) == "signed"


def test_windows_line_ends_and_a_one_line_list_are_kept(site: Path) -> None:
    path = site / EVENT
    text = "title: A visit\r\nkind: visit\r\nreviewed: []   # none yet\r\nsources: [moscow-times-2021]\r\n"
    path.write_bytes(text.encode())
    assert review(site, "naval-visit", "Anna Editor").returncode == 0
    written = path.read_bytes().decode()
    assert written.startswith("title: A visit\r\nkind: visit\r\nreviewed:   # none yet\r\n  - by: Anna Editor\r\n")
    assert written.endswith("\r\nsources: [moscow-times-2021]\r\n") and "\n" not in written.replace("\r\n", "")
    assert review_state(dossier(site, EVENT)) == "signed"


@pytest.mark.parametrize("path", ["content/actors/min-aung-hlaing.yaml", "content/pages/method.md"])
def test_a_dossier_with_its_narrative_and_a_page_are_signed_off_too(site: Path, path: str) -> None:
    """The narrative (min-aung-hlaing.md) counts in the digest; a page's sign-off goes in its front matter."""
    before = (site / path).read_text(encoding="utf-8")
    assert review(site, Path(path).stem, "Anna Editor").returncode == 0
    after = (site / path).read_text(encoding="utf-8")
    assert review_state(dossier(site, path)) == "signed"
    if path.endswith(".md"):
        body = before.split("---\n", 2)[2]
        assert after.endswith(
            "reviewed:\n" + signed_off("Anna Editor", review_digest(dossier(site, path))) + "---\n" + body
        )
    narrative = site / "content/actors/min-aung-hlaing.md"
    narrative.write_text(narrative.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    assert review_state(dossier(site, "content/actors/min-aung-hlaing.yaml")) == (
        "changed" if "actors" in path else "unsigned"
    )


def test_a_name_yaml_would_misread_is_written_in_quotes(site: Path) -> None:
    make_site(site, {"site.yaml": BASE["site.yaml"] + "staff: ['Desk #2: Ann', 'yes']\n"})
    assert review(site, "naval-visit", "Desk #2: Ann").returncode == 0
    assert review(site, "russia", "yes").returncode == 0
    assert '\n  - by: "Desk #2: Ann"\n' in (site / EVENT).read_text(encoding="utf-8")
    assert [r.by for r in dossier(site, EVENT).reviewed] == ["Desk #2: Ann"]
    assert [r.by for r in dossier(site, "content/actors/russia.yaml").reviewed] == ["yes"]


def test_signing_again_unchanged_adds_nothing(site: Path) -> None:
    assert review(site, "naval-visit", "Anna Editor").returncode == 0
    text = (site / EVENT).read_text(encoding="utf-8")
    again = review(site, "naval-visit", "Anna Editor")
    assert again.returncode == 0 and "nothing to add" in again.stderr
    assert (site / EVENT).read_text(encoding="utf-8") == text


REFUSED = {
    "unknown id": (
        {},
        ("navl-visit", "Anna Editor"),
        "content:1:1: error: no dossier or page has the id 'navl-visit'\n    hint: did you mean 'naval-visit'?",
    ),
    "not an id": ({}, ("../site", "Anna Editor"), "content:1:1: error: '../site' is not an id"),
    "a file written as one {…}": (
        {EVENT: "{title: A visit, kind: visit, sources: [moscow-times-2021]}\n"},
        ("naval-visit", "Anna Editor"),
        "content/events/naval-visit.yaml:1:1: error: the sign-off could not be added to this file without changing "
        "what it says: nothing was written\n    hint: add it at the end of the file yourself: reviewed: [{by: ",
    ),
    "unknown name": (
        {},
        ("naval-visit", "Ana Editor"),
        "site.yaml:5:8: error: 'Ana Editor' is not on the staff in site.yaml\n    hint: did you mean 'Anna Editor'?",
    ),
    "no staff": (
        {"site.yaml": BASE["site.yaml"]},
        ("naval-visit", "Anna Editor"),
        "site.yaml:1:1: error: site.yaml names no staff, so nobody can sign a dossier off\n"
        "    hint: add `staff:` to site.yaml",
    ),
    "dossier with errors": (
        {
            EVENT: BASE[EVENT]
            .replace("kind: visit", "kind: vist")
            .replace("role: received the delegation", "role: [received]")
        },
        ("naval-visit", "Anna Editor"),
        "content/events/naval-visit.yaml:2:7: error: expected one of: visit, meeting",
    ),
    "dossier naming an unknown actor": (
        {EVENT: BASE[EVENT].replace("actor: russia", "actor: rusia"), "content/pages/method.md": "no front matter\n"},
        ("naval-visit", "Anna Editor"),
        "content/events/naval-visit.yaml:9:12: error: ",
    ),
}


@pytest.mark.parametrize("case", REFUSED)
def test_what_cannot_be_signed_off_is_refused_with_a_located_message(site: Path, case: str) -> None:
    files, (dossier_id, name), expected = REFUSED[case]
    make_site(site, files)
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    result = review(site, dossier_id, name)
    assert result.returncode == 1
    assert expected in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.endswith(" error(s), 0 warning(s)\n")
    if case.startswith("dossier"):  # every error of the dossier, and only those: not the broken page's
        assert result.stderr.count("error:") == (2 if case == "dossier with errors" else 1), result.stderr
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before, "nothing is written"


def test_by_is_required(site: Path) -> None:
    result = review(site, "naval-visit")
    assert result.returncode == 2
    assert result.stderr == "usage: python build.py review ID --by NAME  (NAME as site.yaml's staff: lists it)\n"
