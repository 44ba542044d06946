"""Edit-to-page time on a generated 10,000-dossier investigation (issue 5).

    .venv/bin/python benchmarks/serve_10k.py [--dossiers 10000] [--edits 20]

With --browser it also runs `serve` and times, in Chromium, saving the actor's YAML
until the open page has reloaded with the change.

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


def browser_round_trips(site: Path, edits: int) -> list[float]:
    """Seconds from saving the actor's YAML to the reloaded page showing it, in Chromium, through `serve`."""
    import shutil as which_tool
    import socket
    import urllib.request

    from playwright.sync_api import sync_playwright

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--site", str(site), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/actors/actor-7.html"
    actor = site / "content/actors/actor-7.yaml"
    timings = []
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(url, timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=which_tool.which("chromium"))
            page = browser.new_page(bypass_csp=True)  # lets the benchmark poll for livereload; the site is unchanged
            page.goto(url)
            page.wait_for_function(
                "window.LiveReload && LiveReload.connector && LiveReload.connector._connectionDesired"
            )
            time.sleep(1)
            for edit in range(edits):
                started = time.perf_counter()
                actor.write_text(actor.read_text().replace("summary: ", f"summary: Seen {edit}. ", 1))
                timings.append(_until_shown(page, f"Seen {edit}.", started))
                time.sleep(1.5)  # let the second reload (indexes, graph) pass before the next save
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return timings


def _until_shown(page, text: str, started: float, timeout: float = 30) -> float:
    """Seconds until the open page (reloaded by livereload) shows ``text`` in its summary."""
    while time.perf_counter() - started < timeout:
        try:
            if text in page.inner_text("p.summary", timeout=1000):
                return time.perf_counter() - started
        except Exception:  # the page is between documents while it reloads
            pass
        time.sleep(0.005)
    raise TimeoutError(f"the page never showed {text!r}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--browser", action="store_true", help="also time save → reloaded page in Chromium")
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
            finish = session.rebuild_edited({str(actor)})  # what `serve` does, given the path the event named
            to_page.append(time.perf_counter() - started)
            assert f"Edit {edit}." in page.read_text()
            finish()  # indexes, timeline, graph and related pages, reloaded a moment later
            to_all.append(time.perf_counter() - started)
        print(f"dossiers: {args.dossiers}")
        print(f"full build (python build.py): {full:.2f} s")
        results = [("save → edited page rewritten", to_page), ("save → every affected page", to_all)]
        if args.browser:
            results.append(("save → page reloaded in Chromium (serve)", browser_round_trips(site, args.edits)))
        for label, timings in results:
            print(
                f"{label}, median of {args.edits}: {statistics.median(timings) * 1000:.0f} ms "
                f"(min {min(timings) * 1000:.0f}, max {max(timings) * 1000:.0f})"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
