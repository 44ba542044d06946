"""Warnings about content that is valid but weak: facts nobody sourced, sources nobody can
open or nobody cites, actors connected to nothing, links to pages that do not exist, pages
too long for a phone.

They are found in the resolved investigation and the rendered pages (never in the files),
each reported where the fix goes; ``--strict`` makes them errors.  A warning that was looked
at and is fine is listed in site.yaml under ``accepted_warnings:``, by kind and id.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from casefile.content.model import (
    Actor,
    Claim,
    Deal,
    Document,
    Dossier,
    Event,
    Item,
    MarkdownText,
    Media,
    Participant,
    Party,
    ReportedDate,
    Role,
    Source,
    Sourced,
    Value,
    source_refs,
    walk,
)
from casefile.diagnostics import ContentError, Diagnostics, Location, did_you_mean
from casefile.investigation.resolve import Investigation, markdown_texts
from casefile.text import shorten

MAX_PAGE_BYTES = 500_000  # beyond this a page is slow to load and to scroll through on a phone
HARD_MAX_PAGE_BYTES = 5_000_000  # beyond this a page is refused: a phone may not open it at all


class LintWarning(ContentError):
    """A warning of a named kind, so the summary can count kinds and site.yaml can accept one."""

    def __init__(self, kind: str, location: Location, message: str, hint: str) -> None:
        super().__init__(location, f"{message} [{kind}]", hint, severity="warning", kind=kind)


def lint(investigation: Investigation, pages: dict[str, int], diagnostics: Diagnostics) -> None:
    """Add every warning about ``investigation`` and its rendered ``pages`` (their sizes in bytes, by
    site path) to ``diagnostics``."""
    linter = _Linter(investigation, pages, diagnostics)
    for dossier in investigation.dossiers.values():
        linter.check(dossier)
    linter.check_page_sizes()


def warn(
    investigation: Investigation,
    diagnostics: Diagnostics,
    kind: str,
    subject: str,
    where: Location,
    message: str,
    hint: str,
) -> None:
    """Report a warning about ``subject`` (an id, or a page or address) unless site.yaml accepts it."""
    if not investigation.config.accepts(kind, subject):
        diagnostics.add(LintWarning(kind, where, message, hint))


@dataclass
class _Linter:
    """The checks of one run, over one investigation and its rendered pages."""

    investigation: Investigation
    pages: dict[str, int]  # bytes by site path
    diagnostics: Diagnostics

    def warn(self, kind: str, subject: str, where: Location, message: str, hint: str) -> None:
        warn(self.investigation, self.diagnostics, kind, subject, where, message, hint)

    def check(self, dossier: Dossier) -> None:
        if isinstance(dossier, Source):
            self.check_source(dossier)
        if isinstance(dossier, Actor):
            self.check_relations(dossier)
        if isinstance(dossier, (Actor, Deal, Event)) and not _has_any_source(dossier):
            self.warn(
                "dossier-without-sources",
                dossier.id,
                dossier.origin.location(()),
                f"nothing in '{dossier.id}' has a source",
                "add `sources: [id]` for the dossier as a whole, or to each fact in it",
            )
        elif not dossier.sources:
            self.check_facts(dossier)
        self.check_links(dossier)

    def check_source(self, source: Source) -> None:
        where = source.origin.location(())
        if source.read and not source.url and not source.archived and source.access is None:
            self.warn(
                "source-without-url",
                source.id,
                where,
                f"the source '{source.id}' has neither `url:` nor `archived:`, so readers cannot open it",
                "add the address of the original or of an archived copy; a source that is not online says how it "
                "is held (`access: print`, `broadcast`, `on-file` or `confidential`); if the report gives no "
                "address, list the id in site.yaml under `accepted_warnings:` → `source-without-url:`",
            )
        links = self.investigation.backlinks[source.id]
        if not links.relied_on_by and all(citer.id == source.id for citer in links.cited_by):
            self.warn(
                "uncited-source",
                source.id,
                where,
                f"nothing cites the source '{source.id}'",
                f"cite it with [@{source.id}] or `sources: [{source.id}]`, list it in another source's `cites:`, "
                "or delete the file",
            )

    def check_relations(self, actor: Actor) -> None:
        links = self.investigation.backlinks[actor.id]
        related = (
            actor.roles,
            actor.country,
            links.role_holders,
            links.nationals,
            links.deals,
            links.events,
            links.mentioned_by,
        )
        if not any(related):
            self.warn(
                "actor-without-relations",
                actor.id,
                actor.origin.location(()),
                f"'{actor.id}' has no roles and takes part in no deal or event, and nothing mentions it",
                "connect it (a role, a deal's `parties:`, an event's `participants:`, a [[link]] from a text) "
                "or delete the file",
            )

    def check_facts(self, dossier: Dossier) -> None:
        """Facts without sources in a dossier that has none of its own to fall back on."""
        for path, fact in _facts(dossier):
            if not fact.sources and not (isinstance(fact, Claim) and _cites(fact)):
                self.warn(
                    "fact-without-sources",
                    dossier.id,
                    dossier.origin.location(path),
                    f"{describe(fact)} has no sources, and '{dossier.id}' has none for the whole dossier",
                    "add `sources: [id]` to it",
                )

    def check_links(self, dossier: Dossier) -> None:
        """Markdown links ``[text](other.html)`` must lead to a page of the site."""
        if dossier.narrative is not None:
            for href, line in _relative_links(dossier.narrative.tokens):
                self.check_link(dossier, href, _markdown_location(dossier.narrative, line, href))
        for index, claim in enumerate(dossier.claims):
            for href, _ in _relative_links(claim.tokens):
                self.check_link(dossier, href, dossier.origin.location(("claims", index, "text")))

    def check_link(self, dossier: Dossier, href: str, where: Location) -> None:
        path = unquote(urlsplit(href).path)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(dossier.page), path))
        stem = posixpath.basename(path).rsplit(".", 1)[0]
        suggestion = f"link with [[{stem}]]" if stem in self.investigation.dossiers else ""
        if path.endswith(".md"):
            self.warn(
                "broken-markdown-link",
                dossier.id,
                where,
                f"the link '{href}' points at a markdown file, which is not part of the site",
                suggestion or "link to another dossier or page with [[id]]",
            )
        elif target not in self.pages:
            self.warn(
                "broken-markdown-link",
                dossier.id,
                where,
                f"the link '{href}' leads to no page of the site",
                suggestion
                or did_you_mean(stem, self.investigation.dossiers)
                or "link to another dossier or page with [[id]]",
            )

    def check_page_sizes(self) -> None:
        """Pages over the soft cap are warnings; over the hard cap, errors that site.yaml cannot accept."""
        by_page = {d.page: d for d in self.investigation.dossiers.values()}
        for path, size in self.pages.items():
            if size <= MAX_PAGE_BYTES:
                continue
            dossier = by_page.get(path)
            if dossier is not None:
                subject, where = dossier.id, dossier.origin.location(())
                hint = "shorten the narrative, or split the dossier into several"
            else:
                subject, where = path, Location(self.investigation.root / "content")
                hint = "this page lists the whole investigation: consider splitting it into several investigations"
            if size > HARD_MAX_PAGE_BYTES:
                limit = HARD_MAX_PAGE_BYTES // 1_000_000
                self.diagnostics.error(where, f"the page {path} is {size // 1_000_000} MB, more than {limit} MB", hint)
                continue
            message = f"the page {path} is {size // 1000} KB, too long for a phone (at most {MAX_PAGE_BYTES // 1000})"
            self.warn("page-too-large", subject, where, message, hint)


def _has_any_source(dossier: Dossier) -> bool:
    """A citation anywhere: the dossier's or a fact's ``sources:``, or ``[@id]`` in a text."""
    return any(True for _ in source_refs(dossier)) or any(_cites(text) for text, _ in markdown_texts(dossier))


def _cites(text: MarkdownText) -> bool:
    return any(ref.kind == "cite" for ref in text.references)


def _facts(dossier: Dossier) -> Iterator[tuple[tuple, Sourced]]:
    """The outermost sourced facts of a dossier (a role, not the role's dates) with their YAML paths.

    A source dossier's own title and date come from the source itself: only its claims count. A reply is no fact:
    its sources are where an answer is on record, and a request that went unanswered has none.
    """
    if isinstance(dossier, Source):
        yield from ((("claims", i), claim) for i, claim in enumerate(dossier.claims))
        return
    for path, value, _ in walk(dossier, descend=lambda model: not isinstance(model, Sourced)):
        if isinstance(value, Sourced) and path[0] not in ("sources", "replies"):
            yield path, value


_FACT_NAMES: dict[type, tuple[str, str]] = {
    Role: ("role", "title"),
    Party: ("party", "actor"),
    Item: ("item", "what"),
    Value: ("value", "text"),
    Participant: ("participant", "actor"),
    Claim: ("claim", "text"),
    Media: ("file", "file"),
}


def describe(fact: Sourced) -> str:
    """``the role 'Commander-in-chief'``: enough to recognise the fact beside its line number."""
    if isinstance(fact, ReportedDate):
        return f"the date {fact.date.iso}"
    noun, field = _FACT_NAMES.get(type(fact), ("fact", ""))
    text = str(getattr(fact, field, ""))
    return f"the {noun} '{shorten(text, 50)}'" if text else f"the {noun}"


def _relative_links(tokens: list[Any]) -> Iterator[tuple[str, int]]:
    """Markdown links to ``.html`` or ``.md`` files of this site, with their 1-based lines."""
    for block in tokens:
        start = block.map[0] + 1 if block.map else 1
        for token in block.children or []:
            if token.type != "link_open":
                continue
            href = str(token.attrGet("href") or "")
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.endswith((".html", ".md")):
                continue
            offset = max(block.content.find(href), 0)
            yield href, start + block.content[:offset].count("\n")


def _markdown_location(document: Document, line: int, text: str) -> Location:
    lines = document.text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    return Location(document.path, line + document.line_offset, source_line.find(text) + 1 or 1)
