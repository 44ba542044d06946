"""Problems a journalist can fix: where they are, what is wrong, how to fix it.

Every stage reports through one exception type, :class:`ContentError`, and
collects them in a :class:`Diagnostics` so a single run shows every problem.
"""

from __future__ import annotations

import difflib
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    """A place in a content file; line and column count from 1."""

    path: Path
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def seen_from(self, root: Path | None) -> Location:
        """The place with its path relative to ``root`` (the folder the journalist works in) when it is inside."""
        if root is None or not self.path.is_relative_to(root):
            return self
        return Location(self.path.relative_to(root), self.line, self.column)


class ContentError(Exception):
    """A content problem with its place and a hint; never shown as a traceback."""

    def __init__(
        self,
        location: Location,
        message: str,
        hint: str = "",
        severity: Severity = "error",
        kind: str = "",
    ) -> None:
        super().__init__(message)
        self.kind = kind  # a warning's kind, by which site.yaml accepts it and the summary counts it
        self.location = location
        self.message = message
        self.hint = hint
        self.severity = severity

    def __reduce__(self) -> tuple:
        """Pickled by its fields: a render worker process hands one to the parent."""
        return ContentError, (self.location, self.message, self.hint, self.severity, self.kind)

    def format(self, root: Path | None = None) -> str:
        """``path:line:col: error: message`` and the hint on its own line."""
        text = f"{self.location.seen_from(root)}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def sort_key(self) -> tuple:
        return (str(self.location.path), self.location.line, self.location.column, self.message)


@dataclass
class Diagnostics:
    """Collects every problem of a run so they are reported together."""

    problems: list[ContentError] = field(default_factory=list)
    _seen: set[tuple] = field(default_factory=set, repr=False, compare=False)  # keeps add() constant-time

    def add(self, problem: ContentError) -> None:
        key = problem.sort_key()
        if key not in self._seen:
            self._seen.add(key)
            self.problems.append(problem)

    def error(self, location: Location, message: str, hint: str = "") -> None:
        self.add(ContentError(location, message, hint))

    def warning(self, location: Location, message: str, hint: str = "") -> None:
        self.add(ContentError(location, message, hint, severity="warning"))

    @property
    def errors(self) -> list[ContentError]:
        return sorted((p for p in self.problems if p.severity == "error"), key=ContentError.sort_key)

    @property
    def warnings(self) -> list[ContentError]:
        return sorted((p for p in self.problems if p.severity == "warning"), key=ContentError.sort_key)

    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def did_you_mean(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str:
    """A hint naming the closest candidate(s), or '' when none is close (short words need a lower ``cutoff``:
    one letter of two wrong is a ratio of 0.5)."""
    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=3, cutoff=cutoff)
    if not matches:
        return ""
    return "did you mean " + " or ".join(f"'{m}'" for m in matches) + "?"


def report(diagnostics: Diagnostics, root: Path, strict: bool) -> None:
    """Every problem, errors first, then a one-line count with the warnings grouped by kind."""
    problems = diagnostics.errors + diagnostics.warnings
    kinds = Counter(p.kind or "other" for p in diagnostics.warnings)
    for problem in problems:
        if strict and problem.severity == "warning":
            problem.severity = "error"
        print(problem.format(root), file=sys.stderr)
    errors = len(diagnostics.errors) + (len(diagnostics.warnings) if strict else 0)
    warnings = 0 if strict else len(diagnostics.warnings)
    if problems:
        by_count = sorted(kinds.items(), key=lambda kind_count: (-kind_count[1], kind_count[0]))
        grouped = f" — {', '.join(f'{n} {kind}' for kind, n in by_count)}" if set(kinds) - {"other"} else ""
        print(f"{errors} error(s), {warnings} warning(s){grouped}", file=sys.stderr)
