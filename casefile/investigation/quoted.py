"""What checking the quotations found: each quotation with the citations it was checked against, and each
verified citation's passages, which its footnote links to. The investigation carries it from resolving on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from casefile.diagnostics import Location
from casefile.investigation.report_text import Found, Passage, Report


@dataclass(frozen=True)
class Quotation:
    """A quotation in the content, with the citations it is checked against."""

    words: str  # between the marks, our markup read as text
    dossier: str
    refs: tuple[Any, ...]  # the citations (SourceRef, or a markdown citation's items) of sources with a text
    credited: bool  # our text credits the words to someone other than a report
    locate: Callable[[], Location]  # where the opening mark stands (worked out only to report a problem)


def cited_id(ref: Any) -> str:
    """The id of the source a citation names: a SourceRef, an item of a markdown citation token's
    ``meta["refs"]`` (a markdown.Citation), or an ``(id, locator)`` pair."""
    if hasattr(ref, "id"):
        return ref.id
    return ref["id"] if isinstance(ref, dict) else ref[0]


def citations_in(token: Any) -> list[Any]:
    """The citation items of a markdown ``citation`` token, as the renderer hands them to the page."""
    return list(token.meta["refs"])


@dataclass
class Checked:
    quotation: Quotation
    found: dict[str, Found]  # by source id


@dataclass
class Quotes:
    """The quotations of an investigation checked against the stored texts: each verified citation's passages
    (for its footnote), and what ``check --quotes`` reports."""

    reports: dict[str, Report] = field(default_factory=dict)
    checked: list[Checked] = field(default_factory=list)
    by_citation: dict[int, tuple[Any, list[Passage]]] = field(default_factory=dict)

    def passages(self, ref: Any) -> tuple[Passage, ...]:
        """The passages a citation was verified to quote (none unless it is that very citation object)."""
        kept = self.by_citation.get(id(ref))
        return tuple(kept[1]) if kept is not None and kept[0] is ref else ()
