"""``casefile new actor|deal|event|source|page ID``: a commented dossier to fill in, on neutral placeholders."""

from __future__ import annotations

import errno
from datetime import date
from pathlib import Path

from casefile.content.access import ACCESS_KINDS
from casefile.content.loader import YAML_SUFFIXES, reserved_id, shortened
from casefile.content.model import (
    ACTOR_KINDS,
    DEAL_KINDS,
    DOSSIER_TYPES,
    EVENT_KINDS,
    MAX_ID_LENGTH,
    PARTY_ROLES,
    SLUG,
    SOURCE_KINDS,
    Page,
)
from casefile.content.schema import modeline
from casefile.diagnostics import ContentError, Location

TEMPLATES = {
    "actor": f"""\
name:                      # required: the name most reports use
kind: person               # required: {", ".join(ACTOR_KINDS)}
aliases: []                # other spellings and transliterations, as the reports give them
summary:                   # one line: who this is
# country: example-country # id of an actor of kind state
roles: []
#  - title: Director
#    of: example-company   # id of an actor
#    from: 2024-02         # 2024, 2024-02 or 2024-02-01
#    sources: [source-id]
sources: []                # ids of the sources for this dossier
""",
    "deal": f"""\
title:                     # required
kind: contract             # required: {", ".join(DEAL_KINDS)}
summary:                   # one line
parties: []
#  - actor: example-company
#    role: seller          # {", ".join(PARTY_ROLES)}
#    sources: [source-id]
items: []
#  - what: delivery trucks
#    quantity: 40
values: []                 # keep every reported figure, each with its own sources
#  - text: $200 million
#    sources: [source-id]
dates: {{}}
#  signed: 2024-01
status:                    # free text; leave empty if unknown
sources: []
""",
    "event": f"""\
title:                     # required
kind: visit                # required: {", ".join(EVENT_KINDS)}
# date: 2024-06-13/2024-06-19
place:
summary:
participants: []
#  - actor: example-person
#    role: led the delegation
#    sources: [source-id]
sources: []
""",
    "source": f"""\
title:                     # required: the headline
publisher:                 # required
kind: article              # required: {", ".join(SOURCE_KINDS)}
authors: []
# date: 2024-07-06
# url: https://…           # the original address; leave out if there is none
# archived: {{url: https://web.archive.org/…, date: 2024-07-08}}   # a copy, and the day it was captured
# access: print            # if it is not a web page: {", ".join(a for a in ACCESS_KINDS if a != "online")}
# pages: 4                 # print: the page; `edition:` print or broadcast; `time: "21:00"` broadcast
language: en
cites: []                  # ids of sources this one relies on (e.g. a news agency's report)
""",
    "page": """\
---
title:                     # required: the page's heading
summary:                   # one line under the heading
order: 0                   # pages are listed by order, then by title
---
Write the page in markdown. Link a dossier by its id in double square brackets, and cite a source
by its id after an @ in single square brackets, as the guide shows (`casefile guide`, "Writing dossiers").
""",
}


def started_line() -> str:
    """A new dossier's ``updated:``, which pages show as "Last updated": the day it was started."""
    return f"updated: {date.today().isoformat()}"


def new_dossier(site: Path, kind: str, dossier_id: str) -> Path:
    """Write the template for ``kind`` as ``dossier_id``; never overwrites, and refuses an id the build would."""
    content = site / "content"
    path = content / f"{kind}s" / f"{dossier_id}{'.md' if kind == 'page' else '.yaml'}"
    if not SLUG.fullmatch(dossier_id):
        raise ContentError(
            Location(path),
            f"'{dossier_id}' is not a valid id",
            "use lowercase letters, digits and hyphens, e.g. example-person",
        )
    if len(dossier_id) > MAX_ID_LENGTH:
        raise ContentError(
            Location(path),
            f"the id is {len(dossier_id)} characters long, more than the {MAX_ID_LENGTH} an id may have",
            f"choose a shorter id, e.g. {shortened(dossier_id)}",
        )
    if problem := reserved_id(DOSSIER_TYPES.get(f"{kind}s", Page), dossier_id, path):
        problem.hint = "choose another id: the site makes that page itself"
        raise problem
    if path.exists():
        raise ContentError(Location(path), f"{path.name} already exists", "choose another id, or edit the file")
    if used := _used_by(content, dossier_id):
        raise ContentError(
            Location(path),
            f"the id '{dossier_id}' is already used by {used.relative_to(site).as_posix()}",
            "ids are unique across the investigation (actors, deals, events, sources and pages share them): "
            f"choose another id, e.g. {shortened(f'{dossier_id}-{kind}')}",
        )
    if kind == "page":
        text = TEMPLATES[kind]
    else:  # pages show "Last updated" from it: the day the dossier was started, until it is changed
        text = modeline(kind) + TEMPLATES[kind] + f"{started_line()}     # change it when you change the dossier\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as file:  # exclusive: never writes over a file made meanwhile
            file.write(text)
    except OSError as exc:
        raise write_failure(exc, path, path.name, f"{path.parent.relative_to(site).as_posix()}/") from None
    return path


def _used_by(content: Path, dossier_id: str) -> Path | None:
    """The content file that has ``dossier_id`` already, in any section."""
    for section in (*DOSSIER_TYPES, "pages"):
        for suffix in (".md",) if section == "pages" else YAML_SUFFIXES:
            if (found := content / section / f"{dossier_id}{suffix}").exists():
                return found
    return None


_WRITE_FAILURES = {
    errno.EACCES: ("permission denied", "choose a folder you can write to, or ask who owns {where} (ls -ld)"),
    errno.EPERM: ("permission denied", "choose a folder you can write to, or ask who owns {where} (ls -ld)"),
    errno.EROFS: ("the disk is read-only", "choose a folder you can write to"),
    errno.ENOSPC: ("the disk is full", "free some disk space, or choose a folder on another disk"),
    errno.EDQUOT: ("the disk quota is used up", "free some disk space, or choose a folder on another disk"),
}


def write_failure(exc: OSError, path: Path, shown: str, where: str) -> ContentError:
    """``shown`` (the file or folder at ``path``) could not be written, and what to do; ``where`` is the folder
    it was to go in, as the journalist knows it."""
    reason, hint = _WRITE_FAILURES.get(exc.errno, ((exc.strerror or str(exc)).lower(), "choose another folder"))
    return ContentError(Location(path), f"cannot write {shown}: {reason}", hint.format(where=where))
