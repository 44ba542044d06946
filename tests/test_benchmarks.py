"""The benchmark code keeps working: the generator's investigations build, the plain corpus gives Casefile and
each peer the same pages, links and footnotes, and run.py prints its tables and issue 28's targets (issues 12
and 28)."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from conftest import ROOT, parse_html, run_build, snapshot

from benchmarks import search_records
from benchmarks.generate import Counts, generate
from benchmarks.peers import HUGO, MKDOCS, PELICAN, corpus, eleventy, write
from benchmarks.run import CASEFILE, HUGO_ALONE, HUGO_PAGEFIND, UNSEARCHED, Row, edits, targets

N = 200


def test_a_generated_investigation_builds_cleanly_with_its_links_and_citations(tmp_path: Path) -> None:
    counts = generate(tmp_path / "site", N)
    result = run_build(tmp_path / "site", out=tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    assert counts == Counts(sources=20, actors=100, deals=40, events=40)
    page = parse_html((tmp_path / "out" / "actors" / "actor-0.html").read_text())
    hrefs = page.hrefs()
    assert sum(1 for href in hrefs if re.fullmatch(r"(\.\./)?(actors|deals|events)/\w+-\d+\.html", href)) >= 3
    assert any(href.startswith("https://example.org/report/") for href in hrefs)


def test_the_same_size_seed_and_shape_give_the_same_investigation(tmp_path: Path) -> None:
    for name, seed, shape in (("a", 7, "rich"), ("b", 7, "rich"), ("c", 8, "rich"), ("d", 7, "plain")):
        generate(tmp_path / name, 50, seed=seed, shape=shape)
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
    assert snapshot(tmp_path / "a") != snapshot(tmp_path / "c")
    assert snapshot(tmp_path / "a") != snapshot(tmp_path / "d")


def test_the_plain_corpus_gives_casefile_and_every_peer_the_same_pages_links_and_footnotes(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert generate(site, N, shape="plain") == Counts(sources=20, actors=N, deals=0, events=0)
    result = run_build(site, out=tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    dossiers = sorted((path.parent.name, path.stem) for path in (site / "content").glob("*/*.yaml"))
    narratives = sorted((site / "content" / "actors").glob("*.md"))
    assert len(narratives) == N
    for narrative in narratives:
        text = narrative.read_text()
        assert len(text.split()) >= 400
        assert len(re.findall(r"\[\[actor-\d+\]\]", text)) == 3 and len(re.findall(r"\[@source-\d+\]", text)) == 2
    # what Casefile's page of actor-0 links to and cites
    page = parse_html((tmp_path / "out" / "actors" / "actor-0.html").read_text())
    actors = {href.removesuffix(".html") for href in page.hrefs() if re.fullmatch(r"actor-\d+\.html", href)}
    reports = sorted(href for href in page.hrefs() if href.startswith("https://example.org/report/"))
    assert len(reports) == 2 and len(page.find("section", class_="footnotes").find_all("li")) == 2

    pages = corpus(site)
    assert sorted((page.folder, page.slug) for page in pages) == dossiers
    for layout in (HUGO, MKDOCS, PELICAN, eleventy(Path("/node_modules"))):
        write(layout, pages, tmp_path / "peer")
        for folder, slug in dossiers:
            assert (tmp_path / "peer" / layout.page.format(folder=folder, slug=slug)).is_file()
        for slug in ("actor-0", f"actor-{N - 1}"):
            text = (tmp_path / "peer" / layout.page.format(folder="actors", slug=slug)).read_text()
            assert len(text.split()) > 400
            assert len(re.findall(r"\]\([^)]*\bactors/actor-\d+\b[^)]*\)", text)) == 3
            assert len(re.findall(r"^\[\^\d\]: Report \d+, <https://example\.org/report/\d+>$", text, re.M)) == 2
        actor_0 = (tmp_path / "peer" / layout.page.format(folder="actors", slug="actor-0")).read_text()
        assert set(re.findall(r"\]\([^)]*\b(actor-\d+)\b", actor_0)) <= actors
        assert sorted(re.findall(r"<(https://example\.org/report/\d+)>", actor_0)) == reports


def test_run_py_with_peers_prints_both_tables_and_the_targets() -> None:
    """Without the peers (absent in CI): Casefile's part runs, and the targets against the peers say so."""
    command = [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", str(N), "--runs", "1", "--peers"]
    command += ["--hugo=", "--mkdocs=", "--pelican=", "--eleventy="]
    before = set(Path(tempfile.gettempdir()).glob("casefile-bench-*"))
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    assert set(Path(tempfile.gettempdir()).glob("casefile-bench-*")) <= before  # the outputs moved aside went too
    plain, rich = result.stdout.split("\n## ")
    assert plain.startswith("## The peers' corpus") and rich.startswith("Casefile's own corpus")
    for report in (plain, rich):
        lines = report.splitlines()
        head = [cell.strip() for cell in next(line for line in lines if line.startswith("| N |")).strip("|").split("|")]
        row = next(line for line in lines if line.startswith(f"| {N} | Casefile |"))
        cells = dict(zip(head, (cell.strip() for cell in row.strip("|").split("|")), strict=True))
        for name in ("from clean", "nothing changed", "one summary changed", "one narrative changed"):
            assert re.fullmatch(r"\d+\.\d\d s", cells[name]), name
        assert re.fullmatch(r"\d+ MiB", cells["peak memory"]) and int(cells["peak memory"].split()[0]) > 20
        assert int(cells["pages"]) > N  # every dossier's page, and the indexes, timeline and graph
        assert any(line.startswith(f"| {N} | Casefile --no-search |") for line in lines)
        assert re.search(rf"Search index at {N}: adds -?\d+\.\d\d s to the build from clean, -?\d+ % of", report)
        for what, limit in (("nothing changed", "0.5 s"), ("one summary changed", "2 s")):
            assert re.search(rf"^rebuild, {what} at {N}: \d+\.\d\d s \(target ≤ {limit}\): (not )?met$", report, re.M)
        assert re.search(rf"^peak memory at {N}: \d+ MiB \(target ≤ 1024 MiB\): met$", report, re.M)
    assert f"full build ÷ Hugo + Pagefind at {N}: not measured (target ≤ 1×)" in plain
    assert f"full build ÷ MkDocs at {N} (twice as fast): not measured (target ≤ 0.5×)" in plain
    assert "÷ Hugo" not in rich


def test_each_target_says_the_figure_measured_and_whether_it_is_met() -> None:
    def row(tool: str, size: int, cold: float, rebuilds: tuple[float, ...] = ()) -> Row:
        return Row(tool, size, cold, 900.0, size, edits(Path("site")) if rebuilds else (), rebuilds)

    rows = [
        row(CASEFILE, 1_000, 8.0, (0.2, 1.5, 3.0)),
        row(UNSEARCHED, 1_000, 6.0),
        row(HUGO_ALONE, 1_000, 2.0),
        row(HUGO_PAGEFIND, 1_000, 5.0),
        row(CASEFILE, 10_000, 100.0, (0.6, 1.9, 1.9)),
        row(UNSEARCHED, 10_000, 90.0),
    ]
    lines = [target.line() for target in targets(rows, against_peers=True)]
    assert lines[:8] == [
        "full build ÷ Hugo + Pagefind at 1,000: 1.60× (target ≤ 1×): not met",
        "--no-search build ÷ Hugo at 1,000: 3.00× (target ≤ 2×): not met",
        "full build ÷ MkDocs at 1,000 (twice as fast): not measured (target ≤ 0.5×)",
        "rebuild, nothing changed at 1,000: 0.20 s (target ≤ 0.5 s): met",
        "rebuild, one summary changed at 1,000: 1.50 s (target ≤ 2 s): met",
        "rebuild, one narrative changed at 1,000: 3.00 s (target ≤ 2 s): not met",
        "peak memory at 1,000: 900 MiB (target ≤ 1024 MiB): met",
        "full build ÷ Hugo + Pagefind at 10,000: not measured (target ≤ 1×)",
    ]
    assert "rebuild, nothing changed at 10,000: 0.60 s (target ≤ 0.5 s): not met" in lines
    assert lines[-1] == "full build at 10,000 ÷ at 1,000 (linear at most): 12.50× (target ≤ 10×): not met"


def test_profile_py_prints_where_a_cold_and_a_partial_build_spend_their_time() -> None:
    """The partial build after one edit renders fewer pages than the cold build: the profile shows it (by count:
    its times swing with whatever else the machine is doing)."""
    command = [sys.executable, str(ROOT / "benchmarks" / "profile.py"), "--dossiers", str(N)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    rows = {
        cells[0]: cells[1:]
        for line in result.stdout.splitlines()
        if line.startswith("| ") and (cells := [cell.strip() for cell in line.strip("|").split("|")])
    }
    assert rows["stage"] == ["from clean", "one summary changed"]
    cold, partial = (int(value.replace(",", "")) for value in rows["pages rendered"])
    assert 0 < partial < cold / 2 and cold > N
    assert all(value.endswith(" s") for value in rows["render_pages"])
    assert rows["link_files"][0] == "—" and rows["link_files"][1].endswith(" s")


def test_search_records_py_indexes_the_same_pages_read_sent_as_pages_and_sent_as_records(built_base: Path) -> None:
    """Issue 28's second way: the table times Pagefind fed the pages' text through its service, and the three
    indexes hold every page with a body (the script fails otherwise)."""
    output = built_base / "output"
    bodies = sum(1 for page in output.rglob("*.html") if "data-pagefind-body" in page.read_text())
    command = [sys.executable, str(ROOT / "benchmarks" / "search_records.py"), str(output), "--runs", "1"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    rows = [line.strip("|").split("|") for line in result.stdout.splitlines()[2:]]
    assert [row[0].strip() for row in rows] == ["pages read", "pages sent", "records sent"]
    assert {int(row[1].replace(",", "")) for row in rows} == {bodies} and bodies >= 5
    assert all(re.fullmatch(r" \d+\.\d\d s ", row[4]) for row in rows)


def test_a_record_is_the_text_pagefind_indexes_with_the_pages_own_title(tmp_path: Path) -> None:
    """What is sent as a record leaves out the parts search ignores (footnotes, the map) and the map's SVG titles."""
    page = tmp_path / "actors" / "x.html"
    page.parent.mkdir()
    page.write_text(
        '<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>X · Site</title></head><body>'
        "<nav>Menu</nav><article data-pagefind-body><h1>X</h1><p>Said <em>this</em>.<br>Then</p>"
        "<section data-pagefind-ignore><svg><title>Map</title></svg><p>Cited by</p></section><p>that.</p>"
        "</article><footer>Footer</footer></body></html>"
    )
    (tmp_path / "index.html").write_text(
        "<!DOCTYPE html><html><head><title>Home</title></head><body>no body</body></html>"
    )
    assert search_records.pages(tmp_path) == [
        search_records.Page("/actors/x.html", page.read_text(), "ru", "X · Site", "X Said this . Then that.")
    ]
