"""Editorial sign-off: what a reviewer's digest vouches for, and whether a dossier changed since.

``casefile review ID --by NAME`` records who checked a dossier, on which day, and a digest of its content.
The digest covers every field as written except the sign-offs themselves, the narrative and a source's
stored text; formatting, comments and key order do not count, any change of content does. A dossier whose
newest sign-off has another digest than its content now is "changed since review".
"""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from casefile.content.model import Dossier, Review, Source

ReviewState = Literal["unsigned", "changed", "signed"]


def review_digest(dossier: Dossier) -> str:
    """The digest of what a sign-off of ``dossier`` vouches for."""
    data = dossier.model_dump(mode="json", by_alias=True)  # `reviewed:` is excluded from every dump
    data["narrative"] = dossier.narrative.text if dossier.narrative else None
    if isinstance(dossier, Source) and dossier.stored_text is not None:
        data["stored_text"] = dossier.stored_text.text
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def last_review(dossier: Dossier) -> Review | None:
    """The newest sign-off (the last written), or None."""
    return dossier.reviewed[-1] if dossier.reviewed else None


def review_state(dossier: Dossier) -> ReviewState:
    """Whether the dossier is signed off as it stands, changed since its last sign-off, or never signed."""
    last = last_review(dossier)
    if last is None:
        return "unsigned"
    return "signed" if last.digest == review_digest(dossier) else "changed"
