"""Data exports of a site in several languages: one set of files, from the default edition, that keeps every
language's text (JSON as written, a CSV column per other language, an FtM value per language)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import BASE, make_site, run_build
from test_exports import ftm_problems, read_csv

SUMMARY = {"en": "Myanmar's armed forces.", "ru": "Вооружённые силы Мьянмы."}
TITLE = {"en": "Russian naval delegation visits Myanmar", "ru": "Российская военно-морская делегация в Мьянме"}
CLAIM = {"en": "The purpose of the visit was not made public.", "ru": "Цель визита не была обнародована."}
RU_NARRATIVE = "Мин Аунг Хлайн командует [[tatmadaw]].\n"
BURMESE_NAME = "မင်းအောင်လှိုင်"

TWO_LANGUAGES = BASE | {
    "site.yaml": BASE["site.yaml"] + "languages: [en, ru]\n",
    "content/actors/tatmadaw.yaml": BASE["content/actors/tatmadaw.yaml"].replace(
        f"summary: {SUMMARY['en']}", f"summary:\n  en: {SUMMARY['en']}\n  ru: {SUMMARY['ru']}"
    ),
    "content/actors/min-aung-hlaing.ru.md": RU_NARRATIVE,
    "content/actors/min-aung-hlaing.yaml": BASE["content/actors/min-aung-hlaing.yaml"].replace(
        "name: Min Aung Hlaing", f"name:\n  en: Min Aung Hlaing\n  my: {BURMESE_NAME}"
    ),
    "content/actors/russia.yaml": BASE["content/actors/russia.yaml"].replace(
        "name: Russia", "name:\n  ru: Россия\n  en: Russia"
    ),
    "content/events/naval-visit.yaml": BASE["content/events/naval-visit.yaml"]
    .replace(f"title: {TITLE['en']}", f"title:\n  en: {TITLE['en']}\n  ru: {TITLE['ru']}")
    .replace(
        f"  - text: {CLAIM['en']}", f"  - id: purpose\n    text:\n      en: {CLAIM['en']}\n      ru: {CLAIM['ru']}"
    )
    + """\
replies:
  - from: russia
    asked: 2021-07-01
    via: email
    response: declined
    answers: [purpose]
    sources: [moscow-times-2021]
""",
}


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output of the base site published in English and Russian."""
    site = make_site(tmp_path_factory.mktemp("languages") / "site", TWO_LANGUAGES)
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    return site / "output"


def dossiers(output: Path) -> dict[str, dict]:
    whole = json.loads((output / "data" / "casefile.json").read_text(encoding="utf-8"))
    return {d["id"]: d for d in whole["dossiers"]}


def test_json_carries_each_text_as_written_in_every_language(data: Path) -> None:
    by_id = dossiers(data)
    tatmadaw = json.loads((data / "actors" / "tatmadaw.json").read_text(encoding="utf-8"))
    assert tatmadaw["summary"] == SUMMARY
    assert by_id["tatmadaw"] == tatmadaw, "the whole-site file holds the same record as the one beside the page"
    event = by_id["naval-visit"]
    assert event["title"] == TITLE
    assert event["claims"][0]["text"] == CLAIM
    assert by_id["russia"]["summary"] == "The Russian Federation.", "a text written once stays a string"


def test_json_has_narrative_translations_only_where_a_dossier_has_them(data: Path, built_base: Path) -> None:
    by_id = dossiers(data)
    actor = by_id["min-aung-hlaing"]
    assert actor["narrative"].startswith("Min Aung Hlaing leads the [[tatmadaw]]."), "the default language's"
    assert actor["narrative_translations"] == {"ru": RU_NARRATIVE}
    assert "narrative_translations" not in by_id["tatmadaw"]
    one_language = dossiers(built_base / "output")
    assert not any("narrative_translations" in d for d in one_language.values())
    assert one_language["tatmadaw"]["summary"] == SUMMARY["en"]


def test_csv_has_a_column_per_other_language_after_each_text(data: Path, built_base: Path) -> None:
    actors = read_csv(data / "data" / "actors.csv")
    header = list(actors[0])
    assert header[header.index("summary") + 1] == "summary_ru"
    by_id = {row["id"]: row for row in actors}
    assert (by_id["tatmadaw"]["summary"], by_id["tatmadaw"]["summary_ru"]) == (SUMMARY["en"], SUMMARY["ru"])
    assert by_id["russia"]["summary_ru"] == "", "untranslated: left empty, not the English again"
    (event,) = read_csv(data / "data" / "events.csv")
    assert (event["title"], event["title_ru"]) == (TITLE["en"], TITLE["ru"])
    (source, *_) = read_csv(data / "data" / "sources.csv")
    assert "title_ru" not in source, "a source's title is written in one language only"
    one_language = read_csv(built_base / "output" / "data" / "actors.csv")
    assert not any(name.endswith("_ru") for name in one_language[0])


def test_a_name_in_several_scripts_is_exported_as_text_in_each(data: Path) -> None:
    """Not a mapping's Python form in a spreadsheet cell, nor an object where FtM wants text."""
    actors = {row["id"]: row for row in read_csv(data / "data" / "actors.csv")}
    assert (actors["min-aung-hlaing"]["name"], actors["min-aung-hlaing"]["other_names"]) == (
        "Min Aung Hlaing",
        f"my: {BURMESE_NAME}",
    )
    assert (actors["russia"]["name"], actors["russia"]["other_names"]) == ("Russia", "ru: Россия")
    assert actors["tatmadaw"]["other_names"] == ""
    path = data / "data" / "entities.ftm.json"
    entities = {e["id"]: e["properties"] for e in map(json.loads, path.read_text(encoding="utf-8").splitlines())}
    assert entities["casefile-actor-min-aung-hlaing"]["name"] == ["Min Aung Hlaing", BURMESE_NAME]
    assert entities["casefile-actor-russia"]["name"] == ["Russia", "Россия"]
    assert entities["casefile-actor-russia"]["country"] == ["ru"], "a state named in two scripts is still Russia"


def test_followthemoney_gives_each_language_its_value(data: Path) -> None:
    path = data / "data" / "entities.ftm.json"
    assert ftm_problems(path) == []
    entities = {e["id"]: e["properties"] for e in map(json.loads, path.read_text(encoding="utf-8").splitlines())}
    assert entities["casefile-actor-tatmadaw"]["summary"] == [SUMMARY["en"], SUMMARY["ru"]]
    assert entities["casefile-actor-russia"]["summary"] == ["The Russian Federation."]
    assert entities["casefile-event-naval-visit"]["name"] == [TITLE["en"], TITLE["ru"]]
    english, russian = entities["casefile-reply-naval-visit-1"]["description"]
    assert english.endswith(f"In answer to: “{CLAIM['en']}”")
    assert russian.endswith(f"In answer to: “{CLAIM['ru']}”")
