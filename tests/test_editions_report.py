"""What is left to translate: ``check --report`` lists it by language and line, ``policy: complete_editions`` makes
``check --strict`` wait for it; and the language tags an edition may take, since each names a folder and a ``lang``."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BASE, make_site, run_build, run_builds

TWO = BASE["site.yaml"] + "languages: [en, ru]\n"
TRANSLATED_SUMMARY = BASE["content/actors/tatmadaw.yaml"].replace(
    "summary: Myanmar's armed forces.", "summary:\n  en: Myanmar's armed forces.\n  ru: Вооружённые силы Мьянмы."
)


def _site(root: Path, site_yaml: str, **files: str) -> Path:
    return make_site(
        root, {**BASE, "site.yaml": site_yaml, "content/actors/tatmadaw.yaml": TRANSLATED_SUMMARY, **files}
    )


def test_the_report_lists_each_untranslated_text_by_language_and_line(tmp_path: Path) -> None:
    site = _site(tmp_path, TWO, **{"content/actors/min-aung-hlaing.ru.md": "Мин Аунг Хлайн.\n"})
    result = run_build(site, "check", "--report")
    assert result.returncode == 0, result.stderr
    report = result.stdout.split("Not yet translated into ru")[1]
    lines = report.splitlines()
    assert "  content/actors/russia.yaml:3:10: russia — summary" in lines
    assert "  content/events/naval-visit.yaml:12:11: naval-visit — claims 1 text" in lines
    assert "  content/actors/tatmadaw.yaml" not in report  # its summary is in Russian
    assert "min-aung-hlaing — narrative" not in report  # its narrative has min-aung-hlaing.ru.md
    assert "min-aung-hlaing — summary" in report
    assert "Not yet translated into en (0):" in result.stdout


def test_a_one_language_report_says_nothing_of_translation(tmp_path: Path) -> None:
    result = run_build(make_site(tmp_path, BASE), "check", "--report")
    assert result.returncode == 0 and "translated" not in result.stdout


def test_complete_editions_makes_strict_wait_for_every_translation(tmp_path: Path) -> None:
    policy = TWO + "policy:\n  complete_editions: true\n"
    lenient, strict = run_builds(
        [(_site(tmp_path / "a", policy), ("check",)), (_site(tmp_path / "b", policy), ("check", "--strict"))]
    )
    assert lenient.returncode == 0
    assert "content/actors/russia.yaml:3:10: warning: 'russia': the summary is not translated into ru" in lenient.stderr
    assert "hint: write the text as a mapping by language, with a line `ru: …`" in lenient.stderr
    assert "content/actors/min-aung-hlaing.md:1:1: warning: 'min-aung-hlaing': the narrative is not translated" in (
        lenient.stderr
    )
    assert "hint: write min-aung-hlaing.ru.md beside it" in lenient.stderr
    assert strict.returncode != 0 and "untranslated" in strict.stderr


def test_without_the_policy_untranslated_texts_are_no_warnings(tmp_path: Path) -> None:
    result = run_build(_site(tmp_path, TWO), "check", "--strict")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("languages", "message"),
    [
        ("[en, ru_RU]", "'ru_RU' is not a language tag as web pages write them"),
        ("[en, RU]", "'RU' is not a language tag as web pages write them"),
        ("[en, ../../etc]", "is not a known language tag"),
        ("[en, ru, ru]", "'ru' is listed twice in languages:"),
    ],
)
def test_an_edition_takes_a_language_tag_as_web_pages_write_it(tmp_path: Path, languages: str, message: str) -> None:
    """Each edition names a folder of the site and its pages' lang: nothing else gets through."""
    result = run_build(make_site(tmp_path, {**BASE, "site.yaml": BASE["site.yaml"] + f"languages: {languages}\n"}))
    assert result.returncode != 0
    assert message in result.stderr and "site.yaml" in result.stderr
    assert not (tmp_path / "output").exists()


def test_serve_shows_a_text_written_by_language_in_the_sites_language(tmp_path: Path) -> None:
    """``serve`` picks each text for the site's language as ``build`` does, on a site in one language too."""
    from casefile.dev.incremental import Session
    from casefile.settings import SitePaths

    by_language = TRANSLATED_SUMMARY.replace("  ru: Вооружённые силы Мьянмы.\n", "")
    site = make_site(tmp_path, {**BASE, "content/actors/tatmadaw.yaml": by_language})
    session = Session(SitePaths(site, site / "output"))
    assert session.full_build(), [p.format() for p in session.diagnostics.problems]
    page = site / "output" / "actors" / "tatmadaw.html"
    assert '<p class="summary" dir="auto" data-pagefind-meta="summary">Myanmar&#39;s armed forces.</p>' in (
        page.read_text()
    )
    dossier = site / "content" / "actors" / "tatmadaw.yaml"
    dossier.write_text(dossier.read_text().replace("en: Myanmar's armed forces.", "en: The armed forces of Myanmar."))
    session.rebuild({str(dossier)})
    assert 'data-pagefind-meta="summary">The armed forces of Myanmar.</p>' in page.read_text()
