"""The investigation as data, for the teams who reuse it: JSON, CSV per kind, GraphML, FollowTheMoney, CSL-JSON.

Everything lands under ``data/`` and comes from the resolved investigation alone, in id order, so
two builds of the same content give the same bytes.  CSV files are written for spreadsheets: UTF-8
with a byte-order mark (Excel reads Burmese and Cyrillic names right only with it), ISO dates, one
value per cell with lists joined by "; ", and cells that a spreadsheet would run as a formula
defused.

A site in several languages is exported once, from its default edition, with every language's text: the JSON
carries each text as written (the text, or the mapping by language) and the narrative's translations, a CSV
a column per other language after each text's (``summary_ru``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from casefile.content.config import SiteConfig
from casefile.content.model import DEAL_DATE_KINDS, SECTION_TITLES, Actor, Deal, Dossier, Event, Source
from casefile.content.review import review_state
from casefile.exports import csl, ftm
from casefile.interrupt import held
from casefile.investigation.resolve import Investigation, relations, typed_relations
from casefile.messages import N_

DATA = "data"
LIST_SEPARATOR = "; "
GRAPHML_NODE_KEYS = ("type", "kind", "label", "page")  # what build_graph gives every node
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class RecordCache:
    """Each dossier's JSON from the last build, kept by the dev server: an edit re-encodes only the
    dossiers whose own object, or an object they point at, was replaced."""

    records: dict[str, tuple[Dossier, list[Dossier], str]] = field(default_factory=dict)
    config: SiteConfig | None = None  # what the records were made with: a record holds the dossier's url, and
    # its sign-offs where site.yaml says publish_reviews

    def made_with(self, config: SiteConfig) -> None:
        """Forget every record when site.yaml changed since they were made."""
        if config is not self.config and config != self.config:
            self.records.clear()
        self.config = config

    def json(self, investigation: Investigation, dossier: Dossier) -> str:
        kept = self.records.get(dossier.id)
        if kept is not None and kept[0] is dossier:
            current = [investigation.dossiers.get(target.id) for target in kept[1]]
            if all(now is then for now, then in zip(current, kept[1], strict=True)):
                return kept[2]
        target_ids = _targets(investigation, dossier)
        with held(replaced=False):  # pydantic would wrap a Ctrl-C raised in its serializer as its own error
            data = dossier_data(investigation, dossier, target_ids)
        self.records[dossier.id] = (dossier, [investigation.dossiers[t] for t in target_ids], _json(data))
        return self.records[dossier.id][2]

    @classmethod
    def kept_from(cls, folder: Path, investigation: Investigation, changed: set[str]) -> RecordCache:
        """The JSON the last build wrote into ``folder`` for every dossier that neither changed nor points at
        one that did: what encoding it again would give (a record holds the dossier and what it points at)."""
        cache = cls(config=investigation.config)
        for dossier in investigation.dossiers.values():
            if dossier.type == "page" or dossier.id in changed:
                continue
            targets = _targets(investigation, dossier)
            if changed.isdisjoint(targets):
                text = (folder / dossier_json_path(dossier.page)).read_text(encoding="utf-8")
                cache.records[dossier.id] = (dossier, [investigation.dossiers[t] for t in targets], text)
        return cache


def data_files(investigation: Investigation, cache: RecordCache | None = None) -> dict[str, str]:
    """Every export by site path: the whole-site files under ``data/`` and one JSON file beside each
    dossier's page (each dossier's record is encoded once for both)."""
    cache = cache or RecordCache()
    cache.made_with(investigation.config)
    records = {d.page: cache.json(investigation, d) for d in investigation.dossiers.values() if d.type != "page"}
    config = investigation.config
    whole = _json({"title": config.title, "language": config.language, "base_url": config.base_url})
    files = {
        f"{DATA}/casefile.json": whole[:-2] + ',"dossiers":[' + ",".join(r[:-1] for r in records.values()) + "]}\n",
        f"{DATA}/relations.csv": _csv(RELATION_COLUMNS, relation_rows(investigation)),
        f"{DATA}/network.graphml": graphml(investigation),
        f"{DATA}/{ftm.FILE}": ftm.entities_jsonl(investigation),
        f"{DATA}/{csl.FILE}": csl.csl_json(investigation),
    }
    for cls, written in CSV_COLUMNS.items():
        columns = _with_languages(written, config.editions)
        files[f"{DATA}/{cls.section}.csv"] = _csv(columns, [_row(columns, d) for d in investigation.all(cls)])
    return files | {dossier_json_path(page): record for page, record in records.items()}


@dataclass(frozen=True)
class Download:
    """One file of the Data page: where it is, what it holds (a msgid, with the kind of dossier it lists if
    any), and the tools that open it."""

    path: str
    what: str
    opens_in: str
    kind: str = ""


def downloads() -> list[Download]:
    """The whole-site exports, in the order the Data page lists them."""
    per_kind = N_("%(kind)s, one row each")
    return [
        Download(f"{DATA}/casefile.json", N_("Every dossier, with what it points at and the sources it cites"), "JSON"),
        *(Download(f"{DATA}/{c.section}.csv", per_kind, "CSV", SECTION_TITLES[c.section]) for c in CSV_COLUMNS),
        Download(f"{DATA}/relations.csv", N_("Every relation: roles, parties, participants"), "CSV"),
        Download(f"{DATA}/network.graphml", N_("The network of actors, deals and events"), "GraphML (Gephi)"),
        Download(f"{DATA}/{ftm.FILE}", N_("FollowTheMoney entities, one per line"), "OCCRP Aleph"),
        Download(f"{DATA}/{csl.FILE}", N_("Every source as a bibliography (CSL-JSON)"), "Zotero"),
    ]


def dossier_json_path(page: str) -> str:
    """A dossier's data beside its page: ``actors/x.html`` → ``actors/x.json``."""
    return page.removesuffix(".html") + ".json"


def dossier_data(investigation: Investigation, dossier: Dossier, targets: list[str]) -> dict[str, Any]:
    """The dossier as written, every language's texts with it, plus what it points at (``targets``) resolved and
    the sources it rests on attached."""
    dossiers = investigation.dossiers
    written = dossier.as_written
    return {
        "id": dossier.id,
        "type": dossier.type,
        "page": dossier.page,
        "url": investigation.config.absolute_url(dossier.page),
        **written.model_dump(mode="json", by_alias=True),
        "narrative": written.narrative.text if written.narrative else None,
        **_narrative_translations(written, investigation.config.editions),
        "references": {i: _reference(dossiers[i]) for i in targets},
        "cited_sources": {i: _source_record(dossiers[i]) for i in targets if dossiers[i].type == "source"},
    } | (_reviews(dossier) if investigation.config.publish_reviews else {})


def _narrative_translations(written: Dossier, languages: list[str]) -> dict[str, Any]:
    """The narrative in the other languages (``ID.ru.md``), in the site's order of them; nothing when there is none."""
    found = {tag: written.translations[tag].text for tag in languages if tag in written.translations}
    return {"narrative_translations": found} if found else {}


def _reviews(dossier: Dossier) -> dict[str, Any]:
    """The sign-offs, newest last, and whether the dossier is signed off as it stands ("signed"), changed since
    ("changed") or never signed ("unsigned"): only where site.yaml says ``publish_reviews: true``."""
    reviewed = [review.model_dump(mode="json") for review in dossier.reviewed]
    return {"reviewed": reviewed, "review_state": review_state(dossier)}


def _targets(investigation: Investigation, dossier: Dossier) -> list[str]:
    """The ids of the dossiers this one points at (relations, links, citations), sorted."""
    return sorted({target for target, _, _ in relations(dossier) if target in investigation.dossiers})


def _reference(dossier: Dossier) -> dict[str, Any]:
    return {"type": dossier.type, "label": dossier.label, "page": dossier.page}


_SOURCE_FIELDS = {"title", "publisher", "authors", "date", "url", "archived", "kind"}
_SOURCE_FIELDS |= {"access", "edition", "pages", "time"}  # how it is held, when it is not a web page


def _source_record(source: Dossier) -> dict[str, Any]:
    return source.model_dump(mode="json", by_alias=True, include=_SOURCE_FIELDS)


# Columns: header → how to get the cell from the dossier.
Columns = dict[str, Callable[[Any], object]]


@dataclass(frozen=True)
class TextColumn:
    """The column of a text that may be written per language (:func:`_with_languages` gives its cells)."""

    field: str

    def __call__(self, dossier: Dossier) -> object:
        """The text as the default edition shows it: in the default language, else the first form written."""
        return getattr(dossier, self.field)

    def in_language(self, language: str) -> Callable[[Dossier], str | None]:
        """The text's form in ``language`` as written, or None (an empty cell) where it is not translated."""

        def form(dossier: Dossier) -> str | None:
            text = getattr(dossier.as_written, self.field)
            return text.get(language) if isinstance(text, dict) else None

        return form


def _with_languages(columns: Columns, languages: list[str]) -> Columns:
    """``columns`` with each text's in the first of ``languages``, the default, followed by a column for each
    other language (``summary_ru``)."""
    found: Columns = {}
    for header, get in columns.items():
        if isinstance(get, TextColumn):
            found[header] = get
            found |= {f"{header}_{language}": get.in_language(language) for language in languages[1:]}
        else:
            found[header] = get
    return found


_COMMON: Columns = {"id": lambda d: d.id}
_TAIL: Columns = {
    "summary": TextColumn("summary"),
    "updated": lambda d: d.updated and d.updated.iso,
    "page": lambda d: d.page,
    "sources": lambda d: [ref.id for ref in d.sources],
}

CSV_COLUMNS: dict[type[Dossier], Columns] = {
    Actor: _COMMON
    | {
        "name": lambda a: a.label,  # as the pages call the actor; its forms in other scripts come next
        "other_names": lambda a: [f"{tag}: {form}" for tag, form in a.other_names],
        "kind": lambda a: a.kind,
        "aliases": lambda a: a.aliases,
        "country": lambda a: a.country,
        "roles": lambda a: [role.title + (f" ({role.of})" if role.of else "") for role in a.roles],
    }
    | _TAIL,
    Deal: _COMMON
    | {"title": TextColumn("title"), "kind": lambda d: d.kind, "status": lambda d: d.status}
    | {kind: (lambda d, k=kind: d.dates[k].date.iso if k in d.dates else None) for kind in DEAL_DATE_KINDS}
    | {
        "parties": lambda d: [f"{p.actor} ({p.role})" for p in d.parties],
        "items": lambda d: [item.what for item in d.items],
        "values": lambda d: [value.text for value in d.values],
        "amounts": lambda d: [f"{ftm.plain_number(v.amount)} {v.currency or ''}".strip() for v in d.values if v.amount],
        "agreed_at": lambda d: d.agreed_at,
    }
    | _TAIL,
    Event: _COMMON
    | {
        "title": TextColumn("title"),
        "kind": lambda e: e.kind,
        "date": lambda e: e.date and e.date.date.iso,
        "place": lambda e: e.place,
        "part_of": lambda e: e.part_of,
        "participants": lambda e: [p.actor + (f" ({p.role})" if p.role else "") for p in e.participants],
    }
    | _TAIL,
    Source: _COMMON
    | {
        "title": lambda s: s.title,
        "kind": lambda s: s.kind,
        "publisher": lambda s: s.publisher,
        "authors": lambda s: s.authors,
        "date": lambda s: s.date and s.date.date.iso,
        "url": lambda s: s.url,
        "archived_url": lambda s: s.archived and s.archived.url,
        "archived_date": lambda s: s.archived and s.archived.date.iso,
        "language": lambda s: s.language,
        "cites": lambda s: [cited.id for cited in s.cites],
    }
    | _TAIL,
}

RELATION_COLUMNS = ["from_id", "from_type", "relation", "to_id", "to_type", "detail", "sources"]


def relation_rows(investigation: Investigation) -> list[list[str]]:
    """One row per relation a dossier's fields state (a role, a party, a participant, …)."""
    dossiers = investigation.dossiers
    rows = []
    for dossier in dossiers.values():
        for target, relation, item in typed_relations(dossier):
            fact = item[1] if isinstance(item, tuple) else None
            detail = getattr(fact, "title", None) or getattr(fact, "role", None)
            rows.append(
                [
                    dossier.id,
                    dossier.type,
                    relation,
                    target,
                    dossiers[target].type if target in dossiers else "",
                    detail,
                    [ref.id for ref in fact.sources] if fact is not None else [],
                ]
            )
    return [[_cell(value) for value in row] for row in rows]


def _row(columns: Columns, dossier: Dossier) -> list[str]:
    return [_cell(get(dossier)) for get in columns.values()]


def _cell(value: object) -> str:
    """A spreadsheet cell: lists joined, nothing a spreadsheet would evaluate."""
    if value is None:
        return ""
    text = LIST_SEPARATOR.join(map(str, value)) if isinstance(value, list) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(header: Iterable[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()


def _json(data: Any) -> str:
    """Compact: an indent would switch ``json`` to its pure-Python encoder, 10× slower at 10,000 dossiers."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def graphml(investigation: Investigation) -> str:
    """The network page's graph for Gephi: nodes with type, kind, label and page; edges with their relations.

    Written here rather than by networkx's writer, which took 3 s at 10,000 dossiers, after every save in
    ``serve`` too.
    """
    from casefile.investigation.graph import build_graph

    network = build_graph(investigation)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    keys = [(name, "node") for name in GRAPHML_NODE_KEYS] + [("labels", "edge")]
    lines += [f'  <key id="{name}" for="{scope}" attr.name="{name}" attr.type="string"/>' for name, scope in keys]
    lines.append('  <graph edgedefault="undirected">')
    for node, data in network.nodes(data=True):
        lines.append(f"    <node id={_attribute(node)}>")
        lines += [f'      <data key="{name}">{escape(str(data[name]))}</data>' for name in GRAPHML_NODE_KEYS]
        lines.append("    </node>")
    for source, target, data in network.edges(data=True):
        lines.append(f"    <edge source={_attribute(source)} target={_attribute(target)}>")
        lines.append(f'      <data key="labels">{escape(LIST_SEPARATOR.join(data["labels"]))}</data>')
        lines.append("    </edge>")
    lines += ["  </graph>", "</graphml>"]
    return "\n".join(lines) + "\n"


def _attribute(value: str) -> str:
    return quoteattr(value, {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
