"""The benchmark code keeps working: the generator's investigation builds, run.py prints its table, and the
plain-markdown twin for Hugo and MkDocs holds the same pages, links and citations (issue 12)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, parse_html, run_build, snapshot

from benchmarks.generate import Counts, generate
from benchmarks.peers import corpus, write_hugo, write_mkdocs

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


def test_the_same_size_and_seed_give_the_same_investigation(tmp_path: Path) -> None:
    generate(tmp_path / "a", 50, seed=7)
    generate(tmp_path / "b", 50, seed=7)
    generate(tmp_path / "c", 50, seed=8)
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
    assert snapshot(tmp_path / "a") != snapshot(tmp_path / "c")


def test_run_py_prints_the_table_of_cold_and_warm_builds() -> None:
    command = [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", str(N), "--runs", "1"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith(f"| {N} | Casefile |"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    cold, warm, changed, memory, pages = cells[2], cells[4], cells[5], cells[6], cells[7]
    assert all(re.fullmatch(r"\d+\.\d\d s", value) for value in (cold, warm, changed))
    assert re.fullmatch(r"\d+ MiB", memory) and int(memory.split()[0]) > 20
    assert int(pages) > N  # every dossier's page, and the indexes, timeline and graph
    assert re.search(rf"Search index at {N}: adds -?\d+\.\d\d s to the cold build, -?\d+ % of the", result.stdout)


def test_the_peers_get_every_dossier_with_its_links_and_footnotes(tmp_path: Path) -> None:
    generate(tmp_path / "site", N)
    pages = corpus(tmp_path / "site")
    assert len(pages) == N
    actor = next(page for page in pages if page.slug == "actor-0")
    write_hugo(pages, tmp_path / "hugo")
    write_mkdocs(pages, tmp_path / "mkdocs")
    for text in ((tmp_path / "hugo/content/actors/actor-0.md").read_text(), actor.body):
        assert len(text.split()) > 400
    hugo = (tmp_path / "hugo/content/actors/actor-0.md").read_text()
    mkdocs = (tmp_path / "mkdocs/docs/actors/actor-0.md").read_text()
    assert len(re.findall(r"\]\(/(actors|deals|events)/\w+-\d+/\)", hugo)) == 3
    assert len(re.findall(r"\]\(\.\./(actors|deals|events)/\w+-\d+\.md\)", mkdocs)) == 3
    for text in (hugo, mkdocs):
        assert len(re.findall(r"^\[\^\d\]: Report \d+, <https://example\.org/report/\d+>$", text, re.M)) == 2
