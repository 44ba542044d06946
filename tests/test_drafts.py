"""``draft: true``: checked like any dossier, left out of the published site unless ``--drafts``; ``serve`` shows it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import BASE, http_get, make_site, parse_html, run_build, run_builds, start_serve, stop_serve

DRAFT = """\
name: Unpublished Adviser
kind: person
draft: true
summary: Still being checked.
roles:
  - title: Adviser
    of: tatmadaw
    sources: [moscow-times-2021]
"""
SITE = {
    **BASE,
    "content/actors/unpublished-adviser.yaml": DRAFT,
    "content/pages/method.md": BASE["content/pages/method.md"] + "\nAsk [[unpublished-adviser]].\n",
}
PAGE = "actors/unpublished-adviser.html"


def _mentions(out: Path) -> list[str]:
    """Every file of the built site that names the draft, by its id or its name."""
    return sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and re.search(r"unpublished-adviser|Unpublished Adviser", p.read_text(errors="replace"))
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, subprocess.CompletedProcess[str]]]:
    """The site with a draft (and a page linking to it) built for publication and with --drafts, at once."""
    root = tmp_path_factory.mktemp("drafts")
    jobs = {
        "published": ("--base-url", "https://example.org/case/"),
        "drafts": ("--drafts",),
    }
    sites = {name: make_site(root / name, SITE) for name in jobs}
    results = run_builds([(sites[name], args) for name, args in jobs.items()])
    return {name: (sites[name], result) for name, result in zip(jobs, results, strict=True)}


def test_draft_is_left_out_of_the_published_build(runs) -> None:
    site, result = runs["published"]
    assert result.returncode == 0, result.stderr
    # no page, index entry, role-holder line, graph node, sitemap or feed entry: only the link's plain text
    assert _mentions(site / "output") == ["pages/method.html"]
    assert "Ask <bdi>Unpublished Adviser</bdi>." in (site / "output/pages/method.html").read_text(encoding="utf-8")


def test_link_to_a_draft_is_a_warning(runs) -> None:
    site, result = runs["published"]
    assert (
        "content/pages/method.md:10:5: warning: 'unpublished-adviser' is a draft: "
        "the link shows as plain text on the published site [draft-link]" in result.stderr
    ), result.stderr


def test_drafts_flag_builds_the_draft_marked_as_such(runs) -> None:
    site, result = runs["drafts"]
    assert result.returncode == 0, result.stderr
    page = parse_html((site / "output" / PAGE).read_text(encoding="utf-8"))
    assert page.find("p", class_="draft-mark").text == "Draft: left out of the published site"
    assert "Unpublished Adviser" in (site / "output/actors/tatmadaw.html").read_text(encoding="utf-8")
    assert 'href="../actors/unpublished-adviser.html"' in (site / "output/pages/method.html").read_text()


def test_draft_is_checked_like_any_other(tmp_path: Path) -> None:
    site = make_site(tmp_path, {**SITE, "content/actors/unpublished-adviser.yaml": DRAFT + "sorces: []\n"})
    result = run_build(site, "check")
    assert result.returncode == 1
    assert "content/actors/unpublished-adviser.yaml:9:1: error: unknown field 'sorces'" in result.stderr


def test_published_dossier_citing_or_naming_a_draft_is_an_error(tmp_path: Path) -> None:
    deal = BASE["content/deals/pantsir-contract.yaml"].replace(
        "  - actor: tatmadaw\n", "  - actor: unpublished-adviser\n    role: intermediary\n  - actor: tatmadaw\n"
    )
    draft_source = BASE["content/sources/moscow-times-2021.yaml"] + "draft: true\n"
    files = {"content/deals/pantsir-contract.yaml": deal, "content/sources/moscow-times-2021.yaml": draft_source}
    site = make_site(tmp_path, {**SITE, **files})
    result = run_build(site)
    assert result.returncode == 1
    assert (
        "content/deals/pantsir-contract.yaml:8:12: error: 'unpublished-adviser' is a draft: "
        "it is left out of the published site" in result.stderr
    ), result.stderr
    assert "content/actors/russia.yaml:4:11: error: 'moscow-times-2021' is a draft" in result.stderr
    assert "hint: publish it (remove `draft: true`), remove the reference, or preview with --drafts" in result.stderr
    assert not (site / "output").exists()


def test_serve_previews_drafts(tmp_path: Path) -> None:
    site = make_site(tmp_path, SITE)
    process, base = start_serve(site)
    try:
        page = parse_html(http_get(f"{base}/{PAGE}"))
    finally:
        stop_serve(process)
    assert page.find("p", class_="draft-mark") is not None
