"""Casefile as a newsroom gets it: ``pip install .`` into a fresh venv, ``casefile init``, then ``casefile build``
in a folder with no templates of its own; and ``init`` and ``new`` through the checkout's ``build.py``.

The fresh venv takes its dependencies from the test venv's pinned lock through a ``.pth`` file (no download: the
test runs offline), and Casefile itself from a wheel built from a copy of the package's sources.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import tomllib
from datetime import date
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import BUILD, load_html, snapshot
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from test_limits import another_user
from test_workflow import PAGES_URL, load_workflow, run_publishing

from casefile import __version__ as VERSION
from casefile.commands.newsite import DISTRIBUTION
from casefile.commands.scaffold import TEMPLATES

ROOT = BUILD.parent
# What `pip install .` reads: the package, and the folders pyproject.toml ships inside it (templates, static, guide).
PACKAGE_DIRS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
PACKAGE_SOURCES = ["pyproject.toml", "README.md", "casefile", *PACKAGE_DIRS.values()]
EXAMPLE_WORDS = ["tatmadaw", "shoigu", "myanmar", "russia", "min-aung-hlaing", "su-30", "sergei"]
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}


def run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(list(map(str, command)), cwd=cwd, env=CLEAN_ENV, capture_output=True, text=True)
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with Casefile installed by ``pip install .`` from a copy of the sources."""
    root = tmp_path_factory.mktemp("install")
    for name in PACKAGE_SOURCES:
        source, copy = ROOT / name, root / "sources" / name
        if source.is_dir():
            shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, copy)
    venv = root / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=root)
    purelib = run(venv / "bin/python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=root)
    Path(purelib.stdout.strip(), "pinned-lock.pth").write_text(sysconfig.get_path("purelib") + "\n")
    pip = (venv / "bin/python", "-m", "pip")
    install = run(*pip, "install", "--no-deps", "--no-build-isolation", root / "sources", cwd=root)
    assert install.returncode == 0, install.stderr
    return venv


def unresolved_links(folder: Path, root: str = "/") -> list[str]:
    """Every internal href and src under ``folder`` that leads to no file of the site, published at ``root``."""
    missing = []
    for page in folder.rglob("*.html"):
        doc = load_html(page)
        for node in doc.iter():
            link = node.attrs.get("href") or node.attrs.get("src")
            parts = urlsplit(link or "")
            if not link or parts.scheme or parts.netloc or not parts.path:
                continue
            if parts.path.startswith("/"):
                assert parts.path.startswith(root), f"{page}: {link} is outside {root}"
                target = folder / unquote(parts.path.removeprefix(root))
            else:
                target = page.parent / unquote(parts.path)
            if not (target.is_file() or (target / "index.html").is_file()):
                missing.append(f"{page.relative_to(folder)}: {link}")
    return missing


def test_pip_install_gives_a_casefile_command_that_starts_builds_and_publishes_a_new_investigation(
    venv: Path, tmp_path: Path
) -> None:
    casefile = venv / "bin" / "casefile"
    python = venv / "bin" / "python"
    where = run(python, "-c", "from casefile import settings; print(settings.default_folder('static'))", cwd=tmp_path)
    shipped = Path(where.stdout.strip())
    assert shipped.is_relative_to(venv) and (shipped.parent / "templates" / "base.html").is_file(), where.stdout
    assert run(python, "-m", "pip", "check", cwd=tmp_path).returncode == 0, "the lock is out of range"

    started = run(casefile, "init", "ports", cwd=tmp_path)
    assert started.returncode == 0, started.stderr
    site = tmp_path / "ports"
    # Installed from a folder on this computer, which GitHub's runner cannot reach: the workflow installs the release.
    assert f"\n  CASEFILE: {DISTRIBUTION}=={VERSION}\n" in (site / ".github/workflows/pages.yml").read_text(
        encoding="utf-8"
    )
    assert started.stderr.splitlines()[1] == (
        f"publishing installs {DISTRIBUTION}=={VERSION} from PyPI, the release of this version, not the copy in "
        f"{venv.parent / 'sources'}; to publish with a copy of your own, set CASEFILE: in "
        "ports/.github/workflows/pages.yml to its Git address, as the comment there shows"
    ), started.stderr
    assert not (site / "templates").exists() and not (site / "static").exists()
    built = run(casefile, "build", cwd=site)
    assert built.returncode == 0 and "warning" not in built.stderr, built.stderr
    assert (site / "output/index.html").is_file() and (site / "output/actors/example-person.html").is_file()
    assert unresolved_links(site / "output") == []
    assert (site / "output/static/casefile.css").read_bytes() == (shipped / "casefile.css").read_bytes()

    # The newsroom's own home template and stylesheet replace those two files only.
    home = (shipped.parent / "templates" / "home.html").read_text(encoding="utf-8")
    assert "Explore the investigation" in home
    (site / "templates").mkdir()
    (site / "templates/home.html").write_text(home.replace("Explore the investigation", "Ways into our story"))
    (site / "static").mkdir()
    (site / "static/casefile.css").write_text("/* the newsroom's own */\n")

    # The workflow init wrote, run as GitHub would (SITE: . and the installed command): check --strict, build.
    workflow = load_workflow(site / ".github/workflows/pages.yml")
    published = run_publishing(workflow, site, ".", ("casefile", str(casefile)))
    assert published == site / "output"
    index = (published / "index.html").read_text(encoding="utf-8")
    assert "Ways into our story" in index and "Explore the investigation" not in index
    assert "Ways into our story" not in (published / "actors/example-person.html").read_text(encoding="utf-8")
    assert (published / "static/casefile.css").read_text() == "/* the newsroom's own */\n"
    assert (published / "static/casefile.js").read_bytes() == (shipped / "casefile.js").read_bytes()
    assert load_html(published / "index.html").find("link", rel="canonical").attrs["href"] == PAGES_URL + "/"
    assert unresolved_links(published, urlsplit(PAGES_URL).path + "/") == []


def test_installed_casefile_without_its_dependencies_says_how_to_install(venv: Path, tmp_path: Path) -> None:
    """``-S`` skips the ``.pth`` that lends the lock; PYTHONPATH keeps Casefile itself."""
    purelib = next((venv / "lib").glob("python*/site-packages"))
    result = subprocess.run(
        [venv / "bin/python", "-S", venv / "bin/casefile", "check"],
        cwd=tmp_path,
        env=CLEAN_ENV | {"PYTHONPATH": str(purelib)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "is missing: install Casefile with its dependencies" in result.stderr


def init(target: Path) -> subprocess.CompletedProcess[str]:
    return run(sys.executable, BUILD, "init", target.name, cwd=target.parent)


def test_init_writes_every_kind_on_neutral_placeholders_into_a_fresh_clone(tmp_path: Path) -> None:
    """A folder holding only ``.git`` (an empty repository just cloned) is fine; nothing names the example."""
    site = tmp_path / "clone"
    (site / ".git").mkdir(parents=True)
    result = init(site)
    assert result.returncode == 0, result.stderr
    assert "serve --site clone/" in result.stderr
    written = snapshot(site)
    for kind in ("actors", "deals", "events", "sources"):
        assert any(name.startswith(f"content/{kind}/") and name.endswith(".yaml") for name in written), kind
    assert "content/pages/index.md" in written and "site.yaml" in written and "README.md" in written
    assert "# " in written["site.yaml"].decode()  # commented
    assert "output/" in written[".gitignore"].decode().split()
    assert ".github/workflows/pages.yml" in written
    assert written["content/actors/example-person.yaml"].decode().endswith(f"\nupdated: {date.today().isoformat()}\n")
    readme = written["README.md"].decode()
    assert all(word in readme for word in ("## Edit", "## Preview", "## Publish", "casefile serve"))
    for name, data in written.items():
        assert not any(word in data.decode().lower() for word in EXAMPLE_WORDS), name


def test_init_from_a_checkout_writes_the_release_and_names_the_commit_to_use_instead(tmp_path: Path) -> None:
    """Run from a clone of Casefile's GitHub repository (an ssh remote too), the workflow installs the release of this
    version from PyPI, and init says how to publish with the checkout's commit instead: pushed first, when it is not,
    as GitHub could not fetch it."""
    clone = tmp_path / "casefile"
    subprocess.run(["git", "clone", "--quiet", ROOT, clone], check=True)
    shutil.copytree(ROOT / "casefile", clone / "casefile", dirs_exist_ok=True)  # the code as it is now, uncommitted
    commit = subprocess.run(["git", "-C", clone, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    address = f"{DISTRIBUTION} @ git+https://github.com/example-newsroom/casefile.git"

    def init_from_clone(site: str) -> str:
        result = run(sys.executable, clone / "build.py", "init", site, cwd=tmp_path)
        assert result.returncode == 0 and result.stderr.count("\n") == 2, result.stderr
        workflow = (tmp_path / site / ".github/workflows/pages.yml").read_text(encoding="utf-8")
        assert f"\n  CASEFILE: {DISTRIBUTION}=={VERSION}\n" in workflow
        return result.stderr.splitlines()[1]

    release = (
        f"publishing installs {DISTRIBUTION}=={VERSION} from PyPI, the release of this version, not the copy in {clone}"
    )
    for number, remote in enumerate(
        ["https://github.com/example-newsroom/casefile.git", "git@github.com:example-newsroom/casefile.git"]
    ):
        subprocess.run(["git", "-C", clone, "remote", "set-url", "origin", remote], check=True)
        assert init_from_clone(f"site-{number}") == (
            f"{release}; to publish with its commit instead, set CASEFILE: in site-{number}/.github/workflows/pages.yml"
            f" to {address}@{commit}"
        )
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t"}
    subprocess.run(
        ["git", "-C", clone, "commit", "--quiet", "--allow-empty", "-m", "local"],
        check=True,
        env=os.environ | env | {"GIT_COMMITTER_EMAIL": "t@example.org"},
    )
    local = subprocess.run(["git", "-C", clone, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    assert init_from_clone("unpushed") == (
        f"{release}; to publish with its commit instead, push it, then set CASEFILE: in "
        f"unpushed/.github/workflows/pages.yml to {address}@{local}"
    )


def test_init_from_a_copy_without_git_writes_the_release_and_says_so(tmp_path: Path) -> None:
    """A Casefile copied without Git: the workflow installs the release of this version, and init says how to use
    a copy of one's own instead. Nothing the journalist sees holds a placeholder."""
    copy = tmp_path / "casefile"
    copy.mkdir()
    for name in ("build.py", "casefile", "templates", "static"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, copy / name)
    result = run(sys.executable, copy / "build.py", "init", "ports", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[1] == (
        f"publishing installs {DISTRIBUTION}=={VERSION} from PyPI, the release of this version, not the copy in "
        f"{copy}; to publish with a copy of your own, set CASEFILE: in ports/.github/workflows/pages.yml to its Git "
        "address, as the comment there shows"
    ), result.stderr
    written = snapshot(tmp_path / "ports")
    assert f"\n  CASEFILE: {DISTRIBUTION}=={VERSION}\n" in written[".github/workflows/pages.yml"].decode()
    assert not [name for name, data in written.items() if "ORG" in data.decode()]


@pytest.mark.parametrize(
    ("existing", "listed"),
    [
        ({"notes.txt": "our notes"}, "notes.txt"),
        ({"site.yaml": "title: A\n", "content/actors/a.yaml": "name: A\n"}, "content, site.yaml"),
    ],
    ids=["a folder with a file", "another investigation"],
)
def test_init_never_writes_into_a_folder_that_holds_anything(
    tmp_path: Path, existing: dict[str, str], listed: str
) -> None:
    site = tmp_path / "taken"
    for name, text in existing.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text)
    before = snapshot(tmp_path)
    result = init(site)
    assert result.returncode == 1
    assert f"taken:1:1: error: taken is not empty (it holds {listed}); init never writes over anything" in result.stderr
    assert "hint: name a new folder" in result.stderr
    assert snapshot(tmp_path) == before


def test_init_refuses_a_file_in_place_of_the_folder(tmp_path: Path) -> None:
    (tmp_path / "ports").write_text("a file\n")
    result = init(tmp_path / "ports")
    assert result.returncode == 1 and "error: ports is a file" in result.stderr
    assert (tmp_path / "ports").read_text() == "a file\n"


def test_new_page_starts_a_markdown_page_and_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    command = (sys.executable, BUILD, "new", "page", "about", "--site", ".")
    assert run(*command, cwd=tmp_path).returncode == 0
    page = (tmp_path / "content/pages/about.md").read_text(encoding="utf-8")
    assert page.startswith("---\ntitle:") and "\n---\n" in page
    again = run(*command, cwd=tmp_path)
    assert again.returncode == 1 and "about.md already exists" in again.stderr
    assert (tmp_path / "content/pages/about.md").read_text(encoding="utf-8") == page


def test_init_refuses_a_link_to_nothing_in_place_of_the_folder(tmp_path: Path) -> None:
    (tmp_path / "ports").symlink_to(tmp_path / "nowhere")
    result = init(tmp_path / "ports")
    assert result.returncode == 1, result.stderr
    assert "ports:1:1: error: ports is a link to nothing" in result.stderr, result.stderr
    assert "hint: delete the link, or name a new folder" in result.stderr
    assert not (tmp_path / "nowhere").exists() and (tmp_path / "ports").is_symlink()


def test_init_under_a_folder_it_may_not_write_to_is_a_located_error() -> None:
    """As root, whom permission bits do not stop, init runs as nobody; a folder owned by root, mode 555."""
    shared = Path(tempfile.mkdtemp(prefix="casefile-init-"))
    try:
        shared.chmod(0o755)
        (shared / "closed").mkdir(mode=0o555)
        (shared / "closed").chmod(0o555)
        (shared / "closed" / "empty").mkdir(mode=0o555)
        (shared / "closed" / "empty").chmod(0o555)
        for target in ("closed/ports", "closed/empty"):
            command = [*another_user(), sys.executable, BUILD, "init", target]
            result = run(*command, cwd=shared)
            assert result.returncode == 1, result.stderr
            assert f"{target}:1:1: error: cannot write {target}" in result.stderr, result.stderr
            assert "permission denied" in result.stderr and "hint: choose a folder you can write to" in result.stderr
            assert sorted(p.name for p in (shared / "closed").iterdir()) == ["empty"]
            assert not any((shared / "closed" / "empty").iterdir())
    finally:
        for path in [shared, *shared.rglob("*")]:
            path.chmod(0o755)
        shutil.rmtree(shared)


@pytest.mark.parametrize(
    ("existing", "words", "expected"),
    [
        ({}, ("actor", "index"), "content/actors/index.yaml:1:1: error: the id 'index' is reserved: "),
        ({}, ("source", "index"), "content/sources/index.yaml:1:1: error: the id 'index' is reserved: "),
        (
            {"content/actors/alice.yaml": "name: Alice\nkind: person\n"},
            ("deal", "alice"),
            "content/deals/alice.yaml:1:1: error: the id 'alice' is already used by content/actors/alice.yaml",
        ),
        (
            {"content/sources/bob.yml": "title: Bob\n"},
            ("page", "bob"),
            "content/pages/bob.md:1:1: error: the id 'bob' is already used by content/sources/bob.yml",
        ),
        (
            {"content/pages/carol.md": "---\ntitle: Carol\n---\n"},
            ("actor", "carol"),
            "content/actors/carol.yaml:1:1: error: the id 'carol' is already used by content/pages/carol.md",
        ),
        (
            {"content/actors/dave.yml": "name: Dave\nkind: person\n"},
            ("actor", "dave"),
            "content/actors/dave.yaml:1:1: error: the id 'dave' is already used by content/actors/dave.yml",
        ),
        ({}, ("actor", "a" * 101), f"content/actors/{'a' * 101}.yaml:1:1: error: the id is 101 characters long"),
        ({}, ("actor", "a" * 300), f"content/actors/{'a' * 300}.yaml:1:1: error: the id is 300 characters long"),
    ],
    ids=[
        "actor index",
        "source index",
        "deal as actor",
        "page as source",
        "actor as page",
        "yaml as yml",
        "101",
        "300",
    ],
)
def test_new_refuses_an_id_that_is_reserved_taken_anywhere_or_too_long(
    tmp_path: Path, existing: dict[str, str], words: tuple[str, str], expected: str
) -> None:
    for name, text in {"content/actors/zed.yaml": "name: Zed\nkind: person\n", **existing}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    before, folders_before = snapshot(tmp_path), folders(tmp_path)
    result = run(sys.executable, BUILD, "new", *words, "--site", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert expected in result.stderr, result.stderr
    assert "    hint: " in result.stderr
    assert snapshot(tmp_path) == before
    assert folders(tmp_path) == folders_before


def folders(top: Path) -> list[str]:
    return sorted(p.relative_to(top).as_posix() for p in top.rglob("*") if p.is_dir())


def test_new_page_index_starts_the_home_page(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    result = run(sys.executable, BUILD, "new", "page", "index", "--site", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "content/pages/index.md").read_text(encoding="utf-8").startswith("---\ntitle:")


def test_scaffolds_use_neutral_placeholders() -> None:
    assert set(TEMPLATES) == {"actor", "deal", "event", "source", "page"}
    for kind, text in TEMPLATES.items():
        assert not any(word in text.lower() for word in EXAMPLE_WORDS), kind


def test_build_py_outside_the_venv_says_how_to_set_up(tmp_path: Path) -> None:
    """``-S``: a Python without the venv's packages, as when ``python build.py`` is typed before setting up."""
    result = run(sys.executable, "-S", BUILD, "check", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "is missing: set up once with `bash scripts/setup.sh`" in result.stderr


def _needed(requirements: list[str]) -> set[str]:
    """The distributions ``requirements`` install, with everything they require in turn (no extras)."""
    found: set[str] = set()
    todo = [Requirement(text) for text in requirements]
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in found or (requirement.marker and not requirement.marker.evaluate({"extra": ""})):
            continue
        found.add(name)
        todo += [Requirement(text) for text in metadata.requires(name) or []]
    return found


def test_every_package_casefile_imports_is_declared_in_pyproject() -> None:
    """The install test takes its dependencies from the pinned lock, so it cannot see one left out of pyproject."""
    declared = _needed(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"])
    imported = {
        alias.name.split(".")[0] if isinstance(node, ast.Import) else (node.module or "").split(".")[0]
        for module in (ROOT / "casefile").rglob("*.py")
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
        if isinstance(node, ast.Import | ast.ImportFrom) and not getattr(node, "level", 0)
        for alias in node.names
    }
    providers = metadata.packages_distributions()
    third_party = imported - set(sys.stdlib_module_names) - {"casefile", "__future__"}
    undeclared = {name for name in third_party if not {canonicalize_name(d) for d in providers[name]} & declared}
    assert third_party and undeclared == set()
