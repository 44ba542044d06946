"""Interface labels translated once, when a template is compiled, rather than on every page that shows them.

``{{ _("Sources") }}`` and a ``{% trans %}`` block without variables show the same text on every page of an
edition, yet Jinja's i18n extension looks them up at each use, through its call machinery: an eighth of the
time an actor page took to render (0.76 ms, 0.67 without). :class:`FoldedLabels` writes that text into the
compiled template, as the extension would have given it at run time (the translation marked safe, ``%%`` made
``%``). Labels with variables, plurals or a context are still looked up at run time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jinja2 import nodes
from jinja2.ext import InternationalizationExtension
from jinja2.lexer import Token
from markupsafe import Markup

_NOT_GETTEXT = ("dot", "pipe")  # before ``_``, these make it an attribute or a filter, not gettext


class FoldedLabels(InternationalizationExtension):
    """Jinja's ``i18n`` extension, with every label that has no variables translated at compile time."""

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        self._translate: Callable[[str], str] | None = None
        self._folded: dict[str, str] = {}  # each msgid written into a compiled template, and what was written

    def _install_callables(self, gettext: Callable[[str], str], *args: Any, **kwargs: Any) -> None:
        """The translations installed, and the compiled templates forgotten if they hold a label that these
        translate otherwise: a template compiled earlier must not show the labels of other translations."""
        super()._install_callables(gettext, *args, **kwargs)
        self._translate = gettext
        if any(_folded(gettext, msgid) != text for msgid, text in self._folded.items()):
            self._folded.clear()
            if self.environment.cache is not None:
                self.environment.cache.clear()

    def _fold(self, msgid: str) -> str | None:
        """The text newstyle gettext gives ``msgid``; None where it cannot be known now (no translations yet, or a
        ``%`` it would fail on at run time, so that the error stays where Jinja reports it)."""
        if self._translate is None or not self.environment.newstyle_gettext:  # type: ignore[attr-defined]
            return None
        text = _folded(self._translate, msgid)
        if text is not None:
            self._folded[msgid] = text
        return text

    def filter_stream(self, stream: Iterable[Token]) -> Iterator[Token]:
        """``_("literal")`` becomes ``("translation"|safe)``, which Jinja's optimizer makes a constant. A template
        that uses the name ``_`` for anything but that call is left as it is."""
        tokens = list(stream)
        if any(_is_underscore(tokens, i) and not _called(tokens, i) for i in range(len(tokens))):  # a name or macro
            yield from tokens
            return
        i = 0
        while i < len(tokens):
            literal = _is_underscore(tokens, i) and _called_with_literal(tokens, i)
            text = self._fold(tokens[i + 2].value) if literal else None
            if text is None:
                yield tokens[i]
                i += 1
                continue
            line = tokens[i].lineno
            yield from (
                Token(line, "lparen", "("),
                Token(line, "string", text),
                Token(line, "pipe", "|"),
                Token(line, "name", "safe"),
                Token(line, "rparen", ")"),
            )
            i += 4

    def _make_node(
        self,
        singular: str,
        plural: str | None,
        context: str | None,
        variables: dict[str, nodes.Expr],
        plural_expr: nodes.Expr | None,
        vars_referenced: bool,
        num_called_num: bool,
    ) -> nodes.Output:
        """A ``{% trans %}`` block with no variables, plural or context becomes its text."""
        if plural_expr is None and context is None and not variables:
            text = self._fold(singular)
            if text is not None:
                return nodes.Output([nodes.TemplateData(text)])
        return super()._make_node(singular, plural, context, variables, plural_expr, vars_referenced, num_called_num)


def shown_label(translate: Callable[[str], str], msgid: str) -> Markup:
    """``msgid`` as a template's ``_(msgid)`` shows it: translated, marked safe, ``%%`` made ``%``."""
    return Markup(translate(msgid)) % {}


def _folded(translate: Callable[[str], str], msgid: str) -> str | None:
    try:
        return str(shown_label(translate, msgid))
    except (ValueError, TypeError, KeyError):
        return None


def _is_underscore(tokens: list[Token], i: int) -> bool:
    """Whether token ``i`` is the name ``_`` itself (not an attribute or a filter of that name)."""
    token = tokens[i]
    return token.type == "name" and token.value == "_" and (i == 0 or tokens[i - 1].type not in _NOT_GETTEXT)


def _called(tokens: list[Token], i: int) -> bool:
    """Whether the ``_`` at ``i`` is called, not set, looped over, imported or defined as a macro."""
    defined = i > 0 and tokens[i - 1].test("name:macro")
    return not defined and i + 1 < len(tokens) and tokens[i + 1].type == "lparen"


def _called_with_literal(tokens: list[Token], i: int) -> bool:
    """Whether tokens ``i``… read ``_("literal")``."""
    return [t.type for t in tokens[i + 1 : i + 4]] == ["lparen", "string", "rparen"]
