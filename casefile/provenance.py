"""How independent a fact's sources are: the origins it rests on once every `cites:` is followed.

Reports that rely on one another (The Moscow Times relaying Myanmar Now) or on the same upstream (EFE and
Myanmar Now both quoting TASS) are one origin, however many outlets repeat it. Pages flag a fact that rests
on one origin, or only on state or party media; the methodology page explains the flags in the words of
:data:`LABELS`, and ``check --report`` lists the flagged facts for the editor. A pure stage on the resolved
investigation: ``cites:`` has no circles by then (resolving reports them).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from .diagnostics import Location
from .i18n import N_
from .model import Dossier, Source, Sourced, SourceRef, YamlPath, walk
from .resolve import Investigation

METHODOLOGY = "methodology"  # the page (content/pages/methodology.md) that explains the labels after its text

INDEPENDENCE = N_(
    "We count the independent origins of every fact, following what each source says it relies on. A report "
    "that relays another report, or that relies on the same source as another report, does not confirm it: "
    "three outlets repeating one news agency's story are one origin, not three. Where a footnote says whom a "
    "report is citing for the fact, only that source counts. Otherwise everything the report relies on counts, "
    "so two reports that cite the same source are counted as one origin even if they may have learned the "
    "fact separately: we would rather undercount than claim a confirmation we cannot show."
)


@dataclass(frozen=True)
class Label:
    """A flag readers see beside a fact, and the plain words that explain it wherever it is explained."""

    key: str  # the CSS class, and the anchor on the methodology page
    name: str  # a msgid, like the explanation
    explanation: str


SINGLE_ORIGIN = Label(
    "single-origin",
    N_("one origin"),
    N_(
        "The fact rests on a single independent origin: one source, or several reports that all go back "
        "to the same source. Read it as one account, not as confirmed by several."
    ),
)
STATE_MEDIA = Label(
    "state-media",
    N_("state media"),
    N_(
        "The fact rests only on state or party media: outlets that a government or a ruling party owns or "
        "controls, as the reports describe them. It is what that government or party says."
    ),
)
LABELS = (SINGLE_ORIGIN, STATE_MEDIA)


@dataclass(frozen=True)
class Origin:
    """One independent origin: the sources furthest upstream that its citations give for the fact, the source
    they have in common when those are several (reports citing the same source elsewhere), and the reports."""

    sources: tuple[Source, ...]
    common: tuple[Source, ...]
    reports: tuple[Source, ...]
    state_media: bool  # every source the reports give for the fact is state or party media


@dataclass(frozen=True)
class Corroboration:
    """The independent origins of one fact's citations."""

    origins: tuple[Origin, ...]
    lineage: frozenset[str]  # every source the fact rests on: its page changes when any of them does

    @property
    def labels(self) -> tuple[Label, ...]:
        single = (SINGLE_ORIGIN,) if len(self.origins) == 1 else ()
        state = (STATE_MEDIA,) if self.origins and all(o.state_media for o in self.origins) else ()
        return single + state

    @property
    def upstream(self) -> tuple[Source, ...]:
        return _unique(source for origin in self.origins for source in origin.sources)

    @property
    def common(self) -> tuple[Source, ...]:
        return _unique(source for origin in self.origins for source in origin.common)

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

    def rests_on(self, ref: SourceRef) -> frozenset[str]:
        """A citation naming whom the report is citing rests on those alone; otherwise on all the report cites."""
        return frozenset().union(*(self.lineage(i) for i in ref.citing or [ref.id]))

    def corroborate(self, refs: Iterable[SourceRef]) -> Corroboration:
        """Citations whose sources overlap, directly or through a third, are one origin."""
        groups: list[tuple[list[SourceRef], frozenset[str]]] = []
        for ref in refs:
            rests = self.rests_on(ref)
            joined = [group for group in groups if group[1] & rests]
            merged = ([r for group in joined for r in group[0]] + [ref], rests.union(*(g[1] for g in joined)))
            groups = [group for group in groups if group not in joined] + [merged]
        origins = tuple(self._origin(group) for group, _ in groups)
        return Corroboration(origins, frozenset().union(*(rests for _, rests in groups)))

    def _origin(self, refs: list[SourceRef]) -> Origin:
        """Named by the furthest upstream of the sources the citations give (a report, or whom it is citing)."""
        given = list(dict.fromkeys(i for ref in refs for i in ref.citing or [ref.id]))
        upstream = [i for i in given if not any(o in self.lineage(i) for o in given if o != i)]
        shared = frozenset.intersection(*(self.lineage(i) for i in upstream)) if len(upstream) > 1 else frozenset()
        common = [i for i in sorted(shared) if not any(i in self.lineage(o) for o in shared if o != i)]
        state = all(isinstance(s := self.dossiers.get(i), Source) and s.controlled_by for i in given)
        reports = self._sources(dict.fromkeys(ref.id for ref in refs))
        return Origin(self._sources(upstream), self._sources(common), reports, state)

    def _sources(self, ids: Iterable[str]) -> tuple[Source, ...]:
        return tuple(s for i in ids if isinstance(s := self.dossiers.get(i), Source))


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
        found = [((), dossier)] + [(path, value) for path, value, _ in walk(dossier) if isinstance(value, Sourced)]
        for path, sourced in found:
            if sourced.sources:
                yield Fact(dossier, path, sourced, provenance.corroborate(sourced.sources))


def _unique(sources: Iterable[Source]) -> tuple[Source, ...]:
    return tuple({source.id: source for source in sources}.values())
