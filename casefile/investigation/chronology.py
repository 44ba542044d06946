"""Dates that cannot be right: a report dated before what it reports.

A notice from March cannot report a delivery in May. Each date a source is cited for is compared
with the source's own date, and an event or deal dated after every source that reports it is
flagged. Dates keep their precision, so only certain cases are flagged: a report of "2021" may
tell of May 2021, a report of March 2021 may not.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterator

from casefile.content.dates import FuzzyDate
from casefile.content.model import Deal, Dossier, Event, ReportedDate, Source, Sourced, walk
from casefile.diagnostics import Diagnostics, Location
from casefile.investigation.lint import warn
from casefile.investigation.resolve import Investigation, relations

Dated = tuple[tuple, ReportedDate]  # a date with its YAML path

_HINT = (
    "check both dates: a report cannot tell of what happened after it. If the report announced it in advance, "
    "say so in a claim; to keep the dates as they are, list '{subject}' in site.yaml under "
    "`accepted_warnings:` → `{kind}:`"
)


def check_dates(investigation: Investigation, diagnostics: Diagnostics) -> None:
    """Warn where a cited source is dated before the date it supports, and where an event or a deal is dated
    after every source that reports it."""
    for dossier in investigation.dossiers.values():
        if isinstance(dossier, Source):
            continue  # a source's own date is what the others are compared with
        dates = list(_dates(dossier))
        _check_cited(investigation, diagnostics, dossier, dates)
        unsourced = [(path, fact) for path, fact in dates if not fact.sources]
        if unsourced and isinstance(dossier, (Event, Deal)):
            _check_reported(investigation, diagnostics, dossier, unsourced)


def _check_cited(investigation: Investigation, diagnostics: Diagnostics, dossier: Dossier, dates: list[Dated]) -> None:
    """Each source a date cites (or that a citation relays) is dated on or after it, as far as precision tells."""
    for path, fact in dates:
        for ref_path, source in _cited(investigation, path, fact):
            if source.date is not None and _before(source.date.date, fact.date):
                message = f"'{source.id}' is dated {source.date.date}, before the date it is cited for ({fact.date})"
                where = dossier.origin.location(ref_path)
                _warn(investigation, diagnostics, "source-before-fact", dossier.id, where, message)


def _check_reported(
    investigation: Investigation,
    diagnostics: Diagnostics,
    dossier: Event | Deal,
    dates: list[Dated],
) -> None:
    """A date with no sources of its own is reported by the dossier's: it cannot be after all of them."""
    dated = [s for s in _reporting(investigation, dossier) if s.date is not None]
    latest = max(dated, key=lambda s: _last_day(s.date.date), default=None)
    if latest is None:
        return
    for path, fact in dates:
        if not _before(latest.date.date, fact.date):  # the latest before it: every source is
            continue
        message = (
            f"the {dossier.type} '{dossier.id}' is dated {fact.date}, after every source that reports it "
            f"(the latest, '{latest.id}', is dated {latest.date.date})"
        )
        _warn(investigation, diagnostics, "date-after-sources", dossier.id, dossier.origin.location(path), message)


def _warn(
    investigation: Investigation, diagnostics: Diagnostics, kind: str, subject: str, where: Location, message: str
) -> None:
    warn(investigation, diagnostics, kind, subject, where, message, _HINT.format(kind=kind, subject=subject))


def _dates(dossier: Dossier) -> Iterator[Dated]:
    """Every dated fact of the dossier (a deal's dates, an event's date, a role's start…), other dates included."""
    for path, value, _ in walk(dossier):
        if isinstance(value, ReportedDate):
            yield path, value


def _cited(investigation: Investigation, path: tuple, fact: Sourced) -> Iterator[tuple[tuple, Source]]:
    """The sources a fact cites, and those the citations say they relay, each with its YAML path."""
    for index, ref in enumerate(fact.sources):
        ref_path = path + ("sources", index)
        relayed = [(ref_path + ("citing", i), cited) for i, cited in enumerate(ref.citing)]
        for where, source_id in [(ref_path, ref.id), *relayed]:
            source = investigation.dossiers.get(source_id)
            if isinstance(source, Source):
                yield where, source


def _reporting(investigation: Investigation, dossier: Dossier) -> list[Source]:
    """Every source the dossier cites anywhere: in its fields, its claims and its narrative."""
    found = (investigation.dossiers.get(target) for target, name, _ in relations(dossier) if name == "cited_by")
    return [source for source in found if isinstance(source, Source)]


def _before(source: FuzzyDate, fact: FuzzyDate) -> bool:
    """Certainly before: the last day the source's date may mean is earlier than the first the fact's may."""
    return _last_day(source) < fact.start.as_date


def _last_day(date: FuzzyDate) -> datetime.date:
    """The last day a date may mean: "June 2021" may be the 30th."""
    end = date.end or date.start
    month = end.month or 12
    return datetime.date(end.year, month, end.day or calendar.monthrange(end.year, month)[1])
