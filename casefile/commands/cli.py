"""The verbs journalists type: ``build`` (default), ``check``, ``serve``, ``new``, ``init``, ``schema``,
``archive``, ``review`` and ``guide``."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from casefile import __version__
from casefile.diagnostics import ContentError, Diagnostics, report
from casefile.interrupt import Interrupted, held, stop_on_signals
from casefile.output.cache import BuildCache
from casefile.output.outdir import check_default_out, check_out, output_lock
from casefile.settings import Options, SitePaths

if TYPE_CHECKING:
    from casefile.commands.newsite import Origin

# The heavy modules (pipeline, config, scaffold, newsite, serve) are imported where they are used, with Ctrl-C and
# SIGTERM held (:func:`importing`): one that lands while a C extension loads (pydantic-core importing datetime's C
# API) makes it panic, a traceback instead of one line. A rebuild
# with nothing to do must not wait for Jinja, pydantic and networkx to load.


def _base_url(text: str) -> str:
    from casefile.content.config import parse_base_url

    try:
        return parse_base_url(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{exc} (e.g. --base-url https://org.github.io/casefile/)") from None


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes, 1 or more, but got '{text}'")
    return int(text)


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Build a Casefile investigation site.")
    parser.add_argument("--version", action="version", version=f"casefile {__version__}")
    parser.add_argument(
        "verb",
        nargs="?",
        default="build",
        choices=["build", "check", "serve", "new", "init", "schema", "archive", "review", "guide"],
        help="build (default): write the site; check: validate only; serve: rebuild on save and reload the "
        "browser; new TYPE ID: start a dossier; init DIR: start a new investigation; schema: write the editor "
        "schemas into SITE/schemas; archive: list the sources without an archived copy, with a link that saves one; "
        "review ID --by NAME: record that NAME, of site.yaml's staff, signed the dossier ID off as it stands; "
        "guide: build the guide to Casefile into your cache folder (or --out) and say where it is",
    )
    parser.add_argument(
        "args", nargs="*", help="new: actor|deal|event|source|page and the id; init: the new folder; review: the id"
    )
    parser.add_argument(
        "--by", default=None, help="review: who signs the dossier off, as site.yaml's staff: names them"
    )
    parser.add_argument("--host", default="127.0.0.1", help="serve: address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="serve: port (default 8000)")
    parser.add_argument("--site", type=Path, default=Path("."), help="the investigation folder (default: .)")
    parser.add_argument("--out", type=Path, default=None, help="where to write the site (default: SITE/output)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument(
        "--report",
        action="store_true",
        help="check: also print, for the editor, the facts resting on one origin or only on state media, the "
        "sources without an archived copy, the dossiers with the weakest sourcing and what is left before "
        "publication (requests for comment, sign-offs)",
    )
    parser.add_argument(
        "--quotes",
        action="store_true",
        help="also check every quotation against the stored text of the report it cites (content/sources/ID.txt); "
        "--strict does too",
    )
    parser.add_argument(
        "--base-url", type=_base_url, default=None, help="the site's public address (overrides site.yaml's base_url)"
    )
    parser.add_argument("--drafts", action="store_true", help="include the dossiers marked draft: true")
    parser.add_argument(
        "--no-search",
        action="store_true",
        help="leave out the search index: a quicker build to look at the pages (the search page then says so)",
    )
    parser.add_argument(
        "--check-external", action="store_true", help="also fetch every outbound link and report the dead ones"
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="build everything, ignoring what the last build left in the cache folder (outside the investigation)",
    )
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default=os.cpu_count() or 1,
        help="processes that render pages (default: one per core; 1 renders in one process)",
    )
    return parser


def main(argv: list[str] | None = None, prog: str = "casefile") -> int:
    stop_on_signals()
    args = _parser(prog).parse_args(argv)
    site = args.site.resolve()
    paths = SitePaths(site, (args.out or site / "output").resolve())
    options = Options(
        strict=args.strict,
        base_url=args.base_url,
        check_external=args.check_external,
        drafts=args.drafts,
        jobs=args.jobs,
        search=not args.no_search,
        quotes=args.quotes or args.strict,
    )
    if args.verb == "new":
        return _new(site, args.args, prog)
    if args.verb == "init":
        return _init(args.args, prog)
    if args.verb == "schema":
        return _schema(site)
    if args.verb == "archive":
        return _archive(site)
    if args.verb == "review":
        return _review(site, args.args, args.by, prog)
    if args.verb == "guide":
        from casefile.commands.guide import guide_paths

        paths = guide_paths(args.out)
    try:
        status = _run(args.verb, paths, options, args)
    except Interrupted as stop:
        out = _shown(paths.out)
        return stop.report(f"{out} holds the new site" if stop.replaced else f"the previous site in {out} is unchanged")
    if args.verb == "guide" and status == 0:
        print(f"open the guide in a browser: {(paths.out / 'index.html').as_uri()}", file=sys.stderr)
    return status


def importing() -> contextlib.AbstractContextManager:
    """Around an import of the heavy libraries: a stop that comes meanwhile is raised once they are loaded."""
    return held(replaced=False)


def _run(verb: str, paths: SitePaths, options: Options, args: argparse.Namespace) -> int:
    """Check, build or serve; the output folder is checked and locked before anything is written."""
    diagnostics = Diagnostics()
    uncached = args.no_cache or options.check_external or verb == "serve" or args.report
    cache = None if uncached else BuildCache(paths, options)
    try:
        if verb == "check":
            ok = _check(paths, options, diagnostics, cache, args.report)
        else:
            if args.out is None:
                check_default_out(paths.site)
            check_out(paths.out, paths.site, [paths.site / "content", *paths.templates, *paths.static])
            with output_lock(paths.out, verb):
                if verb == "serve":
                    with importing():
                        from casefile.dev.incremental import Session
                        from casefile.dev.serve import serve

                    return serve(Session(paths, jobs=options.jobs, remember=not args.no_cache), args.host, args.port)
                ok = _build(paths, options, diagnostics, cache)
    except ContentError as problem:  # the output folder refused, taken, or not writable
        diagnostics.add(problem)
        ok = False
    ok = ok and not (options.strict and diagnostics.warnings)
    report(diagnostics, Path.cwd(), options.strict)
    if ok:
        print(f"{'checked' if verb == 'check' else 'built ' + str(paths.out)}: no errors", file=sys.stderr)
    return 0 if ok else 1


def _check(
    paths: SitePaths, options: Options, diagnostics: Diagnostics, cache: BuildCache | None, report: bool = False
) -> bool:
    """Validate, or replay the warnings of the last build when nothing it read has changed; with ``report``,
    print the editor's sourcing report of a valid investigation."""
    if cache is not None and cache.replayed(diagnostics, with_output=False):
        return True
    with importing():
        from casefile import pipeline

    site = pipeline.check(paths, diagnostics, options)
    if site is not None and report:
        from casefile.investigation.sourcing_report import sourcing_report

        print(sourcing_report(site.investigation, Path.cwd()), end="")
    return site is not None


def _build(paths: SitePaths, options: Options, diagnostics: Diagnostics, cache: BuildCache | None) -> bool:
    """Build, unless the last build read the same files and its output is untouched (only the pages a change
    affects, when it changed only dossiers); remember this one."""
    if cache is not None and cache.replayed(diagnostics):
        return True
    with importing():
        from casefile import pipeline

    if cache is None:
        return pipeline.build(paths, diagnostics, options) is not None
    return pipeline.remembered_build(paths, diagnostics, options, cache)


def _shown(folder: Path) -> str:
    """``folder`` as the journalist typed it: relative to the current folder where it can be."""
    try:
        return f"{folder.relative_to(Path.cwd()).as_posix()}/"
    except ValueError:
        return f"{folder}/"


def _new(site: Path, words: list[str], prog: str) -> int:
    with importing():
        from casefile.commands.scaffold import TEMPLATES, new_dossier

    if len(words) != 2 or words[0] not in TEMPLATES:
        print(f"usage: {prog} new {'|'.join(TEMPLATES)} ID", file=sys.stderr)
        return 2
    try:
        path = new_dossier(site, words[0], words[1])
    except ContentError as problem:
        print(problem.format(Path.cwd()), file=sys.stderr)
        return 1
    print(f"wrote {_shown(path.parent)}{path.name}: fill in the fields, then save", file=sys.stderr)
    if words[0] != "page":  # a page is its markdown already
        story = path.with_suffix(".md")
        print(f"  its text, with footnotes ([@source-id]), goes in {_shown(story.parent)}{story.name}", file=sys.stderr)
    return 0


def _init(words: list[str], prog: str) -> int:
    with importing():
        from casefile.commands.newsite import WORKFLOW, init_site

    if len(words) != 1:
        print(f"usage: {prog} init DIR  (a new folder for the investigation)", file=sys.stderr)
        return 2
    folder = Path(words[0])
    try:
        origin = init_site(folder)
    except ContentError as problem:
        print(problem.format(Path.cwd()), file=sys.stderr)
        return 1
    shown = _shown(folder.resolve())
    print(f"started a new investigation in {shown}; preview it with: {prog} serve --site {shown}", file=sys.stderr)
    if note := _publishing_note(origin, f"{shown}{WORKFLOW}"):
        print(note, file=sys.stderr)
    return 0


def _publishing_note(origin: Origin, workflow: str) -> str | None:
    """One line on what the new site's workflow installs, unless it is simply the release this Casefile is."""
    if origin.copy is None:
        if origin.git is None:
            return None
        return (
            f"publishing installs Casefile from {origin.git} at commit {(origin.commit or '')[:12]}, as this one was "
            f"installed (CASEFILE: in {workflow})"
        )
    note = f"publishing installs {origin.requirement} from PyPI, the release of this version, not the copy in "
    note += origin.copy
    if origin.git is None:
        return (
            f"{note}; to publish with a copy of your own, set CASEFILE: in {workflow} to its Git address, as the "
            "comment there shows"
        )
    push = "" if origin.pushed else " push it, then"
    return f"{note}; to publish with its commit instead,{push} set CASEFILE: in {workflow} to {origin.at_commit}"


def _schema(site: Path) -> int:
    with importing():
        from casefile.content.schema import write_schemas

    try:
        written = write_schemas(site)
    except ContentError as problem:
        print(problem.format(Path.cwd()), file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {_shown(path.parent)}{path.name}", file=sys.stderr)
    return 0


def _archive(site: Path) -> int:
    """The sources to archive, at the line to edit; 1 only when the content cannot be read."""
    with importing():
        from casefile.content.loader import load_site
        from casefile.investigation.archiving import ArchiveReport
        from casefile.investigation.resolve import resolve

    diagnostics = Diagnostics()
    investigation = resolve(load_site(site, diagnostics), diagnostics)
    if investigation is None:
        report(diagnostics, Path.cwd(), strict=False)
        return 1
    print(ArchiveReport(investigation.sources, Path.cwd()).text(), end="")
    return 0


def _review(site: Path, words: list[str], by: str | None, prog: str) -> int:
    """Record a sign-off in the dossier's file; 1 with every reason when it cannot be."""
    if len(words) != 1 or not (by or "").strip():
        print(f"usage: {prog} review ID --by NAME  (NAME as site.yaml's staff: lists it)", file=sys.stderr)
        return 2
    with importing():
        from datetime import date

        from casefile.commands.review import sign_off

    signed, problems = sign_off(site, words[0], (by or "").strip(), date.today())
    if signed is None:
        report(Diagnostics(problems), Path.cwd(), strict=False)
        return 1
    where = f"{_shown(signed.path.parent)}{signed.path.name}"
    if signed.written:
        print(f"signed off {where}: reviewed by {signed.by} on {signed.on} (digest {signed.digest})", file=sys.stderr)
    else:
        print(f"{where} is signed off by {signed.by} on {signed.on} as it stands: nothing to add", file=sys.stderr)
    return 0
