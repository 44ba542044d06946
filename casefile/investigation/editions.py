"""What each edition shows untranslated: for ``check --report``, and for site.yaml's ``policy: complete_editions``.

A text is untranslated in a language when the dossier has no form of it in that language (a plain text is in the
default language); a narrative, when there is no ``ID.xx.md`` beside it. The pages show the original there,
marked, under a note; the report and the policy say where, so the newsroom can finish the edition.
"""

from __future__ import annotations

from dataclasses import dataclass

from casefile.content.model import Document, Dossier
from casefile.content.translations import untranslated
from casefile.diagnostics import Diagnostics, Location
from casefile.investigation.lint import LintWarning
from casefile.investigation.resolve import Investigation

UNTRANSLATED = "untranslated"


@dataclass(frozen=True)
class Missing:
    """One text of a dossier with no form in ``language``: where it is written, and what it is."""

    language: str
    dossier: Dossier
    location: Location
    what: str  # "summary", "claims 1 text", "narrative"


def missing(investigation: Investigation) -> list[Missing]:
    """Every text without a form in each language, language by language, in file order (in the default language:
    only texts written as a mapping without it)."""
    config = investigation.config
    found = []
    for language in config.editions if len(config.editions) > 1 else ():
        for dossier in sorted(investigation.dossiers.values(), key=lambda d: str(d.path)):
            written = dossier.as_written
            for item in untranslated(written, language, config.default_language):
                if isinstance(item, Document):
                    found.append(Missing(language, dossier, Location(item.path, 1, 1), "narrative"))
                else:
                    where = written.origin.location(item) if written.origin else Location(written.path, 1, 1)
                    found.append(Missing(language, dossier, where, " ".join(_step(key) for key in item)))
    return sorted(found, key=lambda m: (config.editions.index(m.language), str(m.location.path), m.location.line))


def _step(key: str | int) -> str:
    """A step of a YAML path as an editor counts: list items from 1."""
    return str(key + 1) if isinstance(key, int) else key


def check_complete(investigation: Investigation, diagnostics: Diagnostics) -> None:
    """A warning for every untranslated text, where site.yaml's policy asks for complete editions."""
    for item in missing(investigation):
        translation = item.dossier.path.with_suffix(f".{item.language}.md").name
        hint = (
            f"write {translation} beside it"
            if item.what == "narrative"
            else f"write the text as a mapping by language, with a line `{item.language}: …`"
        )
        message = f"'{item.dossier.id}': the {item.what} is not translated into {item.language}"
        diagnostics.add(LintWarning(UNTRANSLATED, item.location, message, hint))
