"""What each further language costs a build (issue 30): one investigation built in one, two and three editions.

    .venv/bin/python benchmarks/editions.py [--sizes 1000 10000] [--runs 3]

``generate.py``'s rich corpus of N dossiers, written once per size, is copied three times with ``languages:``
of ``[en]``, ``[en, ru]`` and ``[en, ru, my]`` in its site.yaml; nothing is translated, so the further
editions show every text as an untranslated original, which renders the same pages as a translation would.
Each copy is built from clean (``python build.py``, no output, no cache), in interleaved rounds as
``run.py`` does; the table shows the medians, the pages written and what each edition adds to one edition's time.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate  # noqa: E402
from benchmarks.run import Build, Row, measure  # noqa: E402
from casefile.output.cache import site_folder  # noqa: E402

LANGUAGES = (["en"], ["en", "ru"], ["en", "ru", "my"])


def editions(site: Path, work: Path) -> list[Build]:
    """A copy of ``site`` per list of LANGUAGES, each with its build from clean."""
    builds = []
    for languages in LANGUAGES:
        copy = work / "-".join(languages)
        shutil.copytree(site, copy)
        with (copy / "site.yaml").open("a") as config:
            config.write(f"languages: [{', '.join(languages)}]\n")
        out = work / f"{copy.name}-out"
        command = (sys.executable, str(ROOT / "build.py"), "--site", str(copy), "--out", str(out))
        builds.append(Build(", ".join(languages), (command,), out, (out, site_folder(copy.resolve()))))
    return builds


def table(rows: list[Row]) -> str:
    """Medians by number of editions, and what each edition beyond the first adds."""
    lines = [
        "| dossiers | languages | full build | per further edition | pages | peak memory |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        one = next(r for r in rows if r.size == row.size and "," not in r.tool)
        further = row.tool.count(",")
        added = f"+{(row.cold - one.cold) / further:.2f} s" if further else "—"
        lines.append(
            f"| {row.size:,} | {row.tool} | {row.cold:.2f} s | {added} | {row.pages:,} | {row.peak_mib:,.0f} MiB |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="casefile-editions-") as temp:
        for size in args.sizes:
            work = Path(temp) / str(size)
            site = work / "site"
            generate(site, size)
            builds = editions(site, work)
            rows += measure(builds, size, args.runs)
            for build in builds:
                build.clear()
    print(table(rows))


if __name__ == "__main__":
    main()
