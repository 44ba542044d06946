"""Symbolic links in an investigation folder: followed only where they stay inside it.

A link is judged before its target is opened, so that a link planted in a pull request or a shared folder
can neither publish a file from elsewhere on the computer nor print it in an error message. The loader
judges every link under content/, templates/ and static/; config judges site.yaml.
"""

from __future__ import annotations

from pathlib import Path

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
