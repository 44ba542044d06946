"""The sources index: the reports that were read, and the works known only through them.

A reader weighing a SIPRI figure needs to know it reached the site through Myanmar
Now and The Moscow Times, not from SIPRI itself, so each work marked ``read: false``
names the reports it is known from: those listing it in ``cites:`` and those a
citation says were ``citing:`` it.
"""

from __future__ import annotations

from dataclasses import dataclass

from casefile.content.model import Source, source_refs
from casefile.investigation.resolve import Investigation, date_key


@dataclass(frozen=True)
class KnownThrough:
    """A work not read itself, and the reports that relay it."""

    source: Source
    relays: list[Source]


@dataclass(frozen=True)
class Bibliography:
    read: list[Source]
    known_through: list[KnownThrough]


def _order(source: Source) -> tuple:
    return (source.publisher.lower(), date_key(source))


def bibliography(investigation: Investigation) -> Bibliography:
    """Both groups, each by publisher and date."""
    relays: dict[str, set[str]] = {}
    for source in investigation.sources:
        for cited in source.cites:
            relays.setdefault(cited.id, set()).add(source.id)
    for dossier in investigation.dossiers.values():
        for _, ref in source_refs(dossier):
            for cited_id in ref.citing:
                relays.setdefault(cited_id, set()).add(ref.id)
    dossiers = investigation.dossiers
    known_through = [
        KnownThrough(source, sorted((dossiers[i] for i in relays.get(source.id, ()) if i != source.id), key=_order))
        for source in sorted(investigation.sources, key=_order)
        if not source.read
    ]
    return Bibliography(sorted((s for s in investigation.sources if s.read), key=_order), known_through)
