"""A sign-off added to a dossier's YAML as text, so that the rest of the file stays as the journalist wrote it.

A YAML library that writes the data back would reorder keys, drop comments and reflow long lines. Here the
text is parsed only to find where ``reviewed:`` is, and the new item is inserted there:

- ``reviewed:`` with a list under it: a new item after the last, at the same indentation;
- ``reviewed: [{…}]`` written on one line: the new item before the ``]``;
- ``reviewed:``, ``reviewed: []`` or ``reviewed: null``: the list, under it;
- no ``reviewed:``: the key and its list at the end of the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from casefile.content.yamlio import parse_yaml
from casefile.diagnostics import ContentError

KEY = "reviewed"


class Unwritable(Exception):
    """The text is not a YAML mapping written as lines (a file that is one ``{…}``): it is left alone."""


def with_sign_off(text: str, entry: dict[str, str]) -> str:
    """``text`` (a dossier's YAML, with LF line ends) with ``entry`` added to its ``reviewed:`` list."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        raise Unwritable from None
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise Unwritable
    indent = root.start_mark.column
    value = next((v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == KEY), None)
    if value is None:
        ended = text if not text or text.endswith("\n") else text + "\n"
        return ended + " " * indent + f"{KEY}:\n" + _block(entry, indent + 2)
    listed = isinstance(value, yaml.SequenceNode) and bool(value.value)
    if listed and value.flow_style:
        close = value.end_mark.index - 1  # the ]
        return text[:close] + ", " + flow_item(entry) + text[close:]
    if listed:
        after = _line_end(text, _last_scalar(value).end_mark.index)
        return _joined(text[:after], _block(entry, value.start_mark.column), text[after:])
    if not (isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null") or isinstance(value, yaml.SequenceNode)):
        raise Unwritable  # `reviewed: text`: the build refuses it before a sign-off is written
    # `reviewed:`, `reviewed: []` or `reviewed: null`: the value goes, any comment after it stays
    after = _line_end(text, value.end_mark.index)
    rest = text[value.end_mark.index : after]
    head = text[: value.start_mark.index]
    line = head.rstrip(" ") + (rest if rest.strip() else "\n")
    return _joined(line, _block(entry, indent + 2), text[after:])


def _last_scalar(node: yaml.Node) -> yaml.Node:
    """The last value written in a list or mapping laid out in lines (a ``{…}`` or ``[…]`` counts as one)."""
    while isinstance(node, yaml.CollectionNode) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node


def _line_end(text: str, index: int) -> int:
    """Where the line holding ``index`` ends, after its line break."""
    if index > 0 and text[index - 1] == "\n":
        return index
    found = text.find("\n", index)
    return len(text) if found == -1 else found + 1


def _joined(head: str, block: str, tail: str) -> str:
    return head + ("" if not head or head.endswith("\n") else "\n") + block + tail


def _block(entry: dict[str, str], indent: int) -> str:
    """``entry`` as a list item laid out in lines, its dash at column ``indent``."""
    pad = " " * indent
    lines = [
        f"{pad}{'- ' if number == 0 else '  '}{key}: {_scalar(value)}"
        for number, (key, value) in enumerate(entry.items())
    ]
    return "\n".join(lines) + "\n"


def flow_item(entry: dict[str, str]) -> str:
    """``entry`` as ``{key: value, …}``; text in quotes, where a comma or a brace would end it."""
    values = (json.dumps(v, ensure_ascii=False) if k == "by" else _scalar(v) for k, v in entry.items())
    return "{" + ", ".join(f"{key}: {value}" for key, value in zip(entry, values, strict=True)) + "}"


def _scalar(value: str) -> str:
    """``value`` as the build reads it back: plain when it can be (``Anna Editor``, ``2026-12-06``), else in
    double quotes (a name with ``: `` or ``#``, one YAML would read as a number)."""
    try:
        plain = parse_yaml(f"value: {value}\n", Path("site.yaml")).data == {"value": value}
    except ContentError:
        plain = False
    return value if plain and value == value.strip() else json.dumps(value, ensure_ascii=False)
