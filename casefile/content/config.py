"""``site.yaml``: the investigation's name and where it is published."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from casefile.content.dates import Date
from casefile.content.languages import check_label, check_language, check_overrides
from casefile.content.links import link_problem
from casefile.content.model import ACTOR_KINDS, Line, Strict, Url, check_url
from casefile.content.validation import validate
from casefile.content.yamlio import DEFAULT_MAX_FILE_MB, load_yaml
from casefile.diagnostics import ContentError, Location

_DOMAIN = re.compile(r"(?=.{1,253}\Z)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


def _folder_url(value: str) -> str:
    """``https://org.github.io/casefile`` and ``…/casefile/`` mean the same folder: keep the slash."""
    if urlsplit(value).query or urlsplit(value).fragment:
        raise PydanticCustomError(
            "url_folder", "'{value}' is not the address of a folder: leave out ? and #", {"value": value}
        )
    return value if value.endswith("/") else value + "/"


def _check_domain(value: str) -> str:
    if not _DOMAIN.fullmatch(value):
        raise PydanticCustomError(
            "domain",
            "'{value}' is not a domain name: write the host alone, e.g. investigations.example.org",
            {"value": value},
        )
    return value


_EDITION_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def _edition_tag(tag: str) -> str:
    """An edition's language names its folder and its pages' ``lang``: a lowercase BCP 47 tag (``pt-BR``)."""
    if not _EDITION_TAG.fullmatch(tag):
        shown = tag.replace("_", "-")
        hint = (
            f"write it as in BCP 47: '{shown[:2].lower() + shown[2:]}'"
            if tag[:2].isalpha()
            else "write e.g. en, my or ru"
        )
        raise PydanticCustomError(
            "language", "'{value}' is not a language tag as web pages write them", {"value": tag, "hint": hint}
        )
    return tag


def _distinct(tags: list[str]) -> list[str]:
    """Each language once: two editions in one folder would overwrite each other."""
    lowered = [tag.lower() for tag in tags]
    twice = sorted({tag for tag in tags if lowered.count(tag.lower()) > 1})
    if twice:
        raise PydanticCustomError(
            "languages", "'{tag}' is listed twice in languages:", {"tag": twice[0], "hint": "list each language once"}
        )
    return tags


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _check_contact(value: str) -> str:
    """An e-mail address or a web address, which the pages turn into a link readers can use."""
    value = value.strip()
    if _EMAIL.fullmatch(value):
        return value
    if value.startswith(("http://", "https://")):
        return check_url(value)
    raise PydanticCustomError(
        "contact",
        "'{value}' is neither an e-mail address nor a web address",
        {"value": value, "hint": "write e.g. tips@example.org or https://example.org/contact"},
    )


BaseUrl = Annotated[Url, AfterValidator(_folder_url)]
Domain = Annotated[str, AfterValidator(_check_domain)]


class AcceptedWarnings(Strict):
    """Warnings looked at and found fine, by kind: the ids (or pages, or addresses) they are about."""

    source_without_url: list[str] = Field([], alias="source-without-url")
    uncited_source: list[str] = Field([], alias="uncited-source")
    dossier_without_sources: list[str] = Field([], alias="dossier-without-sources")
    fact_without_sources: list[str] = Field([], alias="fact-without-sources")
    actor_without_relations: list[str] = Field([], alias="actor-without-relations")
    broken_markdown_link: list[str] = Field([], alias="broken-markdown-link")
    page_too_large: list[str] = Field([], alias="page-too-large")
    dead_link: list[str] = Field([], alias="dead-link")
    draft_link: list[str] = Field([], alias="draft-link")
    source_before_fact: list[str] = Field([], alias="source-before-fact")
    date_after_sources: list[str] = Field([], alias="date-after-sources")
    media_metadata: list[str] = Field([], alias="media-metadata")
    image_weight: list[str] = Field([], alias="image-weight")
    paraphrase_quoted: list[str] = Field([], alias="paraphrase-quoted")

    def of(self, kind: str) -> list[str]:
        return getattr(self, kind.replace("-", "_"))


class Policy(Strict):
    """The newsroom's rules before publication, enforced by ``check --strict`` (as warnings without it)."""

    reply_required_for: list[Literal[ACTOR_KINDS]] = []  # type: ignore[valid-type]  # kinds of actor to ask
    min_origins: int = Field(1, ge=1, le=10)  # a fact on fewer independent origins needs a confidence or label
    review_required: bool = False  # every dossier signed off by someone on the staff, and unchanged since
    complete_editions: bool = False  # every text in every language of `languages:`


class SiteConfig(Strict):
    title: Line
    description: str | None = None
    language: Annotated[str, AfterValidator(check_language)] = "en"  # the interface's; with languages:, the first
    # one edition per language, the first at the site's root and the others in folders of their own (ru/…)
    languages: Annotated[
        list[Annotated[str, AfterValidator(check_language), AfterValidator(_edition_tag)]], AfterValidator(_distinct)
    ] = []
    base_url: BaseUrl | None = None
    domain: Domain | None = None
    accepted_warnings: AcceptedWarnings = AcceptedWarnings()
    max_file_size_mb: float = Field(DEFAULT_MAX_FILE_MB, gt=0, le=1000)  # larger files are refused unread
    max_media_size_mb: float = Field(50, gt=0, le=2000)  # larger photos and documents are refused unread
    max_image_megapixels: float = Field(100, gt=0, le=10000)  # larger images are refused before they are decoded
    image_budget_kb: int = Field(1500, gt=0)  # what a page's images may weigh together before `check` warns
    publish_source_texts: bool = False  # the source pages show the reports' stored texts (content/sources/ID.txt)
    publisher: str | None = None  # the newsroom, shown in every page's footer
    authors: list[str] = []  # the bylines of the investigation
    published: Date | None = None  # when it was first published
    staff: list[str] = []  # who may sign a dossier off (`casefile review ID --by NAME`)
    policy: Policy = Policy()  # what `check --strict` holds the investigation to before publication
    publish_reviews: bool = False  # the sign-offs (names, days, digests) go into the exports and onto the pages
    contact: Annotated[str, AfterValidator(_check_contact)] | None = None  # for tips and right of reply
    # English label → the site's own wording
    labels: Annotated[dict[Annotated[str, AfterValidator(check_label)], str], AfterValidator(check_overrides)] = {}

    @model_validator(mode="before")
    @classmethod
    def _default_language(cls, data: Any) -> Any:
        """``languages: [en, ru]`` makes the first the site's ``language:``; both written, they must agree."""
        if not isinstance(data, dict) or not isinstance(data.get("languages"), list) or not data["languages"]:
            return data
        return data if "language" in data else {**data, "language": data["languages"][0]}

    @field_validator("languages")
    @classmethod
    def _first_is_the_language(cls, languages: list[str], info: ValidationInfo) -> list[str]:
        """Both ``language:`` and ``languages:`` written, they must agree: the first language is the default."""
        language = info.data.get("language")
        if languages and language is not None and language != languages[0]:
            raise PydanticCustomError(
                "languages",
                "'language: {language}' is not the first of 'languages:'",
                {"language": language, "hint": "remove `language:`: the first of `languages:` is the site's default"},
            )
        return languages

    @property
    def editions(self) -> list[str]:
        """The languages the site is published in, the default first; one without ``languages:``."""
        return self.languages or [self.language]

    @property
    def default_language(self) -> str:
        return self.editions[0]

    @property
    def folder(self) -> str:
        """Where this edition's pages are: the root for the default language, ``ru/`` for Russian."""
        return self.folder_of(self.language)

    def folder_of(self, language: str) -> str:
        return "" if language == self.default_language else language + "/"

    def in_language(self, language: str) -> SiteConfig:
        """The configuration of the edition in ``language``: its interface, dates and numbers."""
        return self.model_copy(update={"language": language})

    @property
    def contact_url(self) -> str | None:
        """``contact`` as a link: ``mailto:`` for an e-mail address."""
        if self.contact is None:
            return None
        return self.contact if self.contact.startswith(("http://", "https://")) else f"mailto:{self.contact}"

    @property
    def root_path(self) -> str:
        """The site's folder on its server (``/casefile/``); ``/`` when the address is not known."""
        return urlsplit(self.base_url).path if self.base_url else "/"

    def absolute_url(self, path: str) -> str | None:
        """The public address of the site path ``path`` (a folder's index as the folder), or None."""
        if self.base_url is None:
            return None
        if path == "index.html" or path.endswith("/index.html"):
            path = path.removesuffix("index.html")
        return self.base_url + path

    def edition_url(self, path: str) -> str:
        """The public address of ``path`` in this edition (``ru/`` before it in Russian); '' when not known."""
        return self.absolute_url(self.folder + path) or ""

    def accepts(self, kind: str, subject: str) -> bool:
        """Whether site.yaml says this warning about ``subject`` was looked at and is fine."""
        return subject in self.accepted_warnings.of(kind)


def parse_base_url(text: str) -> str:
    """A base URL given on the command line, checked and normalised like site.yaml's."""
    try:
        return TypeAdapter(BaseUrl).validate_python(text)
    except ValidationError as exc:
        raise ValueError(exc.errors()[0]["msg"]) from None


def load_config(site_dir: Path) -> tuple[SiteConfig | None, list[ContentError]]:
    """``site.yaml``, validated; never read through a link that leads out of the investigation."""
    path = site_dir / "site.yaml"
    if path.is_symlink() and (problem := link_problem(path, site_dir.resolve())):
        return None, [problem]
    if not path.is_file():
        return None, [
            ContentError(
                Location(path),
                "site.yaml is missing",
                "create site.yaml with at least `title: …` at the top of the investigation folder",
            )
        ]
    try:
        doc = load_yaml(path, DEFAULT_MAX_FILE_MB)
    except ContentError as problem:
        return None, [problem]
    return validate(SiteConfig, doc)
