"""A seeded synthetic investigation of N dossiers in Casefile's real format, for benchmarks and tests.

    .venv/bin/python benchmarks/generate.py DIR [--dossiers 10000] [--seed 1] [--shape rich|plain]

Every narrative is an ``ID.md`` of ~400 words with three ``[[links]]`` and two ``[@citations]``, the text
volume of a typical investigative page.  Two shapes:

- ``rich`` (the default): one in ten dossiers is a source with a URL; the rest are actors (half), deals
  and events.  Actors hold roles; deals have a buyer and a seller and several values; events have
  participants.  Every actor, deal and event has a narrative linking an actor, a deal and an event.
- ``plain``: N actors with only a name, a summary and a narrative linking three other actors, plus N/10
  sources: the same pages as the plain markdown Hugo, MkDocs and the others build (benchmarks/peers.py).

The same N, seed and shape always give the same files.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Literal

Shape = Literal["rich", "plain"]

WORDS = (
    "the ministry delegation contract officials report documents military visit signed according to state "
    "media company said deliveries aircraft training agreement defence cooperation minister meeting capital "
    "talks systems equipment purchase payment records leaked shows spokesperson confirmed denied reporters "
    "sources familiar with matter"
).split()
NARRATIVE_WORDS = 400


@dataclass(frozen=True)
class Counts:
    """How many dossiers of each kind: N split 1 source : 5 actors : 2 deals : 2 events (rich), or N actors and
    N/10 sources (plain)."""

    sources: int
    actors: int
    deals: int
    events: int

    @classmethod
    def of(cls, total: int) -> Counts:
        sources, actors = max(total // 10, 1), max(total // 2, 2)
        deals = max((total - sources - actors) // 2, 1)
        return cls(sources, actors, deals, max(total - sources - actors - deals, 1))

    @classmethod
    def plain(cls, total: int) -> Counts:
        """``total`` actors and a tenth as many sources."""
        return cls(max(total // 10, 1), max(total, 2), 0, 0)

    def narrated(self) -> list[tuple[str, int]]:
        """The kinds that have narratives, and how many of each."""
        return [("actor", self.actors), ("deal", self.deals), ("event", self.events)]


def _narrative(rng: random.Random, sources: int, links: Callable[[], list[str]]) -> str:
    """~400 words in paragraphs, with links to the three dossiers ``links`` draws and two citations."""
    words = [rng.choice(WORDS) for _ in range(NARRATIVE_WORDS)]
    for place, link in zip((40, 160, 280), links(), strict=True):
        words[place] = f"[[{link}]]"
    for place in (120, 360):
        words[place] += f" [@source-{rng.randrange(sources)}]."
    paragraphs = [" ".join(words[i : i + 100]) for i in range(0, NARRATIVE_WORDS, 100)]
    return "\n\n".join(p[0].upper() + p[1:] + "." for p in paragraphs) + "\n"


def generate(site: Path, total: int, seed: int = 1, narratives: bool = True, shape: Shape = "rich") -> Counts:
    """Write ``site.yaml`` and ``content/`` for an investigation of ``total`` dossiers of ``shape``
    (``narratives``: with the ~400-word ``ID.md`` beside each actor, deal and event; tests that need only
    many pages go without)."""
    rng = random.Random(seed)
    counts = Counts.plain(total) if shape == "plain" else Counts.of(total)
    (site / "content").mkdir(parents=True, exist_ok=True)
    (site / "site.yaml").write_text("title: Benchmark investigation\ndescription: Generated for benchmarks.\n")
    for i in range(counts.sources):  # each report dated after the facts it is cited for, as `check` expects
        _write(
            site,
            f"sources/source-{i}.yaml",
            f"title: Report {i}\npublisher: Paper {i % 40}\nkind: article\n"
            f"date: 20{22 + i % 4}-0{1 + i % 9}\nurl: https://example.org/report/{i}\n",
        )
    if shape == "plain":
        for i in range(counts.actors):
            _write(site, f"actors/actor-{i}.yaml", f"name: Actor {i}\nkind: person\nsummary: Actor number {i}.\n")

        def actor() -> str:
            return f"actor-{rng.randrange(counts.actors)}"

        def links(i: int) -> list[str]:  # the next actor, so that every actor is mentioned, and two at random
            return [f"actor-{(i + 1) % counts.actors}", actor(), actor()]
    else:
        _rich_dossiers(site, counts, rng)

        def links(i: int) -> list[str]:
            return [f"{kind}-{rng.randrange(count)}" for kind, count in counts.narrated()]

    for kind, count in counts.narrated():
        for i in range(count if narratives else 0):
            _write(site, f"{kind}s/{kind}-{i}.md", _narrative(rng, counts.sources, partial(links, i)))
    return counts


def _rich_dossiers(site: Path, counts: Counts, rng: random.Random) -> None:
    """The actors with roles, the deals with parties and values, and the events with participants."""

    def source() -> str:
        return f"source-{rng.randrange(counts.sources)}"

    for i in range(counts.actors):
        kind = "person" if i % 3 else "organization"
        _write(
            site,
            f"actors/actor-{i}.yaml",
            f"name: Actor {i}\nkind: {kind}\nsummary: Actor number {i}.\nroles:\n  - title: Member\n"
            f"    of: actor-{(i * 7 + 1) % counts.actors}\n    from: 2019\n    sources: [{source()}]\n"
            f"sources: [{source()}]\n",
        )
    for i in range(counts.deals):
        _write(
            site,
            f"deals/deal-{i}.yaml",
            f"title: Deal {i}\nkind: contract\nparties:\n  - actor: actor-{i % counts.actors}\n    role: buyer\n"
            f"  - actor: actor-{(i * 13 + 5) % counts.actors}\n    role: seller\nvalues:\n"
            f"  - text: ${i} million\n    sources: [{source()}]\n"
            f"  - text: ${i + 2} million\n    sources: [{source()}]\n"
            f"dates:\n  signed: 2020-0{1 + i % 9}\nsources: [{source()}]\n",
        )
    for i in range(counts.events):
        _write(
            site,
            f"events/event-{i}.yaml",
            f"title: Event {i}\nkind: meeting\ndate: 2021-{1 + i % 12:02d}-{1 + i % 28:02d}\nparticipants:\n"
            f"  - actor: actor-{i % counts.actors}\n  - actor: actor-{(i * 11 + 3) % counts.actors}\n"
            f"sources: [{source()}]\n",
        )


def _write(site: Path, name: str, text: str) -> None:
    path = site / "content" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the folder to write (created)")
    parser.add_argument("--dossiers", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shape", choices=("rich", "plain"), default="rich")
    args = parser.parse_args()
    counts = generate(args.site, args.dossiers, args.seed, shape=args.shape)
    print(f"wrote {args.site}: {counts}")


if __name__ == "__main__":
    main()
