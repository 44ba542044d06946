"""``check --report``: where the investigation's sourcing is weakest, for the editor, one line per place.

Besides the marked facts, it lists every plain citation of a report whose ``cites:`` says it relies on others:
the pages can only say that the report "also relays" them; the editor knows whether it does for this fact.

Last comes what is still to do before publication: who is named with no request for comment on record, which
requests are still open, which dossiers are not signed off as they stand (:mod:`casefile.investigation.policy`).

It is printed rather than published: an unlinked page of a static site is still public, and a list of the
newsroom's weakest facts is a working document, not something for readers to stumble on.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from casefile.content.model import Answerable, Claim, DatedFact, Dossier, Item, Participant, Party, Role, Source, Value
from casefile.diagnostics import Location
from casefile.investigation.archiving import unarchived
from casefile.investigation.conflicts import unexplained
from casefile.investigation.editions import missing
from casefile.investigation.policy import DEFAULT_ASKED, review_lists, reviewed_at, unasked
from casefile.investigation.provenance import SINGLE_ORIGIN, STATE_MEDIA, Fact, facts
from casefile.investigation.resolve import Investigation


@dataclass(frozen=True)
class DossierSourcing:
    """How many of a dossier's facts rest on one origin, or only on state or party media."""

    dossier: Dossier
    facts: int
    single_origin: int
    state_media: int

    @property
    def weakness(self) -> tuple[float, float]:
        """The share of facts on one origin, then of facts only on state media: larger is weaker."""
        return (self.single_origin / self.facts, self.state_media / self.facts)


def sourcing_report(investigation: Investigation, root: Path, today: datetime.date | None = None) -> str:
    """The report as text: each section a heading with its count, then one ``path:line:col: …`` line per item;
    last, what is still to do before publication, with deadlines counted to ``today`` unless site.yaml says when
    the investigation was published."""
    found = sorted(facts(investigation), key=lambda fact: fact.location)
    sections: list[tuple[str, list[str]]] = [
        ("Facts resting on a single independent origin", _flagged(found, SINGLE_ORIGIN.key, root)),
        ("Facts resting only on state or party media", _flagged(found, STATE_MEDIA.key, root)),
        ("Plain citations of reports that rely on others: `citing:` or `own_voice: true`?", _relays(found, root)),
        ("Sources with a web address but no archived copy", _unarchived(investigation.sources, root)),
        ("Fields the sources disagree on, without an editor's note", _unexplained(investigation, root)),
        ("Dossiers by sourcing, weakest first", _weakest(found, root)),
    ]
    return (
        "\n".join(_section(title, lines) for title, lines in sections)
        + "\n"
        + before_publication(investigation, root, today or datetime.date.today())
        + _untranslated(investigation, root)
    )


def _untranslated(investigation: Investigation, root: Path) -> str:
    """What each edition shows untranslated, language by language; nothing for a site in one language."""
    config = investigation.config
    if len(config.editions) < 2:
        return ""
    found = missing(investigation)
    sections = [
        (
            f"Not yet translated into {language}",
            [
                f"{_where(item.location, root)}: {item.dossier.id} — {item.what}"
                for item in found
                if item.language == language
            ],
        )
        for language in config.editions
    ]
    return "\n" + "".join(_section(title, lines) for title, lines in sections)


def _section(title: str, lines: list[str], indent: str = "") -> str:
    return f"{indent}{title} ({len(lines)}):\n" + "".join(f"{indent}  {line}\n" for line in lines)


def before_publication(investigation: Investigation, root: Path, today: datetime.date) -> str:
    """Who has not been asked for comment, which requests are still open, which dossiers are not signed off as
    they stand: a heading that says which day deadlines are counted to, then its sections, indented."""
    config = investigation.config
    if config.published is not None:
        as_of, which = config.published.start.as_date, "site.yaml's `published:` date"
    else:
        as_of, which = today, "today's date: site.yaml has no `published:`"
    kinds = config.policy.reply_required_for
    whom = f"policy: {', '.join(kinds)}" if kinds else "every person and company: the policy names no kinds"
    waiting, undated, lapsed = _open_requests(investigation, as_of, root)
    text = f"Before publication, as of {as_of.isoformat()} ({which}):\n" + "".join(
        _section(title, lines, "  ")
        for title, lines in (
            (f"Named with no request for comment on record ({whom})", _unasked(investigation, kinds, root)),
            ("Requests for comment still open: no answer, and the deadline has not passed", waiting),
            ("Requests for comment with no deadline and no answer", undated),
            ("Requests for comment past their deadline with no answer: the page says they did not respond", lapsed),
        )
    )
    reviews = review_lists(investigation)
    if reviews is None:
        return text + "  Sign-off is not in use: site.yaml's policy does not require it, and no dossier is signed\n"
    unsigned, changed = reviews
    return (
        text
        + _section(
            "Dossiers not signed off", [f"{_where(d.origin.location(()), root)}: {d.id}" for d in unsigned], "  "
        )
        + _section("Dossiers changed since sign-off", [_changed(d, root) for d in changed], "  ")
    )


def _unasked(investigation: Investigation, kinds: list[str], root: Path) -> list[str]:
    lines = []
    for found in unasked(investigation, kinds or DEFAULT_ASKED):
        places = ", ".join(
            f"{_where(naming.location, root)} ({naming.role.removeprefix('as ')})" for naming in found.places
        )
        where = found.actor.origin.location(())
        lines.append(f"{_where(where, root)}: {found.actor.id} ({found.actor.kind}) — named at {places}")
    return lines


def _open_requests(
    investigation: Investigation, as_of: datetime.date, root: Path
) -> tuple[list[str], list[str], list[str]]:
    """Requests with no response recorded: those whose deadline is ``as_of`` or later, those with no deadline,
    and those past it, which the page reports as unanswered."""
    waiting, undated, lapsed = [], [], []
    for dossier in investigation.dossiers.values():
        for index, reply in enumerate(dossier.replies if isinstance(dossier, Answerable) else []):
            if reply.response != "none":
                continue
            asked = f"{dossier.id}: {', '.join(dossier.asked(reply))} asked on {reply.asked} by {reply.via}"
            if reply.deadline is None:
                undated.append(f"{_where(dossier.origin.location(('replies', index)), root)}: {asked}")
            else:
                where = dossier.origin.location(("replies", index, "deadline"))
                late = (reply.deadline.end or reply.deadline.start).last_date < as_of
                (lapsed if late else waiting).append(f"{_where(where, root)}: {asked}, deadline {reply.deadline}")
    return waiting, undated, lapsed


def _changed(dossier: Dossier, root: Path) -> str:
    last = dossier.reviewed[-1]
    return f"{_where(reviewed_at(dossier), root)}: {dossier.id} — signed off on {last.on} by {last.by}"


def _flagged(found: Iterable[Fact], key: str, root: Path) -> list[str]:
    lines = []
    for fact in found:
        corroboration = fact.corroboration
        if any(label.key == key for label in corroboration.labels):
            origin = _names(corroboration.upstream)
            outlets = ", ".join(corroboration.outlets)
            lines.append(f"{_where(fact.location, root)}: {_describe(fact)} — rests on {origin}; reported by {outlets}")
    return lines


def _relays(found: Iterable[Fact], root: Path) -> list[str]:
    """Each citation that gives a report in its own voice while the report relies on others somewhere: the
    editor writes whom it is citing for the fact, or confirms that it speaks for itself."""
    lines = []
    for fact in found:
        if not fact.path:  # the dossier as a whole draws on the report, relays and all: nothing to decide
            continue
        for relay in fact.corroboration.relays:
            index = next(i for i, ref in enumerate(fact.sourced.sources) if ref.id == relay.report.id)
            where = fact.dossier.origin.location((*fact.path, "sources", index))
            lines.append(
                f"{_where(where, root)}: {_describe(fact)} cites {relay.report.id} plainly; "
                f"its report relies on {', '.join(source.id for source in relay.relayed)}"
            )
    return lines


def _unarchived(sources: Iterable[Source], root: Path) -> list[str]:
    return [
        f"{_where(source.origin.location(('url',)), root)}: {source.id} — {source.url}"
        for source in unarchived(sources)
    ]


def _weakest(found: list[Fact], root: Path) -> list[str]:
    """Dossiers with a flagged fact, the largest share of facts on one origin first."""
    scores = []
    for dossier, group in groupby(found, key=lambda fact: fact.dossier):
        labels = [{label.key for label in fact.corroboration.labels} for fact in group]
        single, state = (sum(key in keys for keys in labels) for key in (SINGLE_ORIGIN.key, STATE_MEDIA.key))
        if single or state:
            scores.append(DossierSourcing(dossier, len(labels), single, state))
    scores.sort(key=lambda score: (*(-share for share in score.weakness), -score.facts, score.dossier.id))
    return [
        f"{_where(s.dossier.origin.location(()), root)}: {s.single_origin} of {s.facts} facts on one origin, "
        f"{s.state_media} only on state or party media"
        for s in scores
    ]


_DESCRIPTIONS: list[tuple[type, Callable]] = [
    (Claim, lambda fact: f"claim “{_short(fact.text)}”"),
    (Value, lambda fact: f"value “{fact.text}”"),
    (Role, lambda fact: f"role “{fact.title}”"),
    (Item, lambda fact: f"item “{_short(fact.what)}”"),
    (Party, lambda fact: f"party {fact.actor}"),
    (Participant, lambda fact: f"participant {fact.actor}"),
    (DatedFact, lambda fact: f"date {fact.date.iso}"),
]


def _describe(fact: Fact) -> str:
    """What the fact is, in a few words: its kind and how it starts."""
    if not fact.path:
        return "the dossier's own sources"
    described = (describe(fact.sourced) for kind, describe in _DESCRIPTIONS if isinstance(fact.sourced, kind))
    return next(described, ".".join(str(key) for key in fact.path))


def _names(sources: Iterable[Source]) -> str:
    return ", ".join(dict.fromkeys(source.publisher for source in sources))


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _unexplained(investigation: Investigation, root: Path) -> list[str]:
    return [
        f"{_where(found.location, root)}: the sources give {len(found.values)} values for `{found.field}`"
        for found in unexplained(investigation)
    ]


def _where(location: Location, root: Path) -> str:
    return str(location.seen_from(root))
