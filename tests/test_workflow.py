"""The GitHub Pages workflows, the repository's and the one `init` writes: the official actions, the permissions
Pages needs, the strict check before publishing, the dotfiles kept in the uploaded site, and the site folder as
a setting, so that an investigation in a sub-folder of its repository is published from there."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import BASE, BUILD, ROOT, example_only, load_html, make_site

REPOSITORY = ROOT / ".github" / "workflows" / "pages.yml"
RELEASE = ROOT / ".github" / "workflows" / "release.yml"  # what a version tag runs
NEW_SITE = ROOT / "casefile" / "new-site" / "dot-github" / "workflows" / "pages.yml"  # what init writes
PAGES_URL = "https://org.github.io/repository"  # what actions/configure-pages would give


def load_workflow(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=[REPOSITORY, NEW_SITE], ids=["repository", "init"])
def workflow(request: pytest.FixtureRequest) -> dict[str, Any]:
    return load_workflow(request.param)


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def commands(workflow: dict[str, Any]) -> list[str]:
    return [s["run"] for s in steps(workflow) if "run" in s]


def step_using(workflow: dict[str, Any], action: str) -> dict[str, Any]:
    found = [s for s in steps(workflow) if s.get("uses", "").split("@")[0] == action]
    assert len(found) == 1, f"{action} is used {len(found)} times"
    return found[0]


def run_publishing(workflow: dict[str, Any], repository: Path, site: str, program: tuple[str, str]) -> Path:
    """Run the workflow's check and build steps as the runner would, from ``repository`` with ``SITE: site``,
    ``program`` = (the command as the workflow names it, what runs it here); the folder the upload step publishes."""
    for command in commands(workflow)[1:]:  # after the install
        assert command.startswith(program[0] + " "), command
        script = program[1] + command.removeprefix(program[0])
        script = script.replace("${{ steps.pages.outputs.base_url }}", PAGES_URL)
        env = os.environ | workflow["env"] | {"SITE": site}
        result = subprocess.run(["bash", "-c", script], cwd=repository, env=env, capture_output=True, text=True)
        assert result.returncode == 0, (script, result.stderr)
    upload = step_using(workflow, "actions/upload-pages-artifact")["with"]["path"]
    return repository / upload.replace("${{ env.SITE }}", site)


def test_runs_on_push_to_main_and_by_hand(workflow: dict[str, Any]) -> None:
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers


def test_has_the_permissions_pages_needs_and_no_more(workflow: dict[str, Any]) -> None:
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"


def keeps_the_last_build(workflow: dict[str, Any]) -> bool:
    """Whether the workflow restores the last build (the one init writes), as test_init_workflow_keeps… says."""
    return any(s.get("uses", "").startswith("actions/cache@") for s in steps(workflow))


def site_build(workflow: dict[str, Any]) -> str:
    """The command that builds the investigation for the Pages address."""
    (build,) = [c for c in commands(workflow) if '--site "$SITE"' in c and "--base-url" in c]
    return build


def test_uses_the_official_actions(workflow: dict[str, Any]) -> None:
    used = [s["uses"].split("@")[0] for s in steps(workflow) if "uses" in s]
    assert used == [
        "actions/checkout",
        "actions/setup-python",
        "actions/configure-pages",
        *(["actions/cache"] if keeps_the_last_build(workflow) else []),
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ]
    assert all("@v" in s["uses"] for s in steps(workflow) if "uses" in s), "pin each action to a major version"


def test_the_site_folder_is_a_setting_at_the_top(workflow: dict[str, Any]) -> None:
    assert workflow["env"]["SITE"] == "."
    assert "check" not in site_build(workflow)
    checks = [c for c in commands(workflow) if " check " in c]
    assert all(c.endswith(' check --strict --no-cache --site "$SITE"') for c in checks)
    assert step_using(workflow, "actions/upload-pages-artifact")["with"]["path"] == "${{ env.SITE }}/output"


def test_checks_strictly_then_builds_for_the_pages_address(workflow: dict[str, Any]) -> None:
    """``--strict``: a warning fails the build before anything is written, so nothing is published."""
    build = site_build(workflow)
    assert "--strict" in build and '--base-url "${{ steps.pages.outputs.base_url }}/"' in build
    assert step_using(workflow, "actions/configure-pages")["id"] == "pages"


def test_init_workflow_keeps_the_last_build_between_runs_and_only_that() -> None:
    """Issue 28: a push that changes one dossier rebuilds the pages it affects. GitHub's cache gives back Casefile's
    own cache folder (plain data, checked when read) and the output folder (checked by content): nothing else, and
    a new entry every run, so the newest build is the one restored. Its build reads that cache, never --no-cache."""
    workflow = load_workflow(NEW_SITE)
    assert keeps_the_last_build(workflow) and not keeps_the_last_build(load_workflow(REPOSITORY))
    cache = step_using(workflow, "actions/cache")["with"]
    assert cache["path"].splitlines() == ["~/.cache/casefile", "${{ env.SITE }}/output"]
    assert cache["key"] == "casefile-${{ github.run_id }}" and cache["restore-keys"] == "casefile-"
    order = [s.get("uses", s.get("run", "")).split("@")[0] for s in steps(workflow)]
    assert (
        order.index("actions/cache") < order.index(site_build(workflow)) < order.index("actions/upload-pages-artifact")
    )
    assert "--no-cache" not in site_build(workflow)


def test_uploads_output_with_its_dotfiles(workflow: dict[str, Any]) -> None:
    assert step_using(workflow, "actions/upload-pages-artifact")["with"]["include-hidden-files"] is True  # .nojekyll


def test_deploys_after_the_build_to_the_pages_environment(workflow: dict[str, Any]) -> None:
    deploy = next(
        job for job in workflow["jobs"].values() if any("deploy-pages" in s.get("uses", "") for s in job["steps"])
    )
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    deployment_id = step_using(workflow, "actions/deploy-pages")["id"]
    assert deploy["environment"]["url"] == f"${{{{ steps.{deployment_id}.outputs.page_url }}}}"


def test_the_repository_installs_the_pinned_lock_as_the_readme_says() -> None:
    workflow = load_workflow(REPOSITORY)
    setup = step_using(workflow, "actions/setup-python")["with"]
    assert str(setup["python-version"]) == "3.11"
    assert setup["cache"] == "pip" and setup["cache-dependency-path"] == "requirements.txt"
    assert commands(workflow)[0] == "bash scripts/setup.sh"
    assert all(c.startswith(".venv/bin/python build.py ") for c in commands(workflow)[1:])


def test_a_new_site_installs_casefile_with_pip_from_the_address_init_writes() -> None:
    """No requirements.txt in a new investigation: setup-python's pip cache would fail the run without one. init
    replaces the skeleton's plain ``casefile`` with what it was installed as, and the comment says how to upgrade."""
    text = NEW_SITE.read_text(encoding="utf-8")
    workflow = load_workflow(NEW_SITE)
    setup = step_using(workflow, "actions/setup-python")["with"]
    assert str(setup["python-version"]) == "3.11" and "cache" not in setup
    assert commands(workflow)[0] == 'python -m pip install "$CASEFILE"'
    assert workflow["env"]["CASEFILE"] == "casefile-investigations"  # init writes the release (test_release)
    assert "ORG" not in text and "casefile-investigations==" in text
    assert all(c.startswith("casefile ") for c in commands(workflow)[1:])


def test_the_repository_workflow_publishes_an_investigation_from_a_sub_folder(tmp_path: Path) -> None:
    """``SITE: investigations/demo`` in a repository holding it: checked, built for the Pages address, and the
    upload step finds the site."""
    repository = tmp_path / "repository"
    make_site(repository / "investigations" / "demo", BASE)
    program = (".venv/bin/python build.py", f"{sys.executable} {BUILD}")
    published = run_publishing(load_workflow(REPOSITORY), repository, "investigations/demo", program)
    assert published == repository / "investigations/demo/output"
    assert (published / "guide" / "index.html").is_file()
    home = load_html(published / "index.html")
    assert home.find("link", rel="canonical").attrs["href"] == PAGES_URL + "/"
    assert (published / ".nojekyll").is_file()
    assert not (repository / "output").exists()


def test_the_repository_workflow_publishes_the_guide_beside_the_site(tmp_path: Path) -> None:
    """The steps the runner runs, in a repository holding an investigation at its root: the uploaded folder holds
    the site at its root and the guide under guide/, built for the Pages address, and no lock or temporary folder
    that ``include-hidden-files`` would publish."""
    repository = tmp_path / "repository"
    make_site(repository, BASE)
    program = (".venv/bin/python build.py", f"{sys.executable} {BUILD}")
    published = run_publishing(load_workflow(REPOSITORY), repository, ".", program)
    home = load_html(published / "index.html")
    assert home.find("link", rel="canonical").attrs["href"] == PAGES_URL + "/"
    guide = load_html(published / "guide" / "index.html")
    assert guide.find("link", rel="canonical").attrs["href"] == PAGES_URL + "/guide/"
    assert (published / "guide" / "pages" / "getting-started.html").is_file()
    hidden = sorted(p.relative_to(published).as_posix() for p in published.rglob(".*"))
    assert hidden == [".casefile-output", ".nojekyll", "guide/.casefile-output", "guide/.nojekyll"]


def test_the_runner_reads_no_cache_and_a_committed_one_never_runs(tmp_path: Path, workflow: dict[str, Any]) -> None:
    """The runner holds ``pages: write`` and ``id-token: write``: a cache file force-added in a merged pull request
    must not run there. Every Casefile command reads no cache, and one planted in the repository is never read."""
    from test_planted_cache import hostile_pickle

    # every command reads no cache, but the init'ed build: it reads Casefile's cache folder, restored by actions/cache
    assert all("--no-cache" in command for command in commands(workflow)[1:] if command != site_build(workflow))
    assert "--no-cache" in site_build(workflow) or keeps_the_last_build(workflow)
    repository = tmp_path / "repository"
    make_site(repository, BASE)
    marker = tmp_path / "ran"
    (repository / ".casefile-cache").mkdir()
    (repository / ".casefile-cache" / "state.pickle").write_bytes(hostile_pickle(marker))
    named = ".venv/bin/python build.py" if commands(workflow)[1].startswith(".venv/") else "casefile"
    run_publishing(workflow, repository, ".", (named, f"{sys.executable} {BUILD}"))
    assert not marker.exists()
    assert (repository / "output" / "index.html").is_file()


@example_only
def test_the_example_passes_the_workflows_strict_check() -> None:
    result = subprocess.run(
        [sys.executable, "build.py", "check", "--strict"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def release_jobs() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The release workflow, its job that tests and builds, and its job that publishes."""
    release = load_workflow(RELEASE)
    assert list(release["jobs"]) == ["build", "publish"]
    return release, release["jobs"]["build"], release["jobs"]["publish"]


def test_release_runs_on_a_version_tag_only() -> None:
    release = load_workflow(RELEASE)
    assert release.get("on", release.get(True)) == {"push": {"tags": ["v*"]}}


def test_release_publishes_by_trusted_publishing_with_no_token() -> None:
    """PyPI trusts the workflow's OIDC identity (``id-token: write``) in the ``pypi`` environment, which can require
    a reviewer; nothing else may write, and no secret is read."""
    release, build, publish = release_jobs()
    assert release["permissions"] == {"contents": "read"} and "permissions" not in build
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    name = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["name"]
    assert publish["environment"]["url"] == f"https://pypi.org/project/{name}/"
    assert "secrets." not in RELEASE.read_text(encoding="utf-8") and "password" not in RELEASE.read_text()


def test_release_uses_the_official_actions_pinned_to_a_major_version() -> None:
    release = load_workflow(RELEASE)
    used = [s["uses"] for s in steps(release) if "uses" in s]
    assert [u.split("@")[0] for u in used] == [
        "actions/checkout",
        "actions/upload-artifact",
        "actions/download-artifact",
        "pypa/gh-action-pypi-publish",
    ]
    assert all(re.fullmatch(r"[\w/-]+@(release/)?v\d+", u) for u in used), used


def test_release_tests_and_builds_outside_the_source_folder_before_it_publishes() -> None:
    """The tag is checked first, then the README's test command runs; the build runs in the runner's temporary
    folder, on the tagged tree (at the root, `python -m build` would import build.py); only files that passed
    ``twine check`` reach the publishing job, which runs after the tests."""
    _, build, publish = release_jobs()
    assert build["container"] == "python:3.11-bookworm"  # Debian 12 as root: scripts/test.sh installs what it needs
    names = [step.get("name", step.get("uses", "").split("@")[0]) for step in build["steps"]]
    assert names == [
        "actions/checkout",
        "Trust the checkout",
        "The tag is the package's version",
        "Test",
        "Build the sdist and the wheel",
        "Check the sdist and the wheel",
        "actions/upload-artifact",
    ]
    scripts = {step["name"]: step["run"] for step in build["steps"] if "run" in step}
    assert scripts["Test"] == "bash scripts/test.sh"
    script = scripts["Build the sdist and the wheel"]
    assert 'cd "$RUNNER_TEMP"' in script.split("-m build")[0] and 'git archive "$GITHUB_SHA"' in script
    assert "--no-isolation" in script  # the setuptools pinned in requirements-dev.txt
    assert scripts["Check the sdist and the wheel"].startswith(".venv/bin/python -m twine check --strict ")
    assert publish["needs"] == "build"
