"""The investigation as FollowTheMoney entities, one JSON object per line, for OCCRP Aleph.

FtM drops a value it cannot read without a word ("circa 2019", a link to a missing id), so
nothing here is written that FtM would clean away: dates are ISO prefixes, countries are
ISO codes found from a state's names, and every entity link points at an entity in the file.
What has no FtM property of its own (a state as someone's country when its code is unknown,
a party that is neither buyer nor supplier) becomes an ``UnknownLink`` with its role. Each right of reply
(a request for comment and what came of it, or a report that a party has not commented) becomes a ``Note``
on the dossier's entity and on each party asked, with the reports that carry it as its ``proof``.

FtM properties take many values: a text written in several languages (a summary, a title) gives each its own,
the default language's first, and a reply's note has a description in each language of the claims it answers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from casefile.content.model import Actor, Answerable, Deal, Dossier, Event, Reply, Source
from casefile.content.translations import pick
from casefile.investigation.resolve import Investigation

FILE = "entities.ftm.json"
PREFIX = "casefile"
ACTOR_SCHEMATA = {
    "person": "Person",
    "organization": "Organization",
    "company": "Company",
    "state": "PublicBody",
    "military-unit": "PublicBody",
    "government-body": "PublicBody",
}
ORGANIZATIONS = {"Organization", "Company", "PublicBody"}
AUTHORITY_ROLES = ("buyer", "recipient")
SUPPLIER_ROLES = ("seller", "supplier")
ORGANIZER = re.compile(r"\b(host|organi[sz])", re.IGNORECASE)  # a participant's role that makes it the organizer
DEAL_DATE_ORDER = ("signed", "agreed", "announced", "delivered", "reported")


@dataclass
class Entity:
    """One FtM entity: its id, schema and properties, each a list of strings."""

    id: str
    schema: str
    properties: dict[str, list[str]] = field(default_factory=dict)

    def add(self, prop: str, *values: str | None) -> None:
        kept = [v for v in values if v]
        if kept:
            self.properties.setdefault(prop, []).extend(v for v in kept if v not in self.properties.get(prop, []))

    def line(self) -> str:
        return json.dumps({"id": self.id, "schema": self.schema, "properties": self.properties}, ensure_ascii=False)


def entity_id(*parts: str) -> str:
    """FtM ids allow letters, digits, ``-`` and ``.``; Casefile ids are already lowercase slugs."""
    return "-".join((PREFIX, *parts))


def entities_jsonl(investigation: Investigation) -> str:
    return "".join(entity.line() + "\n" for entity in Exporter(investigation).entities())


@dataclass
class Exporter:
    investigation: Investigation

    @property
    def default(self) -> str:
        """The site's default language: a text in it comes first."""
        return self.investigation.config.default_language

    @cached_property
    def countries(self) -> dict[str, str]:
        """State dossier id → ISO country code, for the states whose name or alias Babel knows."""
        names = _territory_codes()
        found = {}
        for actor in self.investigation.actors:
            if actor.kind == "state":
                called = [*actor.name_forms.values(), *actor.aliases]  # in every script it is written in
                code = next((names[n.casefold()] for n in called if n.casefold() in names), None)
                if code:
                    found[actor.id] = code
        return found

    def entities(self) -> Iterator[Entity]:
        for dossier in self.investigation.dossiers.values():
            if isinstance(dossier, Actor):
                yield from self.actor(dossier)
            elif isinstance(dossier, Deal):
                yield from self.deal(dossier)
            elif isinstance(dossier, Event):
                yield from self.event(dossier)
            elif isinstance(dossier, Source):
                yield from self.source(dossier)

    def _main(self, dossier: Dossier, schema: str) -> Entity:
        entity = Entity(entity_id(dossier.type, dossier.id), schema)
        entity.add("summary", *forms(dossier.as_written.summary, self.default))
        entity.add("sourceUrl", self.investigation.config.absolute_url(dossier.page))
        return entity

    def actor(self, actor: Actor) -> Iterator[Entity]:
        """The actor; a Membership for each role in an organisation, other roles as its ``position``."""
        entity = self._main(actor, ACTOR_SCHEMATA[actor.kind])
        entity.add("name", actor.label, *actor.name_forms.values())  # the name the pages use comes first
        entity.add("alias", *actor.aliases)
        entity.add("country", self.countries.get(actor.id), self.countries.get(actor.country or ""))
        memberships = []
        for number, role in enumerate(actor.roles, 1):
            organization = self.investigation.dossiers.get(role.of or "")
            if isinstance(organization, Actor) and ACTOR_SCHEMATA[organization.kind] in ORGANIZATIONS:
                membership = Entity(entity_id("role", actor.id, str(number)), "Membership")
                membership.add("member", entity.id)
                membership.add("organization", entity_id("actor", organization.id))
                membership.add("role", role.title)
                membership.add("startDate", role.start and role.start.date.start.iso)
                membership.add("endDate", role.end and role.end.date.start.iso)
                memberships.append(membership)
            else:
                entity.add("position", role.title)
        yield entity
        yield from memberships
        yield from self.replies(actor, entity)
        if actor.country and actor.country not in self.countries:
            yield _unknown_link(actor, self.investigation.dossiers[actor.country], "country")

    def deal(self, deal: Deal) -> Iterator[Entity]:
        """A Contract with the buyer as its authority; each supplier's ContractAward; other parties linked."""
        contract = self._main(deal, "Contract")
        contract.add("title", *forms(deal.as_written.title, self.default))
        contract.add("type", deal.kind)
        contract.add("status", deal.status)
        dated = [deal.dates[k].date.start.iso for k in DEAL_DATE_ORDER if k in deal.dates]
        contract.add("contractDate", *dated[:1])
        for value in deal.values:
            if value.amount is not None:
                contract.add("amount", plain_number(value.amount))
                contract.add("currency", value.currency)
        contract.add("authority", *(entity_id("actor", p.actor) for p in deal.parties if p.role in AUTHORITY_ROLES))
        yield contract
        yield from self.replies(deal, contract)
        for number, party in enumerate(deal.parties, 1):
            if party.role in SUPPLIER_ROLES:
                award = Entity(entity_id("award", deal.id, str(number)), "ContractAward")
                award.add("contract", contract.id)
                award.add("supplier", entity_id("actor", party.actor))
                award.add("role", party.role)
                yield award
            elif party.role not in AUTHORITY_ROLES:
                yield _unknown_link(self.investigation.dossiers[party.actor], deal, party.role)
        if deal.agreed_at:
            yield _unknown_link(deal, self.investigation.dossiers[deal.agreed_at], "agreed at")

    def event(self, event: Event) -> Iterator[Entity]:
        entity = self._main(event, "Event")
        entity.add("name", *forms(event.as_written.title, self.default))
        if event.date:
            entity.add("startDate", event.date.date.start.iso)
            entity.add("endDate", event.date.date.end and event.date.date.end.iso)
        entity.add("location", event.place)
        entity.add("involved", *(entity_id("actor", p.actor) for p in event.participants))
        organizers = [p.actor for p in event.participants if p.role and ORGANIZER.search(p.role)]
        entity.add("organizer", *(entity_id("actor", actor) for actor in organizers))
        yield entity
        yield from self.replies(event, entity)
        if event.part_of:
            yield _unknown_link(event, self.investigation.dossiers[event.part_of], "part of")

    def replies(self, dossier: Answerable, main: Entity) -> Iterator[Entity]:
        """Each reply as a Note that Aleph shows on the dossier's entity and on each party asked."""
        dossiers = self.investigation.dossiers
        languages = self.investigation.config.editions
        for number, reply in enumerate(dossier.replies, 1):
            asked = [dossiers[i] for i in dossier.asked(reply) if i in dossiers]
            note = Entity(entity_id("reply", dossier.id, str(number)), "Note")
            note.add("entity", main.id, *(entity_id("actor", actor.id) for actor in asked))
            answered = [c.text for c in dossier.as_written.claims if c.id and c.id in reply.answers]
            names = [actor.label for actor in asked]
            in_each = [[pick(text, lang, self.default) for text in answered] for lang in languages]
            note.add("description", *(reply_text(reply, names, claims) for claims in in_each))  # each sentence once
            note.add("proof", *(entity_id("source", ref.id) for ref in reply.sources if ref.id in dossiers))
            note.add("sourceUrl", self.investigation.config.absolute_url(dossier.page))
            yield note

    def source(self, source: Source) -> Iterator[Entity]:
        article = self._main(source, "Article")
        article.add("title", source.title)
        article.add("publisher", source.publisher)
        article.add("author", *source.authors)
        article.add("publishedAt", source.date and source.date.date.start.iso)
        article.add("sourceUrl", source.url, source.archived and source.archived.url)
        article.add("language", source.language)
        yield article
        for backlink in self.investigation.backlinks[source.id].cited_by:
            if backlink.type != "page":
                yield _documentation(source, backlink, "cites")
        for cited in source.cites:
            yield _documentation(self.investigation.dossiers[cited.id], source, "relies on")


def forms(written: str | dict[str, str] | None, default: str) -> list[str]:
    """A text in every language it is written in: in the ``default`` language first (else the first written)."""
    if not written:
        return []
    first = pick(written, default, default)
    return [first, *(form for form in written.values() if form != first)] if isinstance(written, dict) else [first]


def reply_text(reply: Reply, asked: list[str], answered: list[str]) -> str:
    """The reply in a sentence or two, in English like the rest of the file: who was asked, when, how and by
    when, what came of it, and the claims it answers."""
    who = " and ".join(filter(None, [", ".join(asked[:-1]), *asked[-1:]])) or "the party"
    if reply.response == "no-comment-reported":
        text = f"No request for comment on record: a report says {who} had not commented."
    else:
        asked_on = f"{reply.asked.iso} " if reply.asked else ""
        deadline = f", deadline {reply.deadline.iso}" if reply.deadline else ""
        outcome = {"none": "no response", "declined": "declined", "answered": "answered"}[reply.response]
        text = f"Request for comment to {who}, {asked_on}by {reply.via}{deadline}: {outcome}."
    if reply.text:
        text += f" “{reply.text}”"
    if answered:
        text += " In answer to: " + " ".join(f"“{claim}”" for claim in answered)
    return text


def _documentation(source: Dossier, dossier: Dossier, role: str) -> Entity:
    """``source`` documents ``dossier``: Aleph shows the article on the entity's page."""
    link = Entity(entity_id("documents", source.id, dossier.type, dossier.id), "Documentation")
    link.add("document", entity_id("source", source.id))
    link.add("entity", entity_id(dossier.type, dossier.id))
    link.add("role", role)
    return link


def _unknown_link(subject: Dossier, target: Dossier, role: str) -> Entity:
    """A relation FtM has no schema for, kept with its role rather than dropped."""
    link = Entity(entity_id("link", subject.id, target.type, target.id, role.replace(" ", "-")), "UnknownLink")
    link.add("subject", entity_id(subject.type, subject.id))
    link.add("object", entity_id(target.type, target.id))
    link.add("role", role)
    return link


def plain_number(amount: float) -> str:
    """200000000.0 → "200000000": no exponent, no trailing ".0", as spreadsheets and FtM read it."""
    return f"{amount:f}".rstrip("0").rstrip(".")


def _territory_codes() -> dict[str, str]:
    """Country names Babel knows in English ("Myanmar (Burma)" also as "Myanmar" and "Burma") → code."""
    from babel import Locale

    names: dict[str, str] = {}
    for code, name in Locale("en").territories.items():
        if code.isalpha() and len(code) == 2:
            forms = [name, *name.replace(")", "").split(" (")]
            names.update((form.casefold(), code.lower()) for form in forms)
    return names
