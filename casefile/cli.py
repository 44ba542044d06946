"""The verbs journalists type: ``build`` (default) and ``check``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import pipeline
from .diagnostics import Diagnostics


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python build.py", description="Build a Casefile investigation site.")
    parser.add_argument(
        "verb",
        nargs="?",
        default="build",
        choices=["build", "check"],
        help="build (default): write the site; check: validate only, write nothing",
    )
    parser.add_argument("--site", type=Path, default=Path("."), help="the investigation folder (default: .)")
    parser.add_argument("--out", type=Path, default=None, help="where to write the site (default: SITE/output)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    return parser


def report(diagnostics: Diagnostics, root: Path, strict: bool) -> None:
    """Every problem, errors first, then a one-line count."""
    problems = diagnostics.errors + diagnostics.warnings
    for problem in problems:
        if strict and problem.severity == "warning":
            problem.severity = "error"
        print(problem.format(root), file=sys.stderr)
    errors = len(diagnostics.errors) + (len(diagnostics.warnings) if strict else 0)
    warnings = 0 if strict else len(diagnostics.warnings)
    if problems:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    site = args.site.resolve()
    paths = pipeline.SitePaths(site, (args.out or site / "output").resolve())
    diagnostics = Diagnostics()
    if args.verb == "check":
        ok = pipeline.check(paths, diagnostics) is not None
    else:
        ok = pipeline.build(paths, diagnostics, strict=args.strict) is not None
    ok = ok and not (args.strict and diagnostics.warnings)
    report(diagnostics, Path.cwd(), args.strict)
    if ok:
        print(f"{'checked' if args.verb == 'check' else 'built ' + str(paths.out)}: no errors", file=sys.stderr)
    return 0 if ok else 1
