"""The valid base investigation, built by the real ``build.py``, read as a reader would."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import BASE, Node, load_html, make_site, run_build, snapshot

MT_URL = "https://www.themoscowtimes.com/2021/03/26/russia-myanmar-a73387"
SIPRI_URL = "https://www.sipri.org/databases/armstransfers"
SOURCE_PAGE = re.compile(r"(?:^|/)sources/([a-z0-9-]+)\.html$")


@pytest.fixture(scope="module")
def out(built_base: Path) -> Path:
    return built_base / "output"


def page(out: Path, path: str) -> Node:
    file = out / path
    assert file.is_file(), f"{path} was not written"
    return load_html(file)


def html_files(out: Path) -> list[Path]:
    files = sorted(out.rglob("*.html"))
    assert files, "no HTML written"
    return files


def is_external(url: str) -> bool:
    return bool(urlsplit(url).scheme) or url.startswith("//")


def footnotes(doc: Node) -> dict[str, Node]:
    """``fn-N`` → its ``<li>`` in the footnotes section."""
    sections = doc.find_all("section", class_="footnotes")
    assert len(sections) <= 1, "more than one footnotes section"
    if not sections:
        return {}
    return {li.attrs["id"]: li for li in sections[0].find_all("li") if li.attrs.get("id", "").startswith("fn-")}


def markers(node: Node) -> list[Node]:
    return node.find_all("a", class_="fn-ref")


def note_source(note: Node) -> str:
    """The id of the source a footnote is about (its first link to a source page)."""
    cite = note.find("cite")
    for href in (cite or note).hrefs():
        if match := SOURCE_PAGE.search(href):
            return match.group(1)
    raise AssertionError(f"footnote {note.attrs.get('id')} links to no source page: {note.text}")


def note_for(doc: Node, marker: Node) -> Node:
    href = marker.attrs["href"]
    assert href.startswith("#fn-"), href
    notes = footnotes(doc)
    assert href[1:] in notes, f"marker {href} has no footnote"
    return notes[href[1:]]


def body(doc: Node) -> Node:
    """``<main>`` without the footnotes: what the page itself says."""
    main = doc.find("main")
    assert main is not None
    clone = Node(
        "main", main.attrs, [c for c in main.children if not (isinstance(c, Node) and "footnotes" in c.classes)]
    )
    return clone


def items_linking_to(node: Node, href: str) -> list[Node]:
    return [li for li in node.find_all("li") if href in li.hrefs()]


# ---------------------------------------------------------------------------- links


def test_every_page_is_written(out: Path) -> None:
    written = {p.relative_to(out).as_posix() for p in out.rglob("*.html")}
    expected = {
        "index.html",
        "pages/method.html",
        "actors/index.html",
        "deals/index.html",
        "events/index.html",
        "sources/index.html",
        "actors/russia.html",
        "actors/tatmadaw.html",
        "actors/min-aung-hlaing.html",
        "deals/pantsir-contract.html",
        "events/naval-visit.html",
        "sources/moscow-times-2021.html",
        "sources/myanmar-now-2021.html",
        "sources/sipri-arms-data.html",
    }
    assert expected <= written, f"missing: {sorted(expected - written)}"


def test_search_index_is_published_without_pagefinds_unused_interfaces(out: Path) -> None:
    bundle = {p.name for p in (out / "pagefind").iterdir()}
    assert {"pagefind.js", "pagefind-entry.json", "index", "fragment"} <= bundle, sorted(bundle)
    unused = sorted(name for name in bundle if re.match(r"pagefind-(ui|component-ui|modular-ui|highlight)\.", name))
    assert not unused, f"published but never loaded: {unused}"


def indexed(out: Path) -> dict[str, dict]:
    """Pagefind's record of each page it indexed, by address: its text ("content") and metadata ("meta")."""
    records = {}
    for fragment in (out / "pagefind" / "fragment").iterdir():
        record = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        records[record["url"]] = record
    return records


def test_search_indexes_what_a_dossier_says_not_its_lists_of_other_dossiers(out: Path) -> None:
    """A search for an outlet should find its reports, not every page whose footnotes cite them."""
    contents = {url: record["content"] for url, record in indexed(out).items()}
    tatmadaw = contents["/actors/tatmadaw.html"]
    assert "Myanmar armed forces" in tatmadaw, tatmadaw[:300]  # its name in other words is there
    for url, content in contents.items():
        for listing in ("Mentioned in", "Cited by", "The whole network", "Back to citation"):
            assert listing not in content, f"{url} was indexed with its '{listing}' list"


def test_search_indexes_a_facts_box_as_words_and_leaves_out_the_dossier_header(out: Path) -> None:
    """Excerpts ran each label into its value ("Statusreported signed") and began with the title, the summary and
    "Last updated", which a result already shows above its excerpt (as its metadata)."""
    records = indexed(out)
    deal = records["/deals/pantsir-contract.html"]
    assert "Signed January 2018" in deal["content"] and "Status reported signed" in deal["content"], deal["content"]
    assert deal["meta"]["title"] == "Pantsir-S1 contract", deal["meta"]
    assert deal["meta"]["summary"] == "Air-defence systems sold to the Tatmadaw.", deal["meta"]
    for url, record in records.items():
        content = record["content"]
        assert "This dossier as data" not in content and "draws on these sources" not in content, (url, content)
        if summary := record["meta"].get("summary"):
            assert summary not in content, f"{url} repeats its summary in its text: {content[:300]}"


def site_pages(out: Path) -> list[Path]:
    """The pages read at their own address: not 404.html, whose links start at the root (test_publish)."""
    return [file for file in html_files(out) if file.name != "404.html"]


def test_every_internal_link_and_fragment_resolves(out: Path) -> None:
    ids_cache: dict[Path, set[str]] = {}
    checked = 0
    for file in site_pages(out):
        doc = load_html(file)
        ids_cache.setdefault(file, doc.ids)
        for node in doc.iter():
            for attr in ("href", "src"):
                url = node.attrs.get(attr)
                if url is None or is_external(url):
                    continue
                parts = urlsplit(url)
                target = (file.parent / unquote(parts.path)).resolve() if parts.path else file
                where = f"{file.relative_to(out)}: <{node.tag} {attr}={url!r}>"
                assert target.is_relative_to(out.resolve()), f"{where} leaves the site"
                if target.is_dir():
                    target = target / "index.html"
                assert target.is_file(), f"{where} points at a missing file"
                if parts.fragment:
                    if target not in ids_cache:
                        ids_cache[target] = load_html(target).ids
                    assert parts.fragment in ids_cache[target], f"{where}: no id {parts.fragment!r} there"
                checked += 1
    assert checked > 100


def test_ids_are_unique_on_every_page(out: Path) -> None:
    for file in html_files(out):
        ids = [n.attrs["id"] for n in load_html(file).iter() if "id" in n.attrs]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        assert not duplicates, f"{file.relative_to(out)} repeats ids {duplicates}: fragment links become ambiguous"


def test_internal_links_are_relative(out: Path, built_base: Path) -> None:
    for file in site_pages(out):
        text = file.read_text(encoding="utf-8")
        assert str(built_base) not in text, f"{file.relative_to(out)} contains the build machine's path"
        for node in load_html(file).iter():
            for attr in ("href", "src"):
                url = node.attrs.get(attr, "")
                assert not url.startswith("/"), f"{file.relative_to(out)}: {attr}={url!r} is not relative"
                assert not url.startswith("file:"), f"{file.relative_to(out)}: {attr}={url!r}"


# ---------------------------------------------------------------------------- footnotes


def test_markers_and_back_links_point_at_each_other(out: Path) -> None:
    pages_with_notes = set()
    for file in html_files(out):
        doc = load_html(file)
        notes = footnotes(doc)
        page_markers = {m.attrs.get("id"): m for m in markers(doc)}
        if notes:
            pages_with_notes.add(file.relative_to(out).as_posix())
        for marker_id, marker in page_markers.items():
            assert marker_id and re.fullmatch(r"ref-\d+-\d+", marker_id), f"{file.name}: marker id {marker_id!r}"
            note = note_for(doc, marker)
            assert f"#{marker_id}" in note.hrefs(), f"{file.name}: {note.attrs['id']} has no back-link to {marker_id}"
        for note_id, note in notes.items():
            back = [h for h in note.hrefs() if h.startswith("#ref-")]
            assert back, f"{file.name}: {note_id} has no back-link"
            for href in back:
                assert href[1:] in page_markers, f"{file.name}: {note_id} back-link {href} has no marker"
                assert page_markers[href[1:]].attrs["href"] == f"#{note_id}", f"{file.name}: {href} cites another note"
    cited_on = {
        "index.html",
        "actors/min-aung-hlaing.html",
        "actors/tatmadaw.html",
        "actors/russia.html",
        "deals/pantsir-contract.html",
        "events/naval-visit.html",
    }
    assert cited_on <= pages_with_notes, f"no footnotes on {sorted(cited_on - pages_with_notes)}"


def test_footnotes_carry_the_original_url(out: Path) -> None:
    seen = {"moscow-times-2021": 0, "sipri-arms-data": 0, "myanmar-now-2021": 0}
    for file in html_files(out):
        for note in footnotes(load_html(file)).values():
            source = note_source(note)
            originals = [a.attrs.get("href") for a in note.find_all("a", class_="original")]
            where = f"{file.relative_to(out)} {note.attrs['id']}"
            if source == "moscow-times-2021":
                assert originals == [MT_URL], where
            elif source == "sipri-arms-data":
                assert originals == [SIPRI_URL], where
            elif source == "myanmar-now-2021":
                assert originals == [], where
                assert "No URL on record." in note.text, where
            seen[source] += 1
    assert all(seen.values()), seen


def test_source_without_url_says_so_on_its_page(out: Path) -> None:
    assert "No URL on record." in body(page(out, "sources/myanmar-now-2021.html")).text
    mt = body(page(out, "sources/moscow-times-2021.html"))
    assert MT_URL in mt.hrefs()
    assert "No URL on record." not in mt.text


def test_citation_locator_is_shown_in_its_footnote(out: Path) -> None:
    doc = page(out, "actors/min-aung-hlaing.html")
    [paragraph] = [p for p in doc.find_all("p") if "received a Russian delegation" in p.text]
    [marker] = markers(paragraph)
    note = note_for(doc, marker)
    assert note_source(note) == "myanmar-now-2021"
    assert "p. 3" in note.text
    # The role cites the same source without a locator: its note must not claim page 3.
    [role] = items_linking_to(body(doc), "tatmadaw.html")
    [role_marker] = markers(role)
    role_note = note_for(doc, role_marker)
    assert note_source(role_note) == "myanmar-now-2021"
    assert "p. 3" not in role_note.text


def test_several_citations_in_one_bracket_get_one_marker_each(out: Path) -> None:
    doc = page(out, "actors/min-aung-hlaing.html")
    [paragraph] = [p for p in doc.find_all("p") if "reported on both sides" in p.text]
    cited = [note_source(note_for(doc, m)) for m in markers(paragraph)]
    assert cited == ["moscow-times-2021", "sipri-arms-data"]


def test_citing_names_the_report_the_source_relied_on(out: Path) -> None:
    doc = page(out, "deals/pantsir-contract.html")
    [value] = [li for li in doc.find_all("li") if "$1.5 billion" in li.text and "value" in li.classes]
    [marker] = markers(value)
    note = note_for(doc, marker)
    assert note_source(note) == "myanmar-now-2021"
    assert re.search(r"Citing SIPRI\b", note.text), note.text
    assert "../sources/sipri-arms-data.html" in note.hrefs()


# ---------------------------------------------------------------------------- the deal


def test_conflicting_values_side_by_side_each_with_its_own_source(out: Path) -> None:
    doc = page(out, "deals/pantsir-contract.html")
    values = [li for li in body(doc).find_all("li") if "value" in li.classes]
    assert [v.find("strong").text if v.find("strong") else v.text for v in values] == ["$1.5 billion", "$807 million"]
    notes = []
    for value in values:
        [marker] = markers(value)
        notes.append(note_for(doc, marker))
    assert notes[0].attrs["id"] != notes[1].attrs["id"]
    assert [note_source(n) for n in notes] == ["myanmar-now-2021", "moscow-times-2021"]
    assert "Citing" not in notes[1].text


def test_deal_page_shows_parties_and_items(out: Path) -> None:
    doc = body(page(out, "deals/pantsir-contract.html"))
    [seller] = items_linking_to(doc, "../actors/russia.html")
    [buyer] = items_linking_to(doc, "../actors/tatmadaw.html")
    assert "seller" in seller.text and "buyer" in buyer.text
    assert "Pantsir-S1 air-defence systems" in doc.text
    assert "reported signed" in doc.text


# ---------------------------------------------------------------------------- relations both ways


def test_role_appears_on_the_holder_and_on_the_body(out: Path) -> None:
    holder = body(page(out, "actors/min-aung-hlaing.html"))
    [role] = items_linking_to(holder, "tatmadaw.html")
    assert "Commander-in-chief" in role.text
    assert "March 2011" in role.text
    body_page = body(page(out, "actors/tatmadaw.html"))
    listed = [li for li in items_linking_to(body_page, "min-aung-hlaing.html") if "Commander-in-chief" in li.text]
    assert listed, "the Tatmadaw's page does not list Min Aung Hlaing's role"
    # And one level up: the Tatmadaw's own role "of: russia" shows on Russia's page.
    [customer] = items_linking_to(body(page(out, "actors/russia.html")), "tatmadaw.html")
    assert "Arms customer" in customer.text


def test_deal_parties_list_the_deal(out: Path) -> None:
    for actor, role in (("russia", "seller"), ("tatmadaw", "buyer")):
        doc = body(page(out, f"actors/{actor}.html"))
        listed = items_linking_to(doc, "../deals/pantsir-contract.html")
        assert listed, f"{actor} page does not list the deal"
        assert role in listed[0].text


def test_event_participants_list_the_event(out: Path) -> None:
    for actor in ("min-aung-hlaing", "russia"):
        doc = body(page(out, f"actors/{actor}.html"))
        listed = items_linking_to(doc, "../events/naval-visit.html")
        assert listed, f"{actor} page does not list the event"
        assert "13–19 June 2021" in listed[0].text
    [mah] = items_linking_to(body(page(out, "events/naval-visit.html")), "../actors/min-aung-hlaing.html")
    assert "received the delegation" in mah.text


def test_source_page_lists_what_cites_it(out: Path) -> None:
    cited_by = {
        "moscow-times-2021": [
            "../actors/russia.html",
            "../actors/tatmadaw.html",
            "../actors/min-aung-hlaing.html",
            "../deals/pantsir-contract.html",
            "../events/naval-visit.html",
            "../index.html",
        ],
        "myanmar-now-2021": [
            "../actors/tatmadaw.html",
            "../actors/min-aung-hlaing.html",
            "../deals/pantsir-contract.html",
            "../events/naval-visit.html",
        ],
        # Cited directly by the narrative, and through `citing:` by the deal.
        "sipri-arms-data": ["../actors/min-aung-hlaing.html", "../deals/pantsir-contract.html"],
    }
    for source, expected in cited_by.items():
        doc = body(page(out, f"sources/{source}.html"))
        listed = [h for li in doc.find_all("li") for h in li.hrefs()]
        missing = [h for h in expected if h not in listed]
        assert not missing, f"sources/{source}.html does not list {missing}"
    assert "../actors/russia.html" not in body(page(out, "sources/sipri-arms-data.html")).hrefs()


def test_source_relations_show_both_ways(out: Path) -> None:
    relies = body(page(out, "sources/myanmar-now-2021.html"))
    assert "sipri-arms-data.html" in relies.hrefs()
    reported = body(page(out, "sources/sipri-arms-data.html"))
    assert "myanmar-now-2021.html" in reported.hrefs()


def test_mention_shows_under_mentioned_in(out: Path) -> None:
    mentions = page(out, "actors/tatmadaw.html").section("Mentioned in")
    assert "min-aung-hlaing.html" in mentions.hrefs()
    assert "../pages/method.html" in mentions.hrefs()
    deal_mentions = page(out, "deals/pantsir-contract.html").section("Mentioned in")
    assert "../index.html" in deal_mentions.hrefs()


def test_wikilinks_render_as_links_with_the_dossier_name_or_own_text(out: Path) -> None:
    narrative = body(page(out, "actors/min-aung-hlaing.html"))
    [link] = [
        a
        for a in narrative.find_all("a")
        if a.attrs.get("href") == "tatmadaw.html" and a.parent is not None and a.parent.tag == "p"
    ]
    assert link.text == "Tatmadaw"
    method = body(page(out, "pages/method.html"))
    assert [a.text for a in method.find_all("a") if a.attrs.get("href") == "../actors/tatmadaw.html"] == [
        "the armed forces"
    ]
    assert "[[" not in method.text and "[@" not in body(page(out, "index.html")).text


# ---------------------------------------------------------------------------- dates and indexes


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("events/naval-visit.html", "13–19 June 2021"),
        ("events/index.html", "13–19 June 2021"),
        ("deals/pantsir-contract.html", "January 2018"),
        ("sources/moscow-times-2021.html", "26 March 2021"),
        ("sources/myanmar-now-2021.html", "July 2021"),
    ],
)
def test_dates_display_as_people_write_them(out: Path, path: str, shown: str) -> None:
    text = body(page(out, path)).text
    assert shown in text
    assert not re.search(r"\b\d{4}-\d{2}\b", text), f"an ISO date is shown on {path}: {text}"


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        ("actors/index.html", ["russia.html", "tatmadaw.html", "min-aung-hlaing.html"]),
        ("deals/index.html", ["pantsir-contract.html"]),
        ("events/index.html", ["naval-visit.html"]),
        ("sources/index.html", ["moscow-times-2021.html", "myanmar-now-2021.html", "sipri-arms-data.html"]),
    ],
)
def test_index_pages_list_the_dossiers(out: Path, index: str, expected: list[str]) -> None:
    hrefs = body(page(out, index)).hrefs()
    missing = [h for h in expected if h not in hrefs]
    assert not missing, f"{index} does not list {missing}"


def test_home_page_is_pages_index_md(out: Path) -> None:
    doc = page(out, "index.html")
    assert "This site follows the" in body(doc).text
    assert "deals/pantsir-contract.html" in body(doc).hrefs()
    assert not (out / "pages" / "index.html").exists()
    nav = doc.find("nav")
    assert nav is not None
    for section in ("actors", "deals", "events", "sources"):
        assert f"{section}/index.html" in nav.hrefs()
    assert "pages/method.html" in nav.hrefs()


def test_titles_and_escaping(out: Path) -> None:
    doc = page(out, "actors/min-aung-hlaing.html")
    title = doc.find("title")
    assert title is not None and "Min Aung Hlaing" in title.text and "Test investigation" in title.text
    assert doc.find("h1") is not None and doc.find("h1").text == "Min Aung Hlaing"
    # The apostrophe in "Myanmar's" is text, not markup that broke the page.
    assert "Myanmar's armed forces" in body(doc).text


# ---------------------------------------------------------------------------- check and reproducibility


def test_check_writes_nothing(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", BASE)
    before = snapshot(tmp_path)
    result = run_build(site, "check")
    assert result.returncode == 0, result.stderr
    assert "error:" not in result.stderr
    result = run_build(site, "check", out=tmp_path / "elsewhere")
    assert result.returncode == 0, result.stderr
    assert not (site / "output").exists()
    assert not (tmp_path / "elsewhere").exists()
    assert snapshot(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert sorted(p.name for p in site.iterdir()) == ["content", "site.yaml"]


def test_two_builds_are_byte_identical(built_base: Path, tmp_path: Path) -> None:
    """The same content built again, elsewhere, gives the same bytes (all files, static/ too)."""
    again = tmp_path / "deeper" / "again"
    result = run_build(built_base, out=again)
    assert result.returncode == 0, result.stderr
    first, second = snapshot(built_base / "output"), snapshot(again)
    assert "static/casefile.css" in first
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert not different, f"differ between builds: {different}"
    # No staging folders are left beside either output.
    assert sorted(p.name for p in (tmp_path / "deeper").iterdir()) == ["again"]
    assert sorted(p.name for p in built_base.iterdir()) == ["content", "output", "site.yaml"]
