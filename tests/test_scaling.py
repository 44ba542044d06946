"""Build time grows linearly with content, even around a hub.

Each test builds (in process: load, resolve, render, lint) a site of size N and of size 4N and
fails when the larger takes much more than four times as long: quadratic growth gives sixteen.
Timings are noisy, so a failing ratio is measured again, keeping each size's best time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from conftest import make_site

from casefile.diagnostics import Diagnostics
from casefile.pipeline import SitePaths, check

N = 1000
LIMIT = 6.0  # t(4N) / t(N): about 3-3.5 when linear (fixed costs weigh more at N), 10-13 when quadratic
TRIES = 3

SOURCE = "title: Report\npublisher: Paper\nurl: https://example.org/report\nkind: article\n"
Site = dict[str, str]


def event_with_participants(n: int) -> Site:
    files = {"site.yaml": "title: Scaling\n", "content/sources/report.yaml": SOURCE}
    for i in range(n):
        files[f"content/actors/actor-{i}.yaml"] = f"name: Actor {i}\nkind: person\nsources: [report]\n"
    participants = "".join(f"  - actor: actor-{i}\n" for i in range(n))
    files["content/events/summit.yaml"] = (
        f"title: Summit\nkind: meeting\ndate: 2021-06-01\nsources: [report]\nparticipants:\n{participants}"
    )
    return files


def actor_in_deals(n: int) -> Site:
    files = {
        "site.yaml": "title: Scaling\n",
        "content/sources/report.yaml": SOURCE,
        "content/actors/broker.yaml": "name: Broker\nkind: company\nsources: [report]\n",
    }
    for i in range(n):
        files[f"content/deals/deal-{i}.yaml"] = (
            f"title: Deal {i}\nkind: contract\nsources: [report]\ndates:\n  signed: 2020-01-{1 + i % 28:02d}\n"
            "parties:\n  - actor: broker\n    role: seller\n"
        )
    return files


def page_with_citations(n: int) -> Site:
    files = {"site.yaml": "title: Scaling\n"}
    for i in range(n):
        files[f"content/sources/report-{i}.yaml"] = SOURCE
    body = "\n".join(f"Statement {i} [@report-{i}, p. {i}]." for i in range(n))
    files["content/pages/findings.md"] = f"---\ntitle: Findings\n---\n{body}\n"
    return files


def actors_with_warnings(n: int) -> Site:
    """Every actor draws two warnings (no sources, no relations): the collector must stay quick."""
    files = {"site.yaml": "title: Scaling\n"}
    for i in range(n):
        files[f"content/actors/actor-{i}.yaml"] = f"name: Actor {i}\nkind: person\n"
    return files


def build_seconds(site: Path) -> float:
    diagnostics = Diagnostics()
    start = time.perf_counter()
    built = check(SitePaths(site, site / "output"), diagnostics)
    seconds = time.perf_counter() - start
    assert built is not None, "\n".join(e.format() for e in diagnostics.errors)
    return seconds


def growth(tmp_path: Path, generate: Callable[[int], Site]) -> tuple[float, float]:
    """Best build times at N and 4N, measured again (up to TRIES times) while the ratio looks too high."""
    small = make_site(tmp_path / "small", generate(N))
    large = make_site(tmp_path / "large", generate(4 * N))
    best_small = best_large = float("inf")
    for _ in range(TRIES):
        best_small = min(best_small, build_seconds(small))
        best_large = min(best_large, build_seconds(large))
        if best_large / best_small < LIMIT:
            break
    return best_small, best_large


def assert_linear(tmp_path: Path, generate: Callable[[int], Site]) -> None:
    small, large = growth(tmp_path, generate)
    report = f"{N}: {small:.2f} s, {4 * N}: {large:.2f} s — {large / small:.1f}× as long for 4× the content"
    assert large / small < LIMIT, report


def test_an_event_with_many_participants_builds_in_linear_time(tmp_path: Path) -> None:
    assert_linear(tmp_path, event_with_participants)


def test_an_actor_in_many_deals_builds_in_linear_time(tmp_path: Path) -> None:
    assert_linear(tmp_path, actor_in_deals)


def test_a_page_with_many_citations_builds_in_linear_time(tmp_path: Path) -> None:
    assert_linear(tmp_path, page_with_citations)


def test_many_warnings_are_collected_in_linear_time(tmp_path: Path) -> None:
    assert_linear(tmp_path, actors_with_warnings)
