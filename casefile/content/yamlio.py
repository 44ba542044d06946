"""YAML loading that remembers where every key and value stands, within safe limits.

We build plain Python values straight from PyYAML's event stream, without recursion,
and keep a map from each value's path (``("roles", 0, "of")``) to its line and column,
so validation errors can point at the exact place.  Dates stay strings (our own date
type parses them with their precision) and only ``true``/``false`` are booleans, so
``no`` (Norway) stays a word.

What YAML allows but a dossier must not hold is refused where it stands: anchors and
aliases (an alias bomb never expands), tags other than the core ones (``!!python/…``),
nesting deeper than :data:`MAX_DEPTH`, control characters, and plain numbers that YAML
1.1 reads differently from how they are written (``0100`` is 64, ``1:20`` is 80).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from casefile.diagnostics import ContentError, Location

YamlPath = tuple[str | int, ...]

MAX_DEPTH = 50  # lists and mappings inside each other; real dossiers use fewer than 6
DEFAULT_MAX_FILE_MB = 5

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


_CONSTRUCTOR = _Loader("")  # resolves and builds scalar values from events
_CORE = "tag:yaml.org,2002:"
_STR = _CORE + "str"
_CORE_TAGS = {None, "!", *(_CORE + name for name in ("str", "int", "float", "bool", "null", "seq", "map"))}

# C0 controls but tab, newline and carriage return; DEL; C1 controls; the two non-characters XML refuses.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.DOTALL)
_NO_ANCHORS = "YAML anchors and aliases (&x / *x) are not supported"  # so an alias bomb never expands
_SHORT_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "v": "\v", "f": "\f", "e": "\x1b", "N": "\x85"}


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


def too_large(path: Path, size: int, max_mb: float) -> ContentError | None:
    """The error for a file over the size cap, found before anything reads it."""
    if size <= max_mb * 1_000_000:
        return None
    return ContentError(
        Location(path),
        f"the file is {size / 1_000_000:.1f} MB, more than the {max_mb:g} MB a file may have",
        "split it into several dossiers, or raise `max_file_size_mb:` in site.yaml",
    )


def read_text(path: Path, max_mb: float | None = None) -> str:
    """File text as UTF-8 without control characters, or a ContentError at the first byte that is wrong.

    Line endings become ``\\n`` (Windows' CRLF, old Macs' lone CR), so a checkout's line endings never change
    the site: every content file is read here.
    """
    try:
        if max_mb is not None and (problem := too_large(path, os.stat(path).st_size, max_mb)):
            raise problem
        raw = path.read_bytes()
    except OSError as exc:
        raise unreadable(path, exc) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(
            _offset_location(path, _lf(raw[: exc.start].decode("utf-8"))),
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
            "save the file as UTF-8 (in most editors: 'Save with encoding' → UTF-8)",
        ) from None
    text = _lf(text.removeprefix("\ufeff"))
    if match := CONTROL.search(text):
        raise ContentError(
            _offset_location(path, text[: match.start()]),
            f"the file contains the invisible control character U+{ord(match.group()):04X}",
            "delete it (it often comes from copying out of a PDF or a database); control characters "
            "cannot appear in a web page",
        )
    return text


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


UNREADABLE = "unreadable"  # the kind of the error for a file or folder that cannot be read


def unreadable(path: Path, error: OSError) -> ContentError:
    """The error for a file or folder the build may not open: another user's, or a disk that fails."""
    what = "folder" if path.is_dir() else "file"
    if isinstance(error, PermissionError):
        message = f"the {what} cannot be read: permission denied"
        hint = (
            f"check who owns the {what} (ls -l): it may belong to another user, or be closed to others; "
            f"give yourself read access (chmod a+r{'X' if what == 'folder' else ''}) or ask its owner"
        )
    else:
        message = f"the {what} cannot be read: {(error.strerror or str(error)).lower()}"
        hint = f"check that the {what} is still there and that the disk works"
    return ContentError(Location(path), message, hint, kind=UNREADABLE)


def _offset_location(path: Path, before: str) -> Location:
    """The place just after the text ``before``."""
    return Location(path, before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1)


def parse_yaml(text: str, path: Path, line_offset: int = 0) -> YamlDocument:
    """Parse one YAML document; syntax problems and what the module refuses become ContentErrors."""
    builder = _Builder(YamlDocument(path, None, line_offset=line_offset), text)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, path, line_offset) from None
    return builder.doc


def load_yaml(path: Path, max_mb: float | None = None) -> YamlDocument:
    return parse_yaml(read_text(path, max_mb), path)


@dataclass
class _Open:
    """A list or mapping being filled; a mapping holds the key whose value comes next."""

    path: YamlPath
    value: list | dict
    key: str | None = None


@dataclass
class _Builder:
    """Turns events into plain values with an explicit stack, so depth costs no recursion."""

    doc: YamlDocument
    text: str
    stack: list[_Open] = field(default_factory=list)
    documents: int = 0

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise self.error(
                    event, "a second YAML document starts here", "a file holds one dossier: remove the `---` line"
                )
        elif isinstance(event, yaml.AliasEvent):
            raise self.error(
                event,
                _NO_ANCHORS,
                "write the value out in full; text that starts with * or & must be in quotes",
            )
        elif isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
            self.check_node(event)
            if isinstance(event, yaml.ScalarEvent):
                self.add(event, self.scalar(event))
            else:
                self.open(event)
        elif isinstance(event, yaml.CollectionEndEvent):
            self.close(self.stack.pop().value)

    def check_node(self, event: yaml.NodeEvent) -> None:
        if event.anchor is not None:
            raise self.error(event, _NO_ANCHORS, "write the value out in full, without &")
        if event.tag not in _CORE_TAGS:
            tag = event.tag.replace(_CORE, "!!")
            raise self.error(event, f"the tag '{tag}' is not allowed", f"remove '{tag}': write plain values")

    def open(self, event: yaml.CollectionStartEvent) -> None:
        if self.expects_key():
            raise self.error(
                event, "a key must be a plain word", "write keys like `name:`; lists and mappings cannot be keys"
            )
        if len(self.stack) >= MAX_DEPTH:
            raise self.error(
                event,
                f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
                "a dossier needs only a few levels: check the brackets and the indentation",
            )
        path = self.child_path()
        self.mark(self.doc.value_marks, path, event)
        self.stack.append(_Open(path, [] if isinstance(event, yaml.SequenceStartEvent) else {}))

    def add(self, event: yaml.ScalarEvent, value: Any) -> None:
        if not self.expects_key():
            self.mark(self.doc.value_marks, self.child_path(), event)
            self.close(value)
            return
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise self.error(event, "a key must be a plain word", "write keys like `name:`")
        top = self.stack[-1]
        key = str(value)
        if key in top.value:
            first_line = self.doc.key_marks[top.path + (key,)][0] + self.doc.line_offset
            raise self.error(
                event,
                f"duplicate key '{key}' (already set on line {first_line})",
                f"keep one '{key}:'; to give several values use a list",
            )
        self.mark(self.doc.key_marks, top.path + (key,), event)
        top.key = key

    def close(self, value: Any) -> None:
        """Put a finished value into its parent, or make it the document's."""
        if not self.stack:
            self.doc.data = value
            return
        top = self.stack[-1]
        if isinstance(top.value, list):
            top.value.append(value)
        else:
            top.value[top.key] = value
            top.key = None

    def expects_key(self) -> bool:
        return bool(self.stack) and isinstance(self.stack[-1].value, dict) and self.stack[-1].key is None

    def child_path(self) -> YamlPath:
        if not self.stack:
            return ()
        top = self.stack[-1]
        return top.path + ((len(top.value),) if isinstance(top.value, list) else (top.key,))

    def scalar(self, event: yaml.ScalarEvent) -> Any:
        explicit = event.tag not in (None, "!", _STR)
        plain = not explicit and event.tag != _STR and event.implicit[0]
        tag = _CONSTRUCTOR.resolve(yaml.ScalarNode, event.value, (True, False)) if explicit or plain else _STR
        if explicit and tag != event.tag:
            raise self.error(
                event, f"'{event.value}' is not {event.tag.replace(_CORE, '!!')}", "remove the tag, or quote the text"
            )
        value = event.value if tag == _STR else self.construct(event, tag)
        if plain and isinstance(value, (int, float)) and not isinstance(value, bool) and str(value) != event.value:
            raise self.error(event, f"YAML reads '{event.value}' as the number {value}", f"quote it: '{event.value}'")
        if isinstance(value, str) and (match := CONTROL.search(value)):
            raise ContentError(
                self.escape_location(event),
                f"the text contains the invisible control character U+{ord(match.group()):04X}",
                "remove the escape (such as \\0, \\x01 or \\u0007) from the quoted text",
            )
        return value

    def construct(self, event: yaml.ScalarEvent, tag: str) -> Any:
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return _CONSTRUCTOR.construct_object(node)
        except yaml.constructor.ConstructorError:
            raise self.error(event, f"YAML does not read '{event.value}' as text", "put the value in quotes") from None
        finally:
            _CONSTRUCTOR.constructed_objects.clear()

    def escape_location(self, event: yaml.ScalarEvent) -> Location:
        """Where the first escape that writes a control character stands in a "double-quoted" text."""
        start, end = event.start_mark.index, event.end_mark.index
        for match in _ESCAPE.finditer(self.text, start, end):
            code = match.group(1)
            if CONTROL.fullmatch(chr(int(code[1:], 16)) if len(code) > 1 else _SHORT_ESCAPES.get(code, "")):
                start = match.start()
                break
        where = _offset_location(self.doc.path, self.text[:start])
        return Location(where.path, where.line + self.doc.line_offset, where.column)

    def mark(self, marks: dict[YamlPath, tuple[int, int]], path: YamlPath, event: yaml.Event) -> None:
        marks[path] = (event.start_mark.line + 1, event.start_mark.column + 1)

    def error(self, event: yaml.Event, message: str, hint: str) -> ContentError:
        return ContentError(_mark_location(event.start_mark, self.doc.path, self.doc.line_offset), message, hint)


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
    elif "expected <block end>" in problem:
        hint = "this line's indentation does not match the lines above it"
    return ContentError(location, f"YAML syntax error: {problem}", hint)
