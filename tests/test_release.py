"""Casefile as a release: one version, the sdist and the wheel the release workflow builds, and a new site's Pages
workflow run for real against that wheel. Everything runs offline.

The sdist and the wheel come from the release workflow's own build step (``.github/workflows/release.yml``), run
here on a Git repository holding a copy of this checkout (committed and untracked files, as they are now). That step
builds from outside the source folder, because of the ``build.py`` trap: ``python -m`` puts the current folder
first on ``sys.path``, so ``python -m build .`` typed at the repository's root runs Casefile's own top-level
``build.py`` ("argument verb: invalid choice: '.'"; with no argument it builds the example site) instead of the
``build`` package. ``--no-isolation`` builds with the setuptools pinned in requirements-dev.txt: nothing is
downloaded.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

import casefile
from casefile.commands.newsite import DISTRIBUTION

RELEASE = ROOT / ".github" / "workflows" / "release.yml"
VERSION = casefile.__version__
NAME = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["name"]  # on PyPI
FILES = f"{re.sub(r'[-_.]+', '_', NAME).lower()}-{VERSION}"  # how the sdist and the wheel are named
TAG = f"v{VERSION}"  # what a release of this version is tagged
GUIDE = "casefile.guide"  # the package the guide ships as
# What the test environment lends a fresh venv: the pinned lock, pip and setuptools (see fresh_venv).
TEST_PURELIB = sysconfig.get_path("purelib")
# pip reads no configuration and no index but the one a test names.
PIP_ENV = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") and k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
PIP_ENV |= {"PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
# A Git address as a journalist would install from; git fetches it from a local repository instead (url.insteadOf).
GIT_ADDRESS = "https://github.com/example-newsroom/casefile.git"


def run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        list(map(str, command)), cwd=cwd, env=env or PIP_ENV, capture_output=True, text=True, timeout=300
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def steps(workflow: dict) -> dict[str, dict]:
    return {step.get("name", step.get("uses")): step for job in workflow["jobs"].values() for step in job["steps"]}


@pytest.fixture(scope="module")
def release() -> dict:
    return yaml.safe_load(RELEASE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A Git repository of this checkout as it is now, and its commit: what a tag would point at."""
    repository = tmp_path_factory.mktemp("release") / "casefile"
    listed = run("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT, env=os.environ)
    for name in filter(None, listed.stdout.split("\0")):
        if (ROOT / name).is_file():
            (repository / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repository / name)
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    for words in (["init", "--quiet"], ["add", "--all"], [*identity, "commit", "--quiet", "-m", TAG]):
        assert run("git", *words, cwd=repository, env=os.environ).returncode == 0
    commit = run("git", "rev-parse", "HEAD", cwd=repository, env=os.environ).stdout.strip()
    return repository, commit


def run_release_step(release: dict, name: str, repository: Path, **variables: str) -> subprocess.CompletedProcess:
    """A ``run:`` step of the release workflow, in bash as the runner runs it, from the checkout (``repository``,
    whose ``.venv`` is the test environment's, as ``scripts/test.sh`` left it on the runner)."""
    temp = repository.parent / "runner-temp"
    temp.mkdir(exist_ok=True)
    env = PIP_ENV | {"GITHUB_WORKSPACE": str(repository), "RUNNER_TEMP": str(temp)} | variables
    return run("bash", "-e", "-c", steps(release)[name]["run"], cwd=repository, env=env)


@pytest.fixture(scope="module")
def dist(release: dict, repository: tuple[Path, str]) -> Path:
    """The sdist and the wheel, made by the release workflow's build step."""
    checkout, commit = repository
    (checkout / ".venv").symlink_to(Path(sys.executable).parent.parent)
    built = run_release_step(release, "Build the sdist and the wheel", checkout, GITHUB_SHA=commit)
    assert built.returncode == 0, built.stderr
    assert not (checkout / "build").exists() and not list(checkout.glob("*.egg-info")), "built in the source folder"
    return checkout / "dist"


def test_the_version_has_one_source_that_imports_nothing() -> None:
    """pyproject.toml reads the version from casefile/__init__.py; importing it loads no other module."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in pyproject["project"] and pyproject["project"]["dynamic"] == ["version"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "casefile.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION), VERSION
    assert DISTRIBUTION == NAME, "init writes the requirement under pyproject.toml's name"
    probe = "import sys; before = set(sys.modules); import casefile; print(sorted(set(sys.modules) - before))"
    loaded = run(sys.executable, "-c", probe, cwd=ROOT, env=os.environ)
    assert loaded.stdout.strip() == "['casefile']", loaded.stdout


def test_casefile_version_prints_the_version() -> None:
    shown = run(sys.executable, ROOT / "build.py", "--version", cwd=ROOT, env=os.environ)
    assert shown.returncode == 0 and shown.stdout == f"casefile {VERSION}\n", shown


def test_sdist_and_wheel_hold_the_templates_static_files_catalogs_skeleton_and_guide(dist: Path) -> None:
    sdist, wheel = dist / f"{FILES}.tar.gz", dist / f"{FILES}-py3-none-any.whl"
    assert sorted(dist.iterdir()) == [wheel, sdist]
    with tarfile.open(sdist) as archive:
        in_sdist = {name.removeprefix(f"{FILES}/") for name in archive.getnames()}
    in_wheel = set(zipfile.ZipFile(wheel).namelist())

    def files(folder: str, pattern: str = "*") -> set[str]:
        return {p.relative_to(ROOT).as_posix() for p in (ROOT / folder).rglob(pattern) if p.is_file()}

    package = {name for name in files("casefile") if "__pycache__" not in name}
    shipped = files("templates") | files("static")
    assert package and shipped and {"casefile/new-site/dot-github/workflows/pages.yml"} <= package
    assert {"casefile/locale/casefile.pot", "casefile/locale/ru/LC_MESSAGES/casefile.po"} <= package
    assert package | shipped | {"pyproject.toml", "README.md"} <= in_sdist
    assert package | {f"casefile/{name}" for name in shipped} <= in_wheel
    metadata = zipfile.ZipFile(wheel).read(f"{FILES}.dist-info/METADATA").decode()
    assert (
        f"\nName: {NAME}\nVersion: {VERSION}\n" in metadata
        and "\nDescription-Content-Type: text/markdown\n" in metadata
    )


def test_the_wheel_holds_the_guide(repository: tuple[Path, str], dist: Path) -> None:
    """The guide ships as the package ``casefile.guide``, from the folder pyproject.toml names for it: every file
    of it in the repository."""
    checkout = repository[0]
    folder = tomllib.loads((checkout / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"].get(GUIDE)
    if folder is None:
        pytest.skip(f"pyproject.toml ships no guide yet (no package-dir for {GUIDE})")
    guide = {p.relative_to(checkout / folder).as_posix() for p in (checkout / folder).rglob("*") if p.is_file()}
    in_wheel = set(zipfile.ZipFile(dist / f"{FILES}-py3-none-any.whl").namelist())
    with tarfile.open(dist / f"{FILES}.tar.gz") as archive:
        in_sdist = set(archive.getnames())
    assert "site.yaml" in guide and {f"casefile/guide/{name}" for name in guide} <= in_wheel
    assert {f"{FILES}/{folder}/{name}" for name in guide} <= in_sdist


def test_twine_check_accepts_the_sdist_and_the_wheel(release: dict, repository: tuple[Path, str], dist: Path) -> None:
    checked = run_release_step(release, "Check the sdist and the wheel", repository[0])
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("PASSED") == 2, checked.stdout


def test_the_release_publishes_only_the_tag_of_the_package_version(release: dict, repository: tuple[Path, str]) -> None:
    name = "The tag is the package's version"
    assert run_release_step(release, name, repository[0], GITHUB_REF_NAME=TAG).returncode == 0
    other = run_release_step(release, name, repository[0], GITHUB_REF_NAME="v9.9.9")
    assert other.returncode != 0 and f"v9.9.9 is not v{VERSION}" in other.stdout + other.stderr, other


def fresh_venv(folder: Path) -> Path:
    """A new venv, without pip, lent the test environment's packages through a .pth file (see the acceptance test)."""
    run(sys.executable, "-m", "venv", "--without-pip", folder, cwd=folder.parent)
    purelib = run(folder / "bin/python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=folder)
    Path(purelib.stdout.strip(), "lent-lock.pth").write_text(TEST_PURELIB + "\n")
    return folder


def installed_from(venv: Path) -> Path:
    where = run(venv / "bin/python", "-c", "import casefile; print(casefile.__file__)", cwd=venv)
    return Path(where.stdout.strip())


def run_pages_workflow(site: Path, venv: Path, pip_env: dict[str, str]) -> list[str]:
    """Every ``run:`` step of the site's Pages workflow, read from its YAML, in bash as the runner runs them: from
    the repository's root, with the workflow's ``env:``, and ``python`` being the fresh venv's. Only the index
    options differ from the runner's, set in pip's environment: the step's command and requirement run as written.
    The one expression in a step is the Pages address that actions/configure-pages gives."""
    workflow = yaml.safe_load((site / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    pages_url = "https://example-newsroom.github.io/ports"
    scripts = [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]
    env = pip_env | workflow["env"] | {"PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    for script in scripts:
        script = script.replace("${{ steps.pages.outputs.base_url }}", pages_url)
        assert "${{" not in script, script
        result = run("bash", "-e", "-c", script, cwd=site, env=env)
        assert result.returncode == 0, (script, result.stdout, result.stderr)
    return scripts


def assert_points_only_at_what_the_install_has(site: Path, venv: Path) -> None:
    """No placeholder in what init wrote, and the README names only verbs the installed command has and files the
    install holds."""
    written = {path: path.read_text(encoding="utf-8") for path in site.rglob("*") if path.is_file()}
    assert not [path for path, text in written.items() if "ORG" in text]
    readme = written[site / "README.md"]
    assert "docs/" not in readme and "Casefile's `templates/`" not in readme
    usage = run(venv / "bin/casefile", "--help", cwd=site).stdout
    verbs = set(re.search(r"\{(build,[\w,]+)\}", usage)[1].split(","))
    named = set(re.findall(r"`casefile (\w+)", readme))
    assert named and named <= verbs, named - verbs
    assert f"`pip show -f {NAME}`" in readme
    listed = run(venv / "bin/python", "-m", "pip", "show", "--files", NAME, cwd=site).stdout
    assert "  casefile/templates/base.html\n" in listed and "  casefile/static/casefile.css\n" in listed


def test_init_from_the_released_wheel_writes_a_workflow_that_installs_that_release_and_builds(
    dist: Path, tmp_path: Path
) -> None:
    """The acceptance test of issue 26: a journalist's Casefile installed by version from a package index (here a
    local one, ``--find-links``, holding the built wheel); ``casefile init``; then the Pages workflow's steps in a
    second, fresh venv, the runner's, where its install step installs ``casefile-investigations==X.Y.Z`` from that
    index.

    Offline, the dependencies cannot be downloaded, and no tool turns an installed package back into a wheel. So
    each fresh venv is made with ``--without-pip`` and lent the test environment's site-packages through a ``.pth``
    file: the pinned lock of requirements.txt, and pip itself. pip still resolves for real: Casefile comes from the
    index, and its dependency ranges are checked against the lent lock, which pip finds installed and leaves alone.
    """
    index = {"PIP_FIND_LINKS": str(dist)}
    journalist = fresh_venv(tmp_path / "journalist")
    installed = run(
        journalist / "bin/python", "-m", "pip", "install", f"{NAME}=={VERSION}", cwd=tmp_path, env=PIP_ENV | index
    )
    assert installed.returncode == 0, installed.stderr
    assert installed_from(journalist).is_relative_to(journalist)
    shown = run(journalist / "bin/casefile", "--version", cwd=tmp_path)
    assert shown.stdout == f"casefile {VERSION}\n", shown

    started = run(journalist / "bin/casefile", "init", "ports", cwd=tmp_path)
    assert started.returncode == 0 and started.stderr.count("\n") == 1, started.stderr
    site = tmp_path / "ports"
    workflow = (site / ".github/workflows/pages.yml").read_text(encoding="utf-8")
    assert f"\n  CASEFILE: {NAME}=={VERSION}\n" in workflow
    assert_points_only_at_what_the_install_has(site, journalist)

    runner = fresh_venv(tmp_path / "runner")
    scripts = run_pages_workflow(site, runner, PIP_ENV | index)
    assert scripts[0] == 'python -m pip install "$CASEFILE"'
    assert installed_from(runner).is_relative_to(runner)
    assert any(" build --strict " in script for script in scripts)
    assert (site / "output/index.html").is_file() and (site / "output/.nojekyll").is_file()
    home = (site / "output/index.html").read_text(encoding="utf-8")
    assert 'href="https://example-newsroom.github.io/ports/"' in home


def test_init_from_a_git_install_writes_that_address_at_its_commit(
    repository: tuple[Path, str], tmp_path: Path
) -> None:
    """``pip install "casefile-investigations @ git+https://…"``, as pip records it (PEP 610's direct_url.json with
    vcs_info): init writes the same address at the installed commit, and says so. Git fetches the address from the
    local repository (``url.…insteadOf`` in a Git configuration of the test's), so that pip's real Git install runs
    offline."""
    checkout, commit = repository
    config = tmp_path / "gitconfig"
    config.write_text(f'[url "{checkout.as_uri()}"]\n\tinsteadOf = {GIT_ADDRESS}\n')
    env = PIP_ENV | {"GIT_CONFIG_GLOBAL": str(config)}
    journalist = fresh_venv(tmp_path / "journalist")
    requirement = f"{NAME} @ git+{GIT_ADDRESS}"
    pip = (journalist / "bin/python", "-m", "pip", "install", "--no-build-isolation")
    installed = run(*pip, requirement, cwd=tmp_path, env=env)
    assert installed.returncode == 0, installed.stderr
    recorded = json.loads(
        next((journalist / "lib").glob(f"python*/site-packages/{FILES}.dist-info/direct_url.json")).read_text()
    )
    assert recorded["url"] == GIT_ADDRESS and recorded["vcs_info"]["commit_id"] == commit

    started = run(journalist / "bin/casefile", "init", "ports", cwd=tmp_path)
    assert started.returncode == 0, started.stderr
    written = f"{NAME} @ git+{GIT_ADDRESS}@{commit}"
    assert f"\n  CASEFILE: {written}\n" in (tmp_path / "ports/.github/workflows/pages.yml").read_text(encoding="utf-8")
    said = started.stderr.splitlines()
    assert len(said) == 2 and said[1] == (
        f"publishing installs Casefile from {GIT_ADDRESS} at commit {commit[:12]}, as this one was installed "
        "(CASEFILE: in ports/.github/workflows/pages.yml)"
    ), started.stderr
