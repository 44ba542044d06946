"""The right of reply on record: who a dossier names in a way that may call for their comment, whom the newsroom
asked, and the checks of a reply's own pointers.

A reply's ``from:`` ids are checked with every other id (:mod:`casefile.investigation.resolve`); here are the
checks only a reply has: a reply on a deal or an event names who was asked, and ``answers:`` names claims of the
same dossier, by ids that are unique in it. ``response: no-comment-reported`` records that a report says a party has
not commented, not that anyone asked them: it is no request for comment.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from casefile.content.model import Answerable, Deal, Dossier, Event, Reply, YamlPath
from casefile.diagnostics import ContentError, Location, did_you_mean

NOT_A_REQUEST = "no-comment-reported"


def reply_problems(dossier: Dossier) -> Iterator[ContentError]:
    """The errors in ``dossier``'s replies and claim ids: each at its place."""
    locate = dossier.origin.location
    claim_ids: dict[str, int] = {}
    for index, claim in enumerate(dossier.claims):
        if claim.id is None:
            continue
        if claim.id in claim_ids:
            first = locate(("claims", claim_ids[claim.id], "id"))
            yield ContentError(
                locate(("claims", index, "id")),
                f"two claims of '{dossier.id}' have the id '{claim.id}'",
                f"a claim's id is unique in its dossier, so that `answers:` names one claim: rename this one or the "
                f"claim at line {first.line}",
            )
        else:
            claim_ids[claim.id] = index
    if not isinstance(dossier, Answerable):
        return
    for index, reply in enumerate(dossier.replies):
        if not reply.from_ and isinstance(dossier, (Deal, Event)):
            on = "a deal" if isinstance(dossier, Deal) else "an event"
            whom = "who was asked" if requested(reply) else "who has not commented"
            yield ContentError(
                locate(("replies", index)),
                f"a reply on {on} names {whom}: add `from:`",
                "write the id of the actor, e.g. `from: rosoboronexport`, or a list of ids (`from: [a, b]`); only on "
                "an actor's own dossier may `from:` be left out",
            )
        for position, answered in enumerate(reply.answers):
            if answered not in claim_ids:
                yield ContentError(
                    locate(("replies", index, "answers", position)),
                    f"'{answered}' is not the id of a claim of '{dossier.id}'",
                    did_you_mean(answered, claim_ids) or _answers_hint(answered, claim_ids),
                )


def _answers_hint(answered: str, claim_ids: Iterable[str]) -> str:
    known = sorted(claim_ids)
    if not known:
        return f"`answers:` names claims of this dossier by their `id:`: give the claim it answers `id: {answered}`"
    return f"the claims here with an id are {', '.join(known)}; give the claim it answers `id: {answered}`"


def requested(reply: Reply) -> bool:
    """Whether ``reply`` records a request for comment (anything but a report that a party has not commented)."""
    return reply.response != NOT_A_REQUEST


def asked_parties(dossiers: Iterable[Dossier]) -> set[str]:
    """The ids of every actor a request for comment to is on record, in any of ``dossiers``."""
    return {
        actor_id
        for dossier in dossiers
        if isinstance(dossier, Answerable)
        for reply in dossier.replies
        if requested(reply)
        for actor_id in dossier.asked(reply)
    }


@dataclass(frozen=True)
class Naming:
    """One place where a dossier names an actor so as to call for their comment."""

    dossier: Dossier
    path: YamlPath
    actor_id: str
    role: str  # "as a party", "as a participant", "in a claim"

    @property
    def location(self) -> Location:
        return self.dossier.origin.location(self.path)


def namings(dossier: Dossier) -> Iterator[Naming]:
    """Where ``dossier`` names an actor: its parties, its participants and the [[links]] in its claims."""
    if isinstance(dossier, Deal):
        for index, party in enumerate(dossier.parties):
            yield Naming(dossier, ("parties", index, "actor"), party.actor, "as a party")
    if isinstance(dossier, Event):
        for index, participant in enumerate(dossier.participants):
            yield Naming(dossier, ("participants", index, "actor"), participant.actor, "as a participant")
    for index, claim in enumerate(dossier.claims):
        for ref in claim.references:
            if ref.kind == "link" and ref.target != dossier.id:
                yield Naming(dossier, ("claims", index, "text"), ref.target, "in a claim")
