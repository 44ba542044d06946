"""Where each kind of dossier is listed, and the pages the site makes that no dossier may take."""

from __future__ import annotations

from casefile.content.model.dossier import Dossier
from casefile.content.model.kinds import DOSSIER_TYPES
from casefile.messages import N_

# Each section's title, as navigation, search filters and the Data page name it (msgids).
SECTION_TITLES = {
    "actors": N_("Actors"),
    "deals": N_("Deals"),
    "events": N_("Events"),
    "sources": N_("Sources"),
    "pages": N_("Pages"),
}


def list_page(section: str) -> str:
    """The page that lists every dossier of a section: ``actors/index.html``."""
    return f"{section}/index.html"


def reserved_page(kind: type[Dossier], dossier_id: str) -> str | None:
    """The page the site makes that a dossier of ``kind`` with ``dossier_id`` would replace, if any: an actor
    ``index`` would be ``actors/index.html``, the list of actors. (A page ``index`` is the home page, as meant.)"""
    page = kind.page_for(dossier_id)
    return page if page in {list_page(section) for section in DOSSIER_TYPES} else None
