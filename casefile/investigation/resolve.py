"""Resolve every reference between dossiers and index the relations both ways.

After this stage the :class:`Investigation` is complete and consistent: every
id points at a dossier of the right type, and every dossier knows who points
at it (role holders, deals, events, mentions, citations).  All later stages
work from it, never from files.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import TypeVar

import networkx as nx

from casefile.content import markdown
from casefile.content.config import SiteConfig
from casefile.content.loader import LoadedSite
from casefile.content.model import (
    Actor,
    Deal,
    Document,
    Dossier,
    Event,
    MarkdownText,
    Page,
    Participant,
    Party,
    Role,
    Source,
    SourceRef,
    references,
    source_refs,
)
from casefile.diagnostics import Diagnostics, Location, did_you_mean
from casefile.investigation.gallery import Gallery
from casefile.investigation.quoted import Quotes
from casefile.investigation.replies import reply_problems

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

    def items(self) -> Iterator[tuple[str, object]]:
        """(field name, item) for every backlink."""
        for name in self.__dataclass_fields__:
            yield from ((name, item) for item in getattr(self, name))

    def normalise(self) -> None:
        """The order a full build gives: by the pointing dossier's id, dated lists by date."""
        for name in self.__dataclass_fields__:
            getattr(self, name).sort(key=_source_id)
        self.deals.sort(key=lambda pair: date_key(pair[0]))
        self.events.sort(key=lambda pair: date_key(pair[0]))
        self.sub_events.sort(key=date_key)


@dataclass
class Investigation:
    """The resolved model: every later stage works from this alone."""

    root: Path
    config: SiteConfig
    dossiers: dict[str, Dossier]
    backlinks: dict[str, Backlinks]
    drafts: dict[str, Dossier] = field(default_factory=dict)  # left out of this build (shown as plain names)
    media: Gallery = field(default_factory=Gallery)  # the evidence files, once casefile.output.evidence published them
    quotes: Quotes = field(default_factory=Quotes)  # its quotations found in the reports' stored texts

    def all(self, cls: type[D]) -> list[D]:
        """Dossiers of one type, in id order."""
        return [d for d in self.dossiers.values() if isinstance(d, cls)]

    @cached_property
    def actors(self) -> list[Actor]:
        return self.all(Actor)

    @cached_property
    def deals(self) -> list[Deal]:
        return self.all(Deal)

    @cached_property
    def events(self) -> list[Event]:
        return self.all(Event)

    @cached_property
    def sources(self) -> list[Source]:
        return self.all(Source)

    @cached_property
    def pages(self) -> list[Page]:
        return sorted(self.all(Page), key=lambda p: (p.order, p.title))

    @cached_property
    def home(self) -> Page | None:
        page = self.dossiers.get("index")
        return page if isinstance(page, Page) else None


Relation = tuple[str, str, object]  # (target id, Backlinks field, item appended there)


@dataclass
class ResolveCache:
    """What resolving found per dossier, reused while the dossier and the set of ids stay the same.

    The dev server keeps one, so an edit re-checks only the edited dossier and those that point at it.
    """

    signature: tuple = ()
    entries: dict[str, tuple[Dossier, list[Relation], list]] = field(default_factory=dict)
    previous: Investigation | None = None


def resolve(site: LoadedSite, diagnostics: Diagnostics, cache: ResolveCache | None = None) -> Investigation | None:
    """The resolved investigation, or None when a reference is broken."""
    cache = cache if cache is not None else ResolveCache()
    dossiers = {d.id: d for d in sorted(site.dossiers, key=lambda d: d.id)}
    signature = (tuple((i, d.type) for i, d in dossiers.items()), tuple(sorted(site.broken_ids)))
    same_ids = signature == cache.signature and cache.previous is not None
    changed = {i for i, d in dossiers.items() if cache.entries.get(i, (None,))[0] is not d}
    recheck = changed | _referrers(changed, cache, dossiers) if same_ids else set(dossiers)
    checker = _ReferenceChecker(dossiers, site.broken_ids, Diagnostics())
    earlier_targets = {t for i in changed if i in cache.entries for t, _, _ in cache.entries[i][1]}
    for dossier_id, dossier in dossiers.items():
        if dossier_id in recheck:
            checker.diagnostics = Diagnostics()
            checker.check(dossier)
            outgoing = relations(dossier) if dossier_id in changed or not same_ids else cache.entries[dossier_id][1]
            cache.entries[dossier_id] = (dossier, outgoing, checker.diagnostics.problems)
        for problem in cache.entries[dossier_id][2]:
            diagnostics.add(problem)
    for gone in set(cache.entries) - set(dossiers):
        del cache.entries[gone]
    cache.signature = signature
    _report_circles(dossiers, diagnostics)
    if diagnostics.has_errors() or site.config is None:
        cache.previous = None
        return None
    backlinks = _backlinks(dossiers, cache, changed if same_ids else None, earlier_targets)
    for actor in (d for d in dossiers.values() if isinstance(d, Actor)):
        actor.use_language(site.config.language)
    cache.previous = Investigation(site.root, site.config, dossiers, backlinks)
    return cache.previous


def _referrers(changed: set[str], cache: ResolveCache, dossiers: dict[str, Dossier]) -> set[str]:
    """Dossiers whose checks depend on a changed one: everything pointing at it, before or now."""
    found: set[str] = set()
    previous = cache.previous
    for dossier_id in changed:
        if previous is not None and dossier_id in previous.backlinks:
            found.update(_source_id(item) for _, item in previous.backlinks[dossier_id].items())
    return found & set(dossiers)


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
        for problem in reply_problems(dossier):
            self.diagnostics.add(problem)
        if isinstance(dossier, Actor) and dossier.country == dossier.id:
            self.diagnostics.error(
                origin.location(("country",)),
                f"'{dossier.id}' names itself as its country",
                "`country:` names another actor, the state the actor belongs to; a state needs no `country:`",
            )
        elif isinstance(dossier, Actor) and isinstance(country := self.dossiers.get(dossier.country or ""), Actor):
            if country.kind != "state":
                self.diagnostics.error(
                    origin.location(("country",)),
                    f"'{country.id}' is a {country.kind}, not a state",
                    "`country:` names the actor of kind state the actor belongs to",
                )
        for index, role in enumerate(dossier.roles if isinstance(dossier, Actor) else []):
            if role.of == dossier.id:
                self.diagnostics.error(
                    origin.location(("roles", index, "of")),
                    f"'{dossier.id}' holds a role of itself",
                    "`of:` names the other actor the role is held in, e.g. the organisation",
                )
        for text, locate in markdown_texts(dossier):
            self._check_text(text, locate)

    def _expect(self, target: str, kinds: tuple[str, ...], where: Location) -> None:
        """Report a reference to a missing id, or to a dossier of the wrong type."""
        found = self.dossiers.get(target)
        if (found is not None and found.type in kinds) or target in self.broken_ids:
            return
        wanted = " or ".join(kinds) if len(kinds) < len(_TYPES) else "dossier or page"
        if found is not None:
            kind, wanted = _article(found.type), _article(wanted)
            self.diagnostics.error(where, f"'{target}' is {kind}, not {wanted}", f"point at {wanted} here")
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

    def _check_text(self, text: MarkdownText, locate) -> None:
        for ref in text.references:
            self._expect(ref.target, ("source",) if ref.kind == "cite" else _TYPES, locate(ref.line, ref.markup))
        for href, line in markdown.unsafe_links(text.tokens):
            self.diagnostics.error(
                locate(line, href),
                f"the link '{href}' is not allowed",
                "links may use http://, https://, mailto: or a relative address",
            )


def _article(noun: str) -> str:
    """``an actor``, ``a source``."""
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _report_circles(dossiers: dict[str, Dossier], diagnostics: Diagnostics) -> None:
    """A source that relies on itself (directly or through others), an event part of itself: each circle
    once, at one member's pointer, naming the chain."""
    for kind, verb, pointers in (
        (Source, "relies on itself", lambda d: [(("cites", i, "id"), c.id) for i, c in enumerate(d.cites)]),
        (Event, "is part of itself", lambda d: [(("part_of",), d.part_of)] if d.part_of else []),
    ):
        chains = nx.DiGraph()
        for dossier in dossiers.values():
            if isinstance(dossier, kind):
                for path, target in pointers(dossier):
                    if isinstance(dossiers.get(target), kind):
                        chains.add_edge(dossier.id, target, path=path)
        for circle in nx.strongly_connected_components(chains):
            first = min(circle)
            if len(circle) == 1 and not chains.has_edge(first, first):
                continue
            edges = nx.find_cycle(chains.subgraph(circle), source=first)
            member = edges[0][0]
            chain = " → ".join([u for u, _ in edges] + [member])
            diagnostics.error(
                dossiers[member].origin.location(chains.edges[edges[0]]["path"]),
                f"'{member}' {verb}: {chain}",
                "break the circle: remove one of these links",
            )


def markdown_texts(dossier: Dossier) -> Iterator[tuple[MarkdownText, Callable[[int, str], Location]]]:
    """The markdown of ``dossier`` (its narrative, each claim), each with what locates a line of it."""
    if (document := dossier.narrative) is not None:
        yield document, partial(_markdown_location, document)
    for index, claim in enumerate(dossier.claims):  # located only when asked: most texts have nothing to report
        yield claim, lambda line, markup, i=index: dossier.origin.location(("claims", i, "text"))


def _markdown_location(document: Document, line: int, markup: str) -> Location:
    lines = document.text.splitlines()
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return Location(document.path, line + document.line_offset, text.find(markup) + 1 if markup in text else 1)


def relations(dossier: Dossier) -> list[Relation]:
    """Every relation from ``dossier`` to another, as the target's page lists it."""
    mentions, cited = _markdown_targets(dossier)
    fact_sources = [source for _, ref in source_refs(dossier) for source in (ref.id, *ref.citing)]
    return [
        *typed_relations(dossier),
        *((t, "mentioned_by", dossier) for t in mentions if t != dossier.id),
        *((t, "cited_by", dossier) for t in _unique(fact_sources + cited)),
    ]


def typed_relations(dossier: Dossier) -> list[Relation]:
    """The relations its fields state (roles, parties, participants, …): what the network graph draws."""
    found: list[Relation] = []
    if isinstance(dossier, Actor):
        found += [(role.of, "role_holders", (dossier, role)) for role in dossier.roles if role.of]
        if dossier.country:
            found.append((dossier.country, "nationals", dossier))
    elif isinstance(dossier, Deal):
        found += [(party.actor, "deals", (dossier, party)) for party in dossier.parties]
        if dossier.agreed_at:
            found.append((dossier.agreed_at, "deals_agreed", dossier))
    elif isinstance(dossier, Event):
        found += [(p.actor, "events", (dossier, p)) for p in dossier.participants]
        if dossier.part_of:
            found.append((dossier.part_of, "sub_events", dossier))
    elif isinstance(dossier, Source):
        found += [(cited.id, "relied_on_by", dossier) for cited in dossier.cites]
    return found


def _backlinks(
    dossiers: dict[str, Dossier], cache: ResolveCache, changed: set[str] | None, earlier_targets: set[str]
) -> dict[str, Backlinks]:
    """Backlinks for every dossier; after an edit, only the lists the edit touched are rebuilt."""
    if changed is None or cache.previous is None:
        links: dict[str, Backlinks] = defaultdict(Backlinks)
        for dossier_id in dossiers:
            for target, name, item in cache.entries[dossier_id][1]:
                getattr(links[target], name).append(item)
        for backlinks in links.values():
            backlinks.normalise()
        return {i: links[i] for i in dossiers}
    result = dict(cache.previous.backlinks)
    touched = earlier_targets | {t for i in changed for t, _, _ in cache.entries[i][1]}
    for target in touched & set(dossiers):
        fresh = Backlinks()
        for name, item in result[target].items():
            if _source_id(item) not in changed:
                getattr(fresh, name).append(item)
        for source in changed:
            for relation_target, name, item in cache.entries[source][1]:
                if relation_target == target:
                    getattr(fresh, name).append(item)
        fresh.normalise()
        result[target] = fresh
    return result


def _source_id(item: object) -> str:
    """The id of the dossier a backlink comes from."""
    return (item[0] if isinstance(item, tuple) else item).id


def date_key(dossier: Dossier) -> tuple:
    """Oldest first; undated last, then by id, so order never depends on file order."""
    when = dossier.when
    return (when is None, when.sort_key if when else (), dossier.id)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _markdown_targets(dossier: Dossier) -> tuple[list[str], list[str]]:
    """The ids the dossier's markdown links to and the sources it cites, each once, in order."""
    links: list[str] = []
    cites: list[str] = []
    for text, _ in markdown_texts(dossier):
        for ref in text.references:
            (cites if ref.kind == "cite" else links).append(ref.target)
    return _unique(links), _unique(cites)
