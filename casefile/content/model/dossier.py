"""What every dossier has: its id and file, its narrative, claims, corrections and media, and its names."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, ClassVar

from pydantic import (
    BeforeValidator,
    Field,
    PrivateAttr,
)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from casefile.content.dates import Date, FuzzyDate
from casefile.content.languages import check_language
from casefile.content.model.facts import Claim, Correction, Document, MediaList, Reply, Review, Sourced
from casefile.content.model.fields import Text, check_filled
from casefile.content.model.walk import Pointers, find_pointers


class Dossier(Sourced):
    """What every dossier has; ``id`` is the file's stem."""

    type: ClassVar[str]
    section: ClassVar[str]
    id: SkipJsonSchema[str] = Field("", exclude=True)
    path: SkipJsonSchema[Path] = Field(Path(), exclude=True)
    origin: SkipJsonSchema[Any] = Field(None, exclude=True, repr=False)
    narrative: SkipJsonSchema[Document | None] = Field(None, exclude=True, repr=False)
    # ID.ru.md beside ID.md: the narrative in other languages, by language tag
    translations: SkipJsonSchema[dict[str, Document]] = Field({}, exclude=True, repr=False)
    summary: Text | None = None
    claims: list[Claim] = []
    updated: Date | None = None
    corrections: list[Correction] = []
    draft: bool = False  # checked, but left out of the published site unless built with --drafts
    media: MediaList = []
    reviewed: list[Review] = Field([], exclude=True)  # sign-offs: exported only where site.yaml says so
    _pointers: Pointers = PrivateAttr(default_factory=lambda: ([], [], []))
    _written: Dossier | None = PrivateAttr(None)  # an edition's copy: the dossier as its files say it

    def model_post_init(self, context: Any) -> None:
        self._pointers = find_pointers(self)  # from the fields alone, so equal dossiers stay equal

    @property
    def as_written(self) -> Dossier:
        """The dossier with every language's texts, as its files say it: what the data exports carry."""
        return self._written or self

    def written_as(self, original: Dossier) -> None:
        """Mark this dossier as an edition's copy of ``original``."""
        self._written = original.as_written

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


class Answerable(Dossier):
    """A dossier that can accuse someone, so records the right of reply: actors, deals and events."""

    replies: list[Reply] = []

    def asked(self, reply: Reply) -> list[str]:
        """The ids of whom ``reply`` records: its ``from:``, or on an actor's own dossier the actor itself."""
        return reply.from_ or ([self.id] if self.type == "actor" else [])


def _check_name(value: Any) -> Any:
    """A name is text, or a mapping of language tags to the name in each script (``{en: …, my: …}``)."""
    if value is None or isinstance(value, str):
        return check_filled(value or "")  # `name:` with nothing or only spaces after it: "'name' is empty"
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
