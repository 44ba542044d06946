"""Hostile files and YAML: each is refused at its file, line and column with a hint, never with a
traceback, and the previous good site in ``output/`` is left as it was.

Like ``test_errors.py``, every case edits a copy of the built base investigation and builds again from
inside it; the builds run concurrently.  Links are made after the edit, pointing at a file outside
the site whose text must never reach the terminal or the site.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import (
    BASE,
    BUILD,
    ROOT,
    another_user,
    close_to_that_user,
    load_html,
    make_site,
    open_to_that_user,
    run_build,
    snapshot,
)
from test_errors import Expected, Outcome, assert_reported, build_all, errors

from casefile.content.loader import load_site, suggest_slug
from casefile.content.model import DOSSIER_TYPES, MAX_ID_LENGTH, SLUG, Page, reserved_page
from casefile.content.yamlio import parse_yaml
from casefile.dev.incremental import Session
from casefile.diagnostics import ContentError, Diagnostics
from casefile.investigation.resolve import resolve
from casefile.pipeline import SitePaths

SECRET = "root:x:0:0:the-secret-line-of-an-outside-file"
RUSSIA = "content/actors/russia.yaml"
TATMADAW = "content/actors/tatmadaw.yaml"
VISIT = "content/events/naval-visit.yaml"
DEEP = 100_000
BASE_VISIT = BASE[VISIT]


def bomb(levels: int = 9) -> str:
    """The billion laughs: each anchor's list repeats the one before ten times."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Case:
    files: dict[str, str | bytes | None]
    expected: Expected
    links: dict[str, str] = field(default_factory=dict)  # link -> target; "SECRET" is the outside file
    also: tuple[Expected, ...] = ()  # further errors the same input causes


def russia(extra: str) -> dict[str, str | bytes | None]:
    return {RUSSIA: f"name: Russia\nkind: state\n{extra}"}


TAG = "!!python/object/apply:os.system"
QUOTE_IT = r"quote it: '"

CASES: dict[str, Case] = {
    # Links out of the site, in a loop, or to nothing.
    "link-to-etc-passwd": Case(
        {"content/actors/bob.yaml": "name: Bob\nkind: person\n"},
        Expected("content/actors/bob.md:1:1", r"'bob\.md' is a link to a file outside", r"copy the file"),
        {"content/actors/bob.md": "/etc/passwd"},
    ),
    "link-outside-in-static": Case(
        {}, Expected("static/notes.txt:1:1", r"outside the investigation", r"copy"), {"static/notes.txt": "SECRET"}
    ),
    "link-outside-in-templates": Case(
        {},
        Expected("templates/actor.html:1:1", r"outside the investigation", r"copy"),
        {"templates/actor.html": "SECRET"},
    ),
    "linked-folder-outside": Case(
        {}, Expected("static/docs:1:1", r"'docs' is a link .*outside", r"copy"), {"static/docs": "SECRET_DIR"}
    ),
    "link-loop": Case(
        {},
        Expected("content/actors/loop.yaml:1:1", r"'loop\.yaml' loops back on itself", r"delete"),
        {"content/actors/loop.yaml": "loop.yaml"},
    ),
    "site-yaml-to-etc-passwd": Case(
        {"site.yaml": None},
        Expected("site.yaml:1:1", r"'site\.yaml' is a link to a file outside", r"copy the file"),
        {"site.yaml": "/etc/passwd"},
    ),
    "site-yaml-to-another-investigation": Case(
        {"site.yaml": None},
        Expected("site.yaml:1:1", r"'site\.yaml' is a link to a file outside", r"copy the file"),
        {"site.yaml": "OTHER_SITE"},
    ),
    "dangling-link": Case(
        {},
        Expected("static/gone.css:1:1", r"'gone\.css' leads to nothing", r"delete"),
        {"static/gone.css": "nowhere.css"},
    ),
    # YAML that is valid but refused.
    "alias-bomb": Case(
        russia(bomb()), Expected(f"{RUSSIA}:3:5", r"anchors and aliases \(&x / \*x\) are not supported", r"write")
    ),
    "alias": Case(russia("summary: *name\n"), Expected(f"{RUSSIA}:3:10", r"anchors and aliases", r"quotes")),
    "deep-nesting": Case(
        russia("aliases: " + "[" * DEEP + "]" * DEEP + "\n"),
        Expected(f"{RUSSIA}:3:59", r"nested more than 50 levels", r"brackets"),
    ),
    "file-over-size-cap": Case(
        {"content/actors/big.yaml": "name: Big\nkind: person\nsummary: " + "x" * 6_000_000 + "\n"},
        Expected("content/actors/big.yaml:1:1", r"6\.0 MB, more than the 5 MB", r"max_file_size_mb"),
    ),
    "size-cap-not-positive": Case(
        {"site.yaml": "title: Test\nmax_file_size_mb: 0\n"},
        Expected("site.yaml:2:19", r"greater than 0", r"\S"),
    ),
    "nul-byte": Case({RUSSIA: b"name: Rus\x00sia\nkind: state\n"}, Expected(f"{RUSSIA}:1:10", r"U\+0000", r"delete")),
    "nul-escape": Case(russia('summary: "a \\0 b"\n'), Expected(f"{RUSSIA}:3:13", r"U\+0000", r"\\0")),
    "x01-escape": Case(russia('summary: "\\x01"\n'), Expected(f"{RUSSIA}:3:11", r"U\+0001", r"escape")),
    "bell-escape": Case(russia('aliases: ["\\u0007"]\n'), Expected(f"{RUSSIA}:3:12", r"U\+0007", r"escape")),
    "control-in-markdown": Case(
        {"content/actors/min-aung-hlaing.md": "Min Aung Hlaing.\n\nHe leads the \x1b[31m army.\n"},
        Expected("content/actors/min-aung-hlaing.md:3:14", r"U\+001B", r"delete"),
    ),
    "python-tag-on-text": Case(
        russia(f"summary: {TAG} 'rm -rf ~'\n"), Expected(f"{RUSSIA}:3:10", rf"tag '{TAG}' is not allowed", r"remove")
    ),
    "python-tag-on-list": Case(
        russia(f"aliases: {TAG} [ls]\n"), Expected(f"{RUSSIA}:3:10", rf"tag '{TAG}' is not allowed", r"remove")
    ),
    "python-tag-on-mapping": Case(
        russia(f"roles:\n  - {TAG}\n    title: x\n"),
        Expected(f"{RUSSIA}:4:5", rf"tag '{TAG}' is not allowed", r"remove"),
    ),
    "core-tag-on-wrong-value": Case(
        russia("summary: !!bool maybe\n"), Expected(f"{RUSSIA}:3:10", r"'maybe' is not !!bool", r"quote")
    ),
    "octal-0100": Case(russia("aliases: [0100]\n"), Expected(f"{RUSSIA}:3:11", r"'0100' as the number 64", QUOTE_IT)),
    "sexagesimal-1-20": Case(
        russia("summary: 1:20\n"), Expected(f"{RUSSIA}:3:10", r"'1:20' as the number 80", QUOTE_IT)
    ),
    "float-1-10": Case(russia("summary: 1.10\n"), Expected(f"{RUSSIA}:3:10", r"'1\.10' as the number 1\.1", QUOTE_IT)),
    # Ids and dates.
    "id-with-newline": Case(
        {TATMADAW: 'name: Tatmadaw\nkind: military-unit\nroles:\n  - title: Customer\n    of: "russia\\n"\n'},
        Expected(f"{TATMADAW}:5:9", r"is not a valid id", r"lowercase"),
    ),
    "file-name-not-an-id": Case(
        {"content/actors/Café Ünï.yaml": "name: Café\nkind: person\n"},
        Expected("content/actors/Café Ünï.yaml:1:1", r"'Café Ünï' is not a valid id", r"'cafe-uni\.yaml'"),
    ),
    "february-29": Case(
        {VISIT: "title: Visit\nkind: visit\ndate: 2021-02-29\n"},
        Expected(f"{VISIT}:3:7", r"'2021-02-29' is not a date: February 2021 has 28 days", r"2021-06-13"),
    ),
    "month-13": Case(
        {VISIT: "title: Visit\nkind: visit\ndate: 2021-13\n"},
        Expected(f"{VISIT}:3:7", r"month 13 does not exist", r"2021-06"),
    ),
    "reversed-range": Case(
        {VISIT: "title: Visit\nkind: visit\ndate: 2021-06-19/2021-06-13\n"},
        Expected(f"{VISIT}:3:7", r"the range '2021-06-19/2021-06-13' ends before it starts", r"\S"),
    ),
    "year-0-in-a-cited-date": Case(
        {VISIT: "title: Visit\nkind: visit\ndate: '0000-02-29'\nsources: [moscow-times-2021]\n"},
        Expected(f"{VISIT}:3:7", r"'0000-02-29' is not a date: year 0 does not exist", r"2021-06-13"),
    ),
    "year-0-in-a-role": Case(
        {
            TATMADAW: "name: Tatmadaw\nkind: military-unit\nroles:\n  - title: Arms customer\n    of: russia\n"
            "    from: 0000-01\n    sources: [moscow-times-2021]\n"
        },
        Expected(f"{TATMADAW}:6:11", r"'0000-01' is not a date: year 0 does not exist", r"2021-06"),
    ),
    "year-0-of-a-source": Case(
        {
            "content/sources/moscow-times-2021.yaml": "title: Ties\npublisher: The Moscow Times\nkind: article\n"
            "date: '0000'\nurl: https://example.org/a\n"
        },
        Expected("content/sources/moscow-times-2021.yaml:4:7", r"'0000' is not a date: year 0 does not exist", r"\S"),
    ),
    "actor-named-index": Case(
        {"content/actors/index.yaml": "name: Index\nkind: person\n"},
        Expected(
            "content/actors/index.yaml:1:1",
            r"the id 'index' is reserved: actors/index\.html is the list of actors",
            r"rename the file",
        ),
    ),
    "source-named-index": Case(
        {"content/sources/index.yaml": "title: Index\npublisher: X\nkind: article\nurl: https://example.org/i\n"},
        Expected(
            "content/sources/index.yaml:1:1",
            r"the id 'index' is reserved: sources/index\.html is the list of sources",
            r"rename the file",
        ),
    ),
    "id-too-long": Case(
        {f"content/actors/{'a' * 101}.yaml": "name: A\nkind: person\n"},
        Expected(
            f"content/actors/{'a' * 101}.yaml:1:1",
            r"the id is 101 characters long, more than the 100 an id may have",
            r"rename the file",
        ),
    ),
    "reference-too-long": Case(
        russia(f"country: {'a' * 101}\n"),
        Expected(
            f"{RUSSIA}:3:10", r"is not a valid id: it has 101 characters, more than 100", r"at most 100 characters"
        ),
    ),
    # References that go round in a circle.
    "country-of-itself": Case(
        russia("country: russia\n"),
        Expected(f"{RUSSIA}:3:10", r"'russia' names itself as its country", r"another actor"),
    ),
    "role-of-itself": Case(
        {TATMADAW: "name: Tatmadaw\nkind: military-unit\nroles:\n  - title: Branch\n    of: tatmadaw\n"},
        Expected(f"{TATMADAW}:5:9", r"'tatmadaw' holds a role of itself", r"other actor"),
    ),
    "source-cites-itself": Case(
        {
            "content/sources/sipri-arms-data.yaml": (
                "title: SIPRI\npublisher: SIPRI\nkind: database\ncites: [sipri-arms-data]\n"
            )
        },
        Expected(
            "content/sources/sipri-arms-data.yaml:4:9",
            r"'sipri-arms-data' relies on itself: sipri-arms-data → sipri-arms-data$",
            r"break the circle",
        ),
    ),
    "cites-circle": Case(
        {
            "content/sources/sipri-arms-data.yaml": (
                "title: SIPRI\npublisher: SIPRI\nkind: database\ncites:\n  - moscow-times-2021\n"
            ),
            "content/sources/moscow-times-2021.yaml": (
                "title: Ties\npublisher: The Moscow Times\nkind: article\nurl: https://example.org/a\n"
                "cites: [myanmar-now-2021]\n"
            ),
        },
        Expected(
            "content/sources/moscow-times-2021.yaml:5:9",
            r"'moscow-times-2021' relies on itself: "
            r"moscow-times-2021 → myanmar-now-2021 → sipri-arms-data → moscow-times-2021$",
            r"break the circle",
        ),
    ),
    "part-of-circle": Case(
        {
            VISIT: "title: Visit\nkind: visit\npart_of: tour\n",
            "content/events/tour.yaml": "title: Tour\nkind: trip\npart_of: naval-visit\n",
        },
        Expected(f"{VISIT}:3:10", r"'naval-visit' is part of itself: naval-visit → tour → naval-visit$", r"circle"),
    ),
    # Templates and pages.
    "template-undefined": Case(
        {"templates/actor.html": "<!doctype html>\n<title>x</title>\n<p>{{ no_such_thing }}</p>\n"},
        Expected("templates/actor.html:3:1", r"'no_such_thing' is undefined", r"templates"),
    ),
    # a base.html copied before page templates used the macros it imports
    "base-without-macros": Case(
        {"templates/base.html": "<!doctype html>\n<title>{{ config.title }}</title>{% block content %}{% endblock %}"},
        Expected(
            "templates/base.html:1:1",
            r"this base\.html does not import the macros that the page templates use as 'm'",
            r'add \{% import "macros\.html" as m with context %\} at its top',
        ),
    ),
    "template-missing-include": Case(
        {"templates/actor.html": "<!doctype html>\n{% include 'gone.html' %}\n"},
        Expected("templates/actor.html:2:1", r"the template 'gone\.html' does not exist", r"templates"),
    ),
    "page-over-hard-cap": Case(
        {
            "site.yaml": "title: Test\nmax_file_size_mb: 10\n",
            "content/actors/big.yaml": "name: Big\nkind: person\nsummary: " + "x" * 6_000_000 + "\n",
        },
        Expected("content/actors/big.yaml:1:1", r"the page actors/big\.html is \d+ MB, more than 5 MB", r"split"),
        also=(Expected("content:1:1", r"the page actors/index\.html is 6 MB, more than 5 MB", r"split"),),
    ),
}


@pytest.fixture(scope="module")
def outcomes(built_base: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Every case, built concurrently."""
    prepared = {}
    for name, case in CASES.items():
        folder = tmp_path_factory.mktemp(name)
        (folder / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
        (folder / "secret-dir").mkdir()
        (folder / "secret-dir" / "key.txt").write_text(SECRET + "\n", encoding="utf-8")
        (folder / "other-site.yaml").write_text(f"title: {SECRET}\n", encoding="utf-8")  # valid, and not ours
        site = Path(shutil.copytree(built_base, folder / "site"))
        before = snapshot(site / "output")
        make_site(site, case.files)
        for link, target in case.links.items():
            (site / link).parent.mkdir(parents=True, exist_ok=True)
            outside = {"SECRET": folder / "secret.txt", "SECRET_DIR": folder / "secret-dir"}
            outside["OTHER_SITE"] = folder / "other-site.yaml"
            os.symlink(outside.get(target, target), site / link)
        prepared[name] = (site, before, sorted(p.name for p in site.iterdir()))
    return build_all(prepared)


@pytest.mark.parametrize("name", CASES)
def test_hostile_input_is_refused_where_it_is(outcomes: dict[str, Outcome], name: str) -> None:
    outcome = outcomes[name]
    outcome.assert_failed_cleanly()
    expected = (CASES[name].expected, *CASES[name].also)
    for one in expected:
        assert_reported(outcome.result, one)
    assert len(errors(outcome.result)) == len(expected), (
        f"expected {len(expected)} error(s), got:\n{outcome.result.stderr}"
    )


@pytest.mark.parametrize("name", [name for name, case in CASES.items() if case.links])
def test_a_linked_file_is_never_read(outcomes: dict[str, Outcome], name: str) -> None:
    outcome = outcomes[name]
    printed = outcome.result.stderr + outcome.result.stdout
    passwd = Path("/etc/passwd").read_text(encoding="utf-8").splitlines()[0]
    for secret in (SECRET, passwd):
        assert secret not in printed
        assert not any(secret.encode() in data for data in outcome.output_after.values())


def test_a_template_from_a_pull_request_cannot_run_a_command(base_site: Path, tmp_path: Path) -> None:
    """Templates are the site's own to change, and Jinja can reach Python's internals: the sandbox stops it."""
    marker = tmp_path / "ran"
    reach = f"{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}"
    home = (ROOT / "templates" / "home.html").read_text(encoding="utf-8")
    make_site(base_site, {"templates/home.html": home.replace("{% block content %}", "{% block content %}" + reach)})
    line = 1 + next(i for i, text in enumerate((base_site / "templates/home.html").open()) if "cycler" in text)
    for verb in ("check", "build"):
        result = run_build(base_site, verb)
        assert result.returncode == 1 and not marker.exists(), result.stderr
        assert f"templates/home.html:{line}:1: error: template error: access to attribute '__init__'" in result.stderr
        assert "hint: a template may show the investigation's data, never reach into Python" in result.stderr


def test_a_template_added_while_serve_runs_cannot_run_a_command(base_site: Path, tmp_path: Path) -> None:
    """The site had no templates of its own when serve started (no sandbox needed); one saved later is sandboxed."""
    marker = tmp_path / "ran"
    session = Session(SitePaths(base_site, tmp_path / "out"))
    assert session.full_build()
    home = (ROOT / "templates" / "home.html").read_text(encoding="utf-8")
    reach = f"{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}"
    make_site(base_site, {"templates/home.html": home.replace("{% block content %}", "{% block content %}" + reach)})
    assert not session.rebuild({str(base_site / "templates/home.html")})
    assert not marker.exists()
    assert "access to attribute '__init__'" in session.diagnostics.errors[0].message


def test_a_link_that_stays_inside_the_site_is_followed(base_site: Path) -> None:
    make_site(base_site, {"static/extra/a.css": "p { color: black }\n"})
    os.symlink("extra/a.css", base_site / "static" / "b.css")
    result = run_build(base_site)
    assert result.returncode == 0, result.stderr
    assert (base_site / "output" / "static" / "b.css").read_text(encoding="utf-8") == "p { color: black }\n"


def test_the_dev_server_refuses_a_link_out_before_copying_static_files(base_site: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    (base_site / "static").mkdir()
    os.symlink(tmp_path / "secret.txt", base_site / "static" / "notes.txt")
    session = Session(SitePaths(base_site, tmp_path / "out"))
    assert not session.full_build()
    assert [p.message for p in session.diagnostics.errors] == [
        "'notes.txt' is a link to a file outside the investigation folder"
    ]
    assert not (tmp_path / "out").exists()


def test_alias_bomb_is_refused_at_once_in_little_memory() -> None:
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(ContentError, match="anchors and aliases"):
        parse_yaml(bomb(), Path("bomb.yaml"))
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 2, f"took {elapsed:.1f} s"
    assert peak < 5_000_000, f"peak {peak} bytes"


@pytest.mark.parametrize(
    "name", ["Min_Aung", "abc\n", "Café Ünï", "Мин Аунг", "--", "2021 Report (draft)", "a\x00b", "Ünï " * 80]
)
def test_the_suggested_file_name_is_a_valid_id(name: str) -> None:
    suggested = suggest_slug(name)
    assert SLUG.fullmatch(suggested) and len(suggested) <= MAX_ID_LENGTH, suggested


def test_legitimate_numbers_and_dates_still_load() -> None:
    text = "from: 2011\nto: 2011-03\namount: 807000000\nshare: 1.5\nnegative: -3\nquoted: '0100'\nempty:\n"
    data = parse_yaml(text, Path("ok.yaml")).data
    assert data == {
        "from": 2011,
        "to": "2011-03",
        "amount": 807000000,
        "share": 1.5,
        "negative": -3,
        "quoted": "0100",
        "empty": None,
    }


def test_a_range_of_mixed_precision_builds_and_shows_as_written(base_site: Path) -> None:
    """``2021-06-13/2021`` ends on 31 December 2021: it used to be refused as ending before it started."""
    make_site(base_site, {VISIT: BASE_VISIT.replace("date: 2021-06-13/2021-06-19", "date: 2021-06-13/2021")})
    result = run_build(base_site)
    assert result.returncode == 0, result.stderr
    event = load_html(base_site / "output/events/naval-visit.html")
    assert "13 June 2021 – 2021" in event.text
    timeline = load_html(base_site / "output/timeline.html")
    assert "13 June 2021 – 2021" in timeline.text


def test_no_dossier_can_take_the_place_of_a_page_the_site_makes(built_base: Path) -> None:
    """Every file the build writes into a section's folder (``actors/index.html``, and any added later) is either
    a dossier's own page or data, or its name is an id the loader refuses in that folder."""
    investigation = resolve(load_site(built_base, Diagnostics()), Diagnostics())
    assert investigation is not None
    own = {d.page for d in investigation.dossiers.values()}
    own |= {d.page.removesuffix(".html") + ".json" for d in investigation.dossiers.values()}
    output = built_base / "output"
    taken = []
    for path in sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()):
        if path in own:
            continue
        for kind in (*DOSSIER_TYPES.values(), Page):
            stem = path.rpartition("/")[2].rpartition(".")[0]
            page = kind.page_for(stem)
            if path in (page, page.removesuffix(".html") + ".json"):
                taken.append(path)
                assert reserved_page(kind, stem), f"a {kind.type} '{stem}' would take the place of {path}"
    assert "actors/index.html" in taken and "sources/index.html" in taken, taken


@pytest.mark.parametrize(
    ("locked", "expected"),
    [
        (RUSSIA, Expected(f"{RUSSIA}:1:1", r"the file cannot be read: permission denied", r"owns")),
        (
            "content/actors/min-aung-hlaing.md",
            Expected("content/actors/min-aung-hlaing.md:1:1", r"the file cannot be read: permission denied", r"owns"),
        ),
        (
            "content/pages/method.md",
            Expected("content/pages/method.md:1:1", r"the file cannot be read: permission denied", r"owns"),
        ),
        ("content/events", Expected("content/events:1:1", r"the folder cannot be read: permission denied", r"owns")),
        (
            "templates/actor.html",
            Expected("templates/actor.html:1:1", r"the file cannot be read: permission denied", r"owns"),
        ),
        ("static/extra.css", Expected("static/extra.css:1:1", r"the file cannot be read: permission denied", r"owns")),
    ],
    ids=["dossier", "narrative", "page", "folder", "template", "static file"],
)
def test_a_file_another_user_owns_and_keeps_closed_is_a_located_error(
    built_base: Path, shared_tmp: Path, locked: str, expected: Expected
) -> None:
    site = Path(shutil.copytree(built_base, shared_tmp / "site", ignore=shutil.ignore_patterns("output")))
    actor_template = (ROOT / "templates/actor.html").read_text(encoding="utf-8")
    make_site(site, {"templates/actor.html": actor_template, "static/extra.css": "p { margin: 0 }\n"})
    home = shared_tmp / "home"
    home.mkdir()
    open_to_that_user(shared_tmp)
    close_to_that_user(site / locked)
    command = [*another_user(), sys.executable, str(BUILD), "--site", ".", "--out", str(shared_tmp / "out")]
    env = os.environ | {"HOME": str(home), "CASEFILE_CACHE_DIR": str(home / "cache")}
    result = subprocess.run(command, cwd=site, capture_output=True, text=True, timeout=180, env=env)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert_reported(result, expected)
    assert len(errors(result)) == 1, result.stderr
    assert not (shared_tmp / "out").exists()
