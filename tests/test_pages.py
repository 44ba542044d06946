"""Every page reads right: footnotes whose parts read apart, markers bound to their word and
numbered in reading order, one note per report, back-links that never run out of letters,
no empty boxes, no page listing itself, the actor's events once, ``updated:`` and the feed.

Checked on every page of the built example, and on fixture sites where a case needs its own
content (a report cited both plainly and as relaying another, 28 citations of one report).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BASE, ROOT, Node, example_only, load_html, make_site, run_build, run_builds, snapshot

from casefile.pages.footnotes import backref_label

MARKER = re.compile(r'href="#fn-(\d+)"')
GROUP = re.compile(r'<sup class="fn">(.*?)</sup>', re.S)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example investigation, built by the real ``build.py``."""
    out = tmp_path_factory.mktemp("pages") / "example"
    result = subprocess.run(
        [sys.executable, "build.py", "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return out


def pages(site: Path) -> list[Path]:
    found = sorted(site.rglob("*.html"))
    assert len(found) > 5, f"only {len(found)} pages in {site}"
    return found


def notes_of(doc: Node) -> list[Node]:
    return [li for li in doc.find_all("li") if li.attrs.get("id", "").startswith("fn-")]


def note_with(doc: Node, source: str) -> Node:
    [note] = [li for li in notes_of(doc) if li.attrs.get("data-source") == source]
    return note


def backref_labels(note: Node) -> list[str]:
    return [a.text.removeprefix("Back to citation ") for a in note.find("span", class_="backrefs").find_all("a")]


# -------------------------------------------------------------------------------------------
# Fixture sites
# -------------------------------------------------------------------------------------------

MANY = "content/actors/russia.md"
UPDATED_ACTOR = BASE["content/actors/tatmadaw.yaml"] + "updated: 2022-07-20\n"
LATER_GROUP = """\
Min Aung Hlaing leads the [[tatmadaw]].

He received a Russian delegation [@myanmar-now-2021, p. 3].

The visit was reported on both sides [@moscow-times-2021; @sipri-arms-data].

SIPRI's data came first to this site
[@sipri-arms-data; @moscow-times-2021].

A locator that ends a sentence itself [@moscow-times-2021, para. 12.].
"""
RELAYED_EVERYWHERE = """\
name: SIPRI
kind: organization
summary: An institute whose figures Myanmar Now relays.
sources: [{id: myanmar-now-2021, citing: [sipri-arms-data]}]
claims:
  - text: Its arms-transfer data covers Myanmar.
    sources: [{id: myanmar-now-2021, citing: [sipri-arms-data]}]
"""


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``plain``: the base site with extra cases, no base URL; ``published``: the same with a base URL
    and a dossier with ``updated:``; ``published-undated``: a base URL but nothing updated."""
    root = tmp_path_factory.mktemp("page-fixtures")
    extra = {
        MANY: "\n\n".join(f"Report {n} of {28} [@moscow-times-2021]." for n in range(1, 29)) + "\n",
        "content/actors/min-aung-hlaing.md": LATER_GROUP,
        "content/actors/sipri-institute.yaml": RELAYED_EVERYWHERE,
    }
    sites = {
        "plain": make_site(root / "plain", BASE | extra),
        "published": make_site(
            root / "published",
            BASE
            | extra
            | {"content/actors/tatmadaw.yaml": UPDATED_ACTOR}
            | {"site.yaml": BASE["site.yaml"] + "base_url: https://example.org/case/\n"},
        ),
        "published-undated": make_site(
            root / "published-undated",
            BASE | extra | {"site.yaml": BASE["site.yaml"] + "base_url: https://example.org/case/\n"},
        ),
    }
    for name, result in zip(sites, run_builds([(site, ()) for site in sites.values()]), strict=True):
        assert result.returncode == 0, f"{name}: {result.stderr}"
    return {name: site / "output" for name, site in sites.items()}


# -------------------------------------------------------------------------------------------
# Footnote entries read apart
# -------------------------------------------------------------------------------------------


def _runs_together(note: Node) -> list[str]:
    """Where two parts of a note join without a space, or a part ends without a full stop."""
    problems = []
    parts = [child for child in note.children if isinstance(child, Node)]
    for part in parts:
        if "fn-part" not in part.classes and "backrefs" not in part.classes:
            problems.append(f"<{part.tag}> outside a part: {part.text!r}")
        elif "fn-part" in part.classes and not part.text.endswith("."):
            problems.append(f"part without a full stop: {part.text!r}")
    for before, after in zip(parts, parts[1:], strict=False):
        between = note.children[note.children.index(before) + 1 : note.children.index(after)]
        text = "".join(c for c in between if isinstance(c, str))
        if not text or not text.isspace():
            problems.append(f"{before.text[-30:]!r} runs into {after.text[:30]!r}")
    return problems


@example_only
def test_every_footnote_entry_reads_apart(example: Path, fixtures: dict[str, Path]) -> None:
    checked = 0
    for site in (example, fixtures["plain"]):
        for file in pages(site):
            for note in notes_of(load_html(file)):
                checked += 1
                problems = _runs_together(note)
                assert not problems, f"{file.relative_to(site)} {note.attrs['id']}: {problems}\n{note.text}"
                assert not re.search(r"\.(Original|No URL|Citing|Archived)|OriginalArchived", note.text), note.text
    assert checked > 200


def test_locator_and_relay_read_as_sentences(fixtures: dict[str, Path]) -> None:
    doc = load_html(fixtures["plain"] / "actors/min-aung-hlaing.html")
    [note] = [li for li in notes_of(doc) if li.attrs["data-source"] == "myanmar-now-2021" and "p. 3" in li.text]
    text = note.text
    assert re.search(r"July 2021\. p\. 3\. No URL on record\.$", text), text
    [note] = [li for li in notes_of(doc) if "para. 12" in li.text]
    assert "26 March 2021. para. 12. Original <" in note.text, note.text  # not "para. 12.."
    deal = load_html(fixtures["plain"] / "deals/pantsir-contract.html")
    text = note_with(deal, "moscow-times-2021").text
    # The address is shown in print only (.print-url), after the word "Original".
    assert text.endswith("26 March 2021. Original <https://www.themoscowtimes.com/2021/03/26/russia-myanmar-a73387>.")


# -------------------------------------------------------------------------------------------
# Back-links
# -------------------------------------------------------------------------------------------


def test_backref_labels_continue_after_z_as_wikipedia_does() -> None:
    assert [backref_label(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "a", "b", "z", "aa", "ab", "az", "ba", "zz", "aaa",
    ]  # fmt: skip


def test_twenty_eight_citations_get_letters_a_to_ab(fixtures: dict[str, Path]) -> None:
    doc = load_html(fixtures["plain"] / "actors/russia.html")
    labels = backref_labels(note_with(doc, "moscow-times-2021"))
    assert labels[:3] == ["a", "b", "c"]
    assert labels[25:28] == ["z", "aa", "ab"], labels
    assert len(set(labels)) == len(labels) > 28  # 28 paragraphs, then the lists and the dossier's own sources


def _text(node: Node, skip: Callable[[Node], bool]) -> str:
    """The text of ``node`` without the elements ``skip`` says are not there."""
    kept = [c if isinstance(c, str) else _text(c, skip) for c in node.children if isinstance(c, str) or not skip(c)]
    return "".join(kept)


def _accessible_name(link: Node) -> str:
    return link.attrs.get("aria-label") or _text(link, lambda n: n.attrs.get("aria-hidden") == "true").strip()


def _visible_text(link: Node) -> str:
    return _text(link, lambda n: "visually-hidden" in n.classes).strip()


@example_only
def test_every_back_link_is_named_with_its_visible_text(example: Path) -> None:
    """WCAG 2.5.3 (axe's label-content-name-mismatch): a link that shows "a" is not named "Back to citation 1"."""
    checked = 0
    for file in pages(example):
        for note in notes_of(load_html(file)):
            for link in note.find("span", class_="backrefs").find_all("a"):
                checked += 1
                name, shown = _accessible_name(link), _visible_text(link)
                assert name.startswith("Back to"), (file.name, name)
                assert shown == "^" or name.endswith(f" {shown}"), (file.name, name, shown)
    assert checked > 500


# -------------------------------------------------------------------------------------------
# Markers: sorted in their group, numbered in reading order, bound to their word
# -------------------------------------------------------------------------------------------


def _marker_numbers(html: str) -> list[list[int]]:
    return [[int(n) for n in MARKER.findall(group)] for group in GROUP.findall(html)]


@pytest.mark.parametrize("which", [pytest.param("example", marks=example_only), "plain"])
def test_markers_ascend_in_each_group_and_numbers_follow_reading_order(
    which: str, example: Path, fixtures: dict[str, Path]
) -> None:
    site = example if which == "example" else fixtures["plain"]
    groups_seen = 0
    for file in pages(site):
        groups = _marker_numbers(file.read_text(encoding="utf-8"))
        groups_seen += len(groups)
        for group in groups:
            assert group == sorted(set(group)), f"{file.relative_to(site)}: markers {group} are not in order"
        first_seen = list(dict.fromkeys(n for group in groups for n in group))
        assert first_seen == list(range(1, len(first_seen) + 1)), f"{file.relative_to(site)}: notes {first_seen}"
    assert groups_seen > 50


def test_a_group_written_out_of_order_is_sorted(fixtures: dict[str, Path]) -> None:
    """``[@sipri-arms-data; @moscow-times-2021]`` after both were numbered: [2][3], not [3][2]."""
    doc = load_html(fixtures["plain"] / "actors/min-aung-hlaing.html")
    [paragraph] = [p for p in doc.find_all("p") if "data came first" in p.text]
    numbers = [int(a.attrs["href"].removeprefix("#fn-")) for a in paragraph.find_all("a", class_="fn-ref")]
    assert numbers == [2, 3], paragraph.text


def test_markers_are_bound_to_the_word_before_them(example: Path, fixtures: dict[str, Path]) -> None:
    """No space (not even a line break in the markdown) before a marker, and a word joiner inside it."""
    for site in (example, fixtures["plain"]):
        for file in pages(site):
            html = file.read_text(encoding="utf-8")
            loose = re.search(r".{0,40}\s<sup class=\"fn\">", html)
            assert loose is None, f"{file.relative_to(site)}: {loose.group(0)!r}"
            assert html.count('<sup class="fn">') == html.count('<sup class="fn">&#8288;<a '), file
    doc = load_html(fixtures["plain"] / "actors/min-aung-hlaing.html")
    [paragraph] = [p for p in doc.find_all("p") if "data came first" in p.text]
    assert "to this site\u2060[2][3]" in paragraph.text  # the markdown broke the line before the citation


# -------------------------------------------------------------------------------------------
# One note per report and place, saying what it relays where
# -------------------------------------------------------------------------------------------


def test_a_report_cited_plainly_and_relaying_another_is_one_note(fixtures: dict[str, Path]) -> None:
    doc = load_html(fixtures["plain"] / "deals/pantsir-contract.html")
    note = note_with(doc, "myanmar-now-2021")  # one entry, not two
    assert backref_labels(note) == ["a", "b"]
    assert "Citing SIPRI (at b)." in note.text, note.text
    [value] = [li for li in doc.find_all("li") if "value" in li.classes and "$1.5 billion" in li.text]
    [marker] = value.find_all("a", class_="fn-ref")
    back_b = note.find("span", class_="backrefs").find_all("a")[1]
    assert back_b.attrs["href"] == f"#{marker.attrs['id']}"
    [party] = [li for li in doc.find_all("li") if "buyer" in li.text]
    assert party.find("a", class_="fn-ref").attrs["href"] == value.find("a", class_="fn-ref").attrs["href"]


def test_a_report_relaying_another_everywhere_names_no_back_links(fixtures: dict[str, Path]) -> None:
    doc = load_html(fixtures["plain"] / "actors/sipri-institute.html")
    note = note_with(doc, "myanmar-now-2021")
    assert backref_labels(note) == ["a", "b"]
    assert "Citing SIPRI." in note.text and "(at" not in note.text, note.text


def test_the_same_report_at_two_locators_stays_two_notes(fixtures: dict[str, Path]) -> None:
    doc = load_html(fixtures["plain"] / "actors/min-aung-hlaing.html")
    notes = [li for li in notes_of(doc) if li.attrs["data-source"] == "myanmar-now-2021"]
    assert ["p. 3" in note.text for note in notes] == [True, False]


# -------------------------------------------------------------------------------------------
# Pages: no self-citation, no empty box, events once, headings in order
# -------------------------------------------------------------------------------------------


def test_no_source_page_lists_itself_under_cited_by(example: Path) -> None:
    for file in sorted((example / "sources").glob("*.html")):
        if file.name == "index.html":
            continue
        cited_by = load_html(file).section("Cited by")
        assert file.name not in cited_by.hrefs(), f"{file.name} lists itself under Cited by"


def test_no_empty_facts_box_or_list(example: Path, fixtures: dict[str, Path]) -> None:
    for site in (example, fixtures["plain"]):
        for file in pages(site):
            for box in load_html(file).find_all(predicate=lambda n: n.tag in ("dl", "ul", "ol")):
                assert any(isinstance(c, Node) for c in box.children), f"{file.relative_to(site)}: empty <{box.tag}>"
    russia = load_html(fixtures["plain"] / "actors/russia.html")  # no aliases, no country
    assert russia.find("dl") is None


@example_only
def test_actor_page_lists_its_events_once(example: Path) -> None:
    doc = load_html(example / "actors/min-aung-hlaing.html")
    main = doc.find("main")
    assert main.find("ol", class_="timeline") is None, "the events are listed again as a timeline"
    events = main.section("Events")
    for href in events.hrefs():
        if href.startswith("../events/"):
            listed = [li for li in main.find_all("li") if href in li.hrefs() and not li.attrs.get("id")]
            assert len(listed) == 1, f"{href} is listed {len(listed)} times"
    assert "../timeline.html?actor=min-aung-hlaing" in main.hrefs()


def test_headings_never_skip_a_level(example: Path) -> None:
    for file in pages(example):
        levels = [int(n.tag[1]) for n in load_html(file).iter() if re.fullmatch(r"h[1-6]", n.tag)]
        assert levels and levels[0] == 1, f"{file.relative_to(example)}: headings {levels}"
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, f"{file.relative_to(example)}: h{before} then h{after} ({levels})"


# -------------------------------------------------------------------------------------------
# updated: and the Atom feed
# -------------------------------------------------------------------------------------------


def _feed_links(doc: Node) -> list[str]:
    head = [n.attrs["href"] for n in doc.find_all("link", rel="alternate", type="application/atom+xml")]
    return head + [h for h in doc.find("footer").hrefs() if h.endswith("feed.xml")]


def test_updated_date_is_shown_on_the_dossier(fixtures: dict[str, Path]) -> None:
    doc = load_html(fixtures["published"] / "actors/tatmadaw.html")
    [updated] = doc.find_all("p", class_="updated")
    assert updated.text == "Last updated 20 July 2022"
    assert updated.find("time").attrs["datetime"] == "2022-07-20"
    assert load_html(fixtures["published"] / "actors/russia.html").find("p", class_="updated") is None


def test_every_page_links_the_feed_in_its_head_and_footer(fixtures: dict[str, Path]) -> None:
    out = fixtures["published"]
    assert (out / "feed.xml").is_file()
    for file in pages(out):
        links = _feed_links(load_html(file))
        assert len(links) == 2, f"{file.relative_to(out)}: feed links {links}"
        for link in links:
            if file.name == "404.html":  # served at any depth: its links start from the site's folder
                assert link == "/case/feed.xml"
            else:
                assert (file.parent / link).resolve() == (out / "feed.xml").resolve(), (file.relative_to(out), link)


@pytest.mark.parametrize("which", ["plain", "published-undated"])
def test_no_feed_link_where_there_is_no_feed(which: str, fixtures: dict[str, Path]) -> None:
    """Without a base URL, or with no dossier ``updated:``, there is no feed to link to."""
    out = fixtures[which]
    assert not (out / "feed.xml").exists()
    for file in pages(out):
        assert _feed_links(load_html(file)) == [], file.relative_to(out)


def test_dev_server_relinks_every_page_when_the_feed_appears_or_goes(tmp_path: Path) -> None:
    """The first ``updated:`` makes the feed, so every page's head and footer change, not just the edited one."""
    from casefile.dev.incremental import Session
    from casefile.pipeline import SitePaths

    site = make_site(tmp_path / "site", BASE | {"site.yaml": BASE["site.yaml"] + "base_url: https://example.org/"})
    session = Session(SitePaths(site, site / "output"))
    assert session.full_build()
    tatmadaw = site / "content/actors/tatmadaw.yaml"
    for number, text in enumerate((UPDATED_ACTOR, BASE["content/actors/tatmadaw.yaml"])):
        tatmadaw.write_text(text, encoding="utf-8")
        session.rebuild({str(tatmadaw)})
        full = tmp_path / f"full-{number}"
        assert run_build(site, out=full).returncode == 0
        assert _html(site / "output") == _html(full), f"after edit {number}"
        assert (b"application/atom+xml" in (full / "index.html").read_bytes()) == (number == 0)


def _html(folder: Path) -> dict[str, bytes]:
    """The pages only: the dev server leaves a feed.xml that is no longer linked (a full build removes it)."""
    return {path: data for path, data in snapshot(folder).items() if path.endswith(".html")}
