"""A site in several languages rebuilt after a small edit (issues 28 and 30): every edition keeps the pages the
edit cannot affect, and the output is byte for byte what a build from scratch gives, after each kind of edit of
an original or a translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BASE, cache_of, cached_and_cold, make_site, run_build, snapshot

TATMADAW = BASE["content/actors/tatmadaw.yaml"].replace(
    "summary: Myanmar's armed forces.", "summary:\n  en: Myanmar's armed forces.\n  ru: Вооружённые силы Мьянмы."
)
EDITIONS = {
    **BASE,
    "site.yaml": BASE["site.yaml"] + "languages: [en, ru]\nbase_url: https://example.org/inv/\n",
    "content/actors/tatmadaw.yaml": TATMADAW,
    "content/actors/min-aung-hlaing.ru.md": "Мин Аунг Хлайн командует [[tatmadaw]] [@myanmar-now-2021, p. 3].\n",
}
EDITS: dict[str, dict[str, str | None]] = {  # each on top of the ones before it, in this order
    "a translated narrative": {
        "content/actors/min-aung-hlaing.ru.md": "Мин Аунг Хлайн возглавляет [[tatmadaw]] [@myanmar-now-2021, p. 3].\n"
    },
    "the Russian form of a summary": {
        "content/actors/tatmadaw.yaml": TATMADAW.replace("Вооружённые силы", "Армия"),
    },
    "the original of a summary": {
        "content/actors/tatmadaw.yaml": TATMADAW.replace("Вооружённые силы", "Армия").replace(
            "en: Myanmar's armed forces.", "en: The armed forces of Myanmar."
        ),
    },
    "a new translation": {"content/actors/russia.ru.md": "Российская Федерация.\n"},
    "a deleted translation": {"content/actors/min-aung-hlaing.ru.md": None},
    "a new dossier": {"content/actors/new-analyst.yaml": "name: New Analyst\nkind: person\n"},
    "a deleted dossier": {"content/actors/new-analyst.yaml": None},
}
UNTOUCHED = ("deals/pantsir-contract.html", "ru/deals/pantsir-contract.html")  # no edit above reaches them


def inodes(output: Path) -> dict[str, int]:
    return {p.relative_to(output).as_posix(): p.stat().st_ino for p in output.rglob("*.html")}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = make_site(tmp_path_factory.mktemp("partial-editions") / "site", EDITIONS)
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.mark.parametrize("what", list(EDITS))
def test_each_edit_keeps_what_it_cannot_affect_and_gives_a_cold_builds_output(
    site: Path, tmp_path: Path, what: str
) -> None:
    before = inodes(site / "output")
    make_site(site, EDITS[what])
    _, cold = cached_and_cold(site, tmp_path)
    assert snapshot(site / "output") == cold, f"after {what}: differs from a build from scratch"
    after = inodes(site / "output")
    kept = {path for path in after if before.get(path) == after[path]}
    assert set(UNTOUCHED) <= kept, f"after {what}: a page of either edition the edit does not touch was written again"


def served_and_saved(tmp_path: Path, remember: bool) -> tuple[Path, dict[str, int], dict[str, int]]:
    """The site in two languages built by a dev server's session (``remember``: through the build cache), then
    its Russian narrative saved and rebuilt: the site, and every page's inode before and after the save."""
    from casefile.dev.incremental import Session
    from casefile.settings import SitePaths

    site = make_site(tmp_path / "site", EDITIONS)
    session = Session(SitePaths(site, site / "output"), remember=remember)
    assert session.full_build(), [p.format() for p in session.diagnostics.problems]
    before = inodes(site / "output")
    story = site / "content/actors/min-aung-hlaing.ru.md"
    story.write_text(EDITS["a translated narrative"]["content/actors/min-aung-hlaing.ru.md"], encoding="utf-8")
    assert session.rebuild({str(story)}), [p.format() for p in session.diagnostics.problems]
    return site, before, inodes(site / "output")


def test_serve_rebuilds_after_an_edit_only_what_it_reaches_in_every_edition(tmp_path: Path) -> None:
    """The dev server, on a site in two languages: a saved translation is on its page at once, and the pages of
    both editions the edit cannot reach are the files they were (the build cache's partial build, not a full one).
    Its output is the same as ``build``'s with drafts shown, file for file."""
    site, before, after = served_and_saved(tmp_path, remember=True)
    assert "возглавляет" in (site / "output/ru/actors/min-aung-hlaing.html").read_text(encoding="utf-8")
    assert after["ru/actors/min-aung-hlaing.html"] != before["ru/actors/min-aung-hlaing.html"]
    kept = {path for path in after if before.get(path) == after[path]}
    assert set(UNTOUCHED) <= kept and len(kept) > len(after) // 2, f"{len(kept)} of {len(after)} pages kept"
    result = run_build(site, "--drafts", "--no-cache", out=tmp_path / "cold")
    assert result.returncode == 0, result.stderr
    assert snapshot(site / "output") == snapshot(tmp_path / "cold")


def test_serve_with_no_cache_builds_every_edition_in_full_and_remembers_nothing(tmp_path: Path) -> None:
    """``serve --no-cache`` keeps its word: each save builds the site from scratch, and no build cache is read or
    written."""
    site, before, after = served_and_saved(tmp_path, remember=False)
    assert not {path for path in after if before.get(path) == after[path]}, "a page was kept from the last build"
    assert not cache_of(site).exists() or not any(cache_of(site).iterdir())
