"""Published evidence as HTML: a captioned figure for the gallery and for ``![[id]]``, a label for links.

Templates and markdown call these through :class:`casefile.pages.render.PageContext`; they see only what
:mod:`casefile.output.evidence` published, never an original file.
"""

from __future__ import annotations

from typing import Any, Protocol

from markupsafe import Markup, escape

from casefile.content.translations import lang_attribute
from casefile.investigation.gallery import Published
from casefile.investigation.resolve import Investigation
from casefile.pages.i18n import format_date, site_labels
from casefile.text import contain_bidi


class Page(Protocol):
    """What a figure needs of the page it is drawn on (:class:`casefile.pages.render.PageContext` is one)."""

    investigation: Investigation

    def url(self, target: Any) -> str: ...
    def cite(self, refs: Any) -> Markup: ...


# How wide a figure is drawn, from which the browser picks a width of srcset: the text column for one in the
# text; a cell of the gallery's grid (one column on a phone, three in the desktop column) for one in the gallery.
SIZES_IN_TEXT = "(min-width: 50rem) 45rem, 100vw"
SIZES_IN_GALLERY = "(min-width: 50rem) 15rem, 100vw"


def figure(item: Published, page: Page, in_gallery: bool = True) -> Markup:
    """A photo (``srcset`` of its widths, lazy, sized so nothing shifts) or a document's first page
    linking to the PDF, captioned with its credit, date, place and sources."""
    _ = site_labels(page.investigation.config).gettext
    shown = item.shown
    media = item.media
    name = media.caption if media and media.caption else item.id
    alt = media.alt if media and media.alt else _("First page of the document %(name)s") % {"name": name}
    sizes = SIZES_IN_GALLERY if in_gallery else SIZES_IN_TEXT
    srcset = ", ".join(f"{escape(page.url(v.path))} {v.width}w" for v in item.images)
    image = Markup(
        f'<img src="{escape(page.url(shown.path))}" srcset="{srcset}" sizes="{sizes}" width="{shown.width}" '
        f'height="{shown.height}" alt="{escape(alt)}" loading="lazy" decoding="async">'
    )
    target = item.document or item.images[-1]
    parts = [Markup(f'<a class="evidence-file" href="{escape(page.url(target.path))}">{image}</a>')]
    caption = _caption(item, page, _)
    if caption:
        parts.append(Markup("<figcaption>%s</figcaption>") % caption)
    anchor = f' id="media-{item.id}"' if in_gallery else ""  # the gallery's copy; one shown in the text has none
    return Markup(f'<figure class="evidence {item.kind}"{anchor}>') + Markup("").join(parts) + Markup("</figure>")


def label(item: Published, _) -> str:
    """How a link names the file: "PDF, 3 pages", or what the image shows."""
    if item.document:
        return "PDF, " + (_("%(count)s pages") % {"count": item.pages} if item.pages != 1 else _("1 page"))
    return item.media.alt if item.media and item.media.alt else item.id


def _caption(item: Published, page: Page, _) -> Markup:
    media = item.media
    bits: list[Markup] = []
    if media and media.caption:
        language = Markup(lang_attribute(media.caption))  # an untranslated caption, in the language it is written in
        bits.append(Markup('<span class="caption" dir="auto"%s>%s</span>') % (language, contain_bidi(media.caption)))
    if item.document:
        bits.append(Markup('<span class="media-facts">%s</span>') % label(item, _))
    facts = [format_date(media.date.date, page.investigation.config.language)] if media and media.date else []
    facts += [media.place] if media and media.place else []
    if facts:
        bits.append(Markup('<span class="media-facts">%s</span>') % " · ".join(contain_bidi(f) for f in facts))
    if media and media.credit:
        credit = _("Credit: %(credit)s") % {"credit": contain_bidi(media.credit)}
        bits.append(Markup('<span class="credit" dir="auto">%s</span>') % credit)
    cited = page.cite(media.sources) if media and media.sources else Markup("")
    return Markup(" ").join(bits) + cited
