"""What templates and markdown ask of the page being built: relative links, footnotes and their marks,
figures and translated labels; and what the page showed, so that ``serve`` knows which pages an edit affects."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from markupsafe import Markup, escape

from casefile.content import markdown, translations
from casefile.content.model import (
    Answerable,
    Claim,
    Document,
    Dossier,
    Sourced,
    SourceRef,
)
from casefile.content.translations import Untranslated
from casefile.investigation import provenance
from casefile.investigation.provenance import Corroboration, Provenance
from casefile.investigation.resolve import Investigation
from casefile.pages import figures, i18n, replies
from casefile.pages.footnotes import Footnotes, Note
from casefile.text import contain_bidi


def _source_ref(citation: markdown.Citation) -> SourceRef:
    """A markdown citation as the citation a YAML field would hold."""
    return SourceRef(
        id=citation.id, locator=citation.locator, citing=list(citation.citing), own_voice=citation.own_voice
    )


@dataclass
class PageContext:
    """Per-page helpers for templates: relative links, citations, markdown."""

    path: str
    investigation: Investigation
    sourcing: Provenance  # shared by every page: what each source rests on is worked out once per build
    root: str | None = None  # the 404 page's: GitHub Pages serves it at any depth, so its links start from the root
    notes: Footnotes = field(init=False)
    used: set[str] = field(default_factory=set)  # dossiers shown in full (footnotes): rebuild when they change
    named: set[str] = field(default_factory=set)  # dossiers only linked to: rebuild when their name changes
    _counts: dict[str, int] = field(default_factory=dict)  # ids made so far, by prefix
    _within: str | None = None  # the language of the untranslated text being rendered, if one is

    def __post_init__(self) -> None:
        self.notes = Footnotes(self.investigation)

    def url(self, target: Dossier | str) -> str:
        """``target`` (a dossier, or a path within the edition) relative to this page: pages and feeds are the
        edition's own, the rest (styles, evidence, data, the search index) is shared by every edition."""
        if not isinstance(target, str):
            self.named.add(target.id)
            target = target.page
        if _in_edition(target):
            target = self.investigation.config.folder + target
        return relative_url(self.path, target)

    def href(self, target: Dossier | str) -> str:
        """A link of the page's frame (styles, navigation, footer): as :meth:`url`, but from the site's ``root``
        on the 404 page."""
        if self.root is None:
            return self.url(target)
        return self.root + (target if isinstance(target, str) else target.page)

    def editions(self) -> list[Alternate]:
        """This page in each language of the site, for its alternates and the language switcher; none when
        the site has one language."""
        config = self.investigation.config
        if len(config.editions) < 2:
            return []
        local = self.path[len(config.folder) :]
        alternates = []
        for language in config.editions:
            path = config.folder_of(language) + local
            href = relative_url(self.path, path)
            name = _own_name(language)
            alternates.append(
                Alternate(language, name, href, config.absolute_url(path) or href, language == config.language)
            )
        return alternates

    def untranslated(self, dossier: Dossier) -> list[str]:
        """The names of the languages the page shows ``dossier``'s untranslated texts in, for the note above them."""
        config = self.investigation.config
        return [i18n.language_name(tag, config.language) for tag in translations.shown_in_other(dossier)]

    def name(self, dossier: Dossier) -> str:
        """A dossier's name as shown in lists that do not link to it."""
        self.named.add(dossier.id)
        return dossier.label

    def url_of_id(self, dossier_id: str) -> str:
        return self.url(self.investigation.dossiers[dossier_id])

    def link(self, target: Dossier | str, text: str | None = None) -> Markup:
        if isinstance(target, str) and target in self.investigation.drafts:  # left out: its name, unlinked
            return Markup("<bdi>%s</bdi>") % contain_bidi(text or self.investigation.drafts[target].label)
        dossier = self.investigation.dossiers[target] if isinstance(target, str) else target
        shown = escape(contain_bidi(text or dossier.label))
        language = "" if text else self._language_of(dossier.label)  # words of the text around it are in its language
        return Markup(f'<a href="{escape(self.url(dossier))}"><bdi{language}>{shown}</bdi></a>')

    def _language_of(self, label: str) -> str:
        """`` lang="…"`` for a dossier's name where it is not in the language of the text around it: an untranslated
        title on the page, or the edition's own title within an untranslated narrative."""
        page = self.investigation.config.language
        written = label.lang if isinstance(label, Untranslated) else page
        return "" if written == (self._within or page) else f' lang="{escape(written)}"'

    def _rendered(self, tokens: list, language: str | None) -> Markup:
        """Markdown tokens as HTML, the links in them marked against ``language`` (None: the page's)."""
        self._within = language
        try:
            return Markup(contain_bidi(markdown.render(tokens, self)))
        finally:
            self._within = None

    def cite(self, refs: list[SourceRef] | list[markdown.Citation]) -> Markup:
        """Footnote markers for ``refs``, ordered by number, joined to the word before them.

        The word joiner (U+2060) keeps a marker from wrapping away even after a full stop.
        """
        passages = [self.investigation.quotes.passages(ref) for ref in refs]  # known by the very citation object
        refs = [ref if isinstance(ref, SourceRef) else _source_ref(ref) for ref in refs]
        if not refs:
            return Markup("")
        for ref in refs:
            self.used.add(ref.id)
            self.used.update(ref.citing)
        markers = "".join(
            f'<a class="fn-ref" id="{backref.anchor}" href="#fn-{note.number}" role="doc-noteref">[{note.number}]</a>'
            for note, backref in self.notes.cite(refs, passages)  # ids and numbers only: nothing here needs escaping
        )
        return Markup(f'<sup class="fn">&#8288;{markers}</sup>')

    def corroboration(self, fact: Sourced) -> Corroboration:
        """The origins a fact rests on; its flags change when any source its note can name does."""
        found = self.sourcing.corroborate(fact.sources, self.sourcing.in_conflict(fact))
        self.used.update(found.lineage)
        return found

    def unique_id(self, prefix: str) -> str:
        """An id no other element of this page has: ``flag-1``, ``flag-2``…"""
        self._counts[prefix] = self._counts.get(prefix, 0) + 1
        return f"{prefix}-{self._counts[prefix]}"

    def methodology(self) -> Dossier | None:
        """The page that explains the flags and confidence labels, if the site has one; a page linking to it is
        rebuilt when it comes or goes."""
        self.named.add(provenance.METHODOLOGY)
        explained = self.investigation.dossiers.get(provenance.METHODOLOGY)
        return explained if explained is not None and explained.type == "page" else None

    def gettext(self, message: str) -> str:
        return i18n.site_labels(self.investigation.config).gettext(message)

    def figure(self, media_id: str, in_gallery: bool = True) -> Markup:
        """A published photo or document, captioned; the page is rebuilt when the dossier listing it changes."""
        item = self.investigation.media.items[media_id]
        self.used.add(item.owner)
        return figures.figure(item, self, in_gallery)

    def embed(self, media_id: str, alone: bool) -> Markup:
        """``![[id]]``: the figure in a paragraph of its own, a link to the file within a sentence."""
        if alone:
            return self.figure(media_id, in_gallery=False)
        item = self.investigation.media.items[media_id]
        self.used.add(item.owner)
        target = item.document or item.images[-1]
        text = item.media.caption if item.media and item.media.caption else figures.label(item, self.gettext)
        return Markup('<a href="%s"><bdi>%s</bdi></a>') % (self.url(target.path), contain_bidi(text))

    def markdown(self, document: Document | None) -> Markup:
        """A narrative; one not yet translated in a block marked with the language it is written in."""
        if document is None:
            return Markup("")
        html = self._rendered(document.tokens, document.lang)
        return Markup('<div lang="%s">%s</div>') % (document.lang, html) if document.lang else html

    def inline(self, claim: Claim) -> Markup:
        within = claim.text.lang if isinstance(claim.text, Untranslated) else None
        html = self._rendered(claim.tokens, within)
        return Markup('<span lang="%s">%s</span>') % (within, html) if within else html

    def responses(self, dossier: Answerable) -> list[replies.Entry]:
        """The Response section's entries, as sentences with their footnotes (casefile.pages.replies)."""
        return replies.entries(self, dossier)

    def answers(self, dossier: Dossier, claim: Claim) -> list[replies.Answer]:
        """The replies that answer ``claim``, each to link to beside it."""
        return replies.answers(self, dossier, claim)

    def sign_off(self, dossier: Dossier) -> replies.SignOff | None:
        """The dossier's newest sign-off, where site.yaml publishes them."""
        return replies.sign_off(self, dossier)

    @property
    def footnotes(self) -> list[Note]:
        return self.notes.in_order


@dataclass(frozen=True)
class Alternate:
    """A page in one of the site's languages: its tag, the language's own name for itself, its address from the
    page that links to it, and its public address where the site's is known."""

    language: str
    name: str
    href: str
    address: str
    current: bool


@cache
def _own_name(language: str) -> str:
    """A language's name in itself, as a switcher shows it: "Русский", as a menu item starts (once per build)."""
    name = i18n.language_name(language, language)
    return name[:1].upper() + name[1:]


def _in_edition(target: str) -> bool:
    """Whether a site path is a page or a feed, which each edition has in its own language."""
    return target.partition("#")[0].endswith((".html", ".xml"))


def relative_url(page: str, target: str) -> str:
    """``target`` as seen from ``page`` (both site paths): up to the folder they share, then down."""
    folders, parts = page.split("/")[:-1], target.split("/")
    shared = 0
    while shared < len(folders) and shared < len(parts) - 1 and folders[shared] == parts[shared]:
        shared += 1
    return "../" * (len(folders) - shared) + "/".join(parts[shared:])
