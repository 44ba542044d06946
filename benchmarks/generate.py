"""A seeded synthetic investigation of N dossiers in Casefile's real format, for benchmarks and tests.

    .venv/bin/python benchmarks/generate.py DIR [--dossiers 10000] [--seed 1]

One in ten dossiers is a source with a URL; the rest are actors (half), deals and events.  Actors hold
roles; deals have a buyer and a seller and several values; events have participants.  Every actor, deal
and event has a ~400-word ``ID.md`` narrative with three ``[[links]]`` and two ``[@citations]``, the
text volume of a typical investigative page.  The same N and seed always give the same files.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

WORDS = (
    "the ministry delegation contract officials report documents military visit signed according to state "
    "media company said deliveries aircraft training agreement defence cooperation minister meeting capital "
    "talks systems equipment purchase payment records leaked shows spokesperson confirmed denied reporters "
    "sources familiar with matter"
).split()
NARRATIVE_WORDS = 400


@dataclass(frozen=True)
class Counts:
    """How N dossiers split into kinds (1 source : 5 actors : 2 deals : 2 events)."""

    sources: int
    actors: int
    deals: int
    events: int

    @classmethod
    def of(cls, total: int) -> Counts:
        sources, actors = max(total // 10, 1), max(total // 2, 2)
        deals = max((total - sources - actors) // 2, 1)
        return cls(sources, actors, deals, max(total - sources - actors - deals, 1))


def _narrative(rng: random.Random, counts: Counts) -> str:
    """~400 words in paragraphs, with three links to other dossiers and two citations."""
    words = [rng.choice(WORDS) for _ in range(NARRATIVE_WORDS)]
    links = [f"[[actor-{rng.randrange(counts.actors)}]]", f"[[deal-{rng.randrange(counts.deals)}]]"]
    links.append(f"[[event-{rng.randrange(counts.events)}]]")
    for place, link in zip((40, 160, 280), links, strict=True):
        words[place] = link
    for place in (120, 360):
        words[place] += f" [@source-{rng.randrange(counts.sources)}]."
    paragraphs = [" ".join(words[i : i + 100]) for i in range(0, NARRATIVE_WORDS, 100)]
    return "\n\n".join(p[0].upper() + p[1:] + "." for p in paragraphs) + "\n"


def generate(site: Path, total: int, seed: int = 1, narratives: bool = True) -> Counts:
    """Write ``site.yaml`` and ``content/`` for an investigation of ``total`` dossiers (``narratives``:
    with the ~400-word ``ID.md`` beside each actor, deal and event; tests that need only many pages go
    without)."""
    rng = random.Random(seed)
    counts = Counts.of(total)
    folders = {name: site / "content" / name for name in ("sources", "actors", "deals", "events")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    (site / "site.yaml").write_text("title: Benchmark investigation\ndescription: Generated for benchmarks.\n")

    def source() -> str:
        return f"source-{rng.randrange(counts.sources)}"

    for i in range(counts.sources):  # each report dated after the facts it is cited for, as `check` expects
        (folders["sources"] / f"source-{i}.yaml").write_text(
            f"title: Report {i}\npublisher: Paper {i % 40}\nkind: article\ndate: 20{22 + i % 4}-0{1 + i % 9}\n"
            f"url: https://example.org/report/{i}\n"
        )
    for i in range(counts.actors):
        kind = "person" if i % 3 else "organization"
        (folders["actors"] / f"actor-{i}.yaml").write_text(
            f"name: Actor {i}\nkind: {kind}\nsummary: Actor number {i}.\nroles:\n  - title: Member\n"
            f"    of: actor-{(i * 7 + 1) % counts.actors}\n    from: 2019\n    sources: [{source()}]\n"
            f"sources: [{source()}]\n"
        )
    for i in range(counts.deals):
        (folders["deals"] / f"deal-{i}.yaml").write_text(
            f"title: Deal {i}\nkind: contract\nparties:\n  - actor: actor-{i % counts.actors}\n    role: buyer\n"
            f"  - actor: actor-{(i * 13 + 5) % counts.actors}\n    role: seller\nvalues:\n"
            f"  - text: ${i} million\n    sources: [{source()}]\n"
            f"  - text: ${i + 2} million\n    sources: [{source()}]\n"
            f"dates:\n  signed: 2020-0{1 + i % 9}\nsources: [{source()}]\n"
        )
    for i in range(counts.events):
        (folders["events"] / f"event-{i}.yaml").write_text(
            f"title: Event {i}\nkind: meeting\ndate: 2021-{1 + i % 12:02d}-{1 + i % 28:02d}\nparticipants:\n"
            f"  - actor: actor-{i % counts.actors}\n  - actor: actor-{(i * 11 + 3) % counts.actors}\n"
            f"sources: [{source()}]\n"
        )
    for kind, count in (("actor", counts.actors), ("deal", counts.deals), ("event", counts.events)):
        for i in range(count if narratives else 0):
            (folders[kind + "s"] / f"{kind}-{i}.md").write_text(_narrative(rng, counts))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the folder to write (created)")
    parser.add_argument("--dossiers", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    counts = generate(args.site, args.dossiers, args.seed)
    print(f"wrote {args.site}: {counts}")


if __name__ == "__main__":
    main()
