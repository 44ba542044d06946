"""Full-text search: Pagefind indexes the staged site, the last step before it replaces the old one.

The index is static files under ``pagefind/``; the search page loads them from the site itself, so
a reader's search never leaves the site.  The binary comes with the ``pagefind[bin]`` wheel: nothing
is downloaded at build time.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from .diagnostics import ContentError, Location

FOLDER = "pagefind"


def index_site(folder: Path) -> ContentError | None:
    """Index every page of ``folder`` into ``folder/pagefind``; the problem, if Pagefind failed."""
    try:
        from pagefind_bin import get_executable
    except ImportError:
        return _problem(folder, "the search indexer Pagefind is not installed", "run the README's setup command again")
    result = subprocess.run(
        [str(get_executable()), "--site", str(folder), "--output-subdir", FOLDER, "--silent"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        return _problem(
            folder, f"the search index could not be built ({detail[-1] if detail else 'no message'})", "ask a developer"
        )
    return None


def _problem(folder: Path, message: str, hint: str) -> ContentError:
    return ContentError(Location(folder), message, hint)
