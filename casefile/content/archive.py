"""Sources that do not rot: archived copies, and which sources still need one.

A source records ``archived: {url, date}``, the copy and the day it was captured, so its
footnote can link both as Robust Links.  ``python build.py archive`` lists the sources with an
address but no copy, each with a Wayback Machine link that saves one when opened; it needs no
network, as it only writes the links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from casefile.content.dates import Date, FuzzyDate

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from casefile.content.model import Source

SAVE = "https://web.archive.org/save/"
_WAYBACK_STAMP = re.compile(r"//web\.archive\.org/web/(\d{4})(\d{2})(\d{2})\d*")


def one_day(date: FuzzyDate) -> FuzzyDate:
    """A capture date is the one day the copy was made: archives record it, and Robust Links need it."""
    if date.end is not None or not date.start.day:
        raise PydanticCustomError(
            "capture_day",
            "'{value}' is not one day: an archived copy was captured on a day",
            {"value": date.iso, "hint": "write the day the archive gives for the copy, e.g. 2021-07-08"},
        )
    return date


CaptureDay = Annotated[
    Date,
    AfterValidator(one_day),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "examples": ["2021-07-08"]}),
]


def archived_url_moved(value: Any) -> Any:
    """``archived_url:`` was the old form: say how to write it now (with the capture date it lacked)."""
    url = str(value).strip()
    stamp = _WAYBACK_STAMP.search(url)
    date = "-".join(stamp.groups()) if stamp else "YYYY-MM-DD"
    where = " (the copy's address gives it)" if stamp else ", as the archive shows it"
    raise PydanticCustomError(
        "archived_url_moved",
        "`archived_url:` is now written `archived:`, with the day the copy was captured",
        {"hint": f"replace the line with `archived: {{url: {url}, date: {date}}}`: the capture date{where}"},
    )


def save_link(url: str) -> str:
    """The address that asks the Wayback Machine to capture ``url`` when a journalist opens it."""
    return SAVE + url


def unarchived(sources: Iterable[Source]) -> list[Source]:
    """Sources with an address and no archived copy, by id: those an editor should archive."""
    return sorted((s for s in sources if s.url and s.archived is None), key=lambda s: s.id)


def without_address(sources: Iterable[Source]) -> list[Source]:
    """Sources with neither an address nor a copy: nothing to archive."""
    return sorted((s for s in sources if not s.url and s.archived is None), key=lambda s: s.id)


@dataclass(frozen=True)
class ArchiveReport:
    """What ``archive`` prints: each source at the line to edit, relative to ``root``."""

    sources: list[Source]
    root: Path

    def where(self, source: Source, *key: str) -> str:
        return str(source.origin.location(key).seen_from(self.root))

    def text(self) -> str:
        missing, nowhere = unarchived(self.sources), without_address(self.sources)
        lines = [f"{len(missing)} source(s) with an address but no archived copy:" if missing else ""]
        for source in missing:
            lines += [f"{self.where(source, 'url')}: {source.id}", f"    save: {save_link(source.url or '')}"]
        if nowhere:
            lines.append(f"{len(nowhere)} source(s) with no address (nothing to archive):")
            lines += [f"{self.where(source)}: {source.id}" for source in nowhere]
        if not missing:
            lines[0] = "every source with an address has an archived copy"
        lines.append("after saving a copy, add `archived: {url: …, date: …}` to the source: date is the capture day")
        return "\n".join(lines) + "\n"
