"""How independent a fact's sources are: the origins its own citations give, fact by fact.

A citation rests on whom it says the report is citing for the fact (``citing:``); a plain citation is the
outlet's own voice. A source's ``cites:`` records what the report relies on somewhere in it, which does not
make every fact it supports a relay: where a fact cites such a report plainly, pages say only what is known
("EFE also relays Myanmar Now in its report"), and ``check --report`` lists the citation so the editor can
write ``citing:`` or confirm ``own_voice: true``. Citations resting on a shared source are one origin,
however many outlets repeat it. A fact whose reports disagree (several ``values:``, ``other_dates:``, or
``sources_differ: true``) is a conflict: neither one origin nor corroborated.

Pages mark a fact that rests on one origin (calmly), only on state or party media, or on reports that
disagree; the methodology page explains the marks in the words of :data:`LABELS`. A pure stage on the
resolved investigation.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from casefile.content.model import Dossier, Reply, Source, Sourced, SourceRef, YamlPath, walk
from casefile.diagnostics import Location
from casefile.investigation.conflicts import dossier_conflicts
from casefile.investigation.resolve import Investigation
from casefile.messages import N_

METHODOLOGY = "methodology"  # the page (content/pages/methodology.md) that explains the labels after its text

INDEPENDENCE = N_(
    "We count the independent origins of every fact from its own footnotes. A report that relays another "
    "report for the fact, or relies on the same source for it as another report, does not confirm it: three "
    "outlets repeating one news agency's story are one origin, not three. Where a footnote says whom a report "
    "is citing, only that source counts; otherwise the report speaks in its own voice. A report may rely on "
    "others elsewhere in its text: where we have not said whether it does so for a fact, the fact's note says "
    "what we know, and no more."
)


@dataclass(frozen=True)
class Label:
    """A mark readers see beside a fact, and the plain words that explain it wherever it is explained.

    ``strong`` marks are the ones a reader should not miss; a calm one says how a fact is sourced, not that
    something is wrong."""

    key: str  # the CSS class, and the anchor on the methodology page
    name: str  # a msgid, like the explanation
    explanation: str
    strong: bool


SINGLE_ORIGIN = Label(
    "single-origin",
    N_("one origin"),
    N_(
        "The fact rests on a single independent origin: one source, or several reports that all go back "
        "to the same source for it. Read it as one account, not as confirmed by several."
    ),
    strong=False,
)
STATE_MEDIA = Label(
    "state-media",
    N_("state media"),
    N_(
        "The fact rests only on state or party media: outlets that a government or a ruling party owns or "
        "controls, as the reports describe them. It is what that government or party says."
    ),
    strong=True,
)
SOURCES_DIFFER = Label(
    "sources-differ",
    N_("sources differ"),
    N_(
        "The reports disagree on this. Each account is shown with its own source; neither confirms the "
        "other, and we do not say which is right."
    ),
    strong=True,
)
LABELS = (SINGLE_ORIGIN, STATE_MEDIA, SOURCES_DIFFER)


@dataclass(frozen=True)
class Origin:
    """One independent origin: the sources its citations rest on for the fact, and the reports citing them."""

    sources: tuple[Source, ...]
    reports: tuple[Source, ...]
    state_media: bool  # every source it rests on is state or party media


@dataclass(frozen=True)
class Relay:
    """A report cited plainly for a fact whose ``cites:`` says it relies on others somewhere in it."""

    report: Source
    relayed: tuple[Source, ...]


# How the reports disagree on a fact: "marked" (``sources_differ: true``, flagged beside the fact), "shown" (one of a
# field's differing values or dates, which the page sets side by side under "Sources differ"), or None.
Conflicting = Literal["marked", "shown"] | None


@dataclass(frozen=True)
class Corroboration:
    """The independent origins of one fact's citations, and what is known of them besides."""

    origins: tuple[Origin, ...]
    lineage: frozenset[str]  # every source the fact's note can name: its page changes when any of them does
    conflict: Conflicting = None
    relays: tuple[Relay, ...] = ()  # plain citations of reports that relay others elsewhere

    @property
    def labels(self) -> tuple[Label, ...]:
        """A fact the reports disagree on is neither one origin nor corroborated: it is marked as a conflict,
        here, or where the page shows its differing values or dates side by side."""
        if self.conflict:
            base: tuple[Label, ...] = (SOURCES_DIFFER,) if self.conflict == "marked" else ()
        else:
            base = (SINGLE_ORIGIN,) if len(self.origins) == 1 else ()
        state = (STATE_MEDIA,) if self.origins and all(o.state_media for o in self.origins) else ()
        return base + state

    @property
    def upstream(self) -> tuple[Source, ...]:
        return _unique(source for origin in self.origins for source in origin.sources)

    @property
    def reports(self) -> tuple[Source, ...]:
        return _unique(report for origin in self.origins for report in origin.reports)

    @property
    def outlets(self) -> tuple[str, ...]:
        """The publishers of the reports, each once: two reports by one outlet are one outlet."""
        return tuple(dict.fromkeys(report.publisher for report in self.reports))

    @property
    def relayed(self) -> bool:
        """Whether a report other than the origin itself carries the fact."""
        return any(report not in self.upstream for report in self.reports)


@dataclass
class Provenance:
    """Origins of citations in one investigation; what each source rests on is worked out once."""

    dossiers: Mapping[str, Dossier]
    _lineages: dict[str, frozenset[str]] = field(default_factory=dict)
    _conflicted: set[int] | None = None

    def lineage(self, source_id: str) -> frozenset[str]:
        """The source and every source it cites, directly or through others (a loop, not recursion: a chain
        of a thousand reports must not overflow Python's stack)."""
        pending = [source_id]
        while pending:
            current = pending[-1]
            source = self.dossiers.get(current)
            cited = [c.id for c in source.cites] if isinstance(source, Source) else []
            missing = [i for i in cited if i not in self._lineages]
            if missing:
                pending += missing
                continue
            self._lineages[current] = frozenset({current}).union(*(self._lineages[i] for i in cited))
            pending.pop()
        return self._lineages[source_id]

    def in_conflict(self, fact: Sourced) -> Conflicting:
        """Whether the reports disagree on ``fact``, and how the page shows it (:data:`Conflicting`)."""
        if getattr(fact, "sources_differ", False):
            return "marked"
        if self._conflicted is None:
            found = (c for d in self.dossiers.values() for c in dossier_conflicts(d))
            self._conflicted = {id(value) for conflict in found for value in conflict.values}
        return "shown" if id(fact) in self._conflicted else None

    def corroborate(self, refs: Iterable[SourceRef], conflict: Conflicting = None) -> Corroboration:
        """Citations resting on a shared source, for this fact, are one origin."""
        refs = list(refs)
        groups: list[tuple[list[SourceRef], frozenset[str]]] = []
        for ref, rests in zip(refs, _rests(refs), strict=True):
            joined = [group for group in groups if group[1] & rests]
            merged = ([r for group in joined for r in group[0]] + [ref], rests.union(*(g[1] for g in joined)))
            groups = [group for group in groups if group not in joined] + [merged]
        origins = tuple(self._origin(group, rests) for group, rests in groups)
        relays = tuple(self._relays(refs))
        named = [i for ref in refs for i in (ref.id, *ref.citing)]
        lineage = frozenset().union(*(self.lineage(i) for i in named)) if named else frozenset()
        return Corroboration(origins, lineage, conflict, relays)

    def _origin(self, refs: list[SourceRef], rests: frozenset[str]) -> Origin:
        given = [i for ref in refs for i in _whom(ref) if i in rests] + sorted(rests)
        sources = self._sources(dict.fromkeys(given))
        state = bool(sources) and all(source.controlled_by for source in sources)
        return Origin(sources, self._sources(dict.fromkeys(ref.id for ref in refs)), state)

    def _relays(self, refs: list[SourceRef]) -> Iterator[Relay]:
        for ref in refs:
            source = self.dossiers.get(ref.id)
            if isinstance(source, Source) and source.cites and not ref.citing and not ref.own_voice:
                yield Relay(source, self._sources(dict.fromkeys(c.id for c in source.cites)))

    def _sources(self, ids: Iterable[str]) -> tuple[Source, ...]:
        return tuple(s for i in ids if isinstance(s := self.dossiers.get(i), Source))


def _whom(ref: SourceRef) -> list[str]:
    """Whom a citation gives for the fact: those it names as cited, or the report itself."""
    return list(ref.citing) or [ref.id]


def _rests(refs: list[SourceRef]) -> list[frozenset[str]]:
    """What each citation rests on for this fact. A report that another citation of the same fact names as
    cited rests on what that report's own citation of the fact gives (The Moscow Times citing Myanmar Now,
    Myanmar Now citing documents: both rest on the documents)."""
    said: dict[str, set[str]] = {}
    for ref in refs:
        said.setdefault(ref.id, set()).update(_whom(ref))
    return [_followed(_whom(ref), said) for ref in refs]


def _followed(start: list[str], said: dict[str, set[str]]) -> frozenset[str]:
    found: set[str] = set()
    pending, seen = list(start), set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        for onward in said.get(current, {current}):
            (found.add if onward == current else pending.append)(onward)
    return frozenset(found or start)


@dataclass(frozen=True)
class Fact:
    """One sourced thing in a dossier (a claim, role, party, value, date, participant, or the dossier's own
    ``sources:``) and how independent its sources are."""

    dossier: Dossier
    path: YamlPath  # () for the dossier's own sources
    sourced: Sourced
    corroboration: Corroboration

    @property
    def location(self) -> Location:
        return self.dossier.origin.location(self.path or ("sources",))


def facts(investigation: Investigation) -> Iterator[Fact]:
    """Every sourced fact of the investigation, dossier by dossier, in document order."""
    provenance = Provenance(investigation.dossiers)
    for dossier in investigation.dossiers.values():
        found = [((), dossier)] + [(path, value) for path, value, _ in walk(dossier) if _is_fact(value)]
        for path, sourced in found:
            if sourced.sources:
                corroboration = provenance.corroborate(sourced.sources, provenance.in_conflict(sourced))
                yield Fact(dossier, path, sourced, corroboration)


def _is_fact(value: object) -> bool:
    """A sourced thing a reader takes as reported; a reply's sources are where an answer is on record."""
    return isinstance(value, Sourced) and not isinstance(value, Reply)


def _unique(sources: Iterable[Source]) -> tuple[Source, ...]:
    return tuple({source.id: source for source in sources}.values())
