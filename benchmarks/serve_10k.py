"""Edit-to-page time on a generated 10,000-dossier investigation (issue 5).

    .venv/bin/python benchmarks/serve_10k.py [--dossiers 10000] [--edits 20]

Prints the full build's time (``python build.py``, a fresh process) and the
median time from saving one actor's YAML to its page being rewritten by the dev
server's incremental rebuild (the same code ``serve`` runs, without the HTTP part),
and to every affected page (indexes, timeline, graph) being rewritten.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casefile.incremental import Session  # noqa: E402
from casefile.pipeline import SitePaths  # noqa: E402


def generate(site: Path, total: int) -> None:
    """Sources, actors, deals and events in proportion 1:5:2:2, all cross-linked."""
    n_sources, n_actors = total // 10, total // 2
    n_deals = n_events = (total - n_sources - n_actors) // 2
    folders = {name: site / "content" / name for name in ("sources", "actors", "deals", "events")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    (site / "site.yaml").write_text("title: Benchmark investigation\n")
    for i in range(n_sources):
        (folders["sources"] / f"source-{i}.yaml").write_text(
            f"title: Report {i}\npublisher: Paper {i % 40}\nkind: article\ndate: 20{10 + i % 12}-0{1 + i % 9}\n"
            f"url: https://example.org/report/{i}\n"
        )
    for i in range(n_actors):
        (folders["actors"] / f"actor-{i}.yaml").write_text(
            f"name: Actor {i}\nkind: {'person' if i % 3 else 'organization'}\nsummary: Actor number {i}.\n"
            f"roles:\n  - title: Member\n    of: actor-{(i * 7 + 1) % n_actors}\n    from: 2019\n"
            f"    sources: [source-{i % n_sources}]\nsources: [source-{(i + 1) % n_sources}]\n"
        )
    for i in range(n_deals):
        (folders["deals"] / f"deal-{i}.yaml").write_text(
            f"title: Deal {i}\nkind: contract\nparties:\n  - actor: actor-{i % n_actors}\n    role: buyer\n"
            f"  - actor: actor-{(i * 13 + 5) % n_actors}\n    role: seller\nvalues:\n  - text: ${i} million\n"
            f"    sources: [source-{i % n_sources}]\ndates:\n  signed: 2020-0{1 + i % 9}\n"
            f"sources: [source-{(i + 3) % n_sources}]\n"
        )
    for i in range(n_events):
        (folders["events"] / f"event-{i}.yaml").write_text(
            f"title: Event {i}\nkind: meeting\ndate: 2021-{1 + i % 12:02d}-{1 + i % 28:02d}\nparticipants:\n"
            f"  - actor: actor-{i % n_actors}\n  - actor: actor-{(i * 11 + 3) % n_actors}\n"
            f"sources: [source-{i % n_sources}]\n"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="casefile-bench-"))
    try:
        site = work / "site"
        generate(site, args.dossiers)
        started = time.perf_counter()
        build = [sys.executable, str(ROOT / "build.py"), "--site", str(site), "--out", str(work / "full")]
        result = subprocess.run(build, capture_output=True, text=True)
        if result.returncode:
            sys.exit(f"the generated site did not build:\n{result.stderr[-3000:]}")
        full = time.perf_counter() - started
        session = Session(SitePaths(site, site / "output"))
        session.full_build()
        actor = site / "content/actors/actor-42.yaml"
        page = site / "output/actors/actor-42.html"
        to_page, to_all = [], []
        for edit in range(args.edits):
            actor.write_text(actor.read_text().replace("summary: ", f"summary: Edit {edit}. ", 1))
            started = time.perf_counter()
            finish = session.rebuild_edited()  # what `serve` does before livereload reloads the page
            to_page.append(time.perf_counter() - started)
            assert f"Edit {edit}." in page.read_text()
            finish()  # indexes, timeline, graph and related pages, reloaded a moment later
            to_all.append(time.perf_counter() - started)
        print(f"dossiers: {args.dossiers}")
        print(f"full build (python build.py): {full:.2f} s")
        for label, timings in (("save → edited page rewritten", to_page), ("save → every affected page", to_all)):
            print(
                f"{label}, median of {args.edits}: {statistics.median(timings) * 1000:.0f} ms "
                f"(min {min(timings) * 1000:.0f}, max {max(timings) * 1000:.0f})"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
