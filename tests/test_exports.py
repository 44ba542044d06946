"""Data exports: what a data team opens in a spreadsheet, Gephi or OCCRP Aleph must be whole and valid."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date
from pathlib import Path

import networkx as nx
import pytest
from conftest import BASE, ROOT, make_site, run_build, snapshot
from followthemoney import model as ftm_model

FTM_ID = re.compile(r"[a-zA-Z0-9.-]+")


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped investigation's data folder: every kind of dossier and relation."""
    out = tmp_path_factory.mktemp("example") / "output"
    result = run_build(ROOT, out=out)
    assert result.returncode == 0, result.stderr
    return out / "data"


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "without a BOM Excel shows non-Latin names as mojibake"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_rows_per_kind_with_iso_dates_and_burmese_names_intact(tmp_path: Path) -> None:
    burmese = "မင်းအောင်လှိုင်"
    files = BASE | {
        "content/actors/min-aung-hlaing.yaml": BASE["content/actors/min-aung-hlaing.yaml"].replace(
            "kind: person", f"kind: person\naliases: ['=HYPERLINK(\"http://evil.example\")', {burmese}]"
        )
    }
    site = make_site(tmp_path / "site", files)
    assert run_build(site).returncode == 0
    data = site / "output" / "data"
    actors = {row["id"]: row for row in read_csv(data / "actors.csv")}
    assert set(actors) == {"min-aung-hlaing", "russia", "tatmadaw"}
    aliases = actors["min-aung-hlaing"]["aliases"].split("; ")
    assert aliases[0].startswith("'="), "a cell starting with = would run as a formula in a spreadsheet"
    assert aliases[1] == burmese
    deals = read_csv(data / "deals.csv")
    assert deals[0]["signed"] == "2018-01"
    assert deals[0]["amounts"] == "1500000000 USD; 807000000 USD"
    events = read_csv(data / "events.csv")
    assert events[0]["date"] == "2021-06-13/2021-06-19"
    relations = read_csv(data / "relations.csv")
    assert {
        "from_id": "min-aung-hlaing",
        "from_type": "actor",
        "relation": "role_holders",
        "to_id": "tatmadaw",
        "to_type": "actor",
        "detail": "Commander-in-chief",
        "sources": "myanmar-now-2021",
    } in relations


def test_json_has_references_resolved_and_sources_attached(built_base: Path) -> None:
    out = built_base / "output"
    site = json.loads((out / "data" / "casefile.json").read_text(encoding="utf-8"))
    by_id = {d["id"]: d for d in site["dossiers"]}
    deal = by_id["pantsir-contract"]
    assert deal["references"]["tatmadaw"] == {"type": "actor", "label": "Tatmadaw", "page": "actors/tatmadaw.html"}
    assert deal["cited_sources"]["sipri-arms-data"]["url"] == "https://www.sipri.org/databases/armstransfers"
    assert deal["dates"]["signed"]["date"] == "2018-01"
    beside_page = json.loads((out / "deals" / "pantsir-contract.json").read_text(encoding="utf-8"))
    assert beside_page == deal
    narrative = by_id["min-aung-hlaing"]["narrative"]
    assert narrative.startswith("Min Aung Hlaing leads the [[tatmadaw]].")


def test_graphml_opens_with_every_node_and_labelled_edge(built_base: Path) -> None:
    network = nx.read_graphml(built_base / "output" / "data" / "network.graphml")
    assert {"russia", "tatmadaw", "min-aung-hlaing", "pantsir-contract", "naval-visit"} <= set(network)
    assert network.nodes["pantsir-contract"]["label"] == "Pantsir-S1 contract"
    assert network.edges["min-aung-hlaing", "tatmadaw"]["labels"] == "Commander-in-chief"
    for node, data in network.nodes(data=True):  # Gephi's users can go from any node back to its page
        assert set(data) == {"type", "kind", "label", "page"}, (node, data)
        assert (built_base / "output" / data["page"]).is_file(), (node, data["page"])


def ftm_problems(path: Path) -> list[str]:
    """Everything FtM would silently drop or Aleph refuse: bad values, missing required properties,
    links to entities absent from the file or of the wrong schema, ids outside FtM's pattern."""
    entities = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    schemata = {e["id"]: ftm_model.get(e["schema"]) for e in entities}
    problems = [f"{e['id']}: id" for e in entities if not FTM_ID.fullmatch(e["id"])]
    problems += [f"{i}: unknown schema" for i, schema in schemata.items() if schema is None]
    assert len(schemata) == len(entities), "entity ids must be unique"
    for entity in entities:
        kept = ftm_model.get_proxy(entity, cleaned=False).to_dict()["properties"]  # what FtM keeps after cleaning
        problems += [
            f"{entity['id']}: FtM dropped {name} {values} (kept {kept.get(name)})"
            for name, values in entity["properties"].items()
            if len(kept.get(name, [])) != len(values)
        ]
        schema = schemata[entity["id"]]
        properties = entity["properties"]
        problems += [f"{entity['id']}: {name} missing" for name in schema.required if not properties.get(name)]
        for name, values in properties.items():
            prop = schema.get(name)
            if prop is None:
                problems.append(f"{entity['id']}: no property {name}")
                continue
            for value in values:
                if prop.type.clean(value) is None:
                    problems.append(f"{entity['id']}: {name}={value!r} is dropped by FtM")
                if prop.range is not None:
                    target = schemata.get(value)
                    if target is None or not target.is_a(prop.range):
                        problems.append(f"{entity['id']}: {name} → {value} is not a {prop.range.name}")
    return problems


@pytest.mark.parametrize("which", ["base", "example"])
def test_followthemoney_entities_are_all_valid(which: str, built_base: Path, example: Path) -> None:
    data = built_base / "output" / "data" if which == "base" else example
    assert ftm_problems(data / "entities.ftm.json") == []


def test_followthemoney_maps_each_kind_to_its_schema(built_base: Path) -> None:
    lines = (built_base / "output" / "data" / "entities.ftm.json").read_text(encoding="utf-8").splitlines()
    entities = {e["id"]: e for e in map(json.loads, lines)}
    contract = entities["casefile-deal-pantsir-contract"]
    assert contract["schema"] == "Contract"
    assert contract["properties"]["authority"] == ["casefile-actor-tatmadaw"]
    assert contract["properties"]["contractDate"] == ["2018-01"]
    award = next(e for e in entities.values() if e["schema"] == "ContractAward")
    assert award["properties"]["supplier"] == ["casefile-actor-russia"]
    assert entities["casefile-actor-russia"]["properties"]["country"] == ["ru"]
    assert entities["casefile-actor-tatmadaw"]["properties"]["alias"] == ["Myanmar armed forces"]
    membership = entities["casefile-role-min-aung-hlaing-1"]
    assert membership["properties"]["startDate"] == ["2011-03"]
    article = entities["casefile-source-moscow-times-2021"]
    assert article["schema"] == "Article"
    assert article["properties"]["author"] == ["Uliana Pavlova"]
    documented = {
        e["properties"]["entity"][0]
        for e in entities.values()
        if e["schema"] == "Documentation"
        if e["properties"]["document"] == ["casefile-source-moscow-times-2021"]
    }
    assert {"casefile-deal-pantsir-contract", "casefile-event-naval-visit"} <= documented


def test_crlf_and_cr_checkouts_publish_the_same_bytes_as_lf(tmp_path: Path) -> None:
    """Git on Windows checks text out with CRLF: the site, its JSON and CSV exports included, must not change.
    Every text file of the fixture (site.yaml, dossiers, narratives, pages) is written with each line ending."""
    files = BASE | {
        "content/actors/russia.yaml": (
            "name: Russia\nkind: state\nsummary: |\n  The Russian Federation.\n  A second line.\n"
            "sources: [moscow-times-2021]\n"
        ),
        "content/actors/russia.md": "Russia sells arms\nto the [[tatmadaw]].\n\n    an indented block\n    of code\n",
    }
    outputs = {}
    for name, ending in {"lf": "\n", "crlf": "\r\n", "cr": "\r"}.items():
        site = make_site(tmp_path / name, {path: text.replace("\n", ending).encode() for path, text in files.items()})
        assert (ending == "\n") == (b"\r" not in (site / "site.yaml").read_bytes())
        result = run_build(site)
        assert result.returncode == 0, result.stderr
        outputs[name] = snapshot(site / "output")
    assert "data/casefile.json" in outputs["lf"] and "data/actors.csv" in outputs["lf"]
    assert any(path.startswith("pagefind/") for path in outputs["lf"]), "the search index is compared too"
    for name in ("crlf", "cr"):
        differ = sorted(
            path
            for path in outputs["lf"].keys() | outputs[name].keys()
            if outputs["lf"].get(path) != outputs[name].get(path)
        )
        assert not differ, f"{name}: these files differ from the LF build: {differ}"


REPLIES = BASE | {
    "site.yaml": BASE["site.yaml"] + "staff: [Anna Editor]\n",
    "content/events/naval-visit.yaml": BASE["content/events/naval-visit.yaml"].replace(
        "  - text: The purpose of the visit was not made public.\n",
        "  - text: The purpose of the visit was not made public.\n    id: purpose\n",
    )
    + """\
replies:
  - from: russia
    asked: 2021-07-01
    via: email
    deadline: 2021-07-05
    response: answered
    text: The visit was a routine exchange.
    answers: [purpose]
    sources: [moscow-times-2021]
  - from: [russia, tatmadaw]
    response: no-comment-reported
    text: Neither country has commented on the visit.
    sources: [moscow-times-2021]
""",
    "content/actors/min-aung-hlaing.yaml": BASE["content/actors/min-aung-hlaing.yaml"]
    + "replies:\n  - asked: 2021-07-01\n    via: letter\n    response: none\n",
}


@pytest.fixture(scope="module")
def replied(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site with replies on an event and an actor, the event signed off with the real `review` command."""
    site = make_site(tmp_path_factory.mktemp("replies") / "site", REPLIES)
    signed = run_build(site, "review", "naval-visit", "--by", "Anna Editor")
    assert signed.returncode == 0, signed.stderr
    return site


def test_followthemoney_carries_each_reply_as_a_valid_note_on_the_entity_and_whom_it_asked(
    replied: Path, tmp_path: Path
) -> None:
    out = tmp_path / "output"
    assert run_build(replied, out=out).returncode == 0
    assert ftm_problems(out / "data" / "entities.ftm.json") == []
    entities = {e["id"]: e for e in map(json.loads, (out / "data" / "entities.ftm.json").read_text().splitlines())}
    answered = entities["casefile-reply-naval-visit-1"]
    assert answered["schema"] == "Note"
    assert answered["properties"]["entity"] == ["casefile-event-naval-visit", "casefile-actor-russia"]
    assert answered["properties"]["proof"] == ["casefile-source-moscow-times-2021"]
    assert answered["properties"]["description"] == [
        "Request for comment to Russia, 2021-07-01 by email, deadline 2021-07-05: answered. "
        "“The visit was a routine exchange.” In answer to: “The purpose of the visit was not made public.”"
    ]
    reported = entities["casefile-reply-naval-visit-2"]["properties"]
    assert reported["entity"] == ["casefile-event-naval-visit", "casefile-actor-russia", "casefile-actor-tatmadaw"]
    assert reported["description"][0].startswith("No request for comment on record: a report says Russia and Tatmadaw")
    unanswered = entities["casefile-reply-min-aung-hlaing-1"]["properties"]
    assert unanswered["entity"] == ["casefile-actor-min-aung-hlaing"], "on an actor, the actor itself was asked"
    assert unanswered["description"] == ["Request for comment to Min Aung Hlaing, 2021-07-01 by letter: no response."]


@pytest.mark.parametrize("published", [False, True])
def test_json_has_the_replies_and_the_sign_offs_only_where_site_yaml_publishes_them(
    replied: Path, tmp_path: Path, published: bool
) -> None:
    site = Path(shutil.copytree(replied, tmp_path / "site"))
    if published:
        make_site(site, {"site.yaml": REPLIES["site.yaml"] + "publish_reviews: true\n"})
    assert run_build(site).returncode == 0
    data = site / "output" / "data" / "casefile.json"
    by_id = {d["id"]: d for d in json.loads(data.read_text(encoding="utf-8"))["dossiers"]}
    event = by_id["naval-visit"]
    assert [r["response"] for r in event["replies"]] == ["answered", "no-comment-reported"]
    assert event["replies"][0]["from"] == ["russia"] and event["replies"][0]["answers"] == ["purpose"]
    assert by_id["min-aung-hlaing"]["replies"][0]["via"] == "letter"
    if not published:
        assert "Anna Editor" not in data.read_text(encoding="utf-8")
        assert not any("reviewed" in d or "review_state" in d for d in by_id.values())
        return
    (signed,) = event["reviewed"]
    assert signed["by"] == "Anna Editor" and signed["on"] == date.today().isoformat()
    assert re.fullmatch(r"[0-9a-f]{32}", signed["digest"])
    assert event["review_state"] == "signed"
    assert by_id["russia"]["reviewed"] == [] and by_id["russia"]["review_state"] == "unsigned"
    beside = json.loads((site / "output" / "events" / "naval-visit.json").read_text(encoding="utf-8"))
    assert beside == event
    path = site / "content" / "events" / "naval-visit.yaml"  # an edit after the sign-off
    path.write_text(path.read_text(encoding="utf-8").replace("Naypyitaw and Yangon", "Naypyitaw"), encoding="utf-8")
    assert run_build(site).returncode == 0
    again = json.loads((site / "output" / "events" / "naval-visit.json").read_text(encoding="utf-8"))
    assert again["review_state"] == "changed" and again["reviewed"] == event["reviewed"]
