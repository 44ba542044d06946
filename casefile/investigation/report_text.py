"""A report's stored text, read the way quotations are checked against it: the quotations a text holds, the same
words found word for word (quote marks, dashes, spaces, case and compatibility forms do not count, and
omissions may stand between the parts), the closest passage when they are not there, and the URL text fragment
that takes a reader to the passage."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, cached_property
from urllib.parse import quote

from casefile.content.model import Source, StoredText

ANCHOR_WORDS, ANCHOR_PLACES = 4, 40  # the closest passage is looked for around the quotation's rarest words
SENTENCE_END = re.compile(r"[.!?;](?=\s|$)|\n\n")
MAX_GAP = 400  # characters of the report that "…" may stand for between two parts of a quotation


SHORT_DIRECTIVE = 8  # words: a longer passage is named by its first and last words (textStart,textEnd)


EDGE_WORDS = 4


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


_OMISSION = re.compile(r"…|\.\.\.|\[[^\]]*\]")


_MARKS = {**dict.fromkeys("“”„‟«»〝〞＂", '"'), **dict.fromkeys("‘’‚‛‹›`´ʼ", "'")}


_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")


_EDGE_PUNCTUATION = " ,.;:!?"


_SHOWN_EDGES = " \"'“”‘’«»„,.;:"


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
        before = [m.end() for m in SENTENCE_END.finditer(self.plain, 0, start)]
        after = SENTENCE_END.search(self.plain, end)
        return " ".join(self.plain[before[-1] if before else 0 : after.end() if after else len(self.plain)].split())
