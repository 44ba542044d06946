"""One investigation in several languages: each edition's texts, and what is not yet translated.

A text field may be written once per language (``summary: {en: …, ru: …}``) and a narrative may have
translations beside it (``ID.ru.md``). An edition takes every text in its own language where there is one;
where there is none it shows the original as :class:`Untranslated`, which knows its language, so that the
page can mark it with ``lang`` and say so. A plain text is in the site's default language. Nothing is ever
machine-translated and nothing is left blank.
"""

from __future__ import annotations

import dataclasses
import html
import os
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from casefile.content import markdown
from casefile.content.model import Claim, Document, Dossier, YamlPath
from casefile.content.model.walk import texts
from casefile.content.yamlio import read_text
from casefile.diagnostics import ContentError, Diagnostics, Location, did_you_mean


class Untranslated(str):
    """A text shown in an edition of another language: the original, in the language ``lang`` it is written in."""

    lang: str

    def __new__(cls, text: str, lang: str) -> Untranslated:
        shown = super().__new__(cls, text)
        shown.lang = lang
        return shown

    def __reduce__(self) -> tuple[type[Untranslated], tuple[str, str]]:
        """Pickled with its language (render workers may send what they made back)."""
        return Untranslated, (str(self), self.lang)


def lang_attribute(text: object) -> str:
    """`` lang="en"`` for the element that holds ``text`` when it is shown untranslated, else nothing."""
    return f' lang="{html.escape(text.lang)}"' if isinstance(text, Untranslated) else ""


def shown_in_other(dossier: Dossier) -> list[str]:
    """The languages an edition shows ``dossier``'s untranslated texts in (its own, once picked: in_language)."""
    found = {text.lang for path in texts(dossier) if isinstance(text := _at(dossier, path), Untranslated)}
    if dossier.narrative is not None and dossier.narrative.lang:
        found.add(dossier.narrative.lang)
    return sorted(found)


def in_language(dossier: Dossier, language: str, default: str) -> Dossier:
    """``dossier`` as the edition in ``language`` shows it, its texts picked (the same object where nothing
    changes: a one-language site costs nothing here)."""
    edition = dossier
    for path in texts(dossier):
        written = _at(dossier, path)
        shown = pick(written, language, default)
        if shown is not written:
            edition = _replaced(edition, path, shown)
    narrative = _narrative(dossier, language, default)
    # in another edition, always a copy: resolve names each actor in its edition's language
    if narrative is not dossier.narrative or (edition is dossier and language != default):
        edition = edition.model_copy(update={"narrative": narrative})
    if edition is not dossier:
        edition.written_as(dossier)
    return edition


def pick(written: str | dict[str, str], language: str, default: str) -> str:
    """The text in ``language``; else the original, in the default language if written in it, else the first."""
    if isinstance(written, str):
        return written if language == default else Untranslated(written, default)
    if language in written:
        return written[language]
    lang = default if default in written else next(iter(written))
    return Untranslated(written[lang], lang)


def _narrative(dossier: Dossier, language: str, default: str) -> Document | None:
    """The narrative in ``language``, or the original marked with its language; None when there is none."""
    if language in dossier.translations:
        return dossier.translations[language]
    if dossier.narrative is not None:
        return dossier.narrative if language == default else dataclasses.replace(dossier.narrative, lang=default)
    if dossier.translations:  # only translations: the first, marked
        lang, document = next(iter(dossier.translations.items()))
        return dataclasses.replace(document, lang=lang)
    return None


def _at(obj: Any, path: YamlPath) -> Any:
    for key in path:
        obj = getattr(obj, _attribute(type(obj), key)) if isinstance(obj, BaseModel) else obj[key]
    return obj


def _replaced(obj: Any, path: YamlPath, value: Any) -> Any:
    """A copy of ``obj`` with ``value`` at ``path``; what is off the path is shared, not copied."""
    key, rest = path[0], path[1:]
    if isinstance(obj, BaseModel):
        name = _attribute(type(obj), key)
        new = value if not rest else _replaced(getattr(obj, name), rest, value)
        copy = obj.model_copy(update={name: new})
        if isinstance(copy, Claim) and name == "text":
            copy.model_post_init(None)  # its markdown, parsed in the edition's language
        return copy
    if isinstance(obj, list):
        items = list(obj)
        items[key] = value if not rest else _replaced(obj[key], rest, value)  # type: ignore[index]
        return items
    return {**obj, key: value if not rest else _replaced(obj[key], rest, value)}


@cache
def _attribute(model: type[BaseModel], key: str | int) -> str:
    """The attribute of ``model`` a YAML key names (``from`` is ``start`` in a role)."""
    for name, info in model.model_fields.items():
        if (info.alias or name) == key:
            return name
    raise KeyError(key)


def untranslated(dossier: Dossier, language: str, default: str) -> Iterator[YamlPath | Document]:
    """What of ``dossier`` the edition in ``language`` shows in another language: the path of each text,
    and the narrative."""
    for path in texts(dossier):
        if isinstance(pick(_at(dossier, path), language, default), Untranslated):
            yield path
    narrative = _narrative(dossier, language, default)
    if narrative is not None and narrative.lang is not None:
        yield narrative


def problems(dossier: Dossier, languages: list[str]) -> list[ContentError]:
    """A text or a narrative in a language the site is not published in: a typo, or a missing ``languages:``."""
    found = []
    for path in texts(dossier):
        written = _at(dossier, path)
        for tag in written if isinstance(written, dict) else ():
            if tag not in languages:
                where = dossier.origin.location(path + (tag,), at_key=True) if dossier.origin else None
                found.append(_unknown(tag, languages, where or _file_start(dossier)))
    for tag, document in dossier.translations.items():
        if tag not in languages:
            found.append(_unknown(tag, languages, _file_start(document)))
    return found


def _unknown(tag: str, languages: list[str], where: Location) -> ContentError:
    listed = ", ".join(languages)
    # a two-letter tag with one letter wrong is half of it: close enough when the first letter is right (rx → ru)
    same_start = [language for language in languages if language[:1] == tag[:1]]
    hint = (
        did_you_mean(tag, same_start, cutoff=0.5)
        or did_you_mean(tag, languages)
        or f"add '{tag}' to `languages:` in site.yaml (now: {listed})"
    )
    return ContentError(where, f"'{tag}' is not one of the site's languages ({listed})", hint)


def _file_start(item: Dossier | Document) -> Location:
    return Location(item.path, 1, 1)


_TRANSLATION = re.compile(r"(?P<stem>[a-z0-9]+(?:-[a-z0-9]+)*)\.(?P<tag>[A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)\.md")


def narratives_beside(
    entries: dict[str, os.DirEntry[str]], suffixes: tuple[str, ...], folder: Path, diagnostics: Diagnostics
) -> dict[str, tuple[str, str]]:
    """The narratives in other languages among ``entries`` (``ID.ru.md``), as name → (language tag, id): each
    belongs to the dossier (or page) ``ID``, and one without it is an error."""
    found = {}
    for name in entries:
        match = _TRANSLATION.fullmatch(name)
        if match is None:
            continue
        stem, tag = match["stem"], match["tag"]
        if any(stem + s in entries for s in (*suffixes, ".md")):
            found[name] = (tag, stem)
        else:
            diagnostics.error(
                Location(folder / name),
                f"'{name}' has no dossier {stem} beside it",
                f"a translation is named after what it translates: {stem}{suffixes[0]} with {stem}.{tag}.md",
            )
            found[name] = (tag, "")
    return found


def read_narratives(path: Path, tags: tuple[str, ...]) -> dict[str, Document]:
    """The narrative of ``path``'s dossier in each language of ``tags``, from ``ID.ru.md`` and the like."""
    found = {}
    for tag in tags:
        translation = path.with_name(f"{path.stem}.{tag}.md")
        text = read_text(translation)
        if text.startswith("---\n") and "\n---\n" in text:
            raise ContentError(
                Location(translation, 1, 1),
                "a translation holds only the text, without front matter",
                f"write the translated title and summary in {path.name} as mappings, e.g. `title: {{en: …, {tag}: …}}`",
            )
        found[tag] = Document(translation, text, markdown.parse(text))
    return found
