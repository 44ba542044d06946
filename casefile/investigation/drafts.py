"""Drafts: dossiers marked ``draft: true`` are checked with the others, then left out of the published site.

``serve`` and ``build --drafts`` keep them (marked as drafts on their pages). A published dossier's YAML
reference or citation of a draft is an error: its party, participant or footnote would lead to no page.
A ``[[link]]`` to a draft is a warning and shows as the plain name, so no link is broken.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from casefile.content.model import Dossier, MarkdownText, SourceRef
from casefile.diagnostics import Diagnostics, Location
from casefile.investigation.lint import warn
from casefile.investigation.resolve import Backlinks, Investigation, _ReferenceChecker, _source_id

HINT = "publish it (remove `draft: true`), remove the reference, or preview with --drafts"


def without_drafts(investigation: Investigation, diagnostics: Diagnostics) -> Investigation | None:
    """The published investigation, or None when a published dossier depends on a draft."""
    drafts = {i: d for i, d in investigation.dossiers.items() if d.draft}
    if not drafts:
        return investigation
    published = {i: d for i, d in investigation.dossiers.items() if i not in drafts}
    result = Investigation(investigation.root, investigation.config, published, {}, drafts)
    checker = _DraftChecker(published, set(), diagnostics, result)
    for dossier in published.values():
        checker.check(dossier)
    if diagnostics.has_errors():
        return None
    result.backlinks.update((i, _without(investigation.backlinks[i], drafts)) for i in published)
    return result


def _without(backlinks: Backlinks, drafts: dict[str, Dossier]) -> Backlinks:
    """What points at a published dossier, less what comes from drafts."""
    kept = Backlinks()
    for name, item in backlinks.items():
        if _source_id(item) not in drafts:
            getattr(kept, name).append(item)
    return kept


@dataclass
class _DraftChecker(_ReferenceChecker):
    """Reports only what points from a published dossier at a draft: the rest was checked with the drafts."""

    published: Investigation = field(default=None)  # type: ignore[assignment]

    def _expect(self, target: str, kinds: tuple[str, ...], where: Location) -> None:
        if target in self.published.drafts:
            self.diagnostics.error(where, f"'{target}' is a draft: it is left out of the published site", HINT)

    def _check_citing(self, ref: SourceRef, locate, path: tuple) -> None:
        """Checked already, with the drafts."""

    def _check_text(self, text: MarkdownText, locate) -> None:
        for ref in text.references:
            if ref.target not in self.published.drafts:
                continue
            where = locate(ref.line, ref.markup)
            if ref.kind == "cite":
                self.diagnostics.error(where, f"'{ref.target}' is a draft: it is left out of the published site", HINT)
            else:
                message = f"'{ref.target}' is a draft: the link shows as plain text on the published site"
                warn(self.published, self.diagnostics, "draft-link", ref.target, where, message, HINT)
