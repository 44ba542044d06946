"""What the build may open in an investigation folder, found before it opens anything.

A symbolic link is followed only where it stays inside the investigation, and it is judged before its
target is opened, so that a link planted in a pull request or a shared folder can neither publish a file
from elsewhere on the computer nor print it in an error message. :func:`unsafe_links` judges every link
under content/, templates/ and static/, and finds the folders and files there that this user may not read;
config judges site.yaml. Swap and backup files that editors leave are not content (:func:`is_editor_noise`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from casefile.content.yamlio import unreadable
from casefile.diagnostics import ContentError, Location


def link_problem(link: Path, site: Path) -> ContentError | None:
    """Why the link ``link`` may not be followed (outside ``site``, to nothing, in a loop), or None."""
    hint = "copy the file into the investigation folder instead of linking to it, or delete the link"
    try:
        target = link.resolve(strict=True)
    except FileNotFoundError:
        return ContentError(Location(link), f"the link '{link.name}' leads to nothing", "delete the link")
    except (RuntimeError, OSError):
        return ContentError(Location(link), f"the link '{link.name}' loops back on itself", "delete the link")
    if target.is_relative_to(site):
        return None
    return ContentError(Location(link), f"'{link.name}' is a link to a file outside the investigation folder", hint)


LINKED_FOLDERS = ("content", "templates", "static")  # what the build reads or copies into the site


def is_editor_noise(path: Path | str) -> bool:
    """Swap, backup and lock files that editors leave beside the real ones."""
    name = path if isinstance(path, str) else path.name
    return (
        name.startswith((".", "#", "~"))
        or name.endswith(("~", ".swp", ".swo", ".swx", ".tmp", ".bak", ".orig"))
        or name == "4913"
    )


def unsafe_links(root: Path) -> list[ContentError]:
    """Links under content/, templates/ or static/ that lead outside the site, nowhere, or round in a loop,
    and folders there that cannot be read.

    Found before anything is read or copied, and their targets are never opened: a link must not publish,
    or print in an error, a file from elsewhere on the computer.
    """
    site = root.resolve()
    problems: list[ContentError] = []
    for name in LINKED_FOLDERS:
        for link in _links(root / name, problems):
            if problem := link_problem(link, site):
                problems.append(problem)
    return problems


def _links(top: Path, problems: list[ContentError]) -> Iterator[Path]:
    """Every symbolic link at or under ``top``, without following any; a folder or file that this user may not
    read (another's, closed to others) is a problem, found before any is opened."""
    if top.is_symlink():
        yield top
        return
    folders = [top] if top.is_dir() else []
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as scan:
                entries = list(scan)
        except OSError as exc:
            problems.append(unreadable(folder, exc))
            continue
        for entry in entries:
            if entry.is_symlink():
                yield Path(entry.path)
            elif entry.is_dir():
                folders.append(Path(entry.path))
            elif not os.access(entry.path, os.R_OK) and not is_editor_noise(entry.name):
                problems.append(unreadable(Path(entry.path), PermissionError()))
