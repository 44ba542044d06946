"""What a reader's first search costs on built sites: issue 28 asked what an index in shards, merged in the
browser, would cost per query (the experiment is on the branch ``experiment/search-shards``; see the
developer chapter's "Performance").

    .venv/bin/python benchmarks/search_cost.py OUTPUT [OUTPUT ...] [--queries WORD ...] [--runs 5]

Each OUTPUT (a built site) is served by ``python -m http.server`` on 127.0.0.1 and opened in Debian's Chromium,
a fresh browser context each run (nothing cached, as for a first-time reader): ``search.html?q=WORD``, timed
from the start of navigation until the results are listed, with the number of requests and the bytes they
brought (the search page's own and the index's). With the network slowed to a 3G phone's (``--slow``: 1.6 Mbit/s
down, 150 ms latency, through Chromium's DevTools protocol) the timing says what extra requests cost a reader.
The table gives medians over ``--runs``; every run of a query must list the same results, or the script fails.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import RESOLVER_RULES, static_server  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

SLOW = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 0.75e6 / 8}
LISTED = ".search-results li a, .search-status:text-is('Nothing found.')"


@dataclass(frozen=True)
class Measure:
    seconds: float
    requests: int
    kilobytes: float
    results: tuple[str, ...]


def measure(browser, url: str, slow: bool) -> Measure:  # noqa: ANN001  (Playwright's Browser)
    context = browser.new_context()
    page = context.new_page()
    if slow:
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.emulateNetworkConditions", SLOW)
    sizes: list[int] = []
    page.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"]))
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(LISTED, timeout=120_000)
    seconds = time.perf_counter() - started
    results = tuple(page.eval_on_selector_all(".search-results li a", "links => links.map(a => a.href)"))
    context.close()
    return Measure(seconds, len(sizes), sum(sizes) / 1024, results)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("outputs", nargs="+", type=Path)
    parser.add_argument("--queries", nargs="+", default=["actor", "number 5", "zzzz"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--slow", action="store_true", help="a phone's network, not the loopback's")
    args = parser.parse_args(argv)
    print("| site | shards | query | results | time to results | requests | KiB |")
    print("|---|---:|---|---:|---:|---:|---:|")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=[RESOLVER_RULES])
        for output in args.outputs:
            manifest = output / "pagefind" / "shards.json"
            shards = json.loads(manifest.read_text("utf-8"))["count"] if manifest.is_file() else 1
            with static_server(output) as base:
                for query in args.queries:
                    url = f"{base}search.html?q={quote(query)}"
                    runs = [measure(browser, url, args.slow) for _ in range(args.runs)]
                    if len({run.results for run in runs}) != 1:
                        raise SystemExit(f"{output}: '{query}' listed different results from run to run")
                    median = statistics.median
                    print(
                        f"| {output.name} | {shards} | {query} | {len(runs[0].results)} | "
                        f"{median(r.seconds for r in runs):.2f} s | {median(r.requests for r in runs):.0f} | "
                        f"{median(r.kilobytes for r in runs):.0f} |"
                    )
        browser.close()


if __name__ == "__main__":
    main()
