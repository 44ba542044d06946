"""Corrections and history: what changed in a dossier after publication, and when it last changed.

A dossier lists its ``corrections:``; the site shows them on the dossier's page, all together on
``corrections.html`` (newest first) and in ``corrections.xml``, an Atom feed.  "Last updated" comes
from the content alone (``updated:``, or the newest correction if later), never from file times or
git, so a clean clone builds the same bytes; a dossier with neither says nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from casefile.content.dates import FuzzyDate
from casefile.content.model import Correction, Dossier
from casefile.investigation.resolve import Investigation

PAGE = "corrections.html"
FEED = "corrections.xml"


def last_updated(dossier: Dossier) -> FuzzyDate | None:
    """The later of ``updated:`` and the newest correction's date; None when the dossier gives neither."""
    dates = [c.date for c in dossier.corrections] + ([dossier.updated] if dossier.updated else [])
    return max(dates, key=lambda d: d.sort_key, default=None)


@dataclass(frozen=True)
class Listed:
    """One correction as the corrections page and feed list it: with its dossier and its anchor there."""

    dossier: Dossier
    number: int  # 1-based, in the order the dossier lists them
    correction: Correction

    @property
    def anchor(self) -> str:
        return anchor(self.number)

    @property
    def page(self) -> str:
        """Site path of the correction on its dossier's page."""
        return f"{self.dossier.page}#{self.anchor}"


def anchor(number: int) -> str:
    """The id of a dossier's ``number``-th correction on its page."""
    return f"correction-{number}"


def all_corrections(investigation: Investigation) -> list[Listed]:
    """Every correction of the site, newest first; on one day, by dossier page and then as listed."""
    listed = [
        Listed(dossier, number, correction)
        for dossier in investigation.dossiers.values()
        for number, correction in enumerate(dossier.corrections, 1)
    ]
    listed.sort(key=lambda item: (item.dossier.page, item.number))
    return sorted(listed, key=lambda item: item.correction.date.sort_key, reverse=True)


def page_data(investigation: Investigation) -> dict[str, object]:
    """What the corrections page shows: every correction, and the feed of them if there is one."""
    return {"corrections": all_corrections(investigation), "corrections_feed": feed_path(investigation)}


def feed_path(investigation: Investigation) -> str | None:
    """Where the corrections feed is; None without a base URL (Atom needs absolute ids) or a correction."""
    has_entries = any(d.corrections for d in investigation.dossiers.values())
    return FEED if investigation.config.base_url and has_entries else None
