"""The verbs journalists type: ``build`` (default) and ``check``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import pipeline
from .config import parse_base_url
from .diagnostics import ContentError, Diagnostics, report
from .scaffold import TEMPLATES, new_dossier


def _base_url(text: str) -> str:
    try:
        return parse_base_url(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{exc} (e.g. --base-url https://org.github.io/casefile/)") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python build.py", description="Build a Casefile investigation site.")
    parser.add_argument(
        "verb",
        nargs="?",
        default="build",
        choices=["build", "check", "serve", "new"],
        help="build (default): write the site; check: validate only; serve: rebuild on save and reload the "
        "browser; new TYPE ID: start a dossier",
    )
    parser.add_argument("args", nargs="*", help="for new: actor|deal|event|source and the id")
    parser.add_argument("--host", default="127.0.0.1", help="serve: address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="serve: port (default 8000)")
    parser.add_argument("--site", type=Path, default=Path("."), help="the investigation folder (default: .)")
    parser.add_argument("--out", type=Path, default=None, help="where to write the site (default: SITE/output)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument(
        "--base-url", type=_base_url, default=None, help="the site's public address (overrides site.yaml's base_url)"
    )
    parser.add_argument(
        "--check-external", action="store_true", help="also fetch every outbound link and report the dead ones"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    site = args.site.resolve()
    paths = pipeline.SitePaths(site, (args.out or site / "output").resolve())
    options = pipeline.Options(strict=args.strict, base_url=args.base_url, check_external=args.check_external)
    diagnostics = Diagnostics()
    if args.verb == "new":
        return _new(site, args.args)
    if args.verb == "serve":
        from .incremental import Session
        from .serve import serve

        return serve(Session(paths), args.host, args.port)
    if args.verb == "check":
        ok = pipeline.check(paths, diagnostics, options) is not None
    else:
        ok = pipeline.build(paths, diagnostics, options) is not None
    ok = ok and not (args.strict and diagnostics.warnings)
    report(diagnostics, Path.cwd(), args.strict)
    if ok:
        print(f"{'checked' if args.verb == 'check' else 'built ' + str(paths.out)}: no errors", file=sys.stderr)
    return 0 if ok else 1


def _new(site: Path, words: list[str]) -> int:
    if len(words) != 2 or words[0] not in TEMPLATES:
        print("usage: python build.py new actor|deal|event|source ID", file=sys.stderr)
        return 2
    try:
        path = new_dossier(site, words[0], words[1])
    except ContentError as problem:
        print(problem.format(Path.cwd()), file=sys.stderr)
        return 1
    print(f"wrote {path}: fill in the fields, then save", file=sys.stderr)
    return 0
