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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from casefile.content.model import Document, Dossier, Source
from casefile.content.yamlio import YamlDocument, YamlPath, read_text
from casefile.diagnostics import ContentError, Location
from casefile.investigation.quoted import Checked, Quotation, Quotes, citations_in, cited_id
from casefile.investigation.report_text import EDGE_WORDS, SENTENCE_END, Report, quotations, quote_parts
from casefile.text import shorten

if TYPE_CHECKING:
    from casefile.investigation.resolve import Investigation

PARAPHRASE = "paraphrase-quoted"  # the warning's kind, by which site.yaml accepts it

# Casefile's markdown in a quotation: [[id|text]], [[id]], ![[media]], [@citations], [text](url), emphasis, code.
_OUR_MARKUP = re.compile(
    r"!\[\[[^\]]*\]\]|\[\[([^\]|]+)(?:\|([^\]]+))?\]\]|\[@[^\]]*\]|\[([^\]]*)\]\([^)]*\)|\\(.)|\*\*|__|[*`]"
    r"|(?<!\w)_|_(?!\w)"
)
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


# --------------------------------------------------------------------------------------------
# A report's text, searchable
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# The quotations of an investigation
# --------------------------------------------------------------------------------------------


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
        sentence_start = max([m.end() for m in SENTENCE_END.finditer(text, 0, start - 1)], default=0)
        after = SENTENCE_END.search(text, end + 1)
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
