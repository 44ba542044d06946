"""The guide: an investigation of pages in docs/guide/, built by Casefile itself with ``casefile guide``, every link
and ``#fragment`` checked by the build's own link checker; shipped inside the package; and the README, short, that
points to it.

The guide in a browser (no request leaves the site, axe) is ``test_guide_browser.py``; the Pages workflow that
publishes it beside the example is ``test_workflow.py``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BUILD, ROOT, load_html
from test_install import run, venv  # noqa: F401  (venv: the module's fixture, Casefile installed from a wheel)

GUIDE = ROOT / "docs" / "guide"
README = ROOT / "README.md"
CHAPTERS = {  # the list, in order
    "getting-started": "Getting started",
    "writing-dossiers": "Writing dossiers",
    "sourcing": "Sourcing and provenance",
    "evidence": "Evidence media",
    "languages": "Languages",
    "right-of-reply": "Right of reply and sign-off",
    "publishing": "Publishing on GitHub Pages",
    "troubleshooting": "Troubleshooting errors",
    "developers": "For developers",
}
# what docs/content-format.md became, and the chapter on replies and sign-off that documents their fields
FORMAT = ["writing-dossiers", "sourcing", "evidence", "languages", "right-of-reply"]
TEST_COMMAND = "bash scripts/test.sh"
BUILD_COMMAND = "bash scripts/setup.sh && .venv/bin/python build.py"


def build_guide(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BUILD), "guide", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The guide as CI builds it: strictly (a warning is an error), from scratch; its folder and what it printed."""
    where = tmp_path_factory.mktemp("guide")
    result = build_guide("--strict", "--no-cache", "--out", "guide", cwd=where)
    assert result.returncode == 0, result.stderr
    return where / "guide", result.stderr


def test_the_guide_builds_strictly_with_every_link_checked_and_says_where_it_is(built: tuple[Path, str]) -> None:
    out, printed = built
    assert "warning:" not in printed and "error:" not in printed, printed
    assert printed.splitlines()[-1] == f"open the guide in a browser: {(out / 'index.html').as_uri()}"
    for chapter, title in CHAPTERS.items():
        page = load_html(out / "pages" / f"{chapter}.html")
        assert page.find("h1").text == title, chapter


def test_the_home_page_lists_the_chapters_in_order_and_the_navigation_only_them(built: tuple[Path, str]) -> None:
    home = load_html(built[0] / "index.html")
    listed = [a.attrs["href"] for a in home.find("nav", **{"aria-labelledby": "chapters-title"}).find_all("a")]
    assert listed == [f"pages/{chapter}.html" for chapter in CHAPTERS]
    navigation = [a.attrs["href"] for a in home.find("header").find("nav").find_all("a")]
    assert navigation == listed, "the investigation's sections (actors, timeline …) have no place in a guide"


def test_the_guide_keeps_casefiles_page_head_word_for_word() -> None:
    """The guide replaces base.html for its navigation and footer; the head, with the Content-Security-Policy,
    stays Casefile's own, so a change there reaches the guide too."""
    default = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    own = (GUIDE / "templates" / "base.html").read_text(encoding="utf-8")
    assert own[: own.index("<body>")].endswith(default[: default.index("<body>")])


def test_a_broken_link_or_fragment_between_chapters_fails_the_guides_build(tmp_path: Path) -> None:
    """Chapters link each other's sections by ``page.html#fragment``: a heading renamed without its links is an
    error, not a warning, and the previous guide stays."""
    copy = tmp_path / "guide"
    shutil.copytree(GUIDE, copy)
    chapter = copy / "content" / "pages" / "getting-started.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text + "\nSee [the list](sourcing.html#no-such-section).\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(BUILD), "--site", str(copy), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert "error: the link 'sourcing.html#no-such-section' leads nowhere" in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def test_without_out_the_guide_goes_to_the_cache_folder_never_beside_its_pages(tmp_path: Path) -> None:
    env = os.environ | {"CASEFILE_CACHE_DIR": str(tmp_path / "cache")}
    result = build_guide(cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    index = tmp_path / "cache" / "guide" / "index.html"
    assert index.is_file() and result.stderr.endswith(f"open the guide in a browser: {index.as_uri()}\n")
    assert not (GUIDE / "output").exists()
    again = build_guide(cwd=tmp_path, env=env)  # nothing changed: the cache answers
    assert again.returncode == 0 and again.stderr == result.stderr


def test_an_installed_casefile_builds_the_guide_it_ships(venv: Path, tmp_path: Path) -> None:  # noqa: F811
    """From the wheel, in a folder with no Casefile in sight: the guide is read from the installed package."""
    where = run(venv / "bin/python", "-c", "from casefile.commands import guide; print(guide.source())", cwd=tmp_path)
    shipped = Path(where.stdout.strip())
    assert shipped.is_relative_to(venv) and (shipped / "site.yaml").is_file(), where.stdout
    assert {p.stem for p in (shipped / "content" / "pages").glob("*.md")} == {"index", *CHAPTERS}
    result = run(venv / "bin/casefile", "guide", "--strict", "--out", "guide", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for chapter in CHAPTERS:
        assert (tmp_path / "guide" / "pages" / f"{chapter}.html").is_file()
    assert not any(shipped.rglob("output")), "nothing is written inside the installed package"


# --------------------------------------------------------------------------------------------
# The README: short, the two commands, and links that lead somewhere
# --------------------------------------------------------------------------------------------


def test_the_readme_is_short_and_keeps_the_two_commands_that_ci_runs() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) < 200
    assert f"```sh\n{BUILD_COMMAND}\n```" in text and f"```sh\n{TEST_COMMAND}\n```" in text
    assert TEST_COMMAND in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "`.ci/run` runs exactly this command" in text
    assert "casefile guide" in text


def test_the_readme_names_everything_the_test_command_installs() -> None:
    """Every Debian package scripts/test.sh may install, by the name apt-get is given."""
    script = (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    packages = [name for group in re.findall(r"missing\+=\(([^)]*)\)", script) for name in group.split()]
    assert {"chromium", "firefox-esr", "npm", "g++"} <= set(packages), packages
    text = README.read_text(encoding="utf-8")
    assert [name for name in packages if f"`{name}`" not in text] == []
    assert "npm ci" in script and "`npm ci`" in text


@pytest.mark.parametrize(("document", "chapters"), [("README.md", list(CHAPTERS)), ("docs/content-format.md", FORMAT)])
def test_the_documents_link_the_guides_chapters_and_every_link_leads_to_a_file(document: str, chapters: list) -> None:
    """The README points to every chapter, and the old content-format page to the chapters it became, by links
    that GitHub follows; its picture is small."""
    path = ROOT / document
    text = path.read_text(encoding="utf-8")
    local = [t.split("#")[0] for t in re.findall(r"\]\(([^)\s]+)\)", text) if not re.match(r"[a-z]+:|#", t)]
    assert [t for t in local if not (path.parent / t).exists()] == []
    linked = {(path.parent / t).resolve() for t in local}
    assert [c for c in chapters if (GUIDE / "content" / "pages" / f"{c}.md").resolve() not in linked] == []
    images = re.findall(r"!\[[^\]]+\]\(([^)\s]+)\)", text)
    assert images or document != "README.md", "the README shows a page"
    assert all((path.parent / image).stat().st_size < 150_000 for image in images)
