"""Quotations checked against the reports they cite, and the passages their footnotes link to.

A source may keep the text of its report beside it (``content/sources/ID.txt``). Every quotation in a claim, a
summary, a narrative or a page that cites such a source is looked for in the report's text word for word, both
read the same way (:func:`normalise`: quote marks, dashes, spaces, letter case and compatibility forms do not
count). A quotation found there gives its citation a :class:`Passage`, which the footnote links to with a URL
text fragment (``#:~:text=``). ``check --quotes`` reports a quotation that is not there as an error at its own
line and column, with the closest passage of the report, and words credited to a person that the report gives as
its own paraphrase, outside quotation marks, as a warning.

Which quotations: text between “…”, "…", «…» or „…“, and between ‘…’ where ‘ opens it and ’ is not followed by
a letter (China’s is an apostrophe); straight single quotes never open one. Only the outermost marks count: a
quotation inside a quotation is part of it. "…", "..." and anything in square brackets (“[the] army”) stand for
words left out or put in by the editor: the parts around them must be found in order, each within
:data:`MAX_GAP` characters of the one before.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache, cached_property, partial
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from casefile.content.model import Document, Dossier, Source, StoredText
from casefile.content.yamlio import YamlDocument, YamlPath, read_text
from casefile.diagnostics import ContentError, Location
from casefile.text import shorten

if TYPE_CHECKING:
    from casefile.investigation.resolve import Investigation

PARAPHRASE = "paraphrase-quoted"  # the warning's kind, by which site.yaml accepts it
MAX_GAP = 400  # characters of the report that "…" may stand for between two parts of a quotation
SHORT_DIRECTIVE = 8  # words: a longer passage is named by its first and last words (textStart,textEnd)
EDGE_WORDS = 4
ANCHOR_WORDS, ANCHOR_PLACES = 4, 40  # the closest passage is looked for around the quotation's rarest words

_OPENING = re.compile(r"[“«„]|(?<![^\s(\[{—–/-])[\"‘]")  # a straight or single mark opens after a space
_CLOSING = {
    "“": re.compile("”"),
    "«": re.compile("»"),
    "„": re.compile("[“”]"),
    '"': re.compile(r'(?<=\S)"'),
    "‘": re.compile(r"’(?!\w)"),  # ’ followed by a letter is an apostrophe
}
_PARAGRAPH = "\n\n"
# Markdown as a report pasted from the web keeps it: links, strong emphasis, escapes, <autolinks>.
_REPORT_MARKUP = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)|\*\*|__|\\([\\`*_{}\[\]()#+\-.!$<>])|<(https?://[^>\s]+)>")
# Casefile's markdown in a quotation: [[id|text]], [[id]], ![[media]], [@citations], [text](url), emphasis, code.
_OUR_MARKUP = re.compile(
    r"!\[\[[^\]]*\]\]|\[\[([^\]|]+)(?:\|([^\]]+))?\]\]|\[@[^\]]*\]|\[([^\]]*)\]\([^)]*\)|\\(.)|\*\*|__|[*`]"
    r"|(?<!\w)_|_(?!\w)"
)
_OMISSION = re.compile(r"…|\.\.\.|\[[^\]]*\]")
_MARKS = {**dict.fromkeys("“”„‟«»〝〞＂", '"'), **dict.fromkeys("‘’‚‛‹›`´ʼ", "'")}
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")
_EDGE_PUNCTUATION = " ,.;:!?"
_SHOWN_EDGES = " \"'“”‘’«»„,.;:"
_SENTENCE_END = re.compile(r"[.!?;](?=\s|$)|\n\n")
_SPEECH = re.compile(
    r"\b(?:according to|said|says|say|saying|told|tells|tell|telling|added|adds|remarked|remarks|stated|states"
    r"|declared|declares|noted|notes|wrote|writes|asked|asks|argued|argues|insisted|insists|explained|explains"
    r"|warned|warns|quoted|quotes|called|calls|described|describes|replied|replies|recalled|recalls)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[,;:—–()“”\"«»]")
_PERSONAL = {"he", "she", "they", "him", "her"}
_PASSIVE = {"is", "was", "were", "are", "be", "been", "being"}
_AGENT = re.compile(r"\s+by\b")
_REPORT_WORDS = {
    "it", "which", "that", "report", "reports", "reported", "document", "documents", "newspaper", "outlet",
    "agency", "media", "website", "statement", "statements", "article", "story", "paper", "daily", "mouthpiece",
    "mouthpieces", "broadcaster", "channel", "data",
}  # fmt: skip


# --------------------------------------------------------------------------------------------
# Reading text: quotations, normalising, the report's own markup
# --------------------------------------------------------------------------------------------


def quotations(text: str, across_paragraphs: bool = False) -> list[tuple[int, int]]:
    """The (start, end) of the words inside each outermost quotation of ``text``, without the marks.

    A quotation not closed in its paragraph is none (unless ``across_paragraphs``: a report's text may break a
    quotation where the web page did not).
    """
    found: list[tuple[int, int]] = []
    unclosed: dict[str, int] = {}  # a mark with no closer after this place: no later one of its kind closes
    position = 0
    while (opening := _OPENING.search(text, position)) is not None:
        mark, start = opening.group(), opening.end()
        position = start
        if unclosed.get(mark, len(text) + 1) <= start:
            continue
        closing = _CLOSING[mark].search(text, start)
        if closing is None:
            unclosed[mark] = start
            continue
        if not across_paragraphs and _PARAGRAPH in text[start : closing.start()]:
            continue
        found.append((start, closing.start()))
        position = closing.end()
    return found


def normalise(text: str) -> tuple[str, list[int]]:
    """``text`` as quotations are compared, and where each of its characters comes from in ``text``.

    Compatibility forms are unified (NFKC: "…" is "...", a non-breaking space a space), letters case-folded,
    every quote mark made " or ', every dash a hyphen with no space around it, each run of spaces and line breaks
    one space, and invisible format characters (soft hyphens, zero-width spaces) dropped.
    """
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for folded in _fold(char):
            if folded == " ":
                if not chars or chars[-1] in " -":
                    continue
            elif folded == "-" and chars and chars[-1] == " ":
                chars[-1], origin[-1] = "-", index
                continue
            chars.append(folded)
            origin.append(index)
    return "".join(chars), origin


@cache
def _fold(char: str) -> str:
    """One character as :func:`normalise` compares it: a space for any space, nothing for a format character."""
    folded = (_MARKS.get(c, "-" if c in _DASHES else c) for c in unicodedata.normalize("NFKC", char).casefold())
    return "".join(" " if c.isspace() else c for c in folded if unicodedata.category(c) != "Cf")


def report_plain(text: str) -> str:
    """A stored report's text as its web page reads: markdown links as their words, no ``**``, no escapes."""
    return _REPORT_MARKUP.sub(lambda m: m.group(1) or m.group(2) or m.group(3) or "", text)


def _bare(word: str) -> str:
    """A word without the punctuation around it, as the report's words are indexed."""
    return word.strip(_SHOWN_EDGES + "()") or word


def _wordy(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char).startswith("M")


def quote_parts(words: str) -> list[str]:
    """A quotation's parts between omissions ("…", "[…]", "[editor's words]"), each normalised and without the
    punctuation that house style moves inside or outside the closing mark."""
    parts = []
    for piece in _OMISSION.split(words):
        normal = normalise(piece)[0].strip(_EDGE_PUNCTUATION)
        if any(_wordy(char) for char in normal):
            parts.append(normal)
    return parts


def text_directive(pieces: list[str], prefix: str = "") -> str:
    """The ``text=`` directive of a URL text fragment (wicg.github.io/scroll-to-text-fragment) for a passage
    whose parts, as the report writes them, are ``pieces``: the passage itself when it is short, else its first
    and last words as ``textStart,textEnd``; ``prefix`` tells it from an earlier occurrence of its start."""
    first, last = pieces[0].split(), pieces[-1].split()
    if len(pieces) == 1 and _counted(first) <= SHORT_DIRECTIVE:
        target = _encode(" ".join(first))
    else:
        start = _edge(first, EDGE_WORDS)
        end = list(reversed(_edge(list(reversed(last)), EDGE_WORDS)))
        target = f"{_encode(' '.join(start))},{_encode(' '.join(end))}"
    return "text=" + (f"{_encode(prefix)}-," if prefix else "") + target


def _counted(words: list[str]) -> int:
    return sum(any(_wordy(char) for char in word) for word in words)


def _edge(words: list[str], count: int) -> list[str]:
    """The first ``words`` up to the ``count``-th that holds a letter or digit (a dash alone does not count)."""
    kept: list[str] = []
    for word in words:
        kept.append(word)
        if _counted(kept) == count:
            break
    return kept


def _encode(text: str) -> str:
    """Percent-encoded as a text directive needs: also "-", "," and "&", which its syntax uses."""
    return quote(text, safe="").replace("-", "%2D")


# --------------------------------------------------------------------------------------------
# A report's text, searchable
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Passage:
    """Where a quotation stands in a source's report, as a text fragment directive (``text=…``)."""

    source: str
    directive: str

    def url(self, address: str) -> str:
        """``address`` opening at the passage (after the address's own fragment, if it has one)."""
        return address + (":~:" if "#" in address else "#:~:") + self.directive


@dataclass(frozen=True)
class Found:
    """A quotation's parts in a report: their spans in its plain text, and whether the report quotes them."""

    spans: list[tuple[int, int]]
    quoted: bool
    at: int  # where the first part begins in the normalised text


class Report:
    """A stored text read once: its plain words, normalised with a map back, and its own quotations."""

    def __init__(self, source: Source, stored: StoredText) -> None:
        self.source = source
        self.path = stored.path
        self.plain = report_plain(stored.text)
        self.normal, self.origin = normalise(self.plain)
        self.quoted = quotations(self.plain, across_paragraphs=True)

    def find(self, parts: list[str]) -> Found | None:
        """The first place that holds every part in order, preferring one inside the report's quotation marks."""
        unquoted = None
        for first in self._occurrences(parts[0], 0, len(self.normal)):
            spans = [first]
            for part in parts[1:]:
                after = spans[-1][1]
                following = next(self._occurrences(part, after, after + MAX_GAP + len(part)), None)
                if following is None:
                    break
                spans.append(following)
            else:
                plain = [self._in_plain(span) for span in spans]
                if self._inside_quotes(plain[0][0], plain[-1][1]):
                    return Found(plain, True, first[0])
                unquoted = unquoted or Found(plain, False, first[0])
        return unquoted

    def _occurrences(self, part: str, start: int, stop: int) -> Iterator[tuple[int, int]]:
        """Each place of ``part`` between ``start`` and ``stop`` in the normalised text that begins and ends on a
        word's edge: "Gen" is not in "General"."""
        text = self.normal
        while (index := text.find(part, start, stop)) >= 0:
            end = index + len(part)
            before_ok = index == 0 or not (_wordy(part[0]) and _wordy(text[index - 1]))
            after_ok = end == len(text) or not (_wordy(part[-1]) and _wordy(text[end]))
            if before_ok and after_ok:
                yield index, end
            start = index + 1

    def _in_plain(self, span: tuple[int, int]) -> tuple[int, int]:
        return self.origin[span[0]], self.origin[span[1] - 1] + 1

    def _inside_quotes(self, start: int, end: int) -> bool:
        return any(opened <= start and end <= closed for opened, closed in self.quoted)

    def passage(self, found: Found) -> Passage:
        """The passage's text fragment, with a prefix when its first words also stand earlier in the report."""
        pieces = [" ".join(self.plain[start:end].split()) for start, end in found.spans]
        start = found.spans[0][0]
        opening = normalise(" ".join(_edge(pieces[0].split(), EDGE_WORDS)))[0]
        earlier = self.normal.find(opening, 0, found.at)
        return Passage(self.source.id, text_directive(pieces, self._words_before(start) if earlier >= 0 else ""))

    def _words_before(self, start: int, count: int = 3) -> str:
        line = self.plain[self.plain.rfind("\n", 0, start) + 1 : start]
        words = line.split()
        return " ".join(words[-count:]) if words else ""

    @cached_property
    def _words(self) -> tuple[list[tuple[int, int]], dict[str, list[int]]]:
        """The normalised text's words (their spans), and where each word stands among them."""
        spans = [m.span() for m in re.finditer(r"\S+", self.normal)]
        places: dict[str, list[int]] = {}
        for index, (start, end) in enumerate(spans):
            places.setdefault(_bare(self.normal[start:end]), []).append(index)
        return spans, places

    def closest(self, words: str) -> tuple[float, str]:
        """The passage most like ``words`` (normalised), by difflib's ratio: windows of about as many words,
        aligned on each place of the quotation's rarest words in the report (so a long report costs no more)."""
        spans, places = self._words
        wanted = words.split()
        anchors = sorted(
            {
                (len(places[_bare(word)]), _bare(word), offset)
                for offset, word in enumerate(wanted)
                if _bare(word) in places
            }
        )
        starts = {
            place - offset + shift
            for _, word, offset in anchors[:ANCHOR_WORDS]
            for place in places[word][:ANCHOR_PLACES]
            for shift in (-1, 0, 1)
        }
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(words)
        best = (0.0, 0, 0)
        for first in sorted(start for start in starts if 0 <= start < len(spans)):
            for width in (len(wanted) - 1, len(wanted), len(wanted) + 1):
                window = spans[first : first + max(width, 1)]
                matcher.set_seq1(self.normal[window[0][0] : window[-1][1]])
                if matcher.real_quick_ratio() > best[0] and matcher.quick_ratio() > best[0]:
                    if (ratio := matcher.ratio()) > best[0]:
                        best = (ratio, window[0][0], window[-1][1])
        ratio, start, end = best
        return ratio, self.shown(*self._in_plain((start, end))) if end else ""

    def shown(self, start: int, end: int) -> str:
        return " ".join(self.plain[start:end].split()).strip(_SHOWN_EDGES)

    def sentence(self, found: Found) -> str:
        """The report's sentence around a passage, as it reads."""
        start, end = found.spans[0][0], found.spans[-1][1]
        before = [m.end() for m in _SENTENCE_END.finditer(self.plain, 0, start)]
        after = _SENTENCE_END.search(self.plain, end)
        return " ".join(self.plain[before[-1] if before else 0 : after.end() if after else len(self.plain)].split())


# --------------------------------------------------------------------------------------------
# The quotations of an investigation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quotation:
    """A quotation in the content, with the citations it is checked against."""

    words: str  # between the marks, our markup read as text
    dossier: str
    refs: tuple[Any, ...]  # the citations (SourceRef, or a markdown citation's items) of sources with a text
    credited: bool  # our text credits the words to someone other than a report
    locate: Callable[[], Location]  # where the opening mark stands (worked out only to report a problem)


def cited_id(ref: Any) -> str:
    """The id of the source a citation names: a SourceRef, an item of a markdown citation token's
    ``meta["refs"]`` (a markdown.Citation), or an ``(id, locator)`` pair."""
    if hasattr(ref, "id"):
        return ref.id
    return ref["id"] if isinstance(ref, dict) else ref[0]


def citations_in(token: Any) -> list[Any]:
    """The citation items of a markdown ``citation`` token, as the renderer hands them to the page."""
    return list(token.meta["refs"])


@dataclass
class Checked:
    quotation: Quotation
    found: dict[str, Found]  # by source id


@dataclass
class Quotes:
    """The quotations of an investigation checked against the stored texts: each verified citation's passages
    (for its footnote), and what ``check --quotes`` reports."""

    reports: dict[str, Report] = field(default_factory=dict)
    checked: list[Checked] = field(default_factory=list)
    by_citation: dict[int, tuple[Any, list[Passage]]] = field(default_factory=dict)

    def passages(self, ref: Any) -> tuple[Passage, ...]:
        """The passages a citation was verified to quote (none unless it is that very citation object)."""
        kept = self.by_citation.get(id(ref))
        return tuple(kept[1]) if kept is not None and kept[0] is ref else ()


def with_quotes(investigation: Investigation) -> Investigation:
    """``investigation`` with its quotations checked against the stored texts."""
    return dataclasses.replace(investigation, quotes=find_quotes(investigation))


def find_quotes(investigation: Investigation) -> Quotes:
    """Every quotation that cites a source with a stored text, looked for in that text."""
    quotes = Quotes()
    for dossier in investigation.dossiers.values():
        if isinstance(dossier, Source) and dossier.stored_text is not None:
            quotes.reports[dossier.id] = Report(dossier, dossier.stored_text)
    if not quotes.reports:
        return quotes
    finder = _Finder(investigation, quotes.reports, _reporters(investigation))
    for dossier in investigation.dossiers.values():
        for quotation in finder.quotations(dossier):
            _check(quotation, quotes)
    return quotes


def _check(quotation: Quotation, quotes: Quotes) -> None:
    parts = quote_parts(quotation.words)
    if not parts:
        return
    found = {}
    for ref in quotation.refs:
        source = cited_id(ref)
        report = quotes.reports[source]
        hit = found.get(source) or report.find(parts)
        if hit is None:
            continue
        found[source] = hit
        kept = quotes.by_citation.setdefault(id(ref), (ref, []))
        passage = report.passage(hit)
        if passage not in kept[1]:
            kept[1].append(passage)
    quotes.checked.append(Checked(quotation, found))


def _reporters(investigation: Investigation) -> list[str]:
    """Names a report goes by (publishers and titles, lowercased): words credited to them are a report's own."""
    names = {"the report"}
    for source in investigation.sources:
        names.update(name.lower() for name in (source.publisher, source.title) if name)
    return sorted(names)


@dataclass
class _Finder:
    """Finds the quotations of one investigation that cite a report with a stored text."""

    investigation: Investigation
    reports: dict[str, Report]
    speakers: list[str]  # names a report goes by: words credited to them are the report's own
    files: dict[Any, str] = field(default_factory=dict)  # file texts read to locate a quotation, by path

    def quotations(self, dossier: Dossier) -> Iterator[Quotation]:
        for index, claim in enumerate(dossier.claims):
            refs = [ref for ref in claim.sources if ref.id in self.reports]
            yield from self._in_yaml(dossier, ("claims", index, "text"), claim.text, refs)
        if dossier.summary:
            refs = [ref for ref in dossier.sources if ref.id in self.reports]
            if dossier.id in self.reports:  # a source's summary of itself
                refs.append((dossier.id, None))
            yield from self._in_yaml(dossier, ("summary",), dossier.summary, refs)
        if dossier.narrative is not None:
            yield from self._in_markdown(dossier, dossier.narrative)

    def _in_yaml(self, dossier: Dossier, path: YamlPath, value: str, refs: list[Any]) -> Iterator[Quotation]:
        if not refs:
            return
        doc = dossier.origin
        for start, end in quotations(value):
            if doc is not None:
                locate = partial(_yaml_location, doc, path, value, start, self.files)
            else:
                locate = _nowhere(dossier)
            yield self._quotation(value, start, end, dossier, tuple(refs), locate)

    def _in_markdown(self, dossier: Dossier, document: Document) -> Iterator[Quotation]:
        """Quotations in each paragraph (or heading, list item, table cell), checked against the citation that
        follows each in the same paragraph, or else the last one before it there."""
        for block in document.tokens:
            if block.type != "inline" or not block.children or not block.map:
                continue
            cites = [(child.meta["pos"], citations_in(child)) for child in block.children if child.type == "citation"]
            if not cites:
                continue
            content = block.content
            for start, end in quotations(content):
                following = [refs for pos, refs in cites if pos >= end]
                preceding = [refs for pos, refs in cites if pos < start]
                chosen = following[0] if following else preceding[-1] if preceding else []
                refs = tuple(ref for ref in chosen if cited_id(ref) in self.reports)
                if refs:
                    locate = partial(_markdown_location, document, block.map[0], content, start)
                    yield self._quotation(content, start, end, dossier, refs, locate)

    def _quotation(
        self, text: str, start: int, end: int, dossier: Dossier, refs: tuple[Any, ...], locate: Callable[[], Location]
    ) -> Quotation:
        """The quotation at ``text[start:end]``, with whether its sentence credits the words to someone."""
        words = as_text(text[start:end], self.investigation)
        sentence_start = max([m.end() for m in _SENTENCE_END.finditer(text, 0, start - 1)], default=0)
        after = _SENTENCE_END.search(text, end + 1)
        before = as_text(text[sentence_start : start - 1], self.investigation)
        following = as_text(text[end + 1 : after.start() if after else len(text)], self.investigation)
        return Quotation(words, dossier.id, refs, _credited(before, following, self.speakers), locate)


def as_text(markdown: str, investigation: Investigation) -> str:
    """Casefile's inline markdown as the page shows it: a link's words, a dossier's name, no emphasis marks."""

    def shown(match: re.Match[str]) -> str:
        target, label, link, escaped = match.groups()
        if target is not None:
            dossier = investigation.dossiers.get(target.strip())
            return label or (dossier.label if dossier is not None else target)
        return link if link is not None else escaped or ""

    return _OUR_MARKUP.sub(shown, markdown)


def _credited(before: str, after: str, reporters: list[str]) -> bool:
    """Whether our sentence credits the quotation to someone it names ("Lintner said", "he added", "according to
    the Kremlin"), not to a report ("Myanmar Now said", "according to the report")."""
    for speaker in _speakers(before, after):
        words = speaker.split()
        lowered = speaker.lower()
        if not words or any(name in lowered for name in reporters):
            continue
        if words[-1].lower() in _PERSONAL:
            return True
        if any(word.lower().strip(".,'’") in _REPORT_WORDS for word in words):
            continue
        if any(word[:1].isupper() for word in words):  # a name: a lower-case phrase is too often the report's own
            return True
    return False


def _speakers(before: str, after: str) -> Iterator[str]:
    """Who each verb of speech in the sentence around a quotation names: the words before it ("Lintner said"),
    or after it ("according to Lintner"; after the quotation, "said Lintner")."""
    for part, trailing in ((before, False), (after, True)):
        for verb in _SPEECH.finditer(part):
            rest = part[verb.end() :]
            if verb.group().lower() == "according to":
                yield _clause(rest, forward=True)
                continue
            if agent := _AGENT.match(rest):
                yield _clause(rest[agent.end() :], forward=True)  # "described by the embassy"
                continue
            subject = _clause(part[: verb.start()], forward=False)
            if subject.split()[-1:] in ([word] for word in _PASSIVE):
                continue  # "it was said": no one named
            yield subject if subject or not trailing else _clause(rest, forward=True)


def _clause(text: str, forward: bool) -> str:
    """Up to four words next to a verb, within its clause."""
    pieces = _CLAUSE_BREAK.split(text)
    words = (pieces[0] if forward else pieces[-1]).split()
    return " ".join(words[:EDGE_WORDS] if forward else words[-EDGE_WORDS:])


# --------------------------------------------------------------------------------------------
# Where a quotation stands in its file
# --------------------------------------------------------------------------------------------


def _file_text(path: Any, files: dict[Any, str]) -> str:
    if path not in files:
        try:
            files[path] = read_text(path)
        except ContentError:
            files[path] = ""
    return files[path]


def _nowhere(dossier: Dossier) -> Callable[[], Location]:
    return lambda: Location(dossier.path)


def _yaml_location(doc: YamlDocument, path: YamlPath, value: str, start: int, files: dict[Any, str]) -> Location:
    """The opening mark's line and column in the YAML file, found after where the value starts (YAML may fold
    a long text over several lines); the value's own place if the file says it otherwise (escapes)."""
    base = doc.location(path)
    text = _file_text(doc.path, files)
    lines = text.split("\n")
    if not text or base.line > len(lines):
        return base
    offset = sum(len(line) + 1 for line in lines[: base.line - 1]) + base.column - 1
    words = value[start:].split()[:3]
    pattern = re.compile(r"\\?" + re.escape(value[start - 1]) + r"\s*" + r"\s+".join(re.escape(w) for w in words))
    earlier = len(pattern.findall(value[: start - 1]))  # the same words quoted before in this value
    matches = list(pattern.finditer(text, offset, offset + 4 * len(value) + 200))
    if len(matches) <= earlier:
        return base
    return _place(doc.path, text, matches[earlier].start())


def _markdown_location(document: Document, first_line: int, content: str, start: int) -> Location:
    """The opening mark's line and column in a markdown file: the block's line, the lines before the mark in the
    block, and the front matter's; the column where the file's line holds the block's (a list item's or a quoted
    paragraph's line is indented or marked in the file)."""
    mark = start - 1
    line_in_block = content.count("\n", 0, mark)
    line_start = content.rfind("\n", 0, mark) + 1
    line_end = content.find("\n", mark)
    body_lines = document.text.split("\n")
    index = first_line + line_in_block
    line_text = body_lines[index] if index < len(body_lines) else ""
    indent = max(line_text.find(content[line_start : line_end if line_end >= 0 else len(content)]), 0)
    return Location(document.path, document.line_offset + index + 1, indent + mark - line_start + 1)


def _place(path: Any, text: str, index: int) -> Location:
    return Location(path, text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1)


# --------------------------------------------------------------------------------------------
# What check --quotes reports
# --------------------------------------------------------------------------------------------


def quote_problems(investigation: Investigation) -> list[ContentError]:
    """An error for each quotation no cited report holds, with the closest passage; a warning for each
    credited to a person that the reports give only as their own words."""
    quotes: Quotes = investigation.quotes
    problems = []
    for checked in quotes.checked:
        quotation = checked.quotation
        if not checked.found:
            problems.append(_miss(quotation, quotes))
        elif quotation.credited and not any(found.quoted for found in checked.found.values()):
            if not investigation.config.accepts(PARAPHRASE, quotation.dossier):
                problems.append(_paraphrase(quotation, checked, quotes))
    return problems


def _miss(quotation: Quotation, quotes: Quotes) -> ContentError:
    reports = [quotes.reports[source] for source in dict.fromkeys(cited_id(ref) for ref in quotation.refs)]
    words = " ".join(quote_parts(quotation.words))
    ratio, passage, report = max(((*report.closest(words), report) for report in reports), key=lambda t: t[0])
    named = " or ".join(f"the report of {r.source.publisher} ({r.path.name})" for r in reports)
    if ratio >= 0.5:
        hint = f"the closest passage, in {report.path.name}: “{shorten(passage, 300)}”"
    else:
        hint = "no passage of the report comes close: check the citation, or write the words without quotation marks"
    return ContentError(quotation.locate(), f"the quotation “{shorten(quotation.words, 80)}” is not in {named}", hint)


def _paraphrase(quotation: Quotation, checked: Checked, quotes: Quotes) -> ContentError:
    source, found = next(iter(checked.found.items()))
    report = quotes.reports[source]
    message = (
        f"the words “{shorten(quotation.words, 80)}” are credited to a person, but {report.source.publisher}'s "
        f"report has them as its own words, not in quotation marks [{PARAPHRASE}]"
    )
    hint = (
        f"the report says: {shorten(report.sentence(found), 300)} — keep quotation marks for the words it quotes, "
        "or write this as a paraphrase without them"
    )
    return ContentError(quotation.locate(), message, hint, severity="warning", kind=PARAPHRASE)
