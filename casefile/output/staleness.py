"""Which pages an edit affects, for ``serve`` and for a command-line build after a small change.

A page is rendered again when a dossier it showed changed, when a dossier it only named changed what a link
to it shows, when it lists a whole type that changed, when the network it draws was rewired, or when its own
dossier, its map or what points at it changed. Both sides of the comparison are :class:`Marks`: what an
investigation says about each dossier that these rules look at. ``serve`` takes them of the last good
investigation in memory; a build takes the last build's from the cache, where they are plain JSON values,
checked field by field when read back (:func:`marks_from_json`), like the rest of the cache.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from casefile.investigation import graph
from casefile.investigation.resolve import Investigation
from casefile.pages.publish import feed_path
from casefile.pages.render import PageSpec

Edge = tuple[str, str]  # (other end, label) of a relation the network draws


class Shown(Protocol):
    """What a page showed last time: dossiers in full (``used``) and only named or linked (``named``)."""

    used: frozenset[str] | set[str]
    named: frozenset[str] | set[str]


@dataclass(frozen=True)
class PageShown:
    """What a page of the last build showed, as the cache remembers it."""

    used: frozenset[str]
    named: frozenset[str]


@dataclass(frozen=True)
class Mark:
    """One dossier as the staleness rules see it."""

    type: str
    link: str  # what a link to it shows: repr of its link signature (name, and kind for the map's colours)
    referrers: frozenset[str]  # the dossiers that point at it: its backlinks come from them
    edges: tuple[Edge, ...] | None  # the relations it states that the network draws; None: not on the network
    neighbours: frozenset[str]  # the dossiers one relation away on the network, either way


@dataclass(frozen=True)
class Marks:
    """Every dossier's :class:`Mark`, and where the feed is (every page links it)."""

    dossiers: dict[str, Mark]
    feed: str | None

    @classmethod
    def of(cls, investigation: Investigation) -> Marks:
        referrers: dict[str, set[str]] = {}
        for target, backlinks in investigation.backlinks.items():
            referrers[target] = {_pointing(item) for _, item in backlinks.items()}
        dossiers = {
            i: Mark(
                d.type,
                repr(d.link_signature),
                frozenset(referrers.get(i, ())),
                _edges(d) if d.type in graph.NODE_TYPES else None,
                frozenset(graph.neighbour_ids(investigation, i)) if d.type in graph.NODE_TYPES else frozenset(),
            )
            for i, d in investigation.dossiers.items()
        }
        return cls(dossiers, feed_path(investigation))

    @classmethod
    def of_editions(cls, editions: list[Investigation]) -> Marks:
        """The marks of a site in several languages, one investigation per edition: a dossier's link and
        relations as every edition shows them, so that a change seen in any edition counts (the pages of every
        edition are chosen by the same rules). One edition's are :meth:`of` it."""
        if len(editions) == 1:
            return cls.of(editions[0])
        each = [cls.of(investigation) for investigation in editions]
        dossiers = {
            i: dataclasses.replace(
                mark,
                link=repr(tuple(marks.dossiers[i].link for marks in each)),
                edges=None if mark.edges is None else tuple(e for marks in each for e in marks.dossiers[i].edges or ()),
            )
            for i, mark in each[0].dossiers.items()
        }
        return cls(dossiers, repr(tuple(marks.feed for marks in each)))


def _pointing(item: object) -> str:
    """The id of the dossier behind a backlink: the dossier itself, or the first of a (dossier, detail) pair."""
    return (item[0] if isinstance(item, tuple) else item).id  # type: ignore[attr-defined]


def _edges(dossier) -> tuple[Edge, ...]:
    return tuple(sorted((target, str(label)) for _, target, label in graph.drawn_relations(dossier)))


@dataclass
class Staleness:
    """Which pages an edit of the ``changed`` dossiers affects, from the marks before and after it."""

    old: Marks
    new: Marks
    changed: set[str]
    renamed: set[str] = field(init=False)
    changed_types: set[str] = field(init=False)
    rewired: bool = field(init=False)
    remapped: set[str] = field(init=False)

    def __post_init__(self) -> None:
        before, after = self.old.dossiers, self.new.dossiers
        self.renamed = {i for i in self.changed if i not in before or i not in after or before[i].link != after[i].link}
        self.changed_types = {m.type for i in self.changed for m in (before.get(i), after.get(i)) if m}
        self.rewired, self.remapped = False, set()
        for i in self.changed:
            marks = [before.get(i), after.get(i)]
            if _edges_of(marks[0]) != _edges_of(marks[1]):  # a relation drawn, dropped or relabelled, or a node
                self.rewired = True
                self.remapped.update(n for m in marks if m for n in m.neighbours)
        self.feed_moved = self.old.feed != self.new.feed  # every page's head and footer link it

    def of(self, spec: PageSpec, shown: Shown) -> bool:
        """Whether the page of ``spec``, which showed ``shown`` last time, must be rendered again."""
        own = spec.dossier.id if spec.dossier is not None else None
        return bool(
            self.feed_moved
            or shown.used & self.changed
            or shown.named & self.renamed
            or spec.shows_all & self.changed_types
            or (spec.shows_network and self.rewired)
            or (own is not None and (own in self.changed or own in self.remapped or self._pointed_at(own)))
        )

    def _pointed_at(self, own: str) -> bool:
        """Whether a dossier that points at ``own``, before or now, changed: its backlinks may have."""
        marks = (self.old.dossiers.get(own), self.new.dossiers.get(own))
        return any(m is not None and m.referrers & self.changed for m in marks)

    def stale(self, specs: Iterable[PageSpec], shown: dict[str, Shown]) -> list[PageSpec]:
        """The pages of ``specs`` to render again; a page never rendered before always is."""
        return [s for s in specs if s.path not in shown or self.of(s, shown[s.path])]


def _edges_of(mark: Mark | None) -> tuple[Edge, ...] | None:
    return mark.edges if mark is not None else None


@dataclass(frozen=True)
class LastBuild:
    """What the last build left that this one can keep: its output folder, untouched since (the cache
    checked every file's stamp), what each of its pages showed, the marks of its investigation, and the
    dossiers whose files changed since. Nothing else changed: not site.yaml, templates, static or evidence
    files, Casefile or the options."""

    out: Path
    shown: dict[str, Shown]
    marks: Marks
    changed: set[str]


def shown_to_json(pages: dict[str, Shown], marks: Marks) -> bytes:
    """What each page showed, by its path, and the investigation's marks, as the cache's ``pages.json``."""
    data = {
        "pages": {path: [sorted(page.used), sorted(page.named)] for path, page in pages.items()},
        "marks": marks_to_json(marks),
    }
    return json.dumps(data, separators=(",", ":")).encode("utf-8")


def shown_from_json(data: object) -> tuple[dict[str, Shown], Marks]:
    """What :func:`shown_to_json` wrote; TypeError or ValueError for anything else."""
    if not isinstance(data, dict) or set(data) != {"pages", "marks"} or not isinstance(data["pages"], dict):
        raise TypeError("pages")
    shown: dict[str, Shown] = {}
    for path, value in data["pages"].items():
        if not isinstance(value, list) or len(value) != 2:
            raise TypeError(value)
        shown[_text(path)] = PageShown(_ids(value[0]), _ids(value[1]))
    return shown, marks_from_json(data["marks"])


def marks_to_json(marks: Marks) -> dict:
    """Plain values for the cache."""
    return {
        "feed": marks.feed,
        "dossiers": {
            i: [
                m.type,
                m.link,
                sorted(m.referrers),
                None if m.edges is None else [list(e) for e in m.edges],
                sorted(m.neighbours),
            ]
            for i, m in marks.dossiers.items()
        },
    }


def marks_from_json(data: object) -> Marks:
    """The marks written by :func:`marks_to_json`; TypeError or ValueError for anything else."""
    if not isinstance(data, dict) or set(data) != {"feed", "dossiers"} or not isinstance(data["dossiers"], dict):
        raise TypeError("marks")
    feed = data["feed"]
    if feed is not None and not isinstance(feed, str):
        raise TypeError(feed)
    return Marks({_text(i): _mark(value) for i, value in data["dossiers"].items()}, feed)


def _mark(value: object) -> Mark:
    if not isinstance(value, list) or len(value) != 5:
        raise TypeError(value)
    kind, link, referrers, edges, neighbours = value
    if edges is not None:
        if not isinstance(edges, list) or not all(isinstance(e, list) and len(e) == 2 for e in edges):
            raise TypeError(edges)
        edges = tuple((_text(a), _text(b)) for a, b in edges)
    return Mark(_text(kind), _text(link), _ids(referrers), edges, _ids(neighbours))


def _ids(value: object) -> frozenset[str]:
    """A list of texts from the cache as a set; TypeError for anything else."""
    if not isinstance(value, list):
        raise TypeError(value)
    return frozenset(_text(item) for item in value)


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value
