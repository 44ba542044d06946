"""Content mistakes: each is reported at its file, line and column with a hint,
never as a traceback, and the previous good site in ``output/`` is left alone.

Every case starts from the built base investigation (with its good ``output/``),
makes one bad edit and builds again from inside the site folder (``--site .``),
so locations print relative: ``content/actors/x.yaml:3:1``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import BASE, make_site, run_builds, snapshot


@dataclass(frozen=True)
class Expected:
    """One reported error: exact location, and regexes for the message and its hint."""

    location: str
    message: str
    hint: str


def errors(result: subprocess.CompletedProcess[str]) -> list[tuple[str, str]]:
    """(error line, the hint line after it, or '') for every reported error."""
    lines = result.stderr.splitlines()
    found = []
    for index, line in enumerate(lines):
        if ": error: " in line:
            following = lines[index + 1] if index + 1 < len(lines) else ""
            found.append((line, following if following.startswith("    hint: ") else ""))
    return found


def assert_reported(result: subprocess.CompletedProcess[str], expected: Expected) -> None:
    prefix = f"{expected.location}: error: "
    matches = [(line, hint) for line, hint in errors(result) if line.startswith(prefix)]
    assert matches, f"no error at {expected.location}; stderr was:\n{result.stderr}"
    line, hint = matches[0]
    assert re.search(expected.message, line[len(prefix) :]), f"message {expected.message!r} not in:\n{line}"
    assert hint, f"no hint after:\n{line}\nstderr was:\n{result.stderr}"
    assert re.search(expected.hint, hint), f"hint {expected.hint!r} not in:\n{hint}"


@dataclass
class Outcome:
    """A rebuild of the base site after a bad edit, and what it left behind."""

    result: subprocess.CompletedProcess[str]
    output_before: dict[str, bytes]
    output_after: dict[str, bytes]
    entries_before: list[str]
    entries_after: list[str]

    def assert_failed_cleanly(self) -> None:
        result = self.result
        assert result.returncode == 1, f"exit code {result.returncode}; stderr:\n{result.stderr}"
        assert "Traceback" not in result.stderr + result.stdout, result.stderr
        assert self.output_after == self.output_before, "the previous output/ was changed by a failed build"
        assert self.entries_after == self.entries_before, "a failed build left files beside output/"


@dataclass(frozen=True)
class Case:
    files: dict[str, str | bytes | None]
    expected: Expected


DEAL = BASE["content/deals/pantsir-contract.yaml"]
CASES: dict[str, Case] = {
    "yaml-syntax": Case(
        {"content/actors/russia.yaml": "name: Russia\nkind: state\nsummary: Russia: the federation\n"},
        Expected("content/actors/russia.yaml:3:16", r"YAML syntax error", r"quoted"),
    ),
    "tab-indentation": Case(
        {"content/actors/tatmadaw.yaml": "name: Tatmadaw\nkind: military-unit\nroles:\n\t- title: Arms customer\n"},
        Expected("content/actors/tatmadaw.yaml:4:1", r"(?i)\btab\b", r"spaces"),
    ),
    "duplicate-key": Case(
        {"content/actors/russia.yaml": "name: Russia\nkind: state\nname: Russian Federation\n"},
        Expected("content/actors/russia.yaml:3:1", r"duplicate key 'name'.*line 1", r"name"),
    ),
    "unknown-field": Case(
        {"content/actors/russia.yaml": "name: Russia\nkind: state\nsorces: [moscow-times-2021]\n"},
        Expected("content/actors/russia.yaml:3:1", r"unknown field 'sorces'", r"\bsources\b"),
    ),
    "unknown-nested-field": Case(
        {
            "content/actors/tatmadaw.yaml": (
                "name: Tatmadaw\nkind: military-unit\nroles:\n  - title: Arms customer\n    off: russia\n"
            )
        },
        Expected("content/actors/tatmadaw.yaml:5:5", r"unknown field 'off'", r"\bof\b"),
    ),
    "missing-required-field": Case(
        {"content/actors/russia.yaml": "kind: state\nsummary: The Russian Federation.\n"},
        Expected("content/actors/russia.yaml:1:1", r"missing required field 'name'", r"name:"),
    ),
    "wrong-type-list": Case(
        {"content/actors/russia.yaml": "name: Russia\nkind: state\naliases: 5\n"},
        Expected("content/actors/russia.yaml:3:10", r"'aliases'.*list", r"- "),
    ),
    "wrong-type-text": Case(
        {"content/actors/russia.yaml": "name: [Russia, Russian Federation]\nkind: state\n"},
        Expected("content/actors/russia.yaml:1:7", r"'name'.*text", r"quote"),
    ),
    "blank-name": Case(
        {"content/actors/russia.yaml": 'name: ""\nkind: state\n'},
        Expected("content/actors/russia.yaml:1:7", r"^'name' is empty$", r"write the value after `name:`$"),
    ),
    "blank-optional-text": Case(
        {"content/actors/russia.yaml": 'name: Russia\nkind: state\nsummary: "  "\n'},
        Expected("content/actors/russia.yaml:3:10", r"^'summary' is empty$", r"`summary:`, or remove the line$"),
    ),
    "list-for-a-choice": Case(
        {
            "content/sources/myanmar-now-2021.yaml": (
                "title: Report\npublisher: Myanmar Now\nurl: https://example.org/r\nkind: [article]\n"
            )
        },
        Expected("content/sources/myanmar-now-2021.yaml:4:7", r"expected one of: article.* but got a list$", r"one of"),
    ),
    "wrong-choice-of-key": Case(
        {"content/deals/pantsir-contract.yaml": DEAL.replace("signed:", "signd:")},  # a key that names a kind of date
        Expected("content/deals/pantsir-contract.yaml:25:3", r"one of: signed, announced.* got 'signd'$", r"'signed'"),
    ),
    "wrong-choice": Case(
        {"content/actors/russia.yaml": "name: Russia\nkind: stat\n"},
        Expected("content/actors/russia.yaml:2:7", r"'stat'", r"'state'"),
    ),
    "bad-date": Case(
        {
            "content/events/naval-visit.yaml": (
                "title: Russian naval delegation visits Myanmar\nkind: visit\nplace: Yangon\ndate: 2021-13-01\n"
            )
        },
        Expected("content/events/naval-visit.yaml:4:7", r"2021-13-01", r"2021-06-13"),
    ),
    "bad-date-in-deal-dates": Case(
        {
            "content/deals/pantsir-contract.yaml": (
                "title: Pantsir-S1 contract\nkind: contract\ndates:\n  signed: 2018-02-30\n"
            )
        },
        Expected("content/deals/pantsir-contract.yaml:4:11", r"2018-02-30", r"2021-06-13"),
    ),
    "reversed-date-range": Case(
        {
            "content/events/naval-visit.yaml": (
                "title: Russian naval delegation visits Myanmar\nkind: visit\ndate: 2021-06-19/2021-06-13\n"
            )
        },
        Expected("content/events/naval-visit.yaml:3:7", r"2021-06-19/2021-06-13", r"\S"),
    ),
    "javascript-url": Case(
        {
            "content/sources/moscow-times-2021.yaml": (
                "title: Russia to deepen ties\npublisher: The Moscow Times\nkind: article\n"
                "url: javascript:alert(document.cookie)\n"
            )
        },
        Expected("content/sources/moscow-times-2021.yaml:4:6", r"javascript:alert", r"https://"),
    ),
    "url-without-scheme": Case(
        {
            "content/sources/moscow-times-2021.yaml": (
                "title: Russia to deepen ties\npublisher: The Moscow Times\nkind: article\n"
                "url: www.themoscowtimes.com/2021/03/26/story\n"
            )
        },
        Expected("content/sources/moscow-times-2021.yaml:4:6", r"www\.themoscowtimes\.com", r"https://"),
    ),
    "url-without-host": Case(
        {
            "content/sources/moscow-times-2021.yaml": (
                "title: Russia to deepen ties\npublisher: The Moscow Times\nkind: article\n"
                "url: https:/www.themoscowtimes.com/2021/03/26/story\n"
            )
        },
        Expected("content/sources/moscow-times-2021.yaml:4:6", r"https:/www\.themoscowtimes\.com", r"https://"),
    ),
    "unknown-id-in-yaml": Case(
        {
            "content/actors/min-aung-hlaing.yaml": (
                "name: Min Aung Hlaing\nkind: person\nroles:\n  - title: Commander-in-chief\n    of: tatmadw\n"
                "    sources: [myanmar-now-2021]\n"
            )
        },
        Expected("content/actors/min-aung-hlaing.yaml:5:9", r"unknown .*'tatmadw'", r"did you mean 'tatmadaw'"),
    ),
    "unknown-source-in-yaml": Case(
        {"content/actors/russia.yaml": "name: Russia\nkind: state\nsources:\n  - moscow-times-2012\n"},
        Expected("content/actors/russia.yaml:4:5", r"unknown .*'moscow-times-2012'", r"'moscow-times-2021'"),
    ),
    "id-of-wrong-type": Case(
        {
            "content/deals/pantsir-contract.yaml": (
                "title: Pantsir-S1 contract\nkind: contract\nparties:\n  - actor: naval-visit\n    role: buyer\n"
            )
        },
        Expected("content/deals/pantsir-contract.yaml:4:12", r"'naval-visit'.*event", r"actor"),
    ),
    "unknown-link-in-markdown": Case(
        {
            "content/actors/min-aung-hlaing.md": (
                "Min Aung Hlaing leads the army.\n\nHe commands the [[tatmadw]] in 2021.\n"
            )
        },
        Expected("content/actors/min-aung-hlaing.md:3:17", r"unknown .*'tatmadw'", r"did you mean 'tatmadaw'"),
    ),
    "unknown-citation-in-markdown": Case(
        {"content/actors/min-aung-hlaing.md": "Min Aung Hlaing leads the army.\n\nIt was reported [@mt-2021].\n"},
        Expected(
            "content/actors/min-aung-hlaing.md:3:17",
            r"unknown source 'mt-2021'",
            r"content/sources/mt-2021\.yaml|did you mean",
        ),
    ),
    "javascript-link-on-second-line-of-paragraph": Case(
        {
            "content/actors/min-aung-hlaing.md": (
                "Min Aung Hlaing.\n\nHis profile is here:\n[see](javascript:alert(1)).\n"
            )
        },
        Expected("content/actors/min-aung-hlaing.md:4:7", r"javascript:alert\(1\)", r"https://"),
    ),
    "bad-front-matter-yaml": Case(
        {"content/pages/method.md": "---\ntitle: How we source\norder: first\n---\nText.\n"},
        Expected("content/pages/method.md:3:8", r"'order'.*whole number", r"\S"),
    ),
    "non-utf8-file": Case(
        {"content/actors/cafe.yaml": b"name: Caf\xe9\nkind: person\n"},
        Expected("content/actors/cafe.yaml:1:10", r"UTF-8", r"UTF-8"),
    ),
    "id-not-a-slug": Case(
        {"content/actors/Min_Aung.yaml": "name: Min Aung\nkind: person\n"},
        Expected("content/actors/Min_Aung.yaml:1:1", r"'Min_Aung'", r"min-aung"),
    ),
}


# Scenarios beyond one-error-per-case; like CASES they are applied to a copy of the built base site.
MORE: dict[str, dict[str, str | bytes | None]] = {
    "no-title": {"site.yaml": "description: A site without a title.\n"},
    "check": {"content/actors/russia.yaml": "name: Russia\nkind: state\nsorces: [moscow-times-2021]\n"},
    "page-markdown-lines": {
        "content/pages/method.md": (
            "---\ntitle: How we source\nsummary: Our rules.\norder: 1\n---\n"
            "We cite every statement.\n\n"
            "See [[tatmadw]] and [@mt-2021].\n"
            "Also [[russa|Russia]].\n"
        )
    },
    "same-id": {
        "content/actors/x.yaml": "name: X\nkind: person\n",
        "content/events/x.yaml": "title: X\nkind: visit\n",
    },
    "three-files": {
        "content/actors/russia.yaml": "name: Russia\nkind: state\nsorces: [moscow-times-2021]\n",
        "content/events/naval-visit.yaml": "title: Naval visit\nkind: visit\ndate: 2021-06-31\n",
        "content/actors/min-aung-hlaing.md": "Min Aung Hlaing.\n\nHe commands the [[tatmadw]].\n",
    },
}


@pytest.fixture(scope="module")
def outcomes(built_base: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Every scenario, built concurrently (each build is a separate Python process)."""
    scenarios = {name: case.files for name, case in CASES.items()} | MORE
    prepared = {}
    for name, files in scenarios.items():
        site = Path(shutil.copytree(built_base, tmp_path_factory.mktemp(name) / "site"))
        before = snapshot(site / "output")
        assert "index.html" in before
        entries = sorted(p.name for p in site.iterdir())
        make_site(site, files)
        prepared[name] = (site, before, entries)
    return build_all(prepared, lambda name: ("check",) if name == "check" else ())


Prepared = dict[str, tuple[Path, dict[str, bytes], list[str]]]  # name -> site, output before, site entries before


def build_all(prepared: Prepared, args: Callable[[str], tuple[str, ...]] = lambda name: ()) -> dict[str, Outcome]:
    """Build every prepared site at once (each in its own process) and note what each left behind."""
    results = run_builds([(site, args(name)) for name, (site, _, _) in prepared.items()])
    return {
        name: Outcome(result, before, snapshot(site / "output"), entries, sorted(p.name for p in site.iterdir()))
        for (name, (site, before, entries)), result in zip(prepared.items(), results, strict=True)
    }


@pytest.mark.parametrize("name", CASES)
def test_mistake_is_reported_where_it_is(outcomes: dict[str, Outcome], name: str) -> None:
    outcome = outcomes[name]
    outcome.assert_failed_cleanly()
    assert_reported(outcome.result, CASES[name].expected)
    assert len(errors(outcome.result)) == 1, f"expected exactly one error, got:\n{outcome.result.stderr}"


def test_markdown_errors_in_a_page_count_lines_from_the_top_of_the_file(outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes["page-markdown-lines"]
    outcome.assert_failed_cleanly()
    assert_reported(outcome.result, Expected("content/pages/method.md:8:5", r"'tatmadw'", r"'tatmadaw'"))
    assert_reported(outcome.result, Expected("content/pages/method.md:8:21", r"'mt-2021'", r"\S"))
    assert_reported(outcome.result, Expected("content/pages/method.md:9:6", r"'russa'", r"'russia'"))
    assert len(errors(outcome.result)) == 3, outcome.result.stderr


def test_same_id_in_two_folders(outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes["same-id"]
    outcome.assert_failed_cleanly()
    reported = errors(outcome.result)
    assert len(reported) == 1, outcome.result.stderr
    line, hint = reported[0]
    match = re.match(r"content/(actors|events)/x\.yaml:1:1: error: (.*)", line)
    assert match, line
    other = "events" if match.group(1) == "actors" else "actors"
    assert f"content/{other}/x.yaml" in match.group(2), line
    assert "'x'" in match.group(2), line
    assert re.search(r"rename|unique", hint), hint


def test_three_mistakes_in_three_files_are_all_reported(outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes["three-files"]
    outcome.assert_failed_cleanly()
    result = outcome.result
    assert_reported(result, Expected("content/actors/russia.yaml:3:1", r"'sorces'", r"\bsources\b"))
    assert_reported(result, Expected("content/events/naval-visit.yaml:3:7", r"2021-06-31", r"2021-06-13"))
    assert_reported(result, Expected("content/actors/min-aung-hlaing.md:3:17", r"'tatmadw'", r"'tatmadaw'"))
    assert len(errors(result)) == 3, result.stderr
    assert re.search(r"^3 error", result.stderr, re.MULTILINE), result.stderr


def test_missing_title_in_site_yaml(outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes["no-title"]
    outcome.assert_failed_cleanly()
    assert_reported(outcome.result, Expected("site.yaml:1:1", r"missing required field 'title'", r"title:"))


def test_check_reports_the_same_errors_and_writes_nothing(outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes["check"]
    outcome.assert_failed_cleanly()
    assert_reported(outcome.result, Expected("content/actors/russia.yaml:3:1", r"'sorces'", r"\bsources\b"))
    assert len(errors(outcome.result)) == 1, outcome.result.stderr
