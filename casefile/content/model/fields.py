"""The words and ids a dossier's fields take: kinds, ids that point at other dossiers, web addresses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # use fullmatch: `$` would let "abc\n" through
# An id names a file (ID.yaml) and its pages (ID.html, ID.json): well within the 255 bytes a file name may have,
# and short enough that content/sources/ID.yaml fits Windows' 260-character paths in a checkout.
MAX_ID_LENGTH = 100

ACTOR_KINDS = ("person", "organization", "company", "state", "military-unit", "government-body")
DEAL_KINDS = ("arms-sale", "contract", "agreement", "memorandum", "delivery", "arms-transfers", "other")
PARTY_ROLES = ("buyer", "seller", "intermediary", "signatory", "supplier", "recipient", "party")
DEAL_DATE_KINDS = ("signed", "announced", "agreed", "delivered", "reported")
EVENT_KINDS = ("visit", "meeting", "vote", "delivery", "statement", "coup", "conference", "ceremony", "trip", "other")
SOURCE_KINDS = (
    *("article", "report", "document", "dataset", "statement", "news-agency", "website", "database", "letter"),
    "other",
)
REPLY_CHANNELS = ("email", "letter", "phone", "in person", "other")  # how a party was asked for comment
# what came of it: nothing by the deadline, a refusal, an answer; or only a report that the party has not commented
REPLY_RESPONSES = ("none", "declined", "answered", "no-comment-reported")
CONTROLLERS = ("state", "party")  # state or party media: an outlet a government or a ruling party owns or runs


@dataclass(frozen=True)
class RefTo:
    """Marks a field whose value is the id of a dossier of one of ``kinds``."""

    kinds: tuple[str, ...]


def _check_slug(value: str) -> str:
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in value)  # "abc\n" stays on one line
    if not SLUG.fullmatch(value):
        raise PydanticCustomError(
            "slug", "'{value}' is not a valid id: use lowercase letters, digits and hyphens", {"value": shown}
        )
    if len(value) > MAX_ID_LENGTH:
        raise PydanticCustomError(
            "slug_length",
            "'{value}' is not a valid id: it has {length} characters, more than {most}",
            {
                "value": shown[:40] + "…",
                "length": len(value),
                "most": MAX_ID_LENGTH,
                "hint": f"ids have at most {MAX_ID_LENGTH} characters: no file can have a longer one",
            },
        )
    return value


def check_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in ("http", "https"):
        raise PydanticCustomError(
            "url_scheme",
            "'{value}' is not a web address: only http:// and https:// links are allowed",
            {"value": value},
        )
    if not parts.netloc or " " in value.strip():
        raise PydanticCustomError("url_host", "'{value}' is not a complete web address", {"value": value})
    return value.strip()


Slug = Annotated[
    str,
    AfterValidator(_check_slug),
    WithJsonSchema({"type": "string", "pattern": f"^{SLUG.pattern}$", "maxLength": MAX_ID_LENGTH}),
]
Url = Annotated[
    str, AfterValidator(check_url), WithJsonSchema({"type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://"})
]


@dataclass(frozen=True)
class Translatable:
    """Marks a text field that may be written once per language: ``summary: {en: …, ru: …}``."""


def check_filled(value: str) -> str:
    """A blank text would make an empty heading, link or footnote: it is refused where it is written."""
    if not value.strip():
        raise PydanticCustomError("blank", "the text is empty")  # named by its field: see content.validation
    return value


Line = Annotated[str, AfterValidator(check_filled)]  # plain text that must say something: a title, a publisher


def _check_text(value: Any) -> Any:
    """Text, or a mapping of language tags to the text in each language (checked against site.yaml later)."""
    if isinstance(value, str):
        return check_filled(value)
    if isinstance(value, dict):
        if not value:
            raise PydanticCustomError("text_forms", "the text is an empty mapping", {"hint": _TEXT_HINT})
        for tag, form in value.items():
            if not isinstance(tag, str) or not isinstance(form, str) or not form.strip():
                raise PydanticCustomError(
                    "text_forms", "the text in '{tag}' is not text", {"tag": str(tag), "hint": _TEXT_HINT}
                )
    return value


_TEXT_HINT = "write the text, or one line per language under the key, e.g. `en: …` and `ru: …`"
# a text in the site's default language, or one per language; casefile.content.translations picks an edition's
Text = Annotated[str | dict[str, str], BeforeValidator(_check_text), Translatable()]


def plain(text: str | dict[str, str]) -> str:
    """A text as one string: itself, or the first language it is written in (before an edition picks one)."""
    return text if isinstance(text, str) else next(iter(text.values()))


ActorId = Annotated[Slug, RefTo(("actor",))]
EventId = Annotated[Slug, RefTo(("event",))]
SourceId = Annotated[Slug, RefTo(("source",))]


def one_or_more(value: Any) -> Any:
    """``from: russia`` is short for ``from: [russia]``."""
    return [value] if isinstance(value, str) else value


def id_shorthand(value: Any) -> Any:
    """``- tass`` is short for ``- {id: tass}``."""
    return {"id": value} if isinstance(value, str) else value


def date_shorthand(value: Any) -> Any:
    """``date: 2021-06`` is short for ``date: {date: 2021-06}``."""
    return {"date": value} if isinstance(value, (str, int)) and not isinstance(value, bool) else value


class Strict(BaseModel):
    """Unknown keys are errors: a typo must not silently drop a fact."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, arbitrary_types_allowed=True)


YamlPath = tuple[str | int, ...]  # ("roles", 0, "of"): where a value stands in its file
