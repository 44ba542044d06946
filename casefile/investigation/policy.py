"""The newsroom's rules before publication: site.yaml's ``policy:`` and ``staff:``, checked on the published
investigation.

- ``reply_required_for: [person, company]``: an actor of those kinds named as a deal's party, an event's participant
  or with ``[[id]]`` in a claim has a request for comment on record somewhere (a reply whose ``from:`` names them,
  or a reply on their own dossier). A report that they have not commented is no request.
- ``review_required: true``: every dossier is signed off (``reviewed:``), and unchanged since its newest sign-off.
- ``min_origins: N``: a fact resting on fewer than N independent origins says how sure the reporting is
  (``confidence:``) or is marked as one the sources disagree on.
- ``complete_editions: true``: every text in every language of ``languages:`` (:mod:`casefile.investigation.editions`).
- ``staff:``: every sign-off is by someone on it. This one is an error whenever ``staff:`` is set.

A breach of the policy is a warning of its own kind, so ``check --strict`` fails on it, at the line that needs the
fix. They are not for ``accepted_warnings:``: the policy is site.yaml's own, and says itself what it requires.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from casefile.content.config import SiteConfig
from casefile.content.model import Actor, Dossier, Fact
from casefile.content.review import last_review, review_state
from casefile.diagnostics import Diagnostics, Location, did_you_mean
from casefile.investigation.editions import check_complete
from casefile.investigation.lint import LintWarning, describe
from casefile.investigation.provenance import facts
from casefile.investigation.replies import NOT_A_REQUEST, Naming, asked_parties, namings
from casefile.investigation.resolve import Investigation

REPLY_MISSING = "reply-missing"
REVIEW_MISSING = "review-missing"
REVIEW_STALE = "review-stale"
TOO_FEW_ORIGINS = "too-few-origins"
DEFAULT_ASKED = ("person", "company")  # whom `check --report` lists when the policy names no kinds


def check_policy(investigation: Investigation, diagnostics: Diagnostics) -> None:
    """Add a warning for every breach of site.yaml's policy, and an error for every sign-off by someone not on
    the staff."""
    config = investigation.config
    _check_staff(investigation, diagnostics)
    if config.policy.reply_required_for:
        for actor, naming in first_namings(investigation, config.policy.reply_required_for):
            diagnostics.add(_reply_missing(investigation, actor, naming))
    if config.policy.review_required:
        for dossier in investigation.dossiers.values():
            _check_review(dossier, diagnostics)
    if config.policy.min_origins > 1:
        _check_origins(investigation, config.policy.min_origins, diagnostics)
    if config.policy.complete_editions:
        check_complete(investigation, diagnostics)


@dataclass(frozen=True)
class Unasked:
    """An actor the investigation names with no request for comment on record, and every place it is named."""

    actor: Actor
    places: list[Naming]


def unasked(investigation: Investigation, kinds: tuple[str, ...] | list[str]) -> list[Unasked]:
    """Actors of ``kinds`` named somewhere with no request for comment to them on record, in id order, each with
    the places that name them in file order. A request recorded in a draft counts: the newsroom made it."""
    asked = asked_parties([*investigation.dossiers.values(), *investigation.drafts.values()])
    found: dict[str, Unasked] = {}
    for dossier in investigation.dossiers.values():
        for naming in namings(dossier):
            actor = investigation.dossiers.get(naming.actor_id)
            if isinstance(actor, Actor) and actor.kind in kinds and actor.id not in asked:
                found.setdefault(actor.id, Unasked(actor, [])).places.append(naming)
    return [Unasked(found[i].actor, sorted(found[i].places, key=lambda n: n.location)) for i in sorted(found)]


def first_namings(investigation: Investigation, kinds: list[str]) -> Iterator[tuple[Actor, Naming]]:
    """For each actor without a request on record, the first place each dossier names it: one warning per
    dossier, where a party or participant is listed or a claim links to it (``check --report`` lists them all)."""
    for found in unasked(investigation, kinds):
        seen: set[str] = set()
        for naming in found.places:
            if naming.dossier.id not in seen:
                seen.add(naming.dossier.id)
                yield found.actor, naming


def _reply_missing(investigation: Investigation, actor: Actor, naming: Naming) -> LintWarning:
    try:
        record = actor.path.relative_to(investigation.root).as_posix()
    except ValueError:
        record = f"{actor.section}/{actor.id}.yaml"
    here = "" if naming.dossier is actor else f", or in this dossier with `from: {actor.id}`"
    return LintWarning(
        REPLY_MISSING,
        naming.location,
        f"'{actor.id}' ({actor.kind}) is named here {naming.role}, and no request for comment to them is on record",
        f"the policy in site.yaml asks every {actor.kind} named for comment: ask {actor.label}, and record it under "
        f"`replies:` in {record} (`asked:`, `via:`, `deadline:`, `response:`){here}. A report that they have not "
        f"commented (`response: {NOT_A_REQUEST}`) records no request, so it does not count",
    )


def _check_staff(investigation: Investigation, diagnostics: Diagnostics) -> None:
    staff = investigation.config.staff
    if not staff:
        return
    for dossier in investigation.dossiers.values():
        for index, review in enumerate(dossier.reviewed):
            if review.by not in staff:
                diagnostics.error(
                    dossier.origin.location(("reviewed", index, "by")),
                    f"the sign-off is by '{review.by}', who is not on the staff in site.yaml",
                    did_you_mean(review.by, staff)
                    or f"only {', '.join(staff)} may sign off: add the name to `staff:` in site.yaml if they may",
                )


def _check_review(dossier: Dossier, diagnostics: Diagnostics) -> None:
    state = review_state(dossier)
    if state == "unsigned":
        diagnostics.add(
            LintWarning(
                REVIEW_MISSING,
                dossier.origin.location(()),
                f"'{dossier.id}' has not been signed off",
                "the policy in site.yaml requires every dossier signed off before publication: once someone on the "
                f"staff has checked it, run `casefile review {dossier.id} --by NAME`",
            )
        )
    elif state == "changed":
        last = last_review(dossier)
        assert last is not None
        diagnostics.add(
            LintWarning(
                REVIEW_STALE,
                dossier.origin.location(("reviewed",), at_key=True),
                f"'{dossier.id}' changed since review on {last.on} by {last.by}",
                "have the change checked, then sign off again with `casefile review "
                f"{dossier.id} --by NAME`; every edit of the content counts, formatting and comments do not",
            )
        )


def _check_origins(investigation: Investigation, least: int, diagnostics: Diagnostics) -> None:
    for fact in facts(investigation):
        sourced, corroboration = fact.sourced, fact.corroboration
        if not isinstance(sourced, Fact) or sourced.confidence is not None or corroboration.conflict:
            continue
        count = len(corroboration.origins)
        if count >= least:
            continue
        upstream = ", ".join(dict.fromkeys(source.publisher for source in corroboration.upstream))
        diagnostics.add(
            LintWarning(
                TOO_FEW_ORIGINS,
                fact.location,
                f"{describe(sourced)} rests on {count} independent origin{'s' * (count != 1)} ({upstream}), "
                f"fewer than the {least} the policy in site.yaml asks for",
                "cite a source independent of these, or say how sure the reporting is with `confidence:` "
                "(confirmed, reported, alleged, disputed or denied), which readers see as a label beside the fact",
            )
        )


def review_lists(investigation: Investigation) -> tuple[list[Dossier], list[Dossier]] | None:
    """The dossiers never signed off, and those changed since; None when sign-off is not in use (the policy does
    not require it and no dossier is signed)."""
    dossiers = list(investigation.dossiers.values())
    if not _reviewing(investigation.config) and not any(d.reviewed for d in dossiers):
        return None
    states = [(d, review_state(d)) for d in sorted(dossiers, key=lambda d: d.origin.location(()))]
    return [d for d, s in states if s == "unsigned"], [d for d, s in states if s == "changed"]


def _reviewing(config: SiteConfig) -> bool:
    return config.policy.review_required or bool(config.staff)


def reviewed_at(dossier: Dossier) -> Location:
    """Where the newest sign-off of ``dossier`` is written."""
    return dossier.origin.location(("reviewed", len(dossier.reviewed) - 1))
