"""Resolve every reference between dossiers and index the relations both ways.

After this stage the :class:`Investigation` is complete and consistent: every
id points at a dossier of the right type, and every dossier knows who points
at it (role holders, deals, events, mentions, citations).  All later stages
work from it, never from files.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from . import markdown
from .config import SiteConfig
from .diagnostics import Diagnostics, Location, did_you_mean
from .loader import LoadedSite
from .model import (
    Actor,
    Deal,
    Document,
    Dossier,
    Event,
    Page,
    Participant,
    Party,
    Role,
    Source,
    SourceRef,
    references,
    source_refs,
)

D = TypeVar("D", bound=Dossier)


@dataclass
class Backlinks:
    """Who points at one dossier, grouped the way its page shows them."""

    role_holders: list[tuple[Actor, Role]] = field(default_factory=list)
    nationals: list[Actor] = field(default_factory=list)
    deals: list[tuple[Deal, Party]] = field(default_factory=list)
    events: list[tuple[Event, Participant]] = field(default_factory=list)
    sub_events: list[Event] = field(default_factory=list)
    deals_agreed: list[Deal] = field(default_factory=list)
    mentioned_by: list[Dossier] = field(default_factory=list)
    cited_by: list[Dossier] = field(default_factory=list)
    relied_on_by: list[Source] = field(default_factory=list)


@dataclass
class Investigation:
    """The resolved model: every later stage works from this alone."""

    root: Path
    config: SiteConfig
    dossiers: dict[str, Dossier]
    backlinks: dict[str, Backlinks]

    def all(self, cls: type[D]) -> list[D]:
        """Dossiers of one type, in id order."""
        return [d for d in self.dossiers.values() if isinstance(d, cls)]

    @property
    def actors(self) -> list[Actor]:
        return self.all(Actor)

    @property
    def deals(self) -> list[Deal]:
        return self.all(Deal)

    @property
    def events(self) -> list[Event]:
        return self.all(Event)

    @property
    def sources(self) -> list[Source]:
        return self.all(Source)

    @property
    def pages(self) -> list[Page]:
        return sorted(self.all(Page), key=lambda p: (p.order, p.title))

    @property
    def home(self) -> Page | None:
        page = self.dossiers.get("index")
        return page if isinstance(page, Page) else None


def resolve(site: LoadedSite, diagnostics: Diagnostics) -> Investigation | None:
    """The resolved investigation, or None when a reference is broken."""
    dossiers = {d.id: d for d in sorted(site.dossiers, key=lambda d: d.id)}
    checker = _ReferenceChecker(dossiers, site.broken_ids, diagnostics)
    for dossier in dossiers.values():
        checker.check(dossier)
    if diagnostics.has_errors() or site.config is None:
        return None
    return Investigation(site.root, site.config, dossiers, _backlinks(dossiers))


_TYPES = ("actor", "deal", "event", "source", "page")


@dataclass
class _ReferenceChecker:
    """Checks every id a dossier names; ids of files that failed to load are not reported again."""

    dossiers: dict[str, Dossier]
    broken_ids: set[str]
    diagnostics: Diagnostics

    def check(self, dossier: Dossier) -> None:
        origin = dossier.origin
        for path, target, marker in references(dossier):
            self._expect(target, marker.kinds, origin.location(path))
        for path, ref in source_refs(dossier):
            self._check_citing(ref, origin.location, path)
        if isinstance(dossier, Actor) and isinstance(country := self.dossiers.get(dossier.country or ""), Actor):
            if country.kind != "state":
                self.diagnostics.error(
                    origin.location(("country",)),
                    f"'{country.id}' is a {country.kind}, not a state",
                    "`country:` names the actor of kind state the actor belongs to",
                )
        for index, claim in enumerate(dossier.claims):
            self._check_tokens(claim.tokens, lambda line, markup, i=index: origin.location(("claims", i, "text")))
        if (document := dossier.narrative) is not None:
            self._check_tokens(document.tokens, lambda line, markup: _markdown_location(document, line, markup))

    def _expect(self, target: str, kinds: tuple[str, ...], where: Location) -> None:
        """Report a reference to a missing id, or to a dossier of the wrong type."""
        found = self.dossiers.get(target)
        if (found is not None and found.type in kinds) or target in self.broken_ids:
            return
        wanted = " or ".join(kinds) if len(kinds) < len(_TYPES) else "dossier or page"
        if found is not None:
            self.diagnostics.error(where, f"'{target}' is a {found.type}, not a {wanted}", f"point at a {wanted} here")
            return
        candidates = [i for i, d in self.dossiers.items() if d.type in kinds]
        create = f"content/{kinds[0]}s/{target}.yaml" if len(kinds) == 1 else "a dossier with that id"
        hint = did_you_mean(target, candidates) or f"create {create}, or fix the id"
        self.diagnostics.error(where, f"unknown {wanted} '{target}'", hint)

    def _check_citing(self, ref: SourceRef, locate, path: tuple) -> None:
        source = self.dossiers.get(ref.id)
        if not isinstance(source, Source):
            return
        relied_on = {c.id for c in source.cites}
        for index, cited in enumerate(ref.citing):
            if cited in self.dossiers and cited not in relied_on:
                self.diagnostics.warning(
                    locate(path + ("citing", index)),
                    f"'{source.id}' does not list '{cited}' in its `cites:`",
                    f"add `- {cited}` to cites: in {source.id}.yaml",
                )

    def _check_tokens(self, tokens: list, locate) -> None:
        for ref in markdown.references(tokens):
            self._expect(ref.target, ("source",) if ref.kind == "cite" else _TYPES, locate(ref.line, ref.markup))
        for href, line in markdown.unsafe_links(tokens):
            self.diagnostics.error(
                locate(line, href),
                f"the link '{href}' is not allowed",
                "links may use http://, https://, mailto: or a relative address",
            )


def _markdown_location(document: Document, line: int, markup: str) -> Location:
    lines = document.text.splitlines()
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return Location(document.path, line + document.line_offset, text.find(markup) + 1 if markup in text else 1)


def _backlinks(dossiers: dict[str, Dossier]) -> dict[str, Backlinks]:
    links: dict[str, Backlinks] = defaultdict(Backlinks)
    for dossier in dossiers.values():
        if isinstance(dossier, Actor):
            for role in dossier.roles:
                if role.of:
                    links[role.of].role_holders.append((dossier, role))
            if dossier.country:
                links[dossier.country].nationals.append(dossier)
        elif isinstance(dossier, Deal):
            for party in dossier.parties:
                links[party.actor].deals.append((dossier, party))
            if dossier.agreed_at:
                links[dossier.agreed_at].deals_agreed.append(dossier)
        elif isinstance(dossier, Event):
            for participant in dossier.participants:
                links[participant.actor].events.append((dossier, participant))
            if dossier.part_of:
                links[dossier.part_of].sub_events.append(dossier)
        elif isinstance(dossier, Source):
            for cited in dossier.cites:
                links[cited.id].relied_on_by.append(dossier)
        for target in _unique(_mentions(dossier)):
            if target != dossier.id:
                links[target].mentioned_by.append(dossier)
        for target in _unique(_citations(dossier)):
            links[target].cited_by.append(dossier)
    for backlinks in links.values():
        backlinks.deals.sort(key=lambda pair: date_key(pair[0]))
        backlinks.events.sort(key=lambda pair: date_key(pair[0]))
        backlinks.sub_events.sort(key=date_key)
    return {i: links[i] for i in dossiers}


def date_key(dossier: Dossier) -> tuple:
    """Oldest first; undated last, then by id, so order never depends on file order."""
    when = dossier.when
    return (when is None, when.sort_key if when else (), dossier.id)


def _unique(items: Iterator[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _token_lists(dossier: Dossier) -> Iterator[list]:
    if dossier.narrative is not None:
        yield dossier.narrative.tokens
    for claim in dossier.claims:
        yield claim.tokens


def _mentions(dossier: Dossier) -> Iterator[str]:
    for tokens in _token_lists(dossier):
        yield from (r.target for r in markdown.references(tokens) if r.kind == "link")


def _citations(dossier: Dossier) -> Iterator[str]:
    for _, ref in source_refs(dossier):
        yield ref.id
        yield from ref.citing
    for tokens in _token_lists(dossier):
        yield from (r.target for r in markdown.references(tokens) if r.kind == "cite")
