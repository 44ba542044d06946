"""Editor schemas: generated from the build's own models, so the editor and the build never disagree."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from conftest import BASE, ROOT, make_site, run_build

from casefile.content.schema import schemas
from casefile.content.yamlio import load_yaml

KINDS = {"actors": "actor", "deals": "deal", "events": "event", "sources": "source"}


def validator(kind: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text()))


def test_shipped_schemas_are_the_generated_ones() -> None:
    shipped = {p.name: json.loads(p.read_text()) for p in (ROOT / "schemas").glob("*.json")}
    assert shipped == schemas(), "run `python build.py schema` after changing the model"


def test_every_example_dossier_is_valid_under_its_schema() -> None:
    checked = 0
    for section, kind in KINDS.items():
        for path in sorted((ROOT / "content" / section).glob("*.yaml")):
            errors = [e.message for e in validator(kind).iter_errors(load_yaml(path).data)]
            assert errors == [], path
            checked += 1
    site_errors = list(validator("site").iter_errors(load_yaml(ROOT / "site.yaml").data))
    assert site_errors == []
    assert checked > 50


# (file, YAML) pairs: each is one mistake a journalist makes; the build refuses each, and so must the editor.
INVALID = {
    "a letter held on file": (
        "content/sources/moscow-times-2021.yaml",
        "title: A letter\npublisher: The newsroom\nkind: letter\naccess: on-file\nauthors: [A. Clerk]\n",
    ),
    "typo in a field name": ("content/actors/russia.yaml", "name: Russia\nkind: state\nsumary: typo\n"),
    "unknown kind": ("content/actors/russia.yaml", "name: Russia\nkind: country\n"),
    "missing name": ("content/actors/russia.yaml", "kind: state\n"),
    "date in words": (
        "content/events/naval-visit.yaml",
        "title: A visit\nkind: visit\ndate: June 2021\nsources: [moscow-times-2021]\n",
    ),
    "id with capitals": ("content/actors/russia.yaml", "name: Russia\nkind: state\ncountry: Russia\n"),
    "source without http": (
        "content/sources/moscow-times-2021.yaml",
        "title: T\npublisher: P\nkind: article\nurl: www.themoscowtimes.com\n",
    ),
    "year 0": (
        "content/events/naval-visit.yaml",
        "title: A visit\nkind: visit\ndate: 0000-02-29\nsources: [moscow-times-2021]\n",
    ),
    "id over 100 characters": ("content/actors/russia.yaml", f"name: Russia\nkind: state\ncountry: {'r' * 101}\n"),
    "a letter's address, with no access said": (
        "content/sources/moscow-times-2021.yaml",
        "title: A letter\npublisher: The newsroom\nkind: letter\nurl: https://example.org/letter\n",
    ),
    "party role not allowed": (
        "content/deals/pantsir-contract.yaml",
        "title: T\nkind: contract\nparties:\n  - actor: russia\n    role: vendor\n",
    ),
}
VALID = {
    "a letter held on file": (
        "content/sources/moscow-times-2021.yaml",
        "title: A letter\npublisher: The newsroom\nkind: letter\naccess: on-file\nauthors: [A. Clerk]\n",
    ),
    "citation shorthand and a year as a number": (
        "content/events/naval-visit.yaml",
        "title: A visit\nkind: visit\ndate: 2021\n"
        "sources: [moscow-times-2021, {id: myanmar-now-2021, locator: p. 3}]\n",
    ),
    "date shorthand in deal dates": (
        "content/deals/pantsir-contract.yaml",
        "title: T\nkind: contract\ndates:\n  signed: 2018-01\n  agreed: {date: 2018, sources: [moscow-times-2021]}\n",
    ),
}


@pytest.mark.parametrize("case", [*INVALID, *VALID])
def test_the_schema_and_the_build_agree(case: str, tmp_path: Path) -> None:
    path, text = INVALID.get(case) or VALID[case]
    site = make_site(tmp_path / "site", BASE | {path: text})
    build_accepts = run_build(site, "check").returncode == 0
    kind = KINDS[path.split("/")[1]]
    schema_accepts = validator(kind).is_valid(load_yaml(site / path).data)
    assert (build_accepts, schema_accepts) == ((case in VALID),) * 2


def test_a_new_dossier_points_its_editor_at_the_schema(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", BASE)
    assert run_build(site, "schema").returncode == 0
    assert run_build(site, "new", "actor", "jane-doe").returncode == 0
    dossier = site / "content" / "actors" / "jane-doe.yaml"
    first = dossier.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/actor.schema.json"
    assert (dossier.parent / first.split("=", 1)[1]).resolve().is_file()
    assert f"\nupdated: {date.today().isoformat()} " in dossier.read_text(encoding="utf-8"), "shown as 'Last updated'"


def test_a_new_investigation_ships_its_schemas_and_editor_settings(tmp_path: Path) -> None:
    site = tmp_path / "new"
    assert run_build(ROOT, "init", str(site)).returncode == 0
    settings = json.loads((site / ".vscode" / "settings.json").read_text())
    for schema_path, pattern in settings["yaml.schemas"].items():
        schema = json.loads((site / schema_path).read_text())
        for dossier in sorted(site.glob(pattern)):
            assert dossier.read_text().startswith("# yaml-language-server: $schema=")
            errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(load_yaml(dossier).data)]
            assert errors == [], dossier


@pytest.mark.parametrize("planted", ["schemas", "schemas/site.schema.json"])
def test_schemas_are_never_written_through_a_planted_link(tmp_path: Path, planted: str) -> None:
    """A link in the folder (a pull request, a synced folder) must not have `schema` write over a file elsewhere."""
    site = make_site(tmp_path / "site", BASE)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "site.schema.json").write_text("mine\n", encoding="utf-8")
    (site / planted).parent.mkdir(exist_ok=True)
    (site / planted).symlink_to(elsewhere if planted == "schemas" else elsewhere / "site.schema.json")
    result = run_build(site, "schema")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{planted}:1:1: error: '{Path(planted).name}' is a link: the schemas are never written through one" in (
        result.stderr
    )
    assert [p.name for p in elsewhere.iterdir()] == ["site.schema.json"]
    assert (elsewhere / "site.schema.json").read_text(encoding="utf-8") == "mine\n"
