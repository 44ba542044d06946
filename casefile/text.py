"""Text from any script, shown safely beside ours.

Names and titles come from dossiers in Burmese, Russian, Arabic…: a right-to-left
override (U+202E) left open in one must not flip the rest of the line, and a label
cut short must not split a character as readers see it (a Burmese syllable with its
marks, an emoji sequence, a flag). Templates isolate names with ``<bdi>`` and
``dir="auto"``; text that cannot hold markup (``<title>``, SVG tooltips) is wrapped in
the Unicode isolates FSI…PDI. Either way the text's own controls are balanced first,
so a stray closer cannot end the isolation early.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

import regex
from markupsafe import Markup

PDF, PDI, FSI = "\u202c", "\u2069", "\u2068"
EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE, RLE, LRO, RLO: each closed by PDF
ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI: each closed by PDI
_CONTROLS = regex.compile("[\u202a-\u202e\u2066-\u2069]")
_RIGHT_TO_LEFT = regex.compile(r"[\p{Bidi_Class=R}\p{Bidi_Class=AL}\p{Bidi_Class=AN}\u202a-\u202e\u2066-\u2069]")
# A grapheme cluster (\X: an emoji sequence, a flag, a letter and its marks) with the clusters that
# cannot stand apart from it: one that starts with a mark (Burmese ာ after မ), a consonant killed
# by the asat or stacked under a virama (န် and ္ဓ in Burmese). So a Burmese syllable stays whole.
_UNIT = regex.compile(r"\X(?:(?<=\u1039)\X|(?=\p{M}|\p{L}[\u103A\u1039])\X)*")


def contain_bidi(text: str) -> str:
    """``text`` with its explicit direction controls balanced, so none reaches past its end.

    Closers without an opener are dropped and openers left open are closed at the end,
    following the bidi algorithm's pairing (a PDI also closes embeddings opened inside its isolate).
    """
    if text.isascii() or not _CONTROLS.search(text):  # isascii: a flag of the string, read at no cost
        return text
    kept: list[str] = []
    open_: list[str] = []
    for char in text:
        if char in EMBEDDINGS or char in ISOLATES:
            open_.append(char)
        elif char == PDF:
            if not open_ or open_[-1] in ISOLATES:
                continue
            open_.pop()
        elif char == PDI:
            if not ISOLATES.intersection(open_):
                continue
            while open_.pop() not in ISOLATES:
                pass
        kept.append(char)
    kept.extend(PDI if opener in ISOLATES else PDF for opener in reversed(open_))
    return "".join(kept)


def isolate(text: str) -> str:
    """``text`` as a Unicode isolate, for places that take no markup: its direction stays its own.

    Left-to-right text cannot reorder its neighbours in our left-to-right pages: it is left as it is.
    """
    text = str(text)
    return f"{FSI}{contain_bidi(text)}{PDI}" if not text.isascii() and _RIGHT_TO_LEFT.search(text) else text


def finalize(value: Any) -> Any:
    """Jinja's hook on every ``{{ … }}``: whatever a dossier says, its direction controls stay in it.

    Markup is made by our own helpers (links, markdown), which contain the text they put in it.
    """
    return contain_bidi(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters as readers count them, ending in "…" when cut; never inside one."""
    units = list(islice(_UNIT.finditer(text), limit))
    if len(units) < limit or units[-1].end() == len(text):
        return text
    kept = text[: units[limit - 2].end()] if limit > 1 else ""
    return kept.rstrip() + "…"
