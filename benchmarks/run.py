"""Build times of Casefile on generated investigations, and of its peers on the same pages (issues 12 and 28).

    .venv/bin/python benchmarks/run.py [--sizes 1000 10000] [--runs 3] [--peers]
        [--hugo PATH] [--mkdocs PATH] [--pelican PATH] [--eleventy PATH]

Casefile's own corpus is ``generate.py``'s rich shape of N dossiers.  Casefile builds it from clean (no output
folder, no cache) with and without the search index (``--no-search``); after the full build come a rebuild
with nothing changed, one after an actor's YAML summary changed and one after that actor's narrative changed.
Each build is ``python build.py`` in a fresh process, so imports count.

With ``--peers``, the plain corpus too (``--shape plain``: N actors, each with a ~400-word narrative holding 3
links and 2 citations, and N/10 sources).  Casefile builds it as above, and each peer found (on PATH, or
given) builds the same pages from clean as plain markdown in its own layout (benchmarks/peers.py): Hugo,
Hugo then Pagefind over Hugo's output (timed as one: the two processes' times added), MkDocs, Pelican and
Eleventy.  Nothing is installed: a tool that is missing is left out, and a target against it is "not
measured".  Eleventy's ``markdown-it-footnote`` must sit in the ``node_modules`` beside it.

The builds of a corpus are measured in interleaved rounds: each round runs every build once, in an order
turned by one place each round, so that no tool always goes first.  A table per corpus shows the medians
over ``--runs`` rounds; under it, each of issue 28's targets with the figure measured, met or not met.

"Peak memory" is the largest single process, not a sum: ``wait4``'s ``ru_maxrss`` for the build, which is the
largest of the build's own process and each descendant it waited for (Casefile's render workers, and the
Pagefind it starts, often the largest); for Hugo + Pagefind, the larger of the two.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pagefind_bin import get_executable  # noqa: E402  the Pagefind that Casefile runs (casefile/output/search.py)

from benchmarks.generate import Shape, generate  # noqa: E402
from benchmarks.peers import HUGO, MKDOCS, PELICAN, corpus, eleventy, write  # noqa: E402
from casefile import __version__  # noqa: E402
from casefile.output.cache import site_folder  # noqa: E402

CASEFILE, UNSEARCHED = "Casefile", "Casefile --no-search"
HUGO_ALONE, HUGO_PAGEFIND = "Hugo", "Hugo + Pagefind"
MIB = 1024
TRASH = Path(tempfile.gettempdir()) / f"casefile-bench-trash-{os.getpid()}"  # what the runs wrote, kept to the end


@dataclass(frozen=True)
class Run:
    """One finished build: its wall time and the peak resident memory of its largest process."""

    seconds: float
    peak_mib: float

    def then(self, other: Run) -> Run:
        """This run followed by ``other``, as one: the times add, the peak is the larger."""
        return Run(self.seconds + other.seconds, max(self.peak_mib, other.peak_mib))


@dataclass(frozen=True)
class Edit:
    """What a rebuild follows: nothing changed, or a sentence put into ``path`` after the first ``at`` (the
    empty string: at the start); and issue 28's limit for the rebuild's time."""

    name: str
    limit: float
    path: Path | None = None
    at: str = ""

    def make(self, round_: int) -> None:
        if self.path is not None:
            text = self.path.read_text()
            self.path.write_text(text.replace(self.at, f"{self.at}Edited in round {round_}. ", 1))


def edits(site: Path) -> tuple[Edit, ...]:
    """The rebuilds after Casefile's full build of ``site``, in order, on the same actor in either corpus."""
    actor = site / "content" / "actors" / "actor-0"
    return (
        Edit("nothing changed", 0.5),
        Edit("one summary changed", 2.0, actor.with_suffix(".yaml"), "summary: "),
        Edit("one narrative changed", 2.0, actor.with_suffix(".md")),
    )


@dataclass(frozen=True)
class Build:
    """A tool building a corpus from clean (``clean`` removed first): ``commands`` one after the other, timed as
    one, in ``cwd``; then a rebuild after each of ``edits``, all in the same turn of a round."""

    tool: str
    commands: tuple[tuple[str, ...], ...]
    out: Path
    clean: tuple[Path, ...]
    cwd: Path | None = None
    edits: tuple[Edit, ...] = ()

    def turn(self, round_: int) -> list[Run]:
        """The build from clean, then each rebuild."""
        self.clear()
        runs = [self.run()]
        for edit in self.edits:
            edit.make(round_)
            runs.append(self.run())
        return runs

    def clear(self) -> None:
        """Take away what the build wrote and remembered: moved aside, deleted once every round is over."""
        for folder in self.clean:
            aside(folder)

    def run(self) -> Run:
        return functools.reduce(Run.then, (timed(command, self.cwd) for command in self.commands))


def aside(folder: Path) -> None:
    """``folder`` moved out of the way, into a folder deleted when the benchmark ends. Deleting thousands of files
    just before a timed build would charge it for the harness's work: on an ext4 file system without a journal
    (the development machine's) creating a file then costs a look at every inode freed in the last minute or so
    (the kernel's ``recently_deleted``), which took a quarter of Pagefind's samples in ``perf`` after its output
    had been deleted."""
    if not folder.exists():
        return
    TRASH.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(folder, TRASH / f"{len(os.listdir(TRASH))}-{folder.name}")
    except OSError:  # another file system (a cache folder elsewhere): deleted now
        shutil.rmtree(folder, ignore_errors=True)


def timed(command: tuple[str, ...], cwd: Path | None = None) -> Run:
    """Run ``command`` to completion; its peak memory comes from ``wait4`` for this process alone, so no
    earlier build counts, and it is the largest of the process and its waited-for descendants."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr.decode(errors='replace')}")
    return Run(seconds, usage.ru_maxrss / 1024)


@dataclass(frozen=True)
class Row:
    """The medians of one build at one size: from clean, each rebuild (in the order of its edits), the peak
    memory of the build from clean, and the HTML pages written."""

    tool: str
    size: int
    cold: float
    peak_mib: float
    pages: int
    edits: tuple[Edit, ...] = ()
    rebuilds: tuple[float, ...] = ()

    @classmethod
    def of(cls, build: Build, size: int, turns: list[list[Run]]) -> Row:
        seconds = [statistics.median(turn[step].seconds for turn in turns) for step in range(len(turns[0]))]
        peak = statistics.median(turn[0].peak_mib for turn in turns)
        pages = sum(1 for _ in build.out.rglob("*.html"))
        return cls(build.tool, size, seconds[0], peak, pages, build.edits, tuple(seconds[1:]))


def measure(builds: list[Build], size: int, runs: int) -> list[Row]:
    """``runs`` rounds of every build, each round starting one build further on; each build's medians."""
    turns: list[list[list[Run]]] = [[] for _ in builds]
    for round_ in range(runs):
        start = round_ % len(builds)
        for index in [*range(start, len(builds)), *range(start)]:
            turns[index].append(builds[index].turn(round_))
    return [Row.of(build, size, taken) for build, taken in zip(builds, turns, strict=True)]


def casefile(site: Path, work: Path) -> list[Build]:
    """Casefile's full build of ``site`` with its rebuilds, and its build without the search index."""
    cache = site_folder(site.resolve())  # from clean: nothing remembered either
    command = (sys.executable, str(ROOT / "build.py"), "--site", str(site), "--out")
    full, bare = work / "casefile-out", work / "casefile-bare-out"
    return [
        Build(CASEFILE, ((*command, str(full)),), full, (full, cache), edits=edits(site)),
        Build(UNSEARCHED, ((*command, str(bare), "--no-search"),), bare, (bare, cache)),
    ]


def peers(site: Path, work: Path, args: argparse.Namespace) -> tuple[list[Build], list[str]]:
    """The builds of the peers found, on the plain-markdown twin of ``site``, and the versions: Casefile's and
    theirs."""
    pages = corpus(site)
    builds, versions = [], [f"Casefile {__version__}"]
    if args.hugo:
        write(HUGO, pages, work / "hugo")
        cache = work / "hugo-cache"
        for tool in (HUGO_ALONE, HUGO_PAGEFIND):
            out = work / f"{tool}-out"
            hugo = (args.hugo, "--quiet", "--destination", str(out), "--cacheDir", str(cache))
            pagefind = (str(get_executable()), "--site", str(out), "--silent")
            commands = (hugo, pagefind) if tool == HUGO_PAGEFIND else (hugo,)
            builds.append(Build(tool, commands, out, (out, cache), cwd=work / "hugo"))
        versions += [f"Hugo {_version(args.hugo, 'version')}", f"Pagefind {_version(str(get_executable()))}"]
    eleventy_layout = eleventy(_node_modules(args.eleventy)) if args.eleventy else None
    for tool, command, layout, argv in (
        ("MkDocs", args.mkdocs, MKDOCS, ("build", "--quiet", "--site-dir")),
        ("Pelican", args.pelican, PELICAN, ("content", "--settings", "pelicanconf.py", "--quiet", "--output")),
        ("Eleventy", args.eleventy, eleventy_layout, ("--quiet", "--output")),
    ):
        if command:
            write(layout, pages, work / tool)
            out = work / f"{tool}-out"
            builds.append(Build(tool, ((command, *argv, str(out)),), out, (out,), cwd=work / tool))
            versions.append(f"{tool} {_version(command)}")
    return builds, versions


def _node_modules(command: str) -> Path:
    """The ``node_modules`` folder Eleventy was installed in, where ``markdown-it-footnote`` was installed too:
    the command is a link to ``node_modules/@11ty/eleventy/cmd.cjs``."""
    return Path(command).resolve().parents[2]


def _version(command: str, flag: str = "--version") -> str:
    """``0.168.0`` from ``hugo version``'s ``hugo v0.168.0-…``, and so on."""
    result = subprocess.run([command, flag], capture_output=True, text=True)
    found = re.search(r"\d+\.\d+(\.\d+)?", result.stdout + result.stderr)
    return found[0] if found else "(version unknown)"


@dataclass(frozen=True)
class Target:
    """One of issue 28's targets: a figure measured (None: not measured here) that must not exceed ``limit``."""

    what: str
    figure: float | None
    limit: float
    unit: str  # "×", " s" or " MiB"

    def line(self) -> str:
        digits = 0 if self.unit == " MiB" else 2
        target = f"target ≤ {self.limit:g}{self.unit}"
        if self.figure is None:
            return f"{self.what}: not measured ({target})"
        verdict = "met" if self.figure <= self.limit else "not met"
        return f"{self.what}: {self.figure:.{digits}f}{self.unit} ({target}): {verdict}"


def targets(rows: list[Row], against_peers: bool) -> list[Target]:
    """Issue 28's targets at each size of one corpus's ``rows``: against the peers (``against_peers``; not
    measured where a peer is missing), Casefile's rebuilds and memory, and how its full build grows from the
    smallest size to the largest."""
    found = []
    sizes = sorted({row.size for row in rows})
    for size in sizes:
        tool = {row.tool: row for row in rows if row.size == size}
        ours, bare, at = tool[CASEFILE], tool[UNSEARCHED], f"at {size:,}"
        if against_peers:
            found += [
                Target(f"full build ÷ Hugo + Pagefind {at}", _ratio(ours, tool.get(HUGO_PAGEFIND)), 1.0, "×"),
                Target(f"--no-search build ÷ Hugo {at}", _ratio(bare, tool.get(HUGO_ALONE)), 2.0, "×"),
                Target(f"full build ÷ MkDocs {at} (twice as fast)", _ratio(ours, tool.get("MkDocs")), 0.5, "×"),
            ]
        found += [
            Target(f"rebuild, {edit.name} {at}", seconds, edit.limit, " s")
            for edit, seconds in zip(ours.edits, ours.rebuilds, strict=True)
        ]
        found.append(Target(f"peak memory {at}", max(ours.peak_mib, bare.peak_mib), MIB, " MiB"))
    if len(sizes) > 1:
        small, large = (next(r for r in rows if r.tool == CASEFILE and r.size == s) for s in (sizes[0], sizes[-1]))
        what = f"full build at {large.size:,} ÷ at {small.size:,} (linear at most)"
        found.append(Target(what, large.cold / small.cold, large.size / small.size, "×"))
    return found


def _ratio(row: Row, other: Row | None) -> float | None:
    return None if other is None else row.cold / other.cold


def table(rows: list[Row]) -> str:
    """The rows as a markdown table; where Hugo ran, each time from clean also as a multiple of Hugo's."""
    hugo = {row.size: row.cold for row in rows if row.tool == HUGO_ALONE}
    rebuilds = next((row.edits for row in rows if row.edits), ())
    head = ["N", "tool", "from clean", *(["× Hugo"] if hugo else []), *(edit.name for edit in rebuilds)]
    head += ["peak memory", "pages", "ms/page"]
    lines = ["| " + " | ".join(head) + " |", "|---:|---|" + "---:|" * (len(head) - 2)]
    for row in rows:
        cells = [f"{row.size:,}", row.tool, _seconds(row.cold)]
        if hugo:
            cells.append(f"{row.cold / hugo[row.size]:.1f}×" if row.size in hugo else "—")
        cells += [_seconds(seconds) for seconds in row.rebuilds] or ["—"] * len(rebuilds)
        cells += [f"{row.peak_mib:.0f} MiB", f"{row.pages:,}", f"{1000 * row.cold / row.pages:.2f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _seconds(value: float) -> str:
    return f"{value:.2f} s"


def search_share(rows: list[Row]) -> list[str]:
    """What the search index adds to Casefile's build from clean at each size (issue 14 allows 25 %)."""
    found = []
    for full in (row for row in rows if row.tool == CASEFILE):
        bare = next(row for row in rows if row.tool == UNSEARCHED and row.size == full.size)
        found.append(
            f"Search index at {full.size:,}: adds {full.cold - bare.cold:.2f} s to the build from clean, "
            f"{100 * (full.cold - bare.cold) / bare.cold:.0f} % of the {bare.cold:.2f} s without it"
        )
    return found


@dataclass
class Corpus:
    """One corpus, measured at every size: its shape, whether the peers build it too, and the rows so far."""

    title: str
    shape: Shape
    with_peers: bool
    rows: list[Row] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)

    def measure(self, work: Path, size: int, args: argparse.Namespace) -> None:
        generate(work / "site", size, args.seed, shape=self.shape)
        builds = casefile(work / "site", work)
        if self.with_peers:
            found, self.versions = peers(work / "site", work, args)
            builds += found
        self.rows += measure(builds, size, args.runs)
        for build in builds:
            build.clear()
        aside(work)

    def report(self) -> str:
        versions = [f"Versions: {', '.join(self.versions)}.", ""] if self.versions else []
        lines = [f"## {self.title}", "", *versions, table(self.rows), "", *search_share(self.rows)]
        return "\n".join([*lines, *(target.line() for target in targets(self.rows, self.with_peers))])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000], help="dossiers per investigation")
    parser.add_argument("--runs", type=int, default=3, help="rounds of runs; the median is shown")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--peers", action="store_true", help="also the peers, on the plain corpus")
    for tool in ("hugo", "mkdocs", "pelican", "eleventy"):
        help_ = f"the {tool} command (default: from PATH; empty: leave {tool} out)"
        parser.add_argument(f"--{tool}", default=shutil.which(tool), help=help_)
    args = parser.parse_args(argv)
    corpora = [Corpus("Casefile's own corpus: N dossiers of every kind (generate.py)", "rich", with_peers=False)]
    if args.peers:
        title = "The peers' corpus: N actors with narratives, and N/10 sources (generate.py --shape plain)"
        corpora.insert(0, Corpus(title, "plain", with_peers=True))
    with tempfile.TemporaryDirectory(prefix="casefile-bench-") as temporary:
        try:
            for size in args.sizes:
                for measured in corpora:
                    measured.measure(Path(temporary) / f"{measured.shape}-{size}", size, args)
        finally:
            shutil.rmtree(TRASH, ignore_errors=True)
    print("\n\n".join(measured.report() for measured in corpora))


if __name__ == "__main__":
    main()
