"""``casefile new actor|deal|event|source|page ID``: a commented dossier to fill in, on neutral placeholders."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .access import ACCESS_KINDS
from .diagnostics import ContentError, Location
from .model import ACTOR_KINDS, DEAL_KINDS, EVENT_KINDS, PARTY_ROLES, SLUG, SOURCE_KINDS
from .schema import modeline

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
by its id after an @ in single square brackets, as docs/content-format.md shows.
""",
}


def started_line() -> str:
    """A new dossier's ``updated:``, which pages show as "Last updated": the day it was started."""
    return f"updated: {date.today().isoformat()}"


def new_dossier(site: Path, kind: str, dossier_id: str) -> Path:
    """Write the template for ``kind`` as ``dossier_id``; never overwrites."""
    path = site / "content" / f"{kind}s" / f"{dossier_id}{'.md' if kind == 'page' else '.yaml'}"
    if not SLUG.fullmatch(dossier_id):
        raise ContentError(
            Location(path),
            f"'{dossier_id}' is not a valid id",
            "use lowercase letters, digits and hyphens, e.g. example-person",
        )
    if path.exists():
        raise ContentError(Location(path), f"{path.name} already exists", "choose another id, or edit the file")
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "page":
        text = TEMPLATES[kind]
    else:  # pages show "Last updated" from it: the day the dossier was started, until it is changed
        text = modeline(kind) + TEMPLATES[kind] + f"{started_line()}     # change it when you change the dossier\n"
    path.write_text(text, encoding="utf-8")
    return path
