"""Strict checks: one fixture site with every kind of warning (shown by `check`, fatal with
`--strict`), a template that produces broken links (the build fails and the previous site
stays), and dead outbound links found with `--check-external` against a local server."""

from __future__ import annotations

import re
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import BASE, ROOT, make_site, run_build, run_builds, snapshot

LINKS_PAGE = "See [the list](missing.html) and [our method](method.md).\n"
HALF_SOURCED_DEAL = """\
title: A half-sourced agreement
kind: agreement
parties:
  - actor: russia
    role: party
    sources: [moscow-times-2021]
  - actor: tatmadaw
    role: party
claims:
  - text: Nobody says where this comes from.
"""

LINT_SITE = BASE | {
    "site.yaml": "title: Lint fixture\n",  # accepts nothing: myanmar-now-2021 has no URL
    "content/sources/unused-report.yaml": "title: An unused report\npublisher: The Paper\n"
    "url: https://example.org/unused\nkind: article\n",
    "content/events/unsourced-meeting.yaml": "title: A meeting\nkind: meeting\nparticipants:\n  - actor: russia\n",
    "content/deals/half-sourced.yaml": HALF_SOURCED_DEAL,
    "content/actors/loner.yaml": "name: A loner\nkind: person\nsources: [moscow-times-2021]\n",
    "content/pages/links.md": "---\ntitle: Links\n---\n" + LINKS_PAGE,
    "content/actors/verbose.yaml": "name: A verbose actor\nkind: person\nroles:\n  - title: Spokesperson\n"
    "    of: russia\n    sources: [moscow-times-2021]\nsources: [moscow-times-2021]\n",
    "content/actors/verbose.md": "Words and more words. " * 25_000,  # 550 KB of narrative
}

EXPECTED = [  # (location, message, kind)
    ("content/sources/myanmar-now-2021.yaml:1:1", "has neither `url:` nor `archived:`", "source-without-url"),
    ("content/sources/unused-report.yaml:1:1", "nothing cites the source 'unused-report'", "uncited-source"),
    (
        "content/events/unsourced-meeting.yaml:1:1",
        "nothing in 'unsourced-meeting' has a source",
        "dossier-without-sources",
    ),
    ("content/deals/half-sourced.yaml:7:5", "the party 'tatmadaw' has no sources", "fact-without-sources"),
    (
        "content/deals/half-sourced.yaml:10:5",
        "the claim 'Nobody says where this comes from.' has no sources",
        "fact-without-sources",
    ),
    ("content/actors/loner.yaml:1:1", "'loner' has no roles", "actor-without-relations"),
    (
        f"content/pages/links.md:4:{LINKS_PAGE.index('missing.html') + 1}",
        "the link 'missing.html' leads to no page of the site",
        "broken-markdown-link",
    ),
    (
        f"content/pages/links.md:4:{LINKS_PAGE.index('method.md') + 1}",
        "the link 'method.md' points at a markdown file",
        "broken-markdown-link",
    ),
    ("content/actors/verbose.yaml:1:1", "the page actors/verbose.html is 5", "page-too-large"),
]


def reported(stderr: str, severity: str) -> dict[str, tuple[str, str]]:
    """location → (message, hint) for every problem of ``severity``."""
    lines = stderr.splitlines()
    found = {}
    for index, line in enumerate(lines):
        match = re.match(rf"^(\S+:\d+:\d+): {severity}: (.*)$", line)
        if match:
            hint = lines[index + 1] if index + 1 < len(lines) and lines[index + 1].startswith("    hint: ") else ""
            found.setdefault(match.group(1), []).append((match.group(2), hint))
    return found


@pytest.fixture(scope="module")
def lint_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, subprocess.CompletedProcess[str]]]:
    site = make_site(tmp_path_factory.mktemp("lint") / "site", LINT_SITE)
    verbs = {"check": ("check",), "check --strict": ("check", "--strict"), "build --strict": ("--strict",)}
    results = run_builds([(site, args) for args in verbs.values()])
    return site, dict(zip(verbs, results, strict=True))


@pytest.mark.parametrize(("location", "message", "kind"), EXPECTED, ids=[e[2] + "@" + e[0] for e in EXPECTED])
def test_check_warns_at_the_place_to_fix(lint_runs, location: str, message: str, kind: str) -> None:
    _, runs = lint_runs
    result = runs["check"]
    assert result.returncode == 0, result.stderr
    problems = reported(result.stderr, "warning").get(location, [])
    matching = [(m, hint) for m, hint in problems if message in m and m.endswith(f"[{kind}]")]
    assert matching, f"no {kind} warning at {location}; stderr was:\n{result.stderr}"
    assert matching[0][1].strip() != "hint:", f"no hint for {location}"


def test_check_shows_nothing_else_and_groups_the_count(lint_runs) -> None:
    _, runs = lint_runs
    stderr = runs["check"].stderr
    assert sum(len(p) for p in reported(stderr, "warning").values()) == len(EXPECTED)
    assert "error:" not in stderr
    assert (
        "0 error(s), 9 warning(s) — 2 broken-markdown-link, 2 fact-without-sources, 1 actor-without-relations, "
        "1 dossier-without-sources, 1 page-too-large, 1 source-without-url, 1 uncited-source" in stderr
    )


def test_strict_turns_every_warning_into_an_error(lint_runs) -> None:
    site, runs = lint_runs
    for verb in ("check --strict", "build --strict"):
        result = runs[verb]
        assert result.returncode == 1, verb
        assert "warning:" not in result.stderr
        errors = reported(result.stderr, "error")
        assert all(location in errors for location, _, _ in EXPECTED), result.stderr
        assert "9 error(s), 0 warning(s)" in result.stderr
    assert not (site / "output").exists()


def test_accepted_warnings_are_not_shown(tmp_path: Path) -> None:
    accepted = "accepted_warnings:\n  source-without-url: [myanmar-now-2021]\n  page-too-large: [verbose]\n"
    site = make_site(tmp_path / "site", LINT_SITE | {"site.yaml": "title: Lint fixture\n" + accepted})
    [result] = run_builds([(site, ("check",))])
    assert result.returncode == 0
    warned = reported(result.stderr, "warning")
    assert "content/sources/myanmar-now-2021.yaml:1:1" not in warned
    assert "content/actors/verbose.yaml:1:1" not in warned
    assert "7 warning(s)" in result.stderr


def test_an_unknown_kind_in_accepted_warnings_is_an_error(tmp_path: Path) -> None:
    accepted = "accepted_warnings:\n  source-without-ur: [x]\n  page-too-large: [y]\n  no-url: [z]\n"
    site = make_site(tmp_path / "site", BASE | {"site.yaml": "title: T\n" + accepted})
    [result] = run_builds([(site, ("check",))])
    assert result.returncode == 1
    assert "site.yaml:3:3: error: unknown field 'source-without-ur'\n    hint: did you mean 'source-without-url'" in (
        result.stderr
    )
    assert "site.yaml:5:3: error: unknown field 'no-url'" in result.stderr


# -------------------------------------------------------------------------------- the link check


BROKEN_LINKS = (
    '<p><a href="#nowhere">a</a> <a href="{{ page.url(\'nowhere.html\') }}">b</a> '
    '<a href="https:///no-host">c</a> <a href="javascript:alert(1)">d</a></p>\n'
)


def test_broken_links_in_the_output_fail_the_build_and_keep_the_previous_site(base_site: Path) -> None:
    default = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    broken = default.replace('<main id="main">\n', '<main id="main">\n' + BROKEN_LINKS, 1)
    assert broken != default
    make_site(base_site, {"templates/base.html": broken})
    before = snapshot(base_site / "output")
    [result] = run_builds([(base_site, ())])
    assert result.returncode == 1
    pages = sorted(p.relative_to(base_site / "output").as_posix() for p in (base_site / "output").rglob("*.html"))
    errors = reported(result.stderr, "error")
    messages = [(location, m) for location, found in errors.items() for m, _ in found]
    for page in pages:
        on_page = [m for location, m in messages if location.startswith(f"output/{page}:")]
        assert f"the link '#nowhere' leads nowhere: {page} has no element with id 'nowhere'" in on_page, page
        assert any(m.startswith("the link '") and "the site has no nowhere.html" in m for m in on_page), page
        assert "'https:///no-host' is not a complete web address" in on_page, page
        assert "'javascript:alert(1)' is not a complete web address" in on_page, page
    assert all(hint for found in errors.values() for _, hint in found)
    assert f"{4 * len(pages)} error(s)" in result.stderr
    assert snapshot(base_site / "output") == before
    assert sorted(p.name for p in base_site.iterdir()) == ["content", "output", "site.yaml", "templates"]


# -------------------------------------------------------------------------------- --check-external


class _Publisher(BaseHTTPRequestHandler):
    """A stand-in publisher on 127.0.0.1: addresses under /ok answer 200, all others 404."""

    def do_HEAD(self) -> None:
        self.send_response(200 if self.path.startswith("/ok") else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self.do_HEAD()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def publisher() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Publisher)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_check_external_reports_dead_links_with_the_archived_copy(tmp_path: Path, publisher: str) -> None:
    sipri = BASE["content/sources/sipri-arms-data.yaml"].replace(
        "url: https://www.sipri.org/databases/armstransfers",
        f"url: {publisher}/missing\narchived: {{url: {publisher}/ok/archived, date: 2021-07-08}}",
    )
    moscow = re.sub(r"url: \S+", f"url: {publisher}/ok/moscow", BASE["content/sources/moscow-times-2021.yaml"])
    site = make_site(
        tmp_path / "site",
        BASE | {"content/sources/sipri-arms-data.yaml": sipri, "content/sources/moscow-times-2021.yaml": moscow},
    )
    external, strict, offline = run_builds(
        [(site, ("--check-external",)), (site, ("check", "--check-external", "--strict")), (site, ("check",))]
    )
    assert external.returncode == 0, external.stderr
    warnings = reported(external.stderr, "warning")
    assert list(warnings) == ["content/sources/sipri-arms-data.yaml:3:6"], external.stderr
    [(message, hint)] = warnings["content/sources/sipri-arms-data.yaml:3:6"]
    assert message == f"'{publisher}/missing' answered 404 Not Found [dead-link]"
    assert f"archived copy {publisher}/ok/archived" in hint
    assert "1 dead-link" in external.stderr
    assert strict.returncode == 1 and "sipri-arms-data.yaml:3:6: error:" in strict.stderr
    assert offline.returncode == 0 and "dead-link" not in offline.stderr


def test_a_file_without_sources_is_named_by_its_file(tmp_path: Path) -> None:
    """A page's picture without sources was "the fact '' has no sources": the warning names the file."""
    import io

    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(picture, "PNG")
    files = BASE | {
        "content/pages/about.md": "---\ntitle: About\nmedia:\n  - file: screen.png\n    alt: A screen\n---\nText.\n",
        "content/pages/screen.png": picture.getvalue(),
    }
    result = run_build(make_site(tmp_path / "site", files), "check")
    assert "content/pages/about.md:4:5: warning: the file 'screen.png' has no sources" in result.stderr, result.stderr
    assert "''" not in result.stderr
