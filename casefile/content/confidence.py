"""How sure the reporting is of a fact: the levels ``confidence:`` takes, their labels, what each means.

One table serves the model (the values it accepts), the label beside a fact and the legend on the
methodology page, so what a label says and what the legend explains cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from casefile.messages import N_


@dataclass(frozen=True)
class Level:
    """One level: the word written in YAML, the label readers see and its meaning (both msgids)."""

    name: str
    label: str
    meaning: str


LEVELS = {
    level.name: level
    for level in (
        Level(
            "confirmed",
            N_("Confirmed"),
            N_("Established by the sources: on the record, or confirmed by the people or bodies concerned."),
        ),
        Level("reported", N_("Reported"), N_("Reported as fact by the sources cited, and not contradicted.")),
        Level("alleged", N_("Alleged"), N_("Said by someone the sources name, but not established by them.")),
        Level("disputed", N_("Disputed"), N_("The sources disagree, or someone they name contests it.")),
        Level("denied", N_("Denied"), N_("Someone concerned has denied it, as the sources report.")),
    )
}
CONFIDENCE_LEVELS = tuple(LEVELS)
