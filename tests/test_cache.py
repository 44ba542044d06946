"""The build cache: a rebuild gives exactly what a build from scratch gives, whatever changed, broke
or crashed in between, and a rebuild with nothing changed writes nothing and says the same."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import BASE, BUILD, ROOT, cache_of, cached_and_cold, make_site, run_build, snapshot

from casefile.output.cache import BuildCache
from casefile.settings import Options, SitePaths

WARNED = BASE | {
    "content/sources/unused-report.yaml": "title: Unused\npublisher: P\nurl: https://example.org/u\nkind: article\n"
}


def state(site: Path) -> Path:
    return cache_of(site) / "state.json"


def journal(site: Path) -> Path:
    return cache_of(site) / "dirty"


def built(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = run_build(site, *args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def identity(site: Path) -> int:
    """The output folder's inode: a build swaps in a new folder, a replay leaves it."""
    return (site / "output").stat().st_ino


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    site = make_site(tmp_path / "site", WARNED)
    built(site)
    return site


def test_rebuild_after_edits_adds_and_deletes_equals_a_cold_build(site: Path, tmp_path: Path) -> None:
    """THE acceptance test: after each round of changes the output is byte for byte a cold build's."""
    footer = '<footer class="site-footer">'
    changed_footer = (ROOT / "templates/base.html").read_text(encoding="utf-8").replace(footer, footer + "Our own")
    rounds: list[dict[str, str | None]] = [
        {
            "content/actors/russia.yaml": BASE["content/actors/russia.yaml"].replace(
                "Russia\n", "Russian Federation\n"
            ),
            "content/actors/new-actor.yaml": "name: New actor\nkind: person\nsources: [unused-report]\n",
            "content/actors/new-actor.md": "Works with [[russia]] [@moscow-times-2021].\n",
            "content/sources/another.yaml": "title: Another\npublisher: Q\nurl: https://example.org/a\nkind: article\n",
        },
        {
            "content/actors/min-aung-hlaing.md": None,
            "templates/base.html": changed_footer,
            "site.yaml": "title: Renamed investigation\n",
        },
        {"content/actors/new-actor.yaml": None, "content/actors/new-actor.md": None, "templates/base.html": None},
    ]
    for change in rounds:
        before = identity(site)
        make_site(site, change)
        _, cold = cached_and_cold(site, tmp_path)
        assert identity(site) != before, f"not rebuilt after {change}"
        assert snapshot(site / "output") == cold, f"differs from a cold build after {change}"


CHANGES = {  # one change of each kind a build reads, and what undoes it
    "a dossier edited": ("content/actors/russia.yaml", "name: Rossiya\nkind: state\n"),
    "a dossier added": ("content/actors/new.yaml", "name: New\nkind: person\n"),
    "a narrative added": ("content/actors/russia.md", "About [[tatmadaw]].\n"),
    "a narrative deleted": ("content/actors/min-aung-hlaing.md", None),
    "a source deleted": ("content/sources/unused-report.yaml", None),
    "a page edited": ("content/pages/method.md", "---\ntitle: Method\n---\nNew text.\n"),
    "a folder added to content": ("content/notes/draft.txt", "notes\n"),
    "a template added": ("templates/base.html", "{{ 1 }}\n"),
    "a static file added": ("static/extra.css", "body {}\n"),
    "site.yaml edited": ("site.yaml", "title: Renamed\n"),
}


def test_every_kind_of_change_is_noticed_and_undoing_it_too(site: Path) -> None:
    """Each change makes the remembered build unusable; put back as it was, the remembered build counts again."""
    cache = BuildCache(SitePaths(site, site / "output"), Options())
    assert cache.replay() is not None
    for what, (name, text) in CHANGES.items():
        path = site / name
        original, new_folder = path.read_bytes() if path.exists() else None, not path.parent.exists()
        make_site(site, {name: text})
        assert BuildCache(SitePaths(site, site / "output"), Options()).replay() is None, what
        make_site(site, {name: original})
        if new_folder:
            path.parent.rmdir()
        assert BuildCache(SitePaths(site, site / "output"), Options()).replay() is not None, what
    assert BuildCache(SitePaths(site, site / "output"), Options(base_url="https://example.org/")).replay() is None


def test_nothing_changed_writes_nothing_and_repeats_the_warnings(site: Path) -> None:
    before = identity(site)
    first = built(site, "--no-cache")
    assert identity(site) != before  # --no-cache builds anyway
    built(site)  # the output is not the one the cache remembers: built again, remembered
    before, pages = identity(site), snapshot(site / "output")
    (site / "content/actors/russia.yaml").touch()  # touched, not changed: the hash says so
    again = built(site)
    assert identity(site) == before and snapshot(site / "output") == pages
    assert "[uncited-source]" in again.stderr
    assert again.stderr == first.stderr
    checked = built(site, "check").stderr.splitlines()
    assert checked[:-1] == first.stderr.splitlines()[:-1] and checked[-1] == "checked: no errors"
    # --strict fails on the remembered warnings exactly as a build from scratch does
    cold, cached = run_build(site, "--strict", "--no-cache"), run_build(site, "--strict")
    assert cold.returncode == cached.returncode == 1
    assert "error: nothing cites the source 'unused-report'" in cached.stderr
    assert cached.stderr == cold.stderr
    assert run_build(site, "check", "--strict").stderr == cold.stderr
    assert identity(site) == before and snapshot(site / "output") == pages


def test_a_build_without_search_is_not_taken_for_one_with_it(site: Path) -> None:
    """--no-search is a quicker look at the pages; the next plain build must not replay it without an index."""
    built(site, "--no-search")
    assert not (site / "output/pagefind").exists()
    assert (site / "output/search.html").is_file()
    built(site)
    assert (site / "output/pagefind/pagefind.js").is_file()


def test_no_change_loads_none_of_the_heavy_libraries(site: Path) -> None:
    """The quick path must start quickly: no Jinja, pydantic, networkx, markdown-it or YAML."""
    command = [sys.executable, "-X", "importtime", str(BUILD), "--site", "."]
    result = subprocess.run(command, cwd=site, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert "casefile.output.cache" in imported
    assert not imported & {"jinja2", "pydantic", "networkx", "markdown_it", "yaml"}


def _journal(site: Path) -> None:
    journal(site).touch()


def _page_edited(site: Path) -> None:
    page = site / "output/actors/russia.html"
    page.write_text(page.read_text(encoding="utf-8").replace("Russia", "Prussia"), encoding="utf-8")


def _other_version(site: Path) -> None:
    """A sound cache file, but written by another version of Casefile."""
    payload = json.loads(state(site).read_text(encoding="utf-8"))
    payload["key"] = ["another version"]
    state(site).write_text(json.dumps(payload), encoding="utf-8")


FAULTS = {
    "journal left by a killed build": _journal,
    "corrupt cache": lambda site: state(site).write_bytes(b"not a cache" * 50),
    "cache of another Casefile version": _other_version,
    "output deleted": lambda site: shutil.rmtree(site / "output"),
    "page edited": _page_edited,
    "file added to output": lambda site: (site / "output/extra.html").write_text("stale\n", encoding="utf-8"),
}


def test_a_fault_means_a_full_build(site: Path) -> None:
    """Whatever a crash or a person did to the cache or the output, the next build is a correct full one,
    and the cache is written anew: the build after it has nothing to do."""
    expected = snapshot(site / "output")
    for fault, make_fault in FAULTS.items():
        before = identity(site) if (site / "output").exists() else None
        make_fault(site)
        built(site)
        assert identity(site) != before, fault
        assert snapshot(site / "output") == expected, fault
        assert not journal(site).exists(), fault
        rebuilt = identity(site)
        built(site)
        assert identity(site) == rebuilt, fault


def test_a_content_error_leaves_output_and_cache_untouched(site: Path) -> None:
    pages, remembered, before = snapshot(site / "output"), state(site).read_bytes(), identity(site)
    russia = site / "content/actors/russia.yaml"
    russia.write_text("name: [unclosed\n", encoding="utf-8")
    failed = run_build(site)
    assert failed.returncode == 1 and "content/actors/russia.yaml:2:1: error: YAML syntax error" in failed.stderr
    assert snapshot(site / "output") == pages and state(site).read_bytes() == remembered
    assert not journal(site).exists()
    russia.write_text(BASE["content/actors/russia.yaml"], encoding="utf-8")  # put back as it was
    built(site)
    assert identity(site) == before  # the same content again: nothing to build


def test_a_failed_first_build_leaves_nothing_in_the_investigation(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", BASE | {"content/actors/russia.yaml": "name: [unclosed\n"})
    assert run_build(site).returncode == 1
    assert sorted(p.name for p in site.iterdir()) == ["content", "site.yaml"]


def test_a_build_killed_midway_leaves_no_stale_site(site: Path) -> None:
    """SIGKILL once the build has started on an edit: the next build still shows the edit."""
    russia = BASE["content/actors/russia.yaml"].replace("name: Russia\n", "name: Rossiya\n")
    make_site(site, {"content/actors/russia.yaml": russia})
    process = subprocess.Popen([sys.executable, str(BUILD), "--site", "."], cwd=site, stderr=subprocess.DEVNULL)
    while process.poll() is None and not journal(site).exists():
        time.sleep(0.01)
    process.kill()
    process.wait()
    built(site)
    assert "Rossiya" in (site / "output/actors/russia.html").read_text(encoding="utf-8")
