"""How a source can be consulted: online, in print, on air, on file with the newsroom, or not at all.

Not every source is a web page. A source says so with ``access:``, and the fields that locate
it (a print ``edition`` and ``pages``, a broadcast's ``time``) are allowed only where they make
sense: ``pages:`` on a web page, or a ``url:`` that would name a confidential source, is a
located error here rather than a strange footnote later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from casefile.diagnostics import ContentError

if TYPE_CHECKING:
    from casefile.content.model import Source


@dataclass(frozen=True)
class Access:
    """One way of consulting a source, and which of the locating fields it takes."""

    name: str
    fields: tuple[str, ...]  # of edition, pages, time, url, archived, authors, file
    needs_url: bool = False


ACCESS = {
    access.name: access
    for access in (
        Access("online", ("url", "archived", "authors", "file"), needs_url=True),
        Access("print", ("edition", "pages", "url", "archived", "authors", "file")),
        Access("broadcast", ("edition", "time", "url", "archived", "authors", "file")),
        Access("on-file", ("authors", "file")),
        Access("confidential", ()),
    )
}
ACCESS_KINDS = tuple(ACCESS)
UNSTATED = Access("", ("url", "archived", "authors", "file"))  # no `access:` and no url: as before access kinds
LOCATING_FIELDS = ("edition", "pages", "time", "url", "archived", "authors", "file")

_WHY_NOT = {  # why a field does not belong to a kind of access, as the hint says it
    ("confidential", "url"): "the address would name the source",
    ("confidential", "archived"): "the address would name the source",
    ("confidential", "authors"): "the authors' names would name the source",
    ("confidential", "file"): "the document could identify the source; to keep it in the repository and out of "
    "the site, list it under `media:` with `publish: false`",
    ("on-file", "url"): "a document on file has no public address; if it is online, write `access: online`",
    ("on-file", "archived"): "a document on file has no public address; if it is online, write `access: online`",
}


def access_schema(schema: dict[str, Any], model: type) -> None:
    """The same rules for editors: a field that does not fit the access is underlined as it is typed."""
    rules = [
        _rule({"properties": {"access": {"const": kind}}, "required": ["access"]}, access)
        for kind, access in ACCESS.items()
    ]
    schema["allOf"] = [*rules, _rule({"not": {"required": ["access"]}}, UNSTATED)]


def _rule(condition: dict[str, Any], access: Access) -> dict[str, Any]:
    banned = {name: False for name in LOCATING_FIELDS if name not in access.fields}
    then: dict[str, Any] = {"properties": banned} | ({"required": ["url"]} if access.needs_url else {})
    return {"if": condition, "then": then}


def access_of(source: Source) -> str | None:
    """The source's access as written, or ``online`` when it has an address; None when nothing says."""
    return source.access or ("online" if source.url else None)


def access_problems(source: Source) -> list[ContentError]:
    """A locating field that does not fit the source's access, or an online source without its address."""
    where = source.origin.location
    kind = access_of(source)
    problems = []
    if kind is not None and ACCESS[kind].needs_url and not source.url:
        problems.append(
            ContentError(
                where(("access",)),
                f"'{source.id}' is an online source without `url:`",
                "add the address of the original, or say how it is held: "
                "`access: print`, `broadcast`, `on-file` or `confidential`",
            )
        )
    allowed = ACCESS[kind].fields if kind else UNSTATED.fields
    misplaced = [name for name in LOCATING_FIELDS if getattr(source, name) and name not in allowed]
    return problems + [_misplaced(source, name, kind) for name in misplaced] + _published_files(source, kind)


def _published_files(source: Source, kind: str | None) -> list[ContentError]:
    """A confidential source's files would be published beside its page, where they could identify it."""
    if kind != "confidential":
        return []
    return [
        ContentError(
            source.origin.location(("media", index, "file"), at_key=True),
            f"'{source.id}' is confidential: '{item.file}' would be published, and could identify the source",
            "add `publish: false` to keep the file in the repository and out of the site",
        )
        for index, item in enumerate(source.media)
        if item.publish
    ]


def _misplaced(source: Source, name: str, kind: str | None) -> ContentError:
    fits = [access for access in ACCESS_KINDS if name in ACCESS[access].fields]
    written = f"'{source.id}' is {kind}: " if kind else ""
    why = _WHY_NOT.get((kind or "", name))
    written_as = " or ".join(f"`access: {access}`" for access in fits)
    hint = f"remove `{name}:`: {why}" if why else f"write {written_as}, or remove `{name}:`"
    return ContentError(
        source.origin.location((name,), at_key=True),
        f"{written}`{name}:` is for {_listing(fits)} sources",
        hint,
    )


def _listing(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
