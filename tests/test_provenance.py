"""Independent origins, fact by fact: a citation rests on whom it says the report is citing, a plain citation is
the outlet's own voice; reports relaying one another or the same source for a fact count once. Facts resting on
one origin (calmly), only on state media, or on reports that disagree are marked on their pages, explained on the
methodology page and listed by ``check --report``, with the plain citations the editor should look at."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BASE, ROOT, built_site, example_only, load_html, make_site, run_build, static_server

from casefile.content.loader import load_site
from casefile.content.model import Source, SourceRef
from casefile.diagnostics import Diagnostics
from casefile.investigation.provenance import INDEPENDENCE, LABELS, SOURCES_DIFFER, Provenance, facts
from casefile.investigation.resolve import resolve

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
    ("Same upstream, each in its own voice.", "[a, b]"),
    ("Same upstream, both citing it.", "[{id: a, citing: [upstream]}, {id: b, citing: [upstream]}]"),
    ("A relay and its report.", "[{id: chain-a, citing: [chain-b]}, chain-b]"),
    ("A chain in the fact.", "[{id: chain-a, citing: [chain-b]}, {id: chain-b, citing: [chain-c]}]"),
    ("The agency says so.", "[{id: wire-1, citing: [agency]}, {id: wire-2, citing: [agency]}]"),
    ("Two origins.", "[a, chain-c]"),
    ("A relaying report, cited plainly.", "[a]"),
    ("In its own voice.", "[{id: a, own_voice: true}]"),
    ("The reports disagree.", "[a, chain-c]\n    sources_differ: true"),
]
EVENT = "title: A visit\nkind: visit\nclaims:\n" + "".join(
    f"  - text: {text}\n    sources: {sources}\n" for text, sources in CLAIMS
)
METHODOLOGY = "---\ntitle: How we source\n---\nWe count origins.\n"
SITE = {
    **BASE,
    **{f"content/sources/{name}.yaml": text for name, text in SOURCES.items()},
    "content/events/provenance-visit.yaml": EVENT,
    "content/events/chain-visit.yaml": "title: Another visit\nkind: visit\nclaims:\n  - text: Chain A alone.\n"
    "    sources: [chain-a]\n",
    "content/pages/methodology.md": METHODOLOGY,
    "site.yaml": "title: Test investigation\naccepted_warnings:\n"
    "  source-without-url: [myanmar-now-2021, a, b, chain-a, chain-b, chain-c, wire-1, wire-2]\n",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory.mktemp("provenance") / "site", SITE)[0]


def _claim_flags(site: Path, event: str = "provenance-visit") -> dict[str, tuple[list[str], str]]:
    """Each claim's text → (its marks, its note as the popover shows it, without the link to the methodology)."""
    page = load_html(site / f"output/events/{event}.html")
    found = {}
    for item in page.section("What the sources report").find_all("li"):
        flags = item.find("span", class_="flags")
        labels = [flag.text for flag in flags.find_all("button", class_="flag")] if flags else []
        note = flags.find("span", class_="flag-note").text.removesuffix(" How we count origins") if flags else ""
        found[item.find("bdi").text] = (labels, note)
    return found


def test_a_plain_citation_is_the_outlets_own_voice_even_where_its_report_relies_on_others(built: Path) -> None:
    """Outlet A and Outlet B both cite Upstream somewhere in their reports; for this fact neither says so."""
    assert _claim_flags(built)["Same upstream, each in its own voice."] == ([], "")


def test_reports_citing_the_same_source_for_the_fact_are_one_origin(built: Path) -> None:
    labels, note = _claim_flags(built)["Same upstream, both citing it."]
    assert labels == ["one origin"]
    assert note == "Rests on one independent origin: Upstream. Outlets reporting it: 2 (Outlet A, Outlet B)."


def test_a_report_and_its_relay_are_one_origin_and_a_chain_in_the_fact_is_followed(built: Path) -> None:
    labels, note = _claim_flags(built)["A relay and its report."]
    assert labels == ["one origin"]
    assert note == (
        "Rests on one independent origin: Chain B. Outlets reporting it: 2 (Chain A, Chain B). "
        "Chain B also relays Chain C in its report."
    )
    labels, note = _claim_flags(built)["A chain in the fact."]
    assert labels == ["one origin"]
    assert note == "Rests on one independent origin: Chain C. Outlets reporting it: 2 (Chain A, Chain B)."


def test_two_reports_relaying_state_media_are_flagged_as_state_media(built: Path) -> None:
    labels, note = _claim_flags(built)["The agency says so."]
    assert labels == ["one origin", "state media"]
    assert note == (
        "Rests on one independent origin: State Agency (state media). Outlets reporting it: 2 (Wire One, Wire Two)."
    )


def test_independent_origins_are_not_flagged(built: Path) -> None:
    assert _claim_flags(built)["Two origins."] == ([], "")


def test_a_report_cited_plainly_says_only_what_is_known_of_its_relays(built: Path) -> None:
    """The note names Upstream only as what Outlet A relays somewhere in its report, never as this fact's origin;
    once the editor confirms the outlet's own voice, the note no longer mentions it."""
    assert _claim_flags(built)["A relaying report, cited plainly."] == (
        ["one origin"],
        "Rests on one independent origin: Outlet A. Outlet A also relays Upstream in its report.",
    )
    assert _claim_flags(built)["In its own voice."] == (["one origin"], "Rests on one independent origin: Outlet A.")


def test_reports_that_disagree_are_a_conflict_not_one_origin(built: Path) -> None:
    labels, note = _claim_flags(built)["The reports disagree."]
    assert labels == ["sources differ"]
    assert note == f"{SOURCES_DIFFER.explanation} Outlet A also relays Upstream in its report."


def test_a_value_among_differing_values_is_neither_one_origin_nor_corroborated(built: Path) -> None:
    """The base deal gives two values, each from one report: the page shows them under "Sources differ"."""
    values = load_html(built / "output/deals/pantsir-contract.html").find("ul", class_="values")
    assert "Sources differ" in values.parent.text
    assert values.find_all("button", class_="flag") == []


def test_each_mark_opens_its_note_which_links_to_the_explanation_on_the_methodology_page(built: Path) -> None:
    page = load_html(built / "output/events/provenance-visit.html")
    for marks in page.find_all("span", class_="flags"):
        buttons = marks.find_all("button", class_="flag")
        (target,) = {button.attrs["popovertarget"] for button in buttons}
        note = page.find("span", id=target)
        assert note is not None and "popover" in note.attrs
        link = note.find("a", predicate=lambda a: a.text == "How we count origins")
        first = buttons[0].attrs["class"].split()[1].removeprefix("flag-")
        assert link.attrs["href"] == f"../pages/methodology.html#label-{first}"
    ids = [node.attrs["id"] for node in page.find_all("span", class_="flag-note")]
    assert len(ids) == len(set(ids)) > 5
    methodology = load_html(built / "output/pages/methodology.html")
    section = methodology.section("Independent origins and the labels on facts")
    assert INDEPENDENCE in section.text
    for label in LABELS:
        term = section.find("dt", id=f"label-{label.key}")
        assert term is not None and term.text == label.name
        assert label.explanation in section.text


def test_the_mark_opens_its_note_by_tap_and_keyboard_at_375_px_and_print_shows_it(built: Path, browser) -> None:
    """A phone's width, the site's own CSP, no JavaScript: the note is an HTML popover."""
    with static_server(built / "output") as base:
        context = browser.new_context(viewport={"width": 375, "height": 740}, has_touch=True, java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{base}/events/provenance-visit.html")
        first = page.locator("button.flag-single-origin").first
        note = page.locator(f"#{first.get_attribute('popovertarget')}")
        assert not note.is_visible()
        first.tap()
        assert note.is_visible()
        box = note.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375
        page.keyboard.press("Escape")
        assert not note.is_visible()
        first.focus()
        page.keyboard.press("Enter")
        assert note.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.keyboard.press("Escape")
        page.emulate_media(media="print")
        printed = page.locator(".flag-print").first
        assert printed.is_visible() and "Rests on one independent origin" in printed.inner_text()
        context.close()


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


def test_check_report_lists_weak_facts_plain_relays_unarchived_sources_conflicts_and_weakest(built: Path) -> None:
    result = run_build(built, "check", "--report")
    assert result.returncode == 0, result.stderr
    report = result.stdout
    single, state, relays, unarchived, unexplained, weakest, before = re.split(r"\n(?=\S)", report.strip())
    assert single.startswith("Facts resting on a single independent origin (")
    assert (
        "  content/events/provenance-visit.yaml:6:5: claim “Same upstream, both citing it.” — rests on Upstream; "
        "reported by Outlet A, Outlet B" in single
    )
    assert "content/events/provenance-visit.yaml:4:5" not in single, "two voices are not listed"
    assert state.splitlines() == [
        "Facts resting only on state or party media (1):",
        "  content/events/provenance-visit.yaml:12:5: claim “The agency says so.” — rests on State Agency; "
        "reported by Wire One, Wire Two",
    ]
    assert relays.splitlines()[0].startswith("Plain citations of reports that rely on others: `citing:` or `own_voice")
    assert (
        "  content/events/provenance-visit.yaml:5:15: claim “Same upstream, each in its own voice.” cites a plainly; "
        "its report relies on upstream" in relays
    )
    assert "own voice.” cites a plainly" not in relays.replace("each in its own voice", ""), "confirmed: not listed"
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
    assert before.startswith("Before publication, as of "), "then what is left to do (tests/test_policy.py)"


@example_only
def test_example_delegation_visit_rests_on_one_origin_with_three_reports(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "build.py", "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    page = load_html(out / "events/russian-naval-delegation-2021-06.html")
    date = page.find("dl", class_="facts").find("dd")
    assert date.find("button", class_="flag-single-origin") is not None
    assert "Rests on one independent origin: Myanmar Now. Outlets reporting it: 3 (" in date.text
    cited = {note.attrs["data-source"] for note in page.find_all("li", predicate=lambda n: "data-source" in n.attrs)}
    assert {"myanmar-now-2021-07", "moscow-times-2021-07-06", "efe-2021-07-07"} <= cited
    members = next(item for item in page.section("What the sources report").find_all("li") if "20 members" in item.text)
    documents = "Rests on one independent origin: Unnamed issuer (documents seen by Myanmar Now)."
    assert f"{documents} Outlets reporting it: 3" in members.text, "MT and EFE cite Myanmar Now, which cites them"
    meeting = load_html(out / "events/shoigu-meeting-2021-06.html")
    remark = next(
        item
        for item in meeting.section("What the sources report").find_all("li")
        if "according to TASS; Myanmar Now and EFE both report" in item.text
    )
    assert [flag.text for flag in remark.find_all("button", class_="flag")] == ["one origin", "state media"]
    assert "Rests on one independent origin: TASS (state media). Outlets reporting it: 2 (Myanmar Now, EFE)." in (
        remark.text
    )
    tass = load_html(out / "sources/tass.html").find("dl", class_="facts")
    assert "Outlet state media" in tass.text  # <dt>Outlet</dt> <dd>state media</dd>


@example_only
def test_no_note_in_the_example_names_an_origin_its_facts_own_citations_do_not_give() -> None:
    """The note once said SIPRI on facts that had nothing to do with SIPRI, and "one origin: Myanmar Now" on what
    EFE says in its own voice. Every origin a note names is a report a citation gives, or whom it is citing."""
    investigation = resolve(load_site(ROOT, Diagnostics()), Diagnostics())
    checked = 0
    for fact in facts(investigation):
        named = {name for ref in fact.sourced.sources for name in (ref.id, *ref.citing)}
        assert {source.id for source in fact.corroboration.upstream} <= named, fact.location
        checked += 1
    assert checked > 400


def test_serve_rebuilds_the_note_when_a_relayed_source_or_the_methodology_page_changes(tmp_path: Path) -> None:
    """“Chain A alone.” (on a page of its own) cites chain-a plainly: its note says Chain A also relays Chain B, so
    renaming Chain B's publisher changes that page, though the page cites no Chain B; a new methodology page adds
    the link to the explanation. (Other pages' navigation misses a new page in serve: not this test's matter.)"""
    from casefile.dev.incremental import Session
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
    assert _claim_flags(site, "chain-visit")["Chain A alone."] == (
        ["one origin"],
        "Rests on one independent origin: Chain A. Chain A also relays Chain B in its report.",
    )
    page = load_html(site / "output/events/provenance-visit.html")
    assert page.find("button", class_="flag") is not None  # no methodology page yet: the note still opens
    assert "methodology.html" not in " ".join(page.hrefs())
    edits = {
        "content/sources/chain-b.yaml": SOURCES["chain-b"].replace("publisher: Chain B", "publisher: Chain Bee"),
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
    assert _claim_flags(site, "chain-visit")["Chain A alone."] == (
        ["one origin"],
        "Rests on one independent origin: Chain A. Chain A also relays Chain Bee in its report.",
    )


def test_a_chain_of_three_thousand_reports_is_followed_without_overflowing_the_stack() -> None:
    chain = {
        f"r{i}": Source(title="Report", publisher=f"Outlet {i}", kind="article", cites=[f"r{i + 1}"][: 2999 - i])
        for i in range(3000)
    }
    found = Provenance(chain).corroborate([SourceRef(id="r0")])
    assert [label.key for label in found.labels] == ["single-origin"]
    assert [source.publisher for source in found.upstream] == ["Outlet 0"]
    assert len(found.lineage) == 3000  # the note's dependencies: any of them changing rebuilds the page
    citing = [SourceRef(id=f"r{i}", citing=[f"r{i + 1}"]) for i in range(2999)]
    assert [source.publisher for source in Provenance(chain).corroborate(citing).upstream] == ["Outlet 2999"]
