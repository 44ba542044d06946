"""Where the sources disagree: several values reported for one field of a dossier.

A deal's ``values:`` with more than one entry, and a date with ``other_dates:``, are shown side by
side under "Sources differ", each value with its own footnotes. An editor may explain the
difference (``values_note:``, ``editor_note:``); :func:`unexplained` lists the conflicts that no
one has explained yet, for the editor's report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from casefile.content.model import DatedFact, Deal, Dossier, Fact, walk
from casefile.diagnostics import Location
from casefile.investigation.resolve import Investigation


@dataclass(frozen=True)
class Conflict:
    """One field of a dossier for which the sources give several values."""

    dossier: Dossier
    path: tuple  # YAML path of the field
    values: tuple[Fact, ...]  # each as one group of sources gives it, with its own sources
    note: str | None  # the editor's note, when there is one

    @property
    def field(self) -> str:
        """``values`` or ``dates.signed``: the field as it is written in the file."""
        return ".".join(str(part) for part in self.path)

    @property
    def location(self) -> Location:
        return self.dossier.origin.location(self.path, at_key=True)

    def __str__(self) -> str:
        """The line the editor's report shows: where, which field, how many values."""
        noted = "explained" if self.note else "no editor's note"
        return f"{self.location}: the sources give {len(self.values)} values for `{self.field}` ({noted})"


def conflicts(investigation: Investigation) -> list[Conflict]:
    """Every field the sources disagree on, in id order."""
    return [found for dossier in investigation.dossiers.values() for found in dossier_conflicts(dossier)]


def unexplained(investigation: Investigation) -> list[Conflict]:
    """The conflicts without an editor's note: what an editor should look at before publishing."""
    return [found for found in conflicts(investigation) if not found.note]


def dossier_conflicts(dossier: Dossier) -> Iterator[Conflict]:
    if isinstance(dossier, Deal) and len(dossier.values) > 1:
        yield Conflict(dossier, ("values",), tuple(dossier.values), dossier.values_note)
    for path, value, _ in walk(dossier):
        if isinstance(value, DatedFact) and value.other_dates:
            yield Conflict(dossier, path, (value, *value.other_dates), value.editor_note)
