"""Edit-to-page time on a generated 10,000-dossier investigation (benchmarks/generate.py), issues 5 and 9.

    .venv/bin/python benchmarks/serve_10k.py [--dossiers 10000] [--edits 20]

With --browser it also runs a real `serve` and times, in Debian's chromium with its default settings
(the site's CSP in force, nothing bypassed), saving an actor's YAML until the open page has reloaded
itself with the change (the reloaded page's load event). Each save waits until the server has rewritten
every page the previous one affected: a save while it still is waits for that first.

Prints the full build's time (``python build.py``, a fresh process) and the
median time from saving one actor's YAML to its page being rewritten by the dev
server's incremental rebuild (the same code ``serve`` runs, without the HTTP part),
and to every affected page (indexes, timeline, graph) being rewritten.
"""

from __future__ import annotations

import argparse
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate  # noqa: E402
from casefile.dev.incremental import Session  # noqa: E402
from casefile.pipeline import SitePaths  # noqa: E402

CONNECTED = "!!window.LiveReload && window.LiveReload.connector.protocol >= 7"  # the page's reload socket is open
LOADED = "performance.getEntriesByType('navigation')[0].loadEventEnd"  # the reloaded page's load event, done


def browser_round_trips(site: Path, edits: int) -> list[float]:
    """Seconds from saving the actor's YAML to the open page having reloaded itself with the change: a
    real `serve` process and Debian's chromium with its defaults, the site's CSP in force."""
    import socket
    import urllib.request

    from playwright.sync_api import sync_playwright

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--site", str(site), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    rebuilt = queue.Queue()  # serve prints "rebuilt: …" once every page an edit affects is rewritten

    def read() -> None:
        for line in server.stderr:
            if line.startswith("rebuilt:"):
                rebuilt.put(line)

    threading.Thread(target=read, daemon=True).start()
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
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"))
            page = browser.new_page()
            page.goto(url)
            for edit in range(edits):
                _mark(page)
                saved = time.time()
                actor.write_text(actor.read_text().replace("summary: ", f"summary: Seen {edit}. ", 1))
                page.wait_for_function(
                    f"() => window.__beforeSave === undefined && document.querySelector('p.summary')"
                    f".textContent.includes('Seen {edit}.') && {LOADED} > 0",
                    polling=5,
                    timeout=30_000,
                )
                timings.append(page.evaluate(f"performance.timeOrigin + {LOADED}") / 1000 - saved)
                rebuilt.get(timeout=120)  # the next save once the server is done with this one (and its reload)
                time.sleep(1)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=120)  # it finishes the search index of the last edit first
    return timings


def _mark(page) -> None:
    """Mark the open page once it is connected and settled (a late second reload may still be landing)."""
    from playwright.sync_api import Error

    for _ in range(100):
        try:
            page.wait_for_function(f"() => {CONNECTED}")
            page.evaluate("window.__beforeSave = true")
            return
        except Error:
            time.sleep(0.1)
    raise TimeoutError("the page never settled")


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
