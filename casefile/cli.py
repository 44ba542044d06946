"""The verbs journalists type: ``build`` (default) and ``check``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import ContentError, Diagnostics, report
from .interrupt import Interrupted, stop_on_signals
from .outdir import check_out, output_lock

if TYPE_CHECKING:
    from . import pipeline


def _base_url(text: str) -> str:
    from .config import parse_base_url

    try:
        return parse_base_url(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{exc} (e.g. --base-url https://org.github.io/casefile/)") from None


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes, 1 or more, but got '{text}'")
    return int(text)


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
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default=os.cpu_count() or 1,
        help="processes that render pages (default: one per core; 1 renders in one process)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    stop_on_signals()
    args = _parser().parse_args(argv)
    site = args.site.resolve()
    if args.verb == "new":
        return _new(site, args.args)
    out = (args.out or site / "output").resolve()
    try:
        from . import pipeline  # the build's libraries load here (Ctrl-C too): --help and new stay quick

        paths = pipeline.SitePaths(site, out)
        options = pipeline.Options(
            strict=args.strict, base_url=args.base_url, check_external=args.check_external, jobs=args.jobs
        )
        return _run(args.verb, paths, options, args)
    except Interrupted as stop:
        shown = _shown(out)
        return stop.report(
            f"{shown} holds the new site" if stop.replaced else f"the previous site in {shown} is unchanged"
        )


def _run(verb: str, paths: pipeline.SitePaths, options: pipeline.Options, args: argparse.Namespace) -> int:
    """Check, build or serve; the output folder is checked and locked before anything is written."""
    from . import pipeline

    diagnostics = Diagnostics()
    try:
        if verb == "check":
            ok = pipeline.check(paths, diagnostics, options) is not None
        else:
            check_out(paths.out, paths.site, [paths.site / "content", *paths.templates, *paths.static])
            with output_lock(paths.out, verb):
                if verb == "serve":
                    from .incremental import Session
                    from .serve import serve

                    return serve(Session(paths), args.host, args.port)
                ok = pipeline.build(paths, diagnostics, options) is not None
    except ContentError as problem:  # the output folder refused, taken, or not writable
        diagnostics.add(problem)
        ok = False
    ok = ok and not (options.strict and diagnostics.warnings)
    report(diagnostics, Path.cwd(), options.strict)
    if ok:
        print(f"{'checked' if verb == 'check' else 'built ' + str(paths.out)}: no errors", file=sys.stderr)
    return 0 if ok else 1


def _shown(folder: Path) -> str:
    """``folder`` as the journalist typed it: relative to the current folder where it can be."""
    try:
        return f"{folder.relative_to(Path.cwd()).as_posix()}/"
    except ValueError:
        return f"{folder}/"


def _new(site: Path, words: list[str]) -> int:
    from .scaffold import TEMPLATES, new_dossier

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
