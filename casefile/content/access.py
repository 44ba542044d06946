"""How a source can be consulted: online, in print, on air, on file with the newsroom, or not at all.

Not every source is a web page. A source says so with ``access:``, and the fields that locate
it (a print ``edition`` and ``pages``, a broadcast's ``time``) are allowed only where they make
sense. This table says where; the editor schema underlines a misplaced field as it is typed, and
:mod:`casefile.content.access_checks` makes it a located error at load time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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
KIND_ACCESS = {"letter": "confidential"}  # kinds of source held one way unless they say otherwise
UNSTATED = Access("", ("url", "archived", "authors", "file"))  # no `access:` and no url: as before access kinds
LOCATING_FIELDS = ("edition", "pages", "time", "url", "archived", "authors", "file")

WHY_NOT = {  # why a field does not belong to a kind of access, as the hint says it
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
    unstated = {"not": {"required": ["access"]}}
    by_kind = [
        _rule({"allOf": [unstated, {"properties": {"kind": {"const": kind}}, "required": ["kind"]}]}, ACCESS[access])
        for kind, access in KIND_ACCESS.items()
    ]
    schema["allOf"] = [*rules, _rule(unstated, UNSTATED), *by_kind]


def _rule(condition: dict[str, Any], access: Access) -> dict[str, Any]:
    banned = {name: False for name in LOCATING_FIELDS if name not in access.fields}
    then: dict[str, Any] = {"properties": banned} | ({"required": ["url"]} if access.needs_url else {})
    return {"if": condition, "then": then}
