"""``casefile init DIR``: a new investigation that builds at once, written over nothing."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import casefile
from casefile.commands.scaffold import started_line, write_failure
from casefile.content.schema import FOLDER as SCHEMAS
from casefile.content.schema import write_schemas
from casefile.diagnostics import ContentError, Location

# A repository just cloned from GitHub holds these already; a folder with anything else is refused.
MAY_EXIST = {".git"}
WORKFLOW = ".github/workflows/pages.yml"
# The name pip installs Casefile by: pyproject.toml's [project] name (test_release checks they agree). "casefile"
# on PyPI is another project; the package and the command are casefile all the same.
DISTRIBUTION = "casefile-investigations"
CASEFILE_LINE = re.compile(rb"^(  CASEFILE: ).*$", re.M)  # in the workflow's env: what pip installs


@dataclass(frozen=True)
class Origin:
    """Where the running Casefile came from, and so what the new site's workflow installs (``requirement``)."""

    requirement: str
    git: str | None = None  # the https address of a Git repository this Casefile came from, or a checkout's remote
    commit: str | None = None  # the commit in that repository
    copy: str | None = None  # where this Casefile is, if not installed by name or from Git: a checkout, a folder
    pushed: bool = True  # the checkout's commit is on a remote branch, so GitHub can fetch it

    @property
    def at_commit(self) -> str:
        """The requirement that installs ``git`` at ``commit``."""
        return f"{DISTRIBUTION} @ git+{self.git}@{self.commit}"


def skeleton() -> dict[str, bytes]:
    """The new site's files by relative path. They ship as ``dot-…`` so that packaging keeps them."""
    files: dict[str, bytes] = {}

    def walk(folder: Traversable, prefix: str) -> None:
        for entry in folder.iterdir():
            name = prefix + ("." + entry.name[4:] if entry.name.startswith("dot-") else entry.name)
            if entry.is_dir():
                walk(entry, name + "/")
            else:
                files[name] = entry.read_bytes()

    walk(resources.files("casefile") / "new-site", "")
    return files


def init_site(folder: Path) -> Origin:
    """Write the skeleton into ``folder``: new, empty, or a fresh clone. Returns where this Casefile came from,
    whose requirement the publishing workflow installs."""
    _refuse_if_taken(folder)
    files = skeleton()
    origin = casefile_origin()
    files[WORKFLOW] = CASEFILE_LINE.sub(rb"\g<1>" + origin.requirement.encode(), files[WORKFLOW], count=1)
    started = f"{started_line()}\n".encode()
    dossiers = [name for name in files if name.startswith("content/") and name.endswith(".yaml")]
    files |= {name: files[name] + started for name in dossiers}
    made: list[Path] = []  # what this run made, removed again if it cannot finish: a retry finds nothing in the way
    try:
        for name, data in sorted(files.items()):
            path = folder / name
            _make_folders(path.parent, made)
            with path.open("xb") as file:  # exclusive: never writes over a file, even one made meanwhile
                made.append(path)
                file.write(data)
        _make_folders(folder / SCHEMAS, made)
        write_schemas(folder)  # the editor settings and the dossiers' first lines point at them
    except OSError as exc:
        for path in reversed(made):  # a folder this run made holds only what it wrote
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        failed = Path(exc.filename) if isinstance(exc.filename, str) else folder
        raise write_failure(exc, folder, str(folder), f"{failed.parent}/") from None
    return origin


def _make_folders(folder: Path, made: list[Path]) -> None:
    """``folder`` and the folders above it that are missing, each noted in ``made``."""
    missing = [folder, *folder.parents]
    missing = missing[: next((i for i, p in enumerate(missing) if p.is_dir()), len(missing))]
    for path in reversed(missing):
        path.mkdir()
        made.append(path)


def casefile_origin() -> Origin:
    """What GitHub's runner installs: the same Git address at the same commit for a Casefile pip installed from one
    (PEP 610's direct_url.json), else this version's release, ``casefile-investigations==X.Y.Z``, from PyPI. For a
    checkout or a copy on this computer, which the runner cannot reach, the origin also names it, and a checkout's
    pushed remote."""
    release = f"{DISTRIBUTION}=={casefile.__version__}"
    running = Path(casefile.__file__).resolve().parent
    try:
        installed = metadata.distribution(DISTRIBUTION)
        recorded = json.loads(installed.read_text("direct_url.json") or "{}")
    except (metadata.PackageNotFoundError, ValueError):
        installed, recorded = None, {}
    if installed is None or Path(str(installed.locate_file("casefile"))).resolve() != running:
        return _checkout(release, running.parent)  # not the installed Casefile (an editable install too)
    if not recorded:
        return Origin(release)  # installed by name from an index
    if "vcs_info" in recorded and (url := _web_address(recorded["url"])):
        origin = Origin(release, git=url, commit=recorded["vcs_info"]["commit_id"])
        return Origin(origin.at_commit, git=origin.git, commit=origin.commit)
    parts = urlsplit(recorded.get("url", ""))
    return Origin(release, copy=unquote(parts.path) if parts.scheme == "file" else recorded.get("url"))


def _checkout(release: str, folder: Path) -> Origin:
    """A Casefile run from a folder: with the commit that GitHub could install it at, when it is a clone of an
    https (or ssh) remote."""
    if not (folder / ".git").exists() or not (url := _web_address(_git(folder, "remote", "get-url", "origin"))):
        return Origin(release, copy=str(folder))
    pushed = bool(_git(folder, "branch", "--remotes", "--contains", "HEAD"))
    return Origin(release, git=url, commit=_git(folder, "rev-parse", "HEAD"), copy=str(folder), pushed=pushed)


def _web_address(url: str) -> str | None:
    """An https address for a Git remote (``git@github.com:owner/repo.git`` and ``ssh://`` too); None for a local
    one."""
    if ssh := re.fullmatch(r"(?:ssh://)?[\w.-]+@([\w.-]+)[:/](.+)", url):
        url = f"https://{ssh[1]}/{ssh[2]}"
    return url if url.startswith("https://") else None


def _git(folder: Path, *words: str) -> str:
    """What git prints in the Casefile checkout ``folder`` ('' if it fails)."""
    try:
        done = subprocess.run(["git", "-C", str(folder), *words], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _refuse_if_taken(folder: Path) -> None:
    if folder.is_symlink() and not folder.exists():
        raise ContentError(
            Location(folder),
            f"{folder} is a link to nothing",
            "delete the link, or name a new folder for the investigation",
        )
    if folder.exists() and not folder.is_dir():
        raise ContentError(Location(folder), f"{folder} is a file", "name a new folder for the investigation")
    if folder.is_dir():
        taken = sorted(entry.name for entry in folder.iterdir() if entry.name not in MAY_EXIST)
        if taken:
            shown = ", ".join(taken[:3]) + (", …" if len(taken) > 3 else "")
            raise ContentError(
                Location(folder),
                f"{folder} is not empty (it holds {shown}); init never writes over anything",
                "name a new folder for the investigation",
            )
