"""``casefile init DIR``: a new investigation that builds at once, written over nothing."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from .diagnostics import ContentError, Location
from .schema import write_schemas

# A repository just cloned from GitHub holds these already; a folder with anything else is refused.
MAY_EXIST = {".git"}


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


def init_site(folder: Path) -> None:
    """Write the skeleton into ``folder``: new, empty, or a fresh clone."""
    _refuse_if_taken(folder)
    for name, data in sorted(skeleton().items()):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as file:  # exclusive: never writes over a file, even one made meanwhile
            file.write(data)
    write_schemas(folder)  # the editor settings and the dossiers' first lines point at them


def _refuse_if_taken(folder: Path) -> None:
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
