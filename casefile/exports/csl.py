"""The sources as a CSL-JSON bibliography (``data/sources.csl.json``), for Zotero and other reference managers.

CSL-JSON is what citeproc and Zotero read: one item per source with its CSL type, title, the
publisher as the container, authors, the date to the precision it was written, the address and
the language.  Names are kept whole (``literal``): splitting "Min Aung Hlaing" into given and
family names would be a guess.  An archived copy goes in the note, which Zotero shows as "Extra".
"""

from __future__ import annotations

import json
from typing import Any

from casefile.content.dates import Day, FuzzyDate
from casefile.content.model import Source
from casefile.investigation.resolve import Investigation

FILE = "sources.csl.json"

CSL_TYPES = {  # the source's kind → its CSL item type
    "article": "article-newspaper",
    "news-agency": "article-newspaper",
    "report": "report",
    "document": "document",
    "statement": "document",
    "dataset": "dataset",
    "database": "dataset",
    "website": "webpage",
    "letter": "personal_communication",  # as Zotero files a letter
    "other": "document",
}
_IN_A_PUBLICATION = {"article-newspaper", "webpage"}  # whose publisher is the container (the newspaper, the site)


def csl_json(investigation: Investigation) -> str:
    """Every source by id, one CSL item a line (a changed source is a changed line); the same sources give
    the same bytes."""
    items = [json.dumps(csl_item(s), ensure_ascii=False) for s in sorted(investigation.sources, key=lambda s: s.id)]
    return "[\n" + ",\n".join(items) + "\n]\n"


def csl_item(source: Source) -> dict[str, Any]:
    """One source as a CSL-JSON item, with only the fields the source gives."""
    kind = CSL_TYPES[source.kind]  # every kind has its type: a new kind must choose one
    item: dict[str, Any] = {"id": source.id, "type": kind, "title": source.title}
    item["container-title" if kind in _IN_A_PUBLICATION else "publisher"] = source.publisher
    if source.authors:
        item["author"] = [{"literal": name} for name in source.authors]
    if source.date:
        item["issued"] = date_parts(source.date.date)
    if source.url:
        item["URL"] = source.url
    if source.language:
        item["language"] = source.language
    if source.summary:
        item["abstract"] = source.summary
    if source.archived:
        item["note"] = f"Archived copy: {source.archived.url} (captured {source.archived.date.iso})"
    return item


def date_parts(date: FuzzyDate) -> dict[str, list[list[int]]]:
    """``2021-06`` → ``[[2021, 6]]``; a range has two parts: CSL keeps the precision as the length."""
    days = [date.start] + ([date.end] if date.end else [])
    return {"date-parts": [_parts(day) for day in days]}


def _parts(day: Day) -> list[int]:
    return [day.year] + [part for part in (day.month, day.day) if part]
