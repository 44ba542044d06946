"""Every dated event and deal in order, with the actors each involves.

A month-precision date stays a month and a range stays a range: entries carry
the :class:`DatedFact` itself, so pages show the date as reported, with its
sources.  A deal signed and agreed on the same date is one entry that names
both kinds, each with its own sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import groupby

from casefile.content.dates import FuzzyDate
from casefile.content.model import DEAL_DATE_KINDS, Actor, DatedFact, Deal, Dossier, Event
from casefile.investigation.resolve import Investigation


@dataclass(frozen=True)
class Entry:
    """One dated line on a timeline."""

    dossier: Dossier
    date: FuzzyDate
    facts: tuple[tuple[str, DatedFact], ...]  # ("", date) for an event; ("signed", …), ("agreed", …) for a deal

    @cached_property
    def actors(self) -> tuple[str, ...]:
        """The actors involved, worked out only where shown (the full timeline's filter): a hub has thousands."""
        dossier = self.dossier
        involved = dossier.participants if isinstance(dossier, Event) else dossier.parties
        return tuple(sorted({p.actor for p in involved}))

    @property
    def sort_key(self) -> tuple:
        return (self.date.sort_key, self.dossier.id)

    @property
    def precision(self) -> str:
        start = self.date.start
        kind = "day" if start.day else "month" if start.month else "year"
        return kind + (" range" if self.date.end else "")


def _entries_for(dossier: Dossier) -> list[Entry]:
    """An event's one entry; a deal's one entry per distinct date, its kinds in the model's order."""
    if isinstance(dossier, Event) and dossier.date:
        return [Entry(dossier, dossier.date.date, (("", dossier.date),))]
    if isinstance(dossier, Deal):
        kinds: dict[FuzzyDate, list[tuple[str, DatedFact]]] = {}
        for kind, fact in sorted(dossier.dates.items(), key=lambda item: DEAL_DATE_KINDS.index(item[0])):
            kinds.setdefault(fact.date, []).append((kind, fact))
        return [Entry(dossier, date, tuple(facts)) for date, facts in kinds.items()]
    return []


def timeline(investigation: Investigation) -> list[Entry]:
    """All entries, oldest first."""
    entries = [e for d in investigation.dossiers.values() for e in _entries_for(d)]
    return sorted(entries, key=lambda e: e.sort_key)


def by_year(entries: list[Entry]) -> list[tuple[int, list[Entry]]]:
    return [(year, list(group)) for year, group in groupby(entries, key=lambda e: e.date.year)]


def timeline_actors(investigation: Investigation, entries: list[Entry]) -> list[Actor]:
    """The actors that appear on the timeline, for the filter, by name."""
    ids = {a for e in entries for a in e.actors}
    return sorted((investigation.dossiers[i] for i in ids), key=lambda a: a.label.lower())
