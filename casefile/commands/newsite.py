"""``casefile init DIR``: a new investigation that builds at once, written over nothing."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path

from casefile.commands.scaffold import started_line, write_failure
from casefile.content.schema import FOLDER as SCHEMAS
from casefile.content.schema import write_schemas
from casefile.diagnostics import ContentError, Location
from casefile.settings import PROJECT_ROOT

# A repository just cloned from GitHub holds these already; a folder with anything else is refused.
MAY_EXIST = {".git"}
WORKFLOW = ".github/workflows/pages.yml"
PLACEHOLDER = "casefile @ git+https://github.com/ORG/casefile.git"


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


def init_site(folder: Path) -> str | None:
    """Write the skeleton into ``folder``: new, empty, or a fresh clone. Returns what the publishing workflow
    installs Casefile from, or None when it could not tell and the workflow still holds the placeholder."""
    _refuse_if_taken(folder)
    files = skeleton()
    requirement = casefile_requirement()
    if requirement:
        files[WORKFLOW] = files[WORKFLOW].replace(PLACEHOLDER.encode(), requirement.encode())
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
    return requirement


def _make_folders(folder: Path, made: list[Path]) -> None:
    """``folder`` and the folders above it that are missing, each noted in ``made``."""
    missing = [folder, *folder.parents]
    missing = missing[: next((i for i, p in enumerate(missing) if p.is_dir()), len(missing))]
    for path in reversed(missing):
        path.mkdir()
        made.append(path)


def casefile_requirement() -> str | None:
    """Where GitHub's runner can install this very Casefile from: the Git address pip installed it from
    (PEP 610's direct_url.json), or the web address of the checkout it runs in, at its commit when pushed."""
    try:
        recorded = json.loads(metadata.distribution("casefile").read_text("direct_url.json") or "{}")
    except (metadata.PackageNotFoundError, ValueError):
        recorded = {}
    if "vcs_info" in recorded and (url := _web_address(recorded["url"])):
        return f"casefile @ git+{url}@{recorded['vcs_info']['commit_id']}"
    if not (PROJECT_ROOT / ".git").exists() or not (url := _web_address(_git("remote", "get-url", "origin"))):
        return None
    pushed = _git("branch", "--remotes", "--contains", "HEAD")
    return f"casefile @ git+{url}" + (f"@{_git('rev-parse', 'HEAD')}" if pushed else "")


def _web_address(url: str) -> str | None:
    """An https address for a Git remote (``git@github.com:owner/repo.git`` too); None for a local one."""
    if scp_like := re.fullmatch(r"[\w.-]+@([\w.-]+):(.+)", url):
        url = f"https://{scp_like[1]}/{scp_like[2]}"
    return url if url.startswith("https://") else None


def _git(*words: str) -> str:
    """What git prints in the Casefile checkout ('' if it fails)."""
    try:
        done = subprocess.run(["git", "-C", str(PROJECT_ROOT), *words], capture_output=True, text=True, timeout=10)
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
