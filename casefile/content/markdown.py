"""Markdown as Casefile writes it: ``[[id]]`` links and ``[@source]`` citations.

Both are plain markdown-it-py plugins.  Parsing happens once, at load time;
the tokens keep each reference's line so the resolver can point at it, and
rendering asks the page (through ``env``) for link targets and footnote
markers, so a page's footnotes are numbered in order of first use.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

SAFE_SCHEMES = ("http", "https", "mailto", "")
_CITATION = re.compile(r"\[(@[^\]\n]+)\]")
# @ID, then "citing ID and ID" (whom the report relays for this) or "own voice", then ", LOCATOR"
_CITE_ITEM = re.compile(r"^@([^,\s;]+)(?:\s+citing\s+([^,;]+?)|\s+(own voice))?\s*(?:,\s*(.+))?$")


class Citation(NamedTuple):
    """One ``[@id citing other, p. 3]``: the report, where in it, whom it relays for this, or its own voice."""

    id: str
    locator: str | None = None
    citing: tuple[str, ...] = ()
    own_voice: bool = False


@dataclass(frozen=True)
class Reference:
    """A ``[[link]]`` or one ``[@citation]`` found in a markdown text."""

    kind: str  # "link" or "cite"
    target: str
    line: int  # 1-based, within the markdown text
    markup: str


class PageContext(Protocol):
    """What rendering needs from the page being built."""

    def link(self, target: str, text: str | None) -> str: ...
    def cite(self, refs: list[Citation]) -> str: ...
    def embed(self, media_id: str, alone: bool) -> str: ...


def link_is_safe(url: str) -> bool:
    return urlsplit(url.strip()).scheme.lower() in SAFE_SCHEMES


def _double_brackets(state: StateInline, opener: str) -> str | None:
    """The text between ``opener`` (``[[`` or ``![[``) at the cursor and ``]]`` on the same line, or None."""
    if not state.src.startswith(opener, state.pos):
        return None
    end = state.src.find("]]", state.pos + len(opener))
    if end < 0 or "\n" in state.src[state.pos : end]:
        return None
    return state.src[state.pos + len(opener) : end]


def _push_bracketed(state: StateInline, silent: bool, kind: str, opener: str, body: str, meta: dict) -> bool:
    """Add the token ``kind`` for ``opener`` + ``body`` + ``]]`` (unless only asked whether it matches)."""
    length = len(opener) + len(body) + 2
    if not silent:
        token = state.push(kind, "", 0)
        token.meta = meta | {"pos": state.pos}
        token.markup = state.src[state.pos : state.pos + length]
    state.pos += length
    return True


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    body = _double_brackets(state, "[[")
    if body is None:
        return False
    target, _, text = body.partition("|")
    return _push_bracketed(
        state, silent, "wikilink", "[[", body, {"target": target.strip(), "text": text.strip() or None}
    )


def _embed_rule(state: StateInline, silent: bool) -> bool:
    """``![[id]]``: a published photo or document, shown as a figure when it stands alone in its paragraph."""
    body = _double_brackets(state, "![[")
    if body is None:
        return False
    return _push_bracketed(state, silent, "media_embed", "![[", body, {"target": body.strip(), "alone": False})


def _figures(state: Any) -> None:
    """A paragraph holding only ``![[id]]`` becomes the figure itself: a figure may not sit inside a <p>."""
    for index, block in enumerate(state.tokens):
        children = [c for c in block.children or [] if c.type != "text" or c.content.strip()]
        if block.type == "inline" and len(children) == 1 and children[0].type == "media_embed" and index:
            children[0].meta["alone"] = True
            state.tokens[index - 1].hidden = state.tokens[index + 1].hidden = True


def _citation_rule(state: StateInline, silent: bool) -> bool:
    match = _CITATION.match(state.src, state.pos)
    if not match:
        return False
    refs = []
    for part in match.group(1).split(";"):
        item = _CITE_ITEM.match(part.strip())
        if not item:
            return False
        source, citing, own_voice, locator = item.groups()
        whom = tuple(name for name in re.split(r"\s+(?:and\s+)?", citing.strip()) if name) if citing else ()
        refs.append(Citation(source, locator, whom, bool(own_voice)))
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"refs": refs, "pos": state.pos}
        token.markup = match.group(0)
    state.pos = match.end()
    return True


def _record_lines(state: Any) -> None:
    """Give every link and citation the line it stands on (inline tokens lack one).

    Lines are counted on from the previous reference, so a paragraph of thousands stays quick.
    """
    for block in state.tokens:
        if block.type != "inline" or not block.map or not block.children:
            continue
        line, counted = block.map[0] + 1, 0
        for child in block.children:
            if child.type in ("wikilink", "citation", "media_embed"):
                line += block.content.count("\n", counted, child.meta["pos"])
                counted = child.meta["pos"]
                child.meta["line"] = line


_BLOCKS = {"paragraph_open", "heading_open", "list_item_open", "blockquote_open", "th_open", "td_open"}


def _directions(state: Any) -> None:
    """Each block takes its direction from its own text: an Arabic paragraph reads right to left,
    and what it holds cannot reorder the next block."""
    for token in state.tokens:
        if token.type in _BLOCKS:
            token.attrSet("dir", "auto")


def _bind_citations(state: Any) -> None:
    """A citation's marker sticks to the word before it: the space or line break between them goes,
    so on a phone "[1]" never starts a line of its own."""
    for block in state.tokens:
        children = block.children or []
        for before, token in itertools.pairwise(children):
            if token.type != "citation":
                continue
            if before.type == "softbreak":
                before.type = "text"
            elif before.type == "text":
                before.content = before.content.rstrip(" \t")


def _context(env: dict) -> PageContext:
    return env["page"]


def _render_wikilink(self: Any, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
    meta = tokens[idx].meta
    return _context(env).link(meta["target"], meta["text"])


def _render_citation(self: Any, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
    return _context(env).cite(tokens[idx].meta["refs"])


def _render_embed(self: Any, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
    meta = tokens[idx].meta
    return _context(env).embed(meta["target"], meta["alone"])


def _render_link_open(self: Any, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
    token = tokens[idx]
    if not link_is_safe(str(token.attrGet("href") or "")):
        token.attrs.pop("href", None)
    elif urlsplit(str(token.attrGet("href"))).scheme in ("http", "https"):
        token.attrSet("rel", "noopener noreferrer")
    return self.renderToken(tokens, idx, options, env)


def _aligned_by_class(state: Any) -> None:
    """A table column aligned with ``---:`` gets a class, not the inline ``style`` markdown-it writes: the site's
    Content-Security-Policy refuses inline styles (the alignment would be lost, with a console error)."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and (style := token.attrGet("style")):
            token.attrs.pop("style")
            token.attrSet("class", "align-" + str(style).removeprefix("text-align:"))


def _render_table_open(self: Any, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
    """A table in a scrolling frame of its own: a wide one scrolls on a phone instead of widening the page, and a
    keyboard can scroll it (it takes the focus)."""
    return '<div class="table-wrap" tabindex="0">' + self.renderToken(tokens, idx, options, env)


def _render_code(default: Callable[..., str]) -> Callable[..., str]:
    """A code block that a keyboard can scroll too: on a phone it scrolls in its frame (``overflow-x``)."""

    def render(self: Any, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
        return default(tokens, idx, options, env).replace("<pre>", '<pre tabindex="0">', 1)

    return render


def _render_table_close(self: Any, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


def casefile_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    md.inline.ruler.before("link", "citation", _citation_rule)
    md.inline.ruler.before("image", "media_embed", _embed_rule)
    md.core.ruler.push("casefile_lines", _record_lines)
    md.core.ruler.push("casefile_directions", _directions)
    md.core.ruler.push("casefile_bind_citations", _bind_citations)
    md.core.ruler.push("casefile_figures", _figures)
    md.add_render_rule("wikilink", _render_wikilink)
    md.add_render_rule("citation", _render_citation)
    md.add_render_rule("media_embed", _render_embed)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("table_close", _render_table_close)
    for kind in ("fence", "code_block"):
        md.add_render_rule(kind, _render_code(md.renderer.rules[kind]))
    md.core.ruler.push("casefile_aligned_by_class", _aligned_by_class)


@cache
def parser() -> MarkdownIt:
    """The one parser, made on first use: ``--help`` and ``new`` never load markdown-it."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.anchors import anchors_plugin

    md = MarkdownIt("commonmark", {"html": False, "typographer": True})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    md.validateLink = lambda url: True  # unsafe schemes are reported by the resolver, dropped at render
    md.use(anchors_plugin, min_level=2, max_level=3)
    md.use(casefile_plugin)
    return md


def parse(text: str) -> list[Token]:
    return parser().parse(text, {})


def parse_inline(text: str) -> list[Token]:
    """Tokens for one-line fields such as claims (no paragraphs)."""
    return parser().parseInline(text, {})


def render(tokens: list[Token], page: PageContext) -> str:
    md = parser()
    return md.renderer.render(tokens, md.options, {"page": page})


def references(tokens: list[Token]) -> list[Reference]:
    """Every link and citation in ``tokens``, in order."""
    found: list[Reference] = []
    for token in _walk(tokens):
        line = token.meta.get("line", 1) if token.meta else 1
        if token.type == "wikilink":
            found.append(Reference("link", token.meta["target"], line, token.markup))
        elif token.type == "citation":
            targets = (target for ref in token.meta["refs"] for target in (ref.id, *ref.citing))
            found.extend(Reference("cite", target, line, token.markup) for target in targets)
    return found


def embeds(tokens: list[Token]) -> list[Reference]:
    """Every ``![[id]]`` in ``tokens``, in order."""
    return [
        Reference("embed", token.meta["target"], token.meta.get("line", 1), token.markup)
        for token in _walk(tokens)
        if token.type == "media_embed"
    ]


def remote_images(tokens: list[Token]) -> list[tuple[str, int]]:
    """Images written ``![text](https://…)``, with lines: loading one tells its server who reads the page."""
    return [(url, line) for url, line in _sources(tokens, ("image",)) if urlsplit(url.strip()).netloc]


def unsafe_links(tokens: list[Token]) -> list[tuple[str, int]]:
    """Link targets with a scheme other than http, https or mailto, with lines."""
    return [(url, line) for url, line in _sources(tokens, ("link_open", "image")) if not link_is_safe(url)]


def _sources(tokens: list[Token], types: tuple[str, ...]) -> Iterator[tuple[str, int]]:
    """The address of every token of ``types`` (a link's href, an image's src), with its line."""
    for block in tokens:
        start = block.map[0] + 1 if block.map else 1
        for token in _walk(block.children or []):
            href = token.attrGet("href") or token.attrGet("src") if token.type in types else None
            if href is not None:
                offset = max(block.content.find(str(href)), 0)
                yield str(href), start + block.content[:offset].count("\n")


def _walk(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)
