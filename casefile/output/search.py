"""Full-text search: Pagefind indexes the staged pages, while the build writes the exports and checks
the links, before the staged site replaces the old one.

The index is static files under ``pagefind/``; the search page loads them from the site itself, so
a reader's search never leaves the site.  The binary comes with the ``pagefind[bin]`` wheel: nothing
is downloaded at build time.  Pagefind reads what a dossier page says itself (``data-pagefind-body``),
not its lists of other dossiers (map, "Mentioned in", "Cited by", footnotes, all ``data-pagefind-ignore``):
a search for an outlet then finds its reports rather than every page that cites them.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from casefile.diagnostics import ContentError, Diagnostics, Location

FOLDER = "pagefind"
NEARLY_FULL = 1 << 20  # bytes left on the disk below which an index just written cannot be trusted
# Pagefind's ready-made interfaces: the search page uses its own script over pagefind.js, so these
# 420 KB would be published unused
UNUSED_BUNDLES = ("pagefind-ui.*", "pagefind-component-ui.*", "pagefind-modular-ui.*", "pagefind-highlight.js")


class Indexing:
    """Pagefind indexing a staged site in its own process, while the build goes on with work that changes
    no page (the exports, the link check): at 10,000 dossiers Pagefind takes over ten seconds.

    The index goes to a hidden folder and replaces any index there whole (Pagefind leaves stale chunks behind
    otherwise) only in :meth:`finish`; :meth:`cancel` stops it and leaves nothing.
    """

    def __init__(self, folder: Path, background: bool = False) -> None:
        self.folder = folder
        self.fresh, self.stale = folder / f".{FOLDER}.new", folder / f".{FOLDER}.old"
        self.process: subprocess.Popen | None = None
        command = pagefind_command(folder, self.fresh)
        if command is None:
            return
        for leftover in (self.fresh, self.stale):
            shutil.rmtree(leftover, ignore_errors=True)
        if background:  # the dev server's next rebuild must not wait for it
            command = _lowest_priority(command)
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def finish(self) -> ContentError | None:
        """Wait for the index and put it in place; the problem, if Pagefind failed. A full disk raises OSError,
        which the writer reports as such."""
        if self.process is None:
            return _problem(
                self.folder, "the search indexer Pagefind is not installed", "run the README's setup command again"
            )
        stdout, stderr = self.process.communicate()
        if self.process.returncode != 0:
            shutil.rmtree(self.fresh, ignore_errors=True)
            detail = (stderr or stdout).strip().splitlines()
            return _problem(
                self.folder,
                f"the search index could not be built ({detail[-1] if detail else 'no message'})",
                "ask a developer",
            )
        if shutil.disk_usage(self.fresh).free < NEARLY_FULL:
            # Pagefind reports success even when the disk filled up under it, leaving files cut short
            shutil.rmtree(self.fresh, ignore_errors=True)
            raise OSError(errno.ENOSPC, "the search index may be incomplete", str(self.fresh))
        for pattern in UNUSED_BUNDLES:
            for unused in self.fresh.glob(pattern):
                unused.unlink()
        _languages_in_order(self.fresh / "pagefind-entry.json")
        index = self.folder / FOLDER
        if index.exists():
            os.rename(index, self.stale)
        os.rename(self.fresh, index)
        shutil.rmtree(self.stale, ignore_errors=True)
        return None

    def stop(self) -> None:
        """Stop Pagefind from another thread (the dev server is stopping): the thread waiting in :meth:`finish`
        then removes what it wrote."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()

    def cancel(self) -> None:
        """Stop Pagefind, if still at work, and remove what it wrote."""
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            self.process.communicate()
        shutil.rmtree(self.fresh, ignore_errors=True)


def pagefind_command(site: Path, index: Path) -> list[str] | None:
    """Pagefind over the pages of ``site``, its index written to ``index``; None when it is not installed.

    --keep-index-url: the home page's result is "index.html", not "/", which the search page, itself at the root
    and linking relatively, would turn into a link to itself."""
    try:
        from pagefind_bin import get_executable
    except ImportError:
        return None
    return [str(get_executable()), "--site", str(site), "--output-path", str(index), "--silent", "--keep-index-url"]


def _languages_in_order(entry: Path) -> None:
    """Pagefind lists an index's languages in the order it met their pages, the file system's: sorted, a site in
    several languages gets the same index however its pages were written (a partial build links most of them)."""
    data = json.loads(entry.read_bytes())
    if len(data.get("languages", ())) > 1:
        data["languages"] = dict(sorted(data["languages"].items()))
        entry.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _lowest_priority(command: list[str]) -> list[str]:
    """``command`` run only when the CPU is otherwise idle (Linux's SCHED_IDLE), or else at nice 19. Nice alone
    is not enough: it weighs each thread, and Pagefind starts about a hundred."""
    if chrt := shutil.which("chrt"):
        return [chrt, "--idle", "0", *command]
    if nice := shutil.which("nice"):
        return [nice, "-n", "19", *command]
    return command


@contextmanager
def indexing(folder: Path, diagnostics: Diagnostics, wanted: bool = True) -> Iterator[Callable[[], bool]]:
    """Pagefind started over the pages of ``folder`` (unless not ``wanted``); the block gets what waits for it
    and says whether the index is in place (its problem reported with the build's others). Leaving the block
    otherwise stops it."""
    if not wanted:
        yield lambda: True
        return
    started = Indexing(folder)

    def finished() -> bool:
        problem = started.finish()
        if problem is not None:
            diagnostics.add(problem)
        return problem is None

    try:
        yield finished
    finally:
        started.cancel()


def _problem(folder: Path, message: str, hint: str) -> ContentError:
    return ContentError(Location(folder), message, hint)
