"""The kinds of dossier: actors, deals, events, sources and pages, each with the fields of its kind."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from casefile.content.access import ACCESS_KINDS, KIND_ACCESS, access_schema
from casefile.content.archive import archived_url_moved
from casefile.content.dates import FuzzyDate
from casefile.content.model.dossier import Answerable, Dossier, Name
from casefile.content.model.facts import (
    Archived,
    CitedSource,
    FactDate,
    Item,
    Participant,
    Party,
    Role,
    StoredText,
    Value,
)
from casefile.content.model.fields import (
    ACTOR_KINDS,
    CONTROLLERS,
    DEAL_DATE_KINDS,
    DEAL_KINDS,
    EVENT_KINDS,
    SOURCE_KINDS,
    ActorId,
    EventId,
    Line,
    RefTo,
    Slug,
    SourceId,
    Text,
    Url,
    id_shorthand,
    plain,
)


class Actor(Answerable):
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
        if not isinstance(forms := self.name, dict):
            return ""
        language = self._language  # read once: a private attribute is a slow lookup, and pages ask a lot
        base = language.partition("-")[0]
        return next((tag for tag in (language, base) if tag in forms), next(iter(forms)))

    @property
    def label(self) -> str:
        """The name the pages call the actor by: asked for on every line that names it, so a plain ``name:``
        is answered without working out a language."""
        return self.name if isinstance(self.name, str) else self.name[self.label_language]

    @property
    def other_names(self) -> list[tuple[str, str]]:
        """(language tag, form) of the name in the other scripts, shown beside it."""
        return [(tag, form) for tag, form in self.name_forms.items() if tag != self.label_language]


class Deal(Answerable):
    type: ClassVar[str] = "deal"
    section: ClassVar[str] = "deals"
    title: Text
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
        return plain(self.title)

    @property
    def when(self) -> FuzzyDate | None:
        dated = [self.dates[k].date for k in DEAL_DATE_KINDS if k in self.dates]
        if dated:
            return dated[0]
        periods = [v.period.date for v in self.values if v.period]
        return periods[0] if periods else None


class Event(Answerable):
    type: ClassVar[str] = "event"
    section: ClassVar[str] = "events"
    title: Text
    kind: Literal[EVENT_KINDS]  # type: ignore[valid-type]
    date: FactDate | None = None
    place: str | None = None
    part_of: EventId | None = None
    participants: list[Participant] = []

    @property
    def label(self) -> str:
        return plain(self.title)

    @property
    def when(self) -> FuzzyDate | None:
        return self.date.date if self.date else None


class Source(Dossier):
    model_config = ConfigDict(json_schema_extra=access_schema)  # with the base's: unknown keys refused
    type: ClassVar[str] = "source"
    section: ClassVar[str] = "sources"
    title: Line
    publisher: Line
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
        Annotated[CitedSource, BeforeValidator(id_shorthand, json_schema_input_type=SourceId | CitedSource)]
    ] = []
    read: bool = True
    file: str | None = Field(None, exclude=True)  # a local copy, published without its metadata as "Document on file"
    _stored_text: StoredText | None = PrivateAttr(None)  # not a field: no YAML key, no export can carry it

    @model_validator(mode="before")
    @classmethod
    def _access_of_its_kind(cls, data: Any) -> Any:
        """A letter to or from a party is confidential unless the source says how else it is held (KIND_ACCESS)."""
        kind = data.get("kind") if isinstance(data, dict) else None  # not yet checked: it may be a list
        if isinstance(kind, str) and kind in KIND_ACCESS and "access" not in data:
            return {**data, "access": KIND_ACCESS[kind]}
        return data

    def keep_text(self, stored: StoredText) -> None:
        """Keep the report's text (read by the loader from ``ID.txt`` beside the dossier)."""
        self._stored_text = stored

    @property
    def stored_text(self) -> StoredText | None:
        return self._stored_text

    @property
    def label(self) -> str:
        return plain(self.title)

    @property
    def when(self) -> FuzzyDate | None:
        return self.date.date if self.date else None


class Page(Dossier):
    """A free-standing markdown page; ``index`` is the home page, which opens with its summary as the
    standfirst, its claims as the key findings, and links to its ``main_actors``."""

    type: ClassVar[str] = "page"
    section: ClassVar[str] = "pages"
    title: Text
    order: int = 0
    main_actors: list[ActorId] = []

    @property
    def label(self) -> str:
        return plain(self.title)

    @classmethod
    def page_for(cls, dossier_id: str) -> str:
        return "index.html" if dossier_id == "index" else f"pages/{dossier_id}.html"


DOSSIER_TYPES: dict[str, type[Dossier]] = {cls.section: cls for cls in (Actor, Deal, Event, Source)}
