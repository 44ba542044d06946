"""What a dossier says, each with its own sources: citations, claims, dates, roles, parties, values, media."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PrivateAttr,
    WrapSerializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from casefile.content import markdown
from casefile.content.archive import CaptureDay
from casefile.content.confidence import CONFIDENCE_LEVELS
from casefile.content.dates import Date
from casefile.content.languages import check_currency
from casefile.content.model.fields import (
    PARTY_ROLES,
    REPLY_CHANNELS,
    REPLY_RESPONSES,
    ActorId,
    Line,
    Slug,
    SourceId,
    Strict,
    Text,
    Url,
    date_shorthand,
    id_shorthand,
    one_or_more,
    plain,
)


class SourceRef(Strict):
    """One citation: which source, where in it, and whom that source was citing.

    A plain citation is the outlet's own voice for the fact; ``citing:`` says it relays others. A source whose
    ``cites:`` lists what the report relies on somewhere does not make every fact it supports a relay: the
    editor says which, with ``citing:``, or confirms the outlet's own voice with ``own_voice: true``.
    """

    id: SourceId
    locator: str | None = None
    citing: list[SourceId] = []
    own_voice: bool = False

    @model_validator(mode="after")
    def _one_voice(self) -> SourceRef:
        if self.own_voice and self.citing:
            raise PydanticCustomError(
                "own_voice",
                "a citation cannot be the outlet's own voice and also name whom it is citing",
                {"hint": "keep `citing:` if the report relays them for this fact, else remove it"},
            )
        return self


SourceRefs = list[Annotated[SourceRef, BeforeValidator(id_shorthand, json_schema_input_type=SourceId | SourceRef)]]


def _check_digest(value: str) -> str:
    if not DIGEST.fullmatch(value):
        raise PydanticCustomError(
            "digest",
            "'{value}' is not a review digest",
            {"value": value[:40], "hint": "leave `digest:` as `casefile review` wrote it, or sign off again"},
        )
    return value


DIGEST = re.compile(r"[0-9a-f]{32}")


class Sourced(Strict):
    sources: SourceRefs = []


class Fact(Sourced):
    """A statement in a dossier, with how sure its sources are (shown as a label)."""

    confidence: Literal[CONFIDENCE_LEVELS] | None = None  # type: ignore[valid-type]
    sources_differ: bool = False  # the reports disagree on it: a claim setting accounts side by side, or one side


class MarkdownText:
    """The links, citations and media references of a parsed markdown text (its ``tokens``), found once per text:
    a build reads a narrative's links four times (checks, lint, the data, the map), and the dev server checks every
    dossier's embeds again after each edit. (No ``tokens`` annotation here: pydantic would take it for a field of
    :class:`Claim`.)"""

    @cached_property
    def references(self) -> tuple[markdown.Reference, ...]:
        return tuple(markdown.references(self.tokens))

    @cached_property
    def embeds(self) -> list[markdown.Reference]:
        return markdown.embeds(self.tokens)

    @cached_property
    def remote_images(self) -> list[tuple[str, int]]:
        return markdown.remote_images(self.tokens)


class Claim(Fact, MarkdownText):
    """A statement that fits no field; its text may hold inline markdown. An ``id`` lets a reply say it
    answers the claim (``answers:``)."""

    text: Text
    id: Slug | None = None
    _tokens: list[Any] = PrivateAttr(default_factory=list)

    def model_post_init(self, context: Any) -> None:
        """The text parsed: one edition's (casefile.content.translations parses it again for each), or as
        written, the first language's."""
        self._tokens = markdown.parse_inline(plain(self.text))

    @property
    def tokens(self) -> list[Any]:
        return self._tokens


class ReportedDate(Fact):
    date: Date


class DatedFact(ReportedDate):
    other_dates: list[ReportedDate] = []  # what other sources give: shown side by side, "sources differ"
    editor_note: str | None = None  # the newsroom's word on why the dates differ


FactDate = Annotated[DatedFact, BeforeValidator(date_shorthand, json_schema_input_type=Date | DatedFact)]


class Role(Fact):
    title: Line
    of: ActorId | None = None
    start: FactDate | None = Field(None, alias="from")
    end: FactDate | None = Field(None, alias="to")


class Party(Fact):
    actor: ActorId
    role: Literal[PARTY_ROLES]  # type: ignore[valid-type]


class Item(Fact):
    what: str
    quantity: int | str | None = None


class Value(Fact):
    text: str
    amount: float | None = None
    currency: Annotated[str, AfterValidator(check_currency)] | None = None  # ISO 4217: USD, EUR, RUB
    period: FactDate | None = None
    note: str | None = None


class Participant(Fact):
    actor: ActorId
    role: str | None = None


class Reply(Sourced):
    """A party's chance to respond before publication: who was asked (``from``), when and how, by when, and
    what came of it, with where the answer is on record (``sources``) and the claims it answers.

    ``response: no-comment-reported`` is different in kind: a report says the party has not commented, and
    nothing says it was asked. It takes the report as its source and no ``asked``, ``via`` or ``deadline``.
    """

    from_: Annotated[list[ActorId], BeforeValidator(one_or_more, json_schema_input_type=ActorId | list[ActorId])] = (
        Field([], alias="from")
    )
    asked: Date | None = None
    via: Literal[REPLY_CHANNELS] | None = None  # type: ignore[valid-type]
    deadline: Date | None = None
    response: Literal[REPLY_RESPONSES]  # type: ignore[valid-type]
    text: str | None = None  # the answer, quoted or summarised
    answers: list[Slug] = []  # ids of the dossier's claims the reply answers

    @model_validator(mode="after")
    def _as_recorded(self) -> Reply:
        if self.response == "no-comment-reported":
            asked = [name for name in ("asked", "via", "deadline") if getattr(self, name) is not None]
            if asked:
                raise _reply_error(
                    f"`{asked[0]}:` is for a request for comment, and a report that a party has not commented "
                    "says nothing of one",
                    f"remove `{asked[0]}:`, or if the newsroom asked, write `response: none`, `declined` or `answered`",
                )
            if not self.sources:
                raise _reply_error(
                    "a report that a party has not commented needs the report", "add `sources:` with the report"
                )
        elif self.asked is None or self.via is None:
            missing = "asked" if self.asked is None else "via"
            raise _reply_error(
                f"a request for comment needs `{missing}:`",
                "write when the party was asked (`asked: 2021-07-01`) and how (`via: email`)",
            )
        if self.response == "answered" and not self.text:
            raise _reply_error("an answer needs its words", "add `text:` with the answer, quoted or summarised")
        if self.response == "none" and self.text:
            raise _reply_error(
                "`text:` is for what the party said, and `response: none` says it said nothing",
                "remove `text:`, or write `response: answered` or `declined`",
            )
        return self


def _reply_error(message: str, hint: str) -> PydanticCustomError:
    return PydanticCustomError("reply", message, {"hint": hint})


class Review(Strict):
    """An editor's sign-off: who checked the dossier, on which day, and a digest of what they checked, so that
    a later edit shows as "changed since review". ``casefile review ID --by NAME`` writes it."""

    by: str
    on: Date
    digest: Annotated[str, AfterValidator(_check_digest)]


class CitedSource(Strict):
    """What a source itself relies on (SIPRI data reported by a newspaper)."""

    id: SourceId
    note: str | None = None


class Correction(Strict):
    """A change made after publication: when, what changed, why. Not a fact, so its sources are optional."""

    date: Date
    what: str
    why: str
    sources: SourceRefs = []


class Archived(Strict):
    """A copy of a source kept by an archive (the Wayback Machine, archive.today) and the day it was captured."""

    url: Url
    date: CaptureDay


class Media(Sourced):
    """A photo or document a dossier shows; checked and processed by :mod:`casefile.investigation.media`."""

    file: str = Field(exclude=True)  # beside the dossier, or in content/media/; its name stays out of the exports
    id: Slug | None = None  # for ![[id]] in markdown; the file name made an id when left out
    caption: Text | None = None
    credit: str | None = None
    alt: Text | None = None  # what the image shows, for readers who cannot see it: required for images
    date: FactDate | None = None
    place: str | None = None
    publish: bool = True  # false: kept in the repository, left out of the site


def _published_only(media: list[Media], serialize: Callable[[list[Media]], Any]) -> Any:
    """The data exports list what the site shows: a ``publish: false`` file is not even named."""
    return serialize([item for item in media if item.publish])


MediaList = Annotated[list[Media], WrapSerializer(_published_only)]


@dataclass
class Document(MarkdownText):
    """A markdown text, parsed once; ``line_offset`` places its lines in the file."""

    path: Path
    text: str
    tokens: list[Any]
    line_offset: int = 0
    lang: str | None = None  # shown in an edition of another language: the language it is written in


@dataclass(frozen=True)
class StoredText:
    """The text of the report a source stands for (``content/sources/ID.txt``): read to check quotations,
    never published unless site.yaml says ``publish_source_texts: true``."""

    path: Path
    text: str

    @property
    def paragraphs(self) -> list[str]:
        """The text's paragraphs (apart at blank lines), each on one line, as written."""
        return [" ".join(paragraph.split()) for paragraph in self.text.split("\n\n") if paragraph.strip()]
