"""YAML loading that remembers where every key and value stands.

PyYAML's composed nodes carry marks; we build plain Python values from them
and keep a map from each value's path (``("roles", 0, "of")``) to its line and
column, so validation errors can point at the exact place.  Dates stay strings
(our own date type parses them with their precision) and only ``true``/``false``
are booleans, so ``no`` (Norway) stays a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import ContentError, Location

YamlPath = tuple[str | int, ...]


_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser is ~20x faster when present


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """SafeLoader without timestamps and YAML 1.1's yes/no/on/off booleans."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


_CONSTRUCTOR = _Loader("")  # builds scalar values from already-composed nodes


@dataclass
class YamlDocument:
    """Plain data from one YAML text plus the place of every key and value."""

    path: Path
    data: Any
    value_marks: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    line_offset: int = 0

    def location(self, path: YamlPath, at_key: bool = False) -> Location:
        """The place of ``path``, or of its nearest parent that has one."""
        marks = self.key_marks if at_key else self.value_marks
        probe = tuple(path)
        while probe:
            if probe in marks:
                break
            if probe in self.value_marks:
                marks = self.value_marks
                break
            probe = probe[:-1]
        line, column = marks.get(probe, self.value_marks.get((), (1, 1)))
        return Location(self.path, line + self.line_offset, column)


def read_text(path: Path) -> str:
    """File text as UTF-8, or a ContentError at the first byte that is not."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise ContentError(
            Location(path, line, column),
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
            "save the file as UTF-8 (in most editors: 'Save with encoding' → UTF-8)",
        ) from None
    return text.removeprefix("\ufeff")


def parse_yaml(text: str, path: Path, line_offset: int = 0) -> YamlDocument:
    """Parse one YAML document; syntax problems become ContentErrors."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, path, line_offset) from None
    doc = YamlDocument(path, None, line_offset=line_offset)
    if node is not None:
        doc.data = _build(node, (), doc)
    return doc


def load_yaml(path: Path) -> YamlDocument:
    return parse_yaml(read_text(path), path)


def _build(node: yaml.Node, path: YamlPath, doc: YamlDocument) -> Any:
    doc.value_marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, path + (i,), doc) for i, child in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, doc.path, doc.line_offset) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise ContentError(
                    _mark_location(key_node.start_mark, doc.path, doc.line_offset),
                    "a key must be a plain word",
                    "write keys like `name:`; lists and mappings cannot be keys",
                )
            key = str(key)
            key_mark = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in result:
                first_line = doc.key_marks[path + (key,)][0] + doc.line_offset
                raise ContentError(
                    Location(doc.path, key_mark[0] + doc.line_offset, key_mark[1]),
                    f"duplicate key '{key}' (already set on line {first_line})",
                    f"keep one '{key}:'; to give several values use a list",
                )
            doc.key_marks[path + (key,)] = key_mark
            result[key] = _build(value_node, path + (key,), doc)
        return result
    return _scalar(node, doc.path, doc.line_offset)


def _scalar(node: yaml.Node, path: Path, line_offset: int) -> Any:
    try:
        return _CONSTRUCTOR.construct_object(node)
    except yaml.constructor.ConstructorError as exc:
        raise ContentError(_mark_location(node.start_mark, path, line_offset), str(exc.problem)) from None
    finally:
        _CONSTRUCTOR.constructed_objects.clear()


def _mark_location(mark: yaml.Mark, path: Path, line_offset: int) -> Location:
    return Location(path, mark.line + 1 + line_offset, mark.column + 1)


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, path: Path, line_offset: int) -> ContentError:
    mark = exc.problem_mark or exc.context_mark
    location = _mark_location(mark, path, line_offset) if mark else Location(path, 1 + line_offset, 1)
    problem = exc.problem or "invalid YAML"
    lines = text.splitlines()
    line_text = lines[mark.line] if mark and mark.line < len(lines) else ""
    if "\\t" in problem or line_text[: (mark.column if mark else 0) + 1].lstrip(" ").startswith("\t"):
        return ContentError(
            location, "a tab is used for indentation", "YAML indents with spaces only: replace the tab with spaces"
        )
    hint = "check the indentation and that every `key: value` has a space after the colon"
    if "mapping values are not allowed" in problem:
        hint = "a value that contains ': ' must be quoted, e.g. title: \"Fomin: a visit\""
    elif "found undefined alias" in problem or "found unhashable key" in problem:
        hint = "values starting with * or { or [ must be quoted"
    elif "expected <block end>" in problem:
        hint = "this line's indentation does not match the lines above it"
    return ContentError(location, f"YAML syntax error: {problem}", hint)
