"""Independent origins: reports that relay one another or the same upstream count once; facts resting on
one origin or only on state media are flagged on their pages, explained on the methodology page and listed
by ``check --report``."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BASE, ROOT, built_site, example_only, load_html, make_site, run_build

from casefile.model import Source, SourceRef
from casefile.provenance import INDEPENDENCE, LABELS, Provenance

# Sources: a and b both cite upstream; chain-a cites chain-b, which cites chain-c; wire-1 and wire-2
# relay the state agency; the event's claims cite them in the combinations the tests name.
SOURCES = {
    "upstream": "title: Upstream report\npublisher: Upstream\nkind: article\nread: false\n",
    "a": "title: Report A\npublisher: Outlet A\nkind: article\ncites: [upstream]\n",
    "b": "title: Report B\npublisher: Outlet B\nkind: article\ncites: [upstream]\n",
    "chain-a": "title: Chain A\npublisher: Chain A\nkind: article\ncites: [chain-b]\n",
    "chain-b": "title: Chain B\npublisher: Chain B\nkind: article\ncites: [chain-c]\n",
    "chain-c": "title: Chain C\npublisher: Chain C\nkind: article\n",
    "agency": "title: Agency dispatch\npublisher: State Agency\nkind: news-agency\ncontrolled_by: state\nread: false\n",
    "wire-1": "title: Wire one\npublisher: Wire One\nkind: article\ncites: [agency]\n",
    "wire-2": "title: Wire two\npublisher: Wire Two\nkind: article\ncites: [agency]\n",
}
CLAIMS = [
    ("Same upstream.", "[a, b]"),
    ("A chain.", "[chain-a, chain-b, chain-c]"),
    ("The agency says so.", "[{id: wire-1, citing: [agency]}, {id: wire-2, citing: [agency]}]"),
    ("Two origins.", "[a, chain-c]"),
]
EVENT = "title: A visit\nkind: visit\nclaims:\n" + "".join(
    f"  - text: {text}\n    sources: {sources}\n" for text, sources in CLAIMS
)
METHODOLOGY = "---\ntitle: How we source\n---\nWe count origins.\n"
SITE = {
    **BASE,
    **{f"content/sources/{name}.yaml": text for name, text in SOURCES.items()},
    "content/events/provenance-visit.yaml": EVENT,
    "content/events/chain-visit.yaml": "title: Another visit\nkind: visit\nclaims:\n  - text: Chain and A.\n"
    "    sources: [chain-a, a]\n",
    "content/pages/methodology.md": METHODOLOGY,
    "site.yaml": "title: Test investigation\naccepted_warnings:\n"
    "  source-without-url: [myanmar-now-2021, a, b, chain-a, chain-b, chain-c, wire-1, wire-2]\n",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory.mktemp("provenance") / "site", SITE)[0]


def _claim_flags(site: Path, event: str = "provenance-visit") -> dict[str, tuple[list[str], str]]:
    """Each claim's text → (its flag labels, its note)."""
    page = load_html(site / f"output/events/{event}.html")
    found = {}
    for item in page.section("What the sources report").find_all("li"):
        flags = item.find("span", class_="flags")
        labels = [flag.text for flag in flags.find_all(class_="flag")] if flags else []
        note = flags.find("span", class_="flag-note").text if flags else ""
        found[item.find("bdi").text] = (labels, note)
    return found


def test_reports_citing_the_same_upstream_are_one_origin(built: Path) -> None:
    labels, note = _claim_flags(built)["Same upstream."]
    assert labels == ["one origin"]
    assert note == "Counted as one origin: Outlet A, Outlet B cite the same source, Upstream."


def test_a_chain_of_reports_citing_each_other_is_one_origin(built: Path) -> None:
    labels, note = _claim_flags(built)["A chain."]
    assert labels == ["one origin"]
    assert note.startswith("Rests on one independent origin: Chain C.")
    assert "Outlets reporting it: 3 (Chain A, Chain B, Chain C)." in note


def test_two_reports_relaying_state_media_are_flagged_as_state_media(built: Path) -> None:
    labels, note = _claim_flags(built)["The agency says so."]
    assert labels == ["one origin", "state media"]
    assert note == (
        "Rests on one independent origin: State Agency (state media). Outlets reporting it: 2 (Wire One, Wire Two)."
    )


def test_independent_origins_are_not_flagged(built: Path) -> None:
    assert _claim_flags(built)["Two origins."] == ([], "")


def test_flags_link_to_their_explanation_which_the_methodology_page_generates(built: Path) -> None:
    page = load_html(built / "output/events/provenance-visit.html")
    hrefs = {flag.attrs["href"] for flag in page.find_all("a", class_="flag")}
    assert hrefs == {"../pages/methodology.html#label-single-origin", "../pages/methodology.html#label-state-media"}
    methodology = load_html(built / "output/pages/methodology.html")
    section = methodology.section("Independent origins and the labels on facts")
    assert INDEPENDENCE in section.text
    for label in LABELS:
        term = section.find("dt", id=f"label-{label.key}")
        assert term is not None and term.text == label.name
        assert label.explanation in section.text


def test_print_shows_the_explanation_the_screen_hides() -> None:
    css = (ROOT / "static/casefile.css").read_text(encoding="utf-8")
    screen, _, rest = css.partition(".flags:hover .flag-note")
    assert re.search(r"\.flag-note \{[^}]*clip: rect\(0 0 0 0\)", screen), "the note is hidden on screen"
    prints = [block for block in re.split(r"@media print \{", css)[1:] if ".flag-note" in block]
    assert prints and re.search(r"\.flag-note \{[^}]*clip: auto", prints[0])
    assert ".flags:focus-within .flag-note" in css, "a keyboard or a tap on the label shows the note"


def test_a_circle_in_cites_is_an_error_at_the_cites_line(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "site",
        {
            **SITE,
            "content/sources/chain-c.yaml": "title: Chain C\npublisher: Chain C\nkind: article\ncites:\n  - chain-a\n",
        },
    )
    result = run_build(site, "check")
    assert result.returncode == 1
    circle = "'chain-a' relies on itself: chain-a → chain-b → chain-c → chain-a"
    assert f"content/sources/chain-a.yaml:4:9: error: {circle}" in result.stderr
    assert "hint: break the circle" in result.stderr


def test_check_report_lists_weak_facts_unarchived_sources_conflicts_and_weakest_dossiers(built: Path) -> None:
    result = run_build(built, "check", "--report")
    assert result.returncode == 0, result.stderr
    report = result.stdout
    single, state, unarchived, unexplained, weakest = re.split(r"\n(?=\S)", report.strip())
    assert single.startswith("Facts resting on a single independent origin (")
    assert (
        "  content/events/provenance-visit.yaml:4:5: claim “Same upstream.” — rests on Outlet A, Outlet B, "
        "which cite the same source, Upstream; reported by Outlet A, Outlet B" in single
    )
    assert "content/events/provenance-visit.yaml:10:5" not in single, "two origins are not listed"
    assert state.splitlines() == [
        "Facts resting only on state or party media (1):",
        "  content/events/provenance-visit.yaml:8:5: claim “The agency says so.” — rests on State Agency; "
        "reported by Wire One, Wire Two",
    ]
    assert unarchived.splitlines()[1:] == [
        "  content/sources/moscow-times-2021.yaml:5:6: moscow-times-2021 — "
        "https://www.themoscowtimes.com/2021/03/26/russia-myanmar-a73387",
        "  content/sources/sipri-arms-data.yaml:3:6: sipri-arms-data — https://www.sipri.org/databases/armstransfers",
    ]
    assert unexplained.splitlines() == [
        "Fields the sources disagree on, without an editor's note (1):",
        "  content/deals/pantsir-contract.yaml:15:1: the sources give 2 values for `values`",
    ]
    assert weakest.startswith("Dossiers by sourcing, weakest first (")
    order = [line.split(":")[0].strip() for line in weakest.splitlines()[1:]]
    assert order.index("content/events/provenance-visit.yaml") == len(order) - 1, "3 of 4 flagged: the strongest"


@example_only
def test_example_delegation_visit_rests_on_one_origin_with_three_reports(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "build.py", "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    page = load_html(out / "events/russian-naval-delegation-2021-06.html")
    date = page.find("dl", class_="facts").find("dd")
    assert date.find("a", class_="flag-single-origin") is not None
    assert "Rests on one independent origin: Myanmar Now. Outlets reporting it: 3 (" in date.text
    cited = {note.attrs["data-source"] for note in page.find_all("li", predicate=lambda n: "data-source" in n.attrs)}
    assert {"myanmar-now-2021-07", "moscow-times-2021-07-06", "efe-2021-07-07"} <= cited
    meeting = load_html(out / "events/shoigu-meeting-2021-06.html")
    remark = next(
        item
        for item in meeting.section("What the sources report").find_all("li")
        if "according to TASS; Myanmar Now and EFE both report" in item.text
    )
    assert [flag.text for flag in remark.find_all(class_="flag")] == ["one origin", "state media"]
    assert "Rests on one independent origin: TASS (state media). Outlets reporting it: 2 (Myanmar Now, EFE)." in (
        remark.text
    )
    tass = load_html(out / "sources/tass.html").find("dl", class_="facts")
    assert "Outletstate media" in tass.text  # <dt>Outlet</dt><dd>state media</dd>


def test_serve_rebuilds_the_flags_an_upstream_source_or_the_methodology_page_changes(tmp_path: Path) -> None:
    """“Chain and A.” (on a page of its own) cites chain-a and a: once chain-c, two steps up from chain-a, cites
    a's upstream too, they are one origin, though the page cites neither; a new methodology page turns every
    label into a link. (Other pages' navigation misses a new page in serve: not this test's matter.)"""
    from casefile.incremental import Session
    from casefile.settings import SitePaths

    alleged = "title: A third visit\nkind: visit\nclaims:\n  - text: Alleged.\n    sources: [a, chain-c]\n"
    files = {
        **SITE,
        "content/pages/methodology.md": None,
        "content/events/alleged-visit.yaml": alleged + "    confidence: alleged\n",
    }
    site = make_site(tmp_path / "site", files)
    session = Session(SitePaths(site, site / "output"))
    assert session.full_build()
    assert _claim_flags(site, "chain-visit")["Chain and A."] == ([], "")
    page = load_html(site / "output/events/provenance-visit.html")
    flag = page.find("span", class_="flag")  # no methodology page yet: a label to focus (or tap), not a link
    assert flag is not None and flag.attrs["tabindex"] == "0"
    assert "methodology.html" not in " ".join(page.hrefs())
    edits = {
        "content/sources/chain-c.yaml": SOURCES["chain-c"] + "cites: [upstream]\n",
        "content/pages/methodology.md": METHODOLOGY,
    }
    for name, text in edits.items():
        (site / name).write_text(text, encoding="utf-8")
        session.rebuild({str(site / name)})
        session.settle()
    full = tmp_path / "full"
    assert run_build(site, "--no-cache", out=full).returncode == 0
    for page_path in ("events/provenance-visit.html", "events/chain-visit.html", "events/alleged-visit.html"):
        assert (site / "output" / page_path).read_bytes() == (full / page_path).read_bytes(), page_path
    # a confidence label links to its legend on the methodology page, once there is one
    label = load_html(site / "output/events/alleged-visit.html").find("span", class_="confidence-alleged")
    assert label.find("a").attrs["href"] == "../pages/methodology.html#confidence-alleged"
    assert _claim_flags(site, "chain-visit")["Chain and A."][0] == ["one origin"]


def test_a_chain_of_three_thousand_reports_is_one_origin_without_overflowing_the_stack() -> None:
    chain = {
        f"r{i}": Source(title="Report", publisher=f"Outlet {i}", kind="article", cites=[f"r{i + 1}"][: 2999 - i])
        for i in range(3000)
    }
    found = Provenance(chain).corroborate([SourceRef(id="r0"), SourceRef(id="r2999")])
    assert [label.key for label in found.labels] == ["single-origin"]
    assert [source.publisher for source in found.upstream] == ["Outlet 2999"]
