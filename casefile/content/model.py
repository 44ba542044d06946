"""The investigation's typed model: dossiers, the facts in them, their sources.

Every fact that can be disputed (a role, a party, a value, a date, a
participant, a claim) carries its own ``sources``; the dossier's ``sources``
cover the rest.  Fields that point at other dossiers are marked with
:class:`RefTo`, so one resolver checks them all.  No I/O here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, get_args, get_origin
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    WithJsonSchema,
    WrapSerializer,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from casefile.content import markdown
from casefile.content.access import ACCESS_KINDS, access_schema
from casefile.content.archive import CaptureDay, archived_url_moved
from casefile.content.confidence import CONFIDENCE_LEVELS
from casefile.content.dates import Date, FuzzyDate
from casefile.pages.i18n import check_currency, check_language

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # use fullmatch: `$` would let "abc\n" through
# An id names a file (ID.yaml) and its pages (ID.html, ID.json): well within the 255 bytes a file name may have,
# and short enough that content/sources/ID.yaml fits Windows' 260-character paths in a checkout.
MAX_ID_LENGTH = 100

ACTOR_KINDS = ("person", "organization", "company", "state", "military-unit", "government-body")
DEAL_KINDS = ("arms-sale", "contract", "agreement", "memorandum", "delivery", "arms-transfers", "other")
PARTY_ROLES = ("buyer", "seller", "intermediary", "signatory", "supplier", "recipient", "party")
DEAL_DATE_KINDS = ("signed", "announced", "agreed", "delivered", "reported")
EVENT_KINDS = ("visit", "meeting", "vote", "delivery", "statement", "coup", "conference", "ceremony", "trip", "other")
SOURCE_KINDS = ("article", "report", "document", "dataset", "statement", "news-agency", "website", "database", "other")
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
ActorId = Annotated[Slug, RefTo(("actor",))]
EventId = Annotated[Slug, RefTo(("event",))]
SourceId = Annotated[Slug, RefTo(("source",))]


def _id_shorthand(value: Any) -> Any:
    """``- tass`` is short for ``- {id: tass}``."""
    return {"id": value} if isinstance(value, str) else value


def _date_shorthand(value: Any) -> Any:
    """``date: 2021-06`` is short for ``date: {date: 2021-06}``."""
    return {"date": value} if isinstance(value, (str, int)) and not isinstance(value, bool) else value


class Strict(BaseModel):
    """Unknown keys are errors: a typo must not silently drop a fact."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, arbitrary_types_allowed=True)


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


SourceRefs = list[Annotated[SourceRef, BeforeValidator(_id_shorthand, json_schema_input_type=SourceId | SourceRef)]]


class Sourced(Strict):
    sources: SourceRefs = []


class Fact(Sourced):
    """A statement in a dossier, with how sure its sources are (shown as a label)."""

    confidence: Literal[CONFIDENCE_LEVELS] | None = None  # type: ignore[valid-type]
    sources_differ: bool = False  # the reports disagree on it: a claim setting accounts side by side, or one side


class MarkdownText:
    """The media references of a parsed markdown text (its ``tokens``), found once per text: the dev server
    checks every dossier's embeds again after each edit. (No ``tokens`` annotation here: pydantic would take
    it for a field of :class:`Claim`.)"""

    @cached_property
    def embeds(self) -> list[markdown.Reference]:
        return markdown.embeds(self.tokens)

    @cached_property
    def remote_images(self) -> list[tuple[str, int]]:
        return markdown.remote_images(self.tokens)


class Claim(Fact, MarkdownText):
    """A statement that fits no field; its text may hold inline markdown."""

    text: str
    _tokens: list[Any] = PrivateAttr(default_factory=list)

    def model_post_init(self, context: Any) -> None:
        self._tokens = markdown.parse_inline(self.text)

    @property
    def tokens(self) -> list[Any]:
        return self._tokens


class ReportedDate(Fact):
    date: Date


class DatedFact(ReportedDate):
    other_dates: list[ReportedDate] = []  # what other sources give: shown side by side, "sources differ"
    editor_note: str | None = None  # the newsroom's word on why the dates differ


FactDate = Annotated[DatedFact, BeforeValidator(_date_shorthand, json_schema_input_type=Date | DatedFact)]


class Role(Fact):
    title: str
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
    caption: str | None = None
    credit: str | None = None
    alt: str | None = None  # what the image shows, for readers who cannot see it: required for images
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


YamlPath = tuple[str | int, ...]
Pointers = tuple[list[tuple[YamlPath, str, RefTo]], list[tuple[YamlPath, SourceRef]]]


class Dossier(Sourced):
    """What every dossier has; ``id`` is the file's stem."""

    type: ClassVar[str]
    section: ClassVar[str]
    id: SkipJsonSchema[str] = Field("", exclude=True)
    path: SkipJsonSchema[Path] = Field(Path(), exclude=True)
    origin: SkipJsonSchema[Any] = Field(None, exclude=True, repr=False)
    narrative: SkipJsonSchema[Document | None] = Field(None, exclude=True, repr=False)
    summary: str | None = None
    claims: list[Claim] = []
    updated: Date | None = None
    corrections: list[Correction] = []
    draft: bool = False  # checked, but left out of the published site unless built with --drafts
    media: MediaList = []
    _pointers: Pointers = PrivateAttr(default_factory=lambda: ([], []))

    def model_post_init(self, context: Any) -> None:
        self._pointers = _find_pointers(self)  # from the fields alone, so equal dossiers stay equal

    @property
    def label(self) -> str:
        raise NotImplementedError

    @property
    def link_signature(self) -> tuple:
        """What a link to the dossier shows (name, and kind for map colours): pages that only link to it
        need rebuilding only when this changes."""
        return (self.type, self.label, getattr(self, "kind", None))

    @property
    def page(self) -> str:
        """Site-relative path of the dossier's page."""
        return self.page_for(self.id)

    @classmethod
    def page_for(cls, dossier_id: str) -> str:
        """Where the page of a dossier of this type with ``dossier_id`` goes."""
        return f"{cls.section}/{dossier_id}.html"

    @property
    def when(self) -> FuzzyDate | None:
        """The date the dossier sorts and appears by on timelines."""
        return None


def _check_name(value: Any) -> Any:
    """A name is text, or a mapping of language tags to the name in each script (``{en: …, my: …}``)."""
    if isinstance(value, str):
        return value
    if value is None:
        raise PydanticCustomError("name_forms", "'name' is empty", {"hint": "write the value after `name:`"})
    if not isinstance(value, dict):
        shown = "a list" if isinstance(value, list) else f"'{value}'"
        hint = "put quotes around the value if it is meant as text; " + _NAME_HINT
        raise PydanticCustomError("name_forms", "'name' should be text, not {shown}", {"shown": shown, "hint": hint})
    if not value:
        raise PydanticCustomError("name_forms", "the name is an empty mapping", {"hint": _NAME_HINT})
    for tag, form in value.items():
        check_language(str(tag))
        if not isinstance(form, str) or not form.strip():
            raise PydanticCustomError("name_forms", "the name in '{tag}' is not text", {"tag": tag, "hint": _NAME_HINT})
    return value


_NAME_HINT = "write `name: Min Aung Hlaing`, or one line per script under `name:`, e.g. `en: Min Aung Hlaing`"
Name = Annotated[str | dict[str, str], BeforeValidator(_check_name)]


class Actor(Dossier):
    type: ClassVar[str] = "actor"
    section: ClassVar[str] = "actors"
    name: Name  # {en: …, my: …}: the name in each script
    kind: Literal[ACTOR_KINDS]  # type: ignore[valid-type]
    aliases: list[str] = []
    country: Annotated[Slug, RefTo(("actor",))] | None = None
    roles: list[Role] = []
    _language: str = PrivateAttr("")  # the site's, set by resolve: it picks the form that names the actor

    def use_language(self, language: str) -> None:
        """Name the actor in ``language`` where the dossier gives that form (the first form written if not)."""
        self._language = language

    @property
    def name_forms(self) -> dict[str, str]:
        """The name by language tag, as written; a plain ``name:`` is one form without a tag."""
        return self.name if isinstance(self.name, dict) else {"": self.name}

    @property
    def label_language(self) -> str:
        """The language tag of the form the actor is named by ('' for a plain ``name:``)."""
        forms = self.name_forms
        base = self._language.partition("-")[0]
        return next((tag for tag in (self._language, base) if tag in forms), next(iter(forms)))

    @property
    def label(self) -> str:
        return self.name_forms[self.label_language]

    @property
    def other_names(self) -> list[tuple[str, str]]:
        """(language tag, form) of the name in the other scripts, shown beside it."""
        return [(tag, form) for tag, form in self.name_forms.items() if tag != self.label_language]


class Deal(Dossier):
    type: ClassVar[str] = "deal"
    section: ClassVar[str] = "deals"
    title: str
    kind: Literal[DEAL_KINDS]  # type: ignore[valid-type]
    parties: list[Party] = []
    items: list[Item] = []
    values: list[Value] = []
    dates: dict[Literal[DEAL_DATE_KINDS], FactDate] = {}  # type: ignore[valid-type]
    values_note: str | None = None  # the newsroom's word on values that differ
    status: str | None = None
    agreed_at: EventId | None = None

    @property
    def label(self) -> str:
        return self.title

    @property
    def when(self) -> FuzzyDate | None:
        dated = [self.dates[k].date for k in DEAL_DATE_KINDS if k in self.dates]
        if dated:
            return dated[0]
        periods = [v.period.date for v in self.values if v.period]
        return periods[0] if periods else None


class Event(Dossier):
    type: ClassVar[str] = "event"
    section: ClassVar[str] = "events"
    title: str
    kind: Literal[EVENT_KINDS]  # type: ignore[valid-type]
    date: FactDate | None = None
    place: str | None = None
    part_of: EventId | None = None
    participants: list[Participant] = []

    @property
    def label(self) -> str:
        return self.title

    @property
    def when(self) -> FuzzyDate | None:
        return self.date.date if self.date else None


class Source(Dossier):
    model_config = ConfigDict(json_schema_extra=access_schema)  # with the base's: unknown keys refused
    type: ClassVar[str] = "source"
    section: ClassVar[str] = "sources"
    title: str
    publisher: str
    authors: list[str] = []
    date: FactDate | None = None
    url: Url | None = None
    archived: Archived | None = None
    archived_url: SkipJsonSchema[Annotated[Any, AfterValidator(archived_url_moved)]] = Field(None, exclude=True)
    access: Literal[ACCESS_KINDS] | None = None  # type: ignore[valid-type]  # online when there is a url
    edition: str | None = None  # print or broadcast
    pages: int | str | None = None  # print: "4", "4-5" (`page` is the site path of every dossier)
    time: str | None = None  # broadcast, e.g. "21:00"
    kind: Literal[SOURCE_KINDS]  # type: ignore[valid-type]
    controlled_by: Literal[CONTROLLERS] | None = Field(  # type: ignore[valid-type]
        None, description="state or party media: the outlet is owned or run by a state (state) or a party (party)"
    )
    language: str | None = None
    cites: list[
        Annotated[CitedSource, BeforeValidator(_id_shorthand, json_schema_input_type=SourceId | CitedSource)]
    ] = []
    read: bool = True
    file: str | None = Field(None, exclude=True)  # a local copy, published without its metadata as "Document on file"
    _stored_text: StoredText | None = PrivateAttr(None)  # not a field: no YAML key, no export can carry it

    def keep_text(self, stored: StoredText) -> None:
        """Keep the report's text (read by the loader from ``ID.txt`` beside the dossier)."""
        self._stored_text = stored

    @property
    def stored_text(self) -> StoredText | None:
        return self._stored_text

    @property
    def label(self) -> str:
        return self.title

    @property
    def when(self) -> FuzzyDate | None:
        return self.date.date if self.date else None


class Page(Dossier):
    """A free-standing markdown page; ``index`` is the home page, which opens with its summary as the
    standfirst, its claims as the key findings, and links to its ``main_actors``."""

    type: ClassVar[str] = "page"
    section: ClassVar[str] = "pages"
    title: str
    order: int = 0
    main_actors: list[ActorId] = []

    @property
    def label(self) -> str:
        return self.title

    @classmethod
    def page_for(cls, dossier_id: str) -> str:
        return "index.html" if dossier_id == "index" else f"pages/{dossier_id}.html"


DOSSIER_TYPES: dict[str, type[Dossier]] = {cls.section: cls for cls in (Actor, Deal, Event, Source)}


def list_page(section: str) -> str:
    """The page that lists every dossier of a section: ``actors/index.html``."""
    return f"{section}/index.html"


def reserved_page(kind: type[Dossier], dossier_id: str) -> str | None:
    """The page the site makes that a dossier of ``kind`` with ``dossier_id`` would replace, if any: an actor
    ``index`` would be ``actors/index.html``, the list of actors. (A page ``index`` is the home page, as meant.)"""
    page = kind.page_for(dossier_id)
    return page if page in {list_page(section) for section in DOSSIER_TYPES} else None


def _ref_marker(annotation: Any) -> RefTo | None:
    """The RefTo inside an annotation, looking through Optional and list."""
    if get_origin(annotation) is Annotated:
        found = next((m for m in annotation.__metadata__ if isinstance(m, RefTo)), None)
        return found or _ref_marker(get_args(annotation)[0])
    for arg in get_args(annotation):
        if arg is not type(None) and (found := _ref_marker(arg)):
            return found
    return None


@cache
def _fields(model: type[BaseModel]) -> list[tuple[str, str, RefTo | None]]:
    """(attribute, YAML key, RefTo) of a model's fields, worked out once per class: walk runs per value."""
    return [
        (
            name,
            info.alias or name,
            next((m for m in info.metadata if isinstance(m, RefTo)), None) or _ref_marker(info.annotation),
        )
        for name, info in model.model_fields.items()
        if not info.exclude
    ]


def walk(
    obj: Any, path: YamlPath = (), descend: Callable[[BaseModel], bool] = lambda model: True
) -> Iterator[tuple[YamlPath, Any, RefTo | None]]:
    """Every value inside ``obj`` (not ``obj`` itself) with its YAML path and, for an id field, its RefTo;
    models for which ``descend`` is false are yielded but not looked into."""
    if isinstance(obj, BaseModel):
        children: Iterator[tuple[YamlPath, Any, RefTo | None]] = (
            (path + (key,), getattr(obj, name), marker) for name, key, marker in _fields(type(obj))
        )
    elif isinstance(obj, list):
        children = ((path + (key,), item, None) for key, item in enumerate(obj))
    elif isinstance(obj, dict):
        children = ((path + (key,), item, None) for key, item in obj.items())
    else:
        return
    for child in children:
        yield child
        value = child[1]
        if isinstance(value, BaseModel) and descend(value) or isinstance(value, list | dict) and value:
            yield from walk(value, child[0], descend)


def references(obj: Any) -> Iterator[tuple[YamlPath, str, RefTo]]:
    """Every dossier id ``obj`` refers to, with its YAML path and expected kinds."""
    return iter(obj._pointers[0] if isinstance(obj, Dossier) else _find_pointers(obj)[0])


def source_refs(obj: Any) -> Iterator[tuple[YamlPath, SourceRef]]:
    """Every citation in ``obj`` with its YAML path, in document order."""
    return iter(obj._pointers[1] if isinstance(obj, Dossier) else _find_pointers(obj)[1])


def _find_pointers(obj: Any) -> Pointers:
    """The ids and the citations in ``obj``, from one walk; a dossier keeps its own, as resolving, lint
    and the bibliography each ask for them (walking every dossier five times took seconds at 10,000)."""
    ids: list[tuple[YamlPath, str, RefTo]] = []
    citations: list[tuple[YamlPath, SourceRef]] = []
    for path, value, marker in walk(obj):
        if marker and isinstance(value, str):
            ids.append((path, value, marker))
        elif marker and isinstance(value, list):
            ids.extend((path + (i,), v, marker) for i, v in enumerate(value) if isinstance(v, str))
        if isinstance(value, SourceRef):
            citations.append((path, value))
    return ids, citations
