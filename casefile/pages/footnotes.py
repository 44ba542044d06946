"""A page's footnotes: one numbered note per report and place in it, in the order a reader meets them.

A report cited at one locator is one note, whether the page cites it as its own word or as
relaying another report: each marker gets a back-link (a, b, … z, aa, ab, … as Wikipedia
labels them), and the note says which back-links relay whom ("Citing TASS (at b, c)"). Where a marker stands for
a quotation found in the report's stored text, the note also links to the quoted passage, in the original and in
the archived copy, with a URL text fragment (casefile.investigation.quotes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from casefile.content.model import Source, SourceRef
from casefile.investigation.report_text import Passage
from casefile.investigation.resolve import Investigation

NoteKey = tuple[str, str | None]  # (source id, locator)


@dataclass(frozen=True)
class Backref:
    """One marker in the text, as its note links back to it."""

    anchor: str
    label: str
    citing: tuple[Source, ...]
    passages: tuple[Passage, ...] = ()


@dataclass(frozen=True)
class Relay:
    """Reports a note's source is cited as relaying, and the back-links that do (none: all of them)."""

    sources: tuple[Source, ...]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Quoted:
    """A passage of a note's report that the page quotes, and the back-links that quote it (none: all of them)."""

    passage: Passage
    labels: tuple[str, ...]


@dataclass
class Note:
    """One numbered footnote and the places on the page that cite it."""

    number: int
    source: Source
    locator: str | None
    backrefs: list[Backref] = field(default_factory=list)

    def add_backref(self, citing: tuple[Source, ...], passages: tuple[Passage, ...] = ()) -> Backref:
        index = len(self.backrefs)
        backref = Backref(f"ref-{self.number}-{index + 1}", backref_label(index), citing, passages)
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

    @property
    def quoted(self) -> list[Quoted]:
        """Each passage quoted at the note's markers, with the back-links that quote it; no labels when every
        marker does (a note with a single marker, say)."""
        groups: dict[Passage, list[Backref]] = {}
        for backref in self.backrefs:
            for passage in backref.passages:
                groups.setdefault(passage, []).append(backref)
        return [
            Quoted(passage, () if len(refs) == len(self.backrefs) else tuple(b.label for b in refs))
            for passage, refs in groups.items()
        ]


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

    def cite(
        self, refs: list[SourceRef], passages: list[tuple[Passage, ...]] | None = None
    ) -> list[tuple[Note, Backref]]:
        """One marker per note in a group, however many refs name it, ordered by number; ``passages``: what each
        ref was verified to quote."""
        grouped: dict[NoteKey, list[str]] = {}
        quoted: dict[NoteKey, list[Passage]] = {}
        for ref, found in zip(refs, passages or [()] * len(refs), strict=True):
            citing = grouped.setdefault((ref.id, ref.locator), [])
            citing += [c for c in ref.citing if c not in citing]
            kept = quoted.setdefault((ref.id, ref.locator), [])
            kept += [p for p in found if p not in kept]
        markers = []
        dossiers = self.investigation.dossiers
        for key, citing in grouped.items():
            note = self.notes.get(key)
            if note is None:
                note = self.notes[key] = Note(len(self.notes) + 1, dossiers[key[0]], key[1])
            markers.append((note, note.add_backref(tuple(dossiers[c] for c in citing), tuple(quoted[key]))))
        return sorted(markers, key=lambda marker: marker[0].number)

    @property
    def in_order(self) -> list[Note]:
        return list(self.notes.values())
