"""Where a build's time goes: the wall time of each stage of a real build, from clean and after one edit.

    .venv/bin/python benchmarks/profile.py [--dossiers 10000] [--seed 1]

Generates an investigation (benchmarks/generate.py), builds it from clean, then changes one actor's summary
and builds again (a partial build), each in this process with a timer around every stage function of the
pipeline and the cache. Stages overlap where the build overlaps them: Pagefind indexes in its own process
while the site is linted and its dates checked and the exports are made and written, so "waiting for the
search index" is only what is left of it then.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate  # noqa: E402

STAGES = {  # module → functions timed, in the order a build reaches them
    "casefile.output.cache": ["BuildCache.replay", "BuildCache.last_build"],
    "casefile.pipeline": [
        "load_site",
        "resolve",
        "_Plan.keepable",
        "link_files",
        "render_pages",
        "lint",
        "check_dates",
        "data_files",
        "add_files",
        "check_folder",
        "shown_to_json",
    ],
    "casefile.output.search": ["Indexing.finish"],
    "casefile.output.staleness": ["Marks.of"],
}
PAGES = "pages rendered"
NAMES = {"Indexing.finish": "waiting for the search index", "Marks.of": "marks of the investigation"}


def instrument(totals: list[dict[str, float]]) -> None:
    """Wrap every function of :data:`STAGES` so that its wall time adds up in the last of ``totals``."""
    import importlib

    for module_name, functions in STAGES.items():
        module = importlib.import_module(module_name)
        for dotted in functions:
            owner_name, _, name = dotted.rpartition(".")
            owner = getattr(module, owner_name) if owner_name else module
            original = getattr(owner, name)

            @functools.wraps(original)
            def timed(*args, __original=original, __key=dotted, **kwargs):
                if __key == "render_pages":  # a count beside the time, which a busy machine cannot skew
                    totals[-1][PAGES] += len(args[1])
                start = time.perf_counter()
                try:
                    return __original(*args, **kwargs)
                finally:
                    totals[-1][__key] += time.perf_counter() - start

            setattr(owner, name, timed)


TOTALS: list[dict[str, float]] = []  # one per build, the stage timers add to the last


def build(site: Path, out: Path) -> tuple[float, dict[str, float]]:
    """One build of ``site`` into ``out`` through the command line's own code, timed by stage."""
    from casefile.commands.cli import main

    if not TOTALS:
        instrument(TOTALS)
    TOTALS.append(defaultdict(float))
    start = time.perf_counter()
    code = main(["build", "--site", str(site), "--out", str(out)])
    if code != 0:
        raise SystemExit(f"the build of {site} failed")
    return time.perf_counter() - start, dict(TOTALS[-1])


def table(runs: dict[str, tuple[float, dict[str, float]]]) -> str:
    titles = list(runs)
    lines = ["| stage | " + " | ".join(titles) + " |", "|---|" + "---:|" * len(titles)]
    keys = [key for functions in STAGES.values() for key in functions]
    for key in keys:
        cells = [f"{runs[t][1][key]:.2f} s" if key in runs[t][1] else "—" for t in titles]
        lines.append(f"| {NAMES.get(key, key)} | " + " | ".join(cells) + " |")
    lines.append(f"| {PAGES} | " + " | ".join(f"{int(runs[t][1].get(PAGES, 0)):,}" for t in titles) + " |")
    lines.append(
        "| **whole build (in this process, imports done)** | "
        + " | ".join(f"{runs[t][0]:.2f} s" for t in titles)
        + " |"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="casefile-profile-") as temporary:
        work = Path(temporary)
        os.environ["CASEFILE_CACHE_DIR"] = str(work / "cache")
        site, out = work / "site", work / "out"
        generate(site, args.dossiers, args.seed)
        runs = {"from clean": build(site, out)}
        actor = site / "content" / "actors" / "actor-0.yaml"
        actor.write_text(actor.read_text().replace("summary: Actor number 0.", "summary: Actor number 0, edited."))
        runs["one summary changed"] = build(site, out)
    print(f"{args.dossiers:,} dossiers (benchmarks/generate.py), one process per core for the pages\n")
    print(table(runs))


if __name__ == "__main__":
    main()
