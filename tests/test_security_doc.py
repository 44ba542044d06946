"""docs/security.md says how each promise is tested: every test it names exists in the file it names."""

from __future__ import annotations

import re

from conftest import ROOT

POINTER = re.compile(r"(tests/[\w/]+\.py)|\b(test_\w+)")


def named_tests() -> list[tuple[str, str]]:
    """(file, test) for each test the page names; a bare name belongs to the file named last before it."""
    pairs, current = [], ""
    for match in POINTER.finditer((ROOT / "docs" / "security.md").read_text(encoding="utf-8")):
        if match.group(1):
            current = match.group(1)
        else:
            pairs.append((current, match.group(2)))
    return pairs


def test_every_test_the_threat_model_names_exists() -> None:
    pairs = named_tests()
    assert len(pairs) > 30
    missing = [
        f"{file}::{name}"
        for file, name in pairs
        if not re.search(rf"^def {name}\(", (ROOT / file).read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert not missing, missing
