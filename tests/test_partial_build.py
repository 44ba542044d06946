"""A build after a small change keeps the pages the change cannot affect (issue 28), and its output is still
byte for byte what a build from scratch gives, search index included, after every kind of edit."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, cached_and_cold, make_site, require_example, run_build

EDITS: dict[str, dict[str, str | None]] = {  # each applied on top of the ones before it, in this order
    "a narrative": {
        "content/actors/min-aung-hlaing.md": (ROOT / "content/actors/min-aung-hlaing.md")
        .read_text(encoding="utf-8")
        .replace("the head of the junta", "the head of the military junta")
    },
    "a dossier field": {
        "content/actors/asean.yaml": (ROOT / "content/actors/asean.yaml")
        .read_text(encoding="utf-8")
        .replace("summary: Regional bloc,", "summary: The regional bloc,")
    },
    "a new dossier": {
        "content/actors/new-analyst.yaml": "name: New Analyst\nkind: person\nsources: [efe-2021-07-07]\n",
        "content/actors/new-analyst.md": "Writes about [[russia]] and [[asean]] [@efe-2021-07-07].\n",
    },
    "a deleted dossier": {"content/actors/new-analyst.yaml": None, "content/actors/new-analyst.md": None},
    "a template": {
        "templates/base.html": (ROOT / "templates/base.html")
        .read_text(encoding="utf-8")
        .replace('<footer class="site-footer">', '<footer class="site-footer"><p>A footer of our own</p>')
    },
}
UNRELATED = "events/perekop-thilawa-2019-11.html"  # a page none of the content edits above touches


def inodes(output: Path) -> dict[str, int]:
    return {p.relative_to(output).as_posix(): p.stat().st_ino for p in output.rglob("*.html")}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_example()
    site = tmp_path_factory.mktemp("partial") / "site"
    site.mkdir()
    shutil.copy(ROOT / "site.yaml", site / "site.yaml")
    shutil.copytree(ROOT / "content", site / "content")
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    return site


def test_every_kind_of_edit_gives_a_cold_builds_output(site: Path, tmp_path: Path) -> None:
    """After each edit: the same bytes as a build from scratch in every file, the pages and the search index
    alike (so a search finds what it finds after a full build), and only the pages the edit affects written."""
    for what, files in EDITS.items():
        before = inodes(site / "output")
        make_site(site, files)
        _, cold = cached_and_cold(site, tmp_path)
        after = inodes(site / "output")
        built = {path: (site / "output" / path).read_bytes() for path in cold}
        assert set(built) == set(cold) and built == cold, f"after {what}: differs from a build from scratch"
        kept = {path for path in after if before.get(path) == after[path]}
        if what == "a template":
            assert kept == set(), "a template changes every page: none may be kept"
            continue
        assert UNRELATED in kept, f"after {what}: a page the edit does not touch was written again"
        assert len(kept) > len(after) // 2, f"after {what}: only {len(kept)} of {len(after)} pages kept"
    assert "new-analyst" not in " ".join(inodes(site / "output"))


def test_the_edited_dossiers_pages_are_written_again(site: Path, tmp_path: Path) -> None:
    """The edited dossier's page, and the pages listing it, are new; its neighbour's map names it again."""
    before = inodes(site / "output")
    text = (site / "content/actors/asean.yaml").read_text(encoding="utf-8")
    make_site(site, {"content/actors/asean.yaml": text.replace("name: Association", "name: The Association")})
    _, cold = cached_and_cold(site, tmp_path)
    after = inodes(site / "output")
    assert {path for path in after if before.get(path) != after[path]} >= {
        "actors/asean.html",
        "actors/index.html",
        "events/asean-five-point-consensus-2021-04.html",
    }
    assert (site / "output/events/asean-five-point-consensus-2021-04.html").read_bytes() == cold[
        "events/asean-five-point-consensus-2021-04.html"
    ]


def test_a_touched_output_folder_means_a_full_build(site: Path, tmp_path: Path) -> None:
    """A page someone changed in output/ is never kept: the stamp of every output file is checked first."""
    planted = site / "output" / UNRELATED
    planted.write_text("<p>planted</p>", encoding="utf-8")
    text = (site / "content/actors/asean.yaml").read_text(encoding="utf-8")
    make_site(site, {"content/actors/asean.yaml": text.replace("Regional", "Southeast Asian regional")})
    _, cold = cached_and_cold(site, tmp_path)
    assert (site / "output" / UNRELATED).read_bytes() == cold[UNRELATED]


def test_a_broken_edit_keeps_the_last_site_and_the_next_edit_builds_right(site: Path, tmp_path: Path) -> None:
    """An edit with an error builds nothing; fixed, the build after it is right all the same."""
    good = (site / "content/actors/asean.yaml").read_text(encoding="utf-8")
    last = (site / "output/actors/asean.html").read_bytes()
    make_site(site, {"content/actors/asean.yaml": good.replace("kind: organization", "kind: organisation")})
    broken = run_build(site)
    assert broken.returncode == 1 and "asean.yaml" in broken.stderr
    assert (site / "output/actors/asean.html").read_bytes() == last
    make_site(site, {"content/actors/asean.yaml": good.replace("Regional bloc", "Regional group")})
    _, cold = cached_and_cold(site, tmp_path)
    assert {
        p.relative_to(site / "output").as_posix(): p.read_bytes() for p in (site / "output").rglob("*") if p.is_file()
    } == cold


def _as_a_ci_cache_restores_it(output: Path, archive: Path) -> None:
    """``output`` replaced by a copy from a tar archive, as actions/cache gives it back: the same bytes and mtimes,
    every file new to the file system (another inode, another ctime)."""
    shutil.make_archive(str(archive), "tar", output)
    shutil.rmtree(output)
    shutil.unpack_archive(f"{archive}.tar", output)


def test_an_output_folder_restored_from_a_ci_cache_is_checked_by_content_and_kept(site: Path, tmp_path: Path) -> None:
    """The Pages workflow init writes restores output/ from GitHub's cache: every file's stamp is new, so the build
    compares each by content with what the last build wrote, and then keeps what an edit cannot affect."""
    _as_a_ci_cache_restores_it(site / "output", tmp_path / "restored")
    restored = inodes(site / "output")
    text = (site / "content/actors/asean.yaml").read_text(encoding="utf-8")
    make_site(site, {"content/actors/asean.yaml": text.replace("summary: ", "summary: Restored. ", 1)})
    _, cold = cached_and_cold(site, tmp_path)
    after = inodes(site / "output")
    kept = {path for path in after if restored.get(path) == after[path]}
    assert UNRELATED in kept and len(kept) > len(after) // 2
    assert "actors/asean.html" not in kept
    built = {
        p.relative_to(site / "output").as_posix(): p.read_bytes() for p in (site / "output").rglob("*") if p.is_file()
    }
    assert built == cold


def test_a_restored_page_changed_under_its_old_mtime_and_size_is_never_kept(site: Path, tmp_path: Path) -> None:
    """A restored folder whose page was altered, its length and mtime put back: its content differs from what the
    last build wrote, so nothing is kept and the page is written again."""
    _as_a_ci_cache_restores_it(site / "output", tmp_path / "restored")
    page = site / "output" / UNRELATED
    info = page.stat()
    text = page.read_text(encoding="utf-8")
    altered = text.replace("<main", "<MAIN", 1)
    assert altered != text and len(altered) == len(text)
    page.write_text(altered, encoding="utf-8")
    os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns))
    text = (site / "content/actors/asean.yaml").read_text(encoding="utf-8")
    make_site(site, {"content/actors/asean.yaml": text.replace("summary: ", "summary: Altered. ", 1)})
    _, cold = cached_and_cold(site, tmp_path)
    assert page.read_bytes() == cold[UNRELATED]
