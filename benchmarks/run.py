"""Build times of generated investigations, and of Hugo and MkDocs on the same text (issue 12).

    .venv/bin/python benchmarks/run.py [--sizes 1000 10000] [--runs 3] [--peers] [--hugo PATH] [--mkdocs PATH]

Per N it prints, as a markdown table, the medians over ``--runs`` of: a cold build (no output folder, no cache),
a rebuild with nothing changed, a rebuild after one dossier changed, the peak memory of a build, the
pages written and the milliseconds per page; then what the search index adds to the cold build (a cold build
with ``--no-search`` is timed too).  Each build is ``python build.py`` in a fresh process,
so imports count, and the graph, timeline, search index and exports are all built.

With ``--peers``, Hugo and MkDocs (found on PATH, or given as ``--hugo``/``--mkdocs``) build the same
pages as plain markdown (benchmarks/peers.py) from clean in the same run, and each row shows its time
as a multiple of Hugo's.  Nothing is installed: a tool that is missing is left out.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate  # noqa: E402
from benchmarks.peers import corpus, write_hugo, write_mkdocs  # noqa: E402
from casefile.output.cache import site_folder  # noqa: E402


@dataclass(frozen=True)
class Run:
    """One finished process: its wall time and its peak resident memory."""

    seconds: float
    peak_mib: float


@dataclass(frozen=True)
class Row:
    """The medians of one tool at one size; ``warm`` and ``changed`` only for Casefile."""

    tool: str
    size: int
    cold: float
    peak_mib: float
    pages: int
    warm: float | None = None
    changed: float | None = None
    unsearched: float | None = None  # the cold build with --no-search


def timed(command: list[str], cwd: Path | None = None) -> Run:
    """Run ``command`` to completion; its own peak memory comes from ``wait4``, not from earlier children."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr.decode(errors='replace')}")
    return Run(seconds, usage.ru_maxrss / 1024)


def html_pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


def casefile(site: Path, out: Path, size: int, runs: int) -> Row:
    """Cold build (no output, no cache), rebuild with nothing changed, rebuild after one actor's summary
    changed, and a cold build without the search index (what the index adds)."""
    build = [sys.executable, str(ROOT / "build.py"), "--site", str(site), "--out", str(out)]
    dossier = site / "content" / "actors" / "actor-0.yaml"
    original = dossier.read_text()
    cold, warm, changed, unsearched = [], [], [], []
    for run in range(runs):
        for times, command in ((unsearched, [*build, "--no-search"]), (cold, build)):
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(site_folder(site.resolve()), ignore_errors=True)  # cold: nothing remembered either
            times.append(timed(command))
        warm.append(timed(build))
        dossier.write_text(original.replace("summary: Actor number 0.", f"summary: Actor number 0, edit {run}."))
        changed.append(timed(build))
    dossier.write_text(original)
    return Row("Casefile", size, *_medians(cold), html_pages(out), _median(warm), _median(changed), _median(unsearched))


def peer(tool: str, command: list[str], project: Path, out: Path, size: int, runs: int) -> Row:
    """``command`` building ``project`` into a fresh ``out``, ``runs`` times."""
    results = []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        results.append(timed(command, cwd=project))
    return Row(tool, size, *_medians(results), html_pages(out))


def peers(site: Path, work: Path, size: int, runs: int, hugo: str | None, mkdocs: str | None) -> list[Row]:
    """Hugo's and MkDocs' rows for the plain-markdown twin of ``site``, for the tools that are there."""
    pages = corpus(site)
    rows = []
    if hugo:
        write_hugo(pages, work / "hugo")
        command = [hugo, "--quiet", "--destination", str(work / "hugo-out"), "--cacheDir", str(work / "hugo-cache")]
        rows.append(peer(f"Hugo {_version(hugo)}", command, work / "hugo", work / "hugo-out", size, runs))
    if mkdocs:
        write_mkdocs(pages, work / "mkdocs")
        command = [mkdocs, "build", "--quiet", "--site-dir", str(work / "mkdocs-out")]
        rows.append(peer("MkDocs", command, work / "mkdocs", work / "mkdocs-out", size, runs))
    return rows


def _version(hugo: str) -> str:
    """``0.168`` from ``hugo version``'s ``hugo v0.168.0-…``."""
    found = re.search(r"\bv(\d+\.\d+)", subprocess.run([hugo, "version"], capture_output=True, text=True).stdout)
    return found[1] if found else ""


def _median(runs: list[Run]) -> float:
    return statistics.median(run.seconds for run in runs)


def _medians(runs: list[Run]) -> tuple[float, float]:
    return _median(runs), statistics.median(run.peak_mib for run in runs)


def table(rows: list[Row]) -> str:
    """The rows as a markdown table; times of every tool as a multiple of Hugo's at the same size."""
    hugo = {row.size: row.cold for row in rows if row.tool.startswith("Hugo")}
    lines = [
        "| N | tool | cold build | × Hugo | nothing changed | one dossier changed | peak memory | pages | ms/page |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        ratio = f"{row.cold / hugo[row.size]:.1f}×" if row.size in hugo else "—"
        lines.append(
            f"| {row.size:,} | {row.tool} | {row.cold:.2f} s | {ratio} | {_seconds(row.warm)} "
            f"| {_seconds(row.changed)} | {row.peak_mib:.0f} MiB | {row.pages:,} | {1000 * row.cold / row.pages:.2f} |"
        )
    return "\n".join(lines)


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s"


def growth(rows: list[Row]) -> str:
    """How Casefile's cold build grows from the smallest to the largest size (10 would be linear)."""
    ours = sorted((row for row in rows if row.tool == "Casefile"), key=lambda row: row.size)
    if len(ours) < 2:
        return ""
    small, large = ours[0], ours[-1]
    return f"Casefile cold build, {large.size:,} vs {small.size:,} dossiers: {large.cold / small.cold:.1f}× the time"


def search_share(rows: list[Row]) -> str:
    """What the search index adds to Casefile's cold build at each size (issue 14 allows 25 %)."""
    return "\n".join(
        f"Search index at {row.size:,}: adds {row.cold - row.unsearched:.2f} s to the cold build, "
        f"{100 * (row.cold - row.unsearched) / row.unsearched:.0f} % of the {row.unsearched:.2f} s without it"
        for row in rows
        if row.unsearched is not None
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000], help="dossiers per investigation")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; the median is shown")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--peers", action="store_true", help="also time Hugo and MkDocs on the same text")
    parser.add_argument("--hugo", default=shutil.which("hugo"), help="the hugo command (default: from PATH)")
    parser.add_argument("--mkdocs", default=shutil.which("mkdocs"), help="the mkdocs command (default: from PATH)")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="casefile-bench-") as temporary:
        for size in args.sizes:
            work = Path(temporary) / str(size)
            generate(work / "site", size, args.seed)
            rows.append(casefile(work / "site", work / "out", size, args.runs))
            if args.peers:
                rows.extend(peers(work / "site", work, size, args.runs, args.hugo, args.mkdocs))
            shutil.rmtree(work)
    print(table(rows))
    print(growth(rows))
    print(search_share(rows))


if __name__ == "__main__":
    main()
