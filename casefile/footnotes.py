"""A page's footnotes: one numbered note per report and place in it, in the order a reader meets them.

A report cited at one locator is one note, whether the page cites it as its own word or as
relaying another report: each marker gets a back-link (a, b, … z, aa, ab, … as Wikipedia
labels them), and the note says which back-links relay whom ("Citing TASS (at b, c)").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Source, SourceRef
from .resolve import Investigation

NoteKey = tuple[str, str | None]  # (source id, locator)


@dataclass(frozen=True)
class Backref:
    """One marker in the text, as its note links back to it."""

    anchor: str
    label: str
    citing: tuple[Source, ...]


@dataclass(frozen=True)
class Relay:
    """Reports a note's source is cited as relaying, and the back-links that do (none: all of them)."""

    sources: tuple[Source, ...]
    labels: tuple[str, ...]


@dataclass
class Note:
    """One numbered footnote and the places on the page that cite it."""

    number: int
    source: Source
    locator: str | None
    backrefs: list[Backref] = field(default_factory=list)

    def add_backref(self, citing: tuple[Source, ...]) -> Backref:
        index = len(self.backrefs)
        backref = Backref(f"ref-{self.number}-{index + 1}", backref_label(index), citing)
        self.backrefs.append(backref)
        return backref

    @property
    def relays(self) -> list[Relay]:
        """Each distinct ``citing:`` list with the back-links it applies to; no labels when it applies to all."""
        groups: dict[tuple[str, ...], list[Backref]] = {}
        for backref in self.backrefs:
            if backref.citing:
                groups.setdefault(tuple(s.id for s in backref.citing), []).append(backref)
        everywhere = len(groups) == 1 and all(b.citing for b in self.backrefs)
        return [Relay(refs[0].citing, () if everywhere else tuple(b.label for b in refs)) for refs in groups.values()]


def backref_label(index: int) -> str:
    """0 → a, 25 → z, 26 → aa, 27 → ab: letters that never run out and stay short."""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(ord("a") + rest) + label
    return label


@dataclass
class Footnotes:
    """The notes of one page, numbered as they are first cited."""

    investigation: Investigation
    notes: dict[NoteKey, Note] = field(default_factory=dict)

    def cite(self, refs: list[SourceRef]) -> list[tuple[Note, Backref]]:
        """One marker per note in a group, however many refs name it, ordered by number."""
        grouped: dict[NoteKey, list[str]] = {}
        for ref in refs:
            citing = grouped.setdefault((ref.id, ref.locator), [])
            citing += [c for c in ref.citing if c not in citing]
        markers = []
        dossiers = self.investigation.dossiers
        for key, citing in grouped.items():
            note = self.notes.get(key)
            if note is None:
                note = self.notes[key] = Note(len(self.notes) + 1, dossiers[key[0]], key[1])
            markers.append((note, note.add_backref(tuple(dossiers[c] for c in citing))))
        return sorted(markers, key=lambda marker: marker[0].number)

    @property
    def in_order(self) -> list[Note]:
        return list(self.notes.values())
