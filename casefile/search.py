"""Full-text search: Pagefind indexes the staged site, the last step before it replaces the old one.

The index is static files under ``pagefind/``; the search page loads them from the site itself, so
a reader's search never leaves the site.  The binary comes with the ``pagefind[bin]`` wheel: nothing
is downloaded at build time.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from pathlib import Path

from .diagnostics import ContentError, Diagnostics, Location

FOLDER = "pagefind"
NEARLY_FULL = 1 << 20  # bytes left on the disk below which an index just written cannot be trusted
# Pagefind's ready-made interfaces: the search page uses its own script over pagefind.js, so these
# 420 KB would be published unused
UNUSED_BUNDLES = ("pagefind-ui.*", "pagefind-component-ui.*", "pagefind-modular-ui.*", "pagefind-highlight.js")


def index_site(folder: Path) -> ContentError | None:
    """Index every page of ``folder`` into ``folder/pagefind``, replacing any index there whole (Pagefind
    leaves stale chunks behind otherwise); the problem, if Pagefind failed. A full disk raises OSError,
    which the writer reports as such."""
    try:
        from pagefind_bin import get_executable
    except ImportError:
        return _problem(folder, "the search indexer Pagefind is not installed", "run the README's setup command again")
    fresh, stale = folder / f".{FOLDER}.new", folder / f".{FOLDER}.old"
    for leftover in (fresh, stale):
        shutil.rmtree(leftover, ignore_errors=True)
    # --keep-index-url: the home page's result is "index.html", not "/", which the search page, itself at the
    # root and linking relatively, would turn into a link to itself
    result = subprocess.run(
        [str(get_executable()), "--site", str(folder), "--output-path", str(fresh), "--silent", "--keep-index-url"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        detail = (result.stderr or result.stdout).strip().splitlines()
        return _problem(
            folder, f"the search index could not be built ({detail[-1] if detail else 'no message'})", "ask a developer"
        )
    if shutil.disk_usage(fresh).free < NEARLY_FULL:
        # Pagefind reports success even when the disk filled up under it, leaving files cut short
        shutil.rmtree(fresh, ignore_errors=True)
        raise OSError(errno.ENOSPC, "the search index may be incomplete", str(fresh))
    for pattern in UNUSED_BUNDLES:
        for unused in fresh.glob(pattern):
            unused.unlink()
    index = folder / FOLDER
    if index.exists():
        os.rename(index, stale)
    os.rename(fresh, index)
    shutil.rmtree(stale, ignore_errors=True)
    return None


def indexed(folder: Path, diagnostics: Diagnostics) -> bool:
    """:func:`index_site`, its problem reported with the build's others; whether the index is there."""
    problem = index_site(folder)
    if problem is not None:
        diagnostics.add(problem)
    return problem is None


def _problem(folder: Path, message: str, hint: str) -> ContentError:
    return ContentError(Location(folder), message, hint)
