"""Write the built site so that a failed or interrupted build never leaves a broken one.

Everything goes to a temporary folder beside the output; only when all of it
is written, and ``finish`` has added the pages and accepted the staged site, is it swapped in, in two renames
that Ctrl-C and SIGTERM wait for. The previous site is then deleted in the background
(:func:`casefile.output.outdir.discard`); nothing else temporary stays behind.
"""

from __future__ import annotations

import os
import posixpath
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from casefile.interrupt import held, raise_if_stopped
from casefile.output.outdir import MARKER, MARKER_TEXT, discard, temporary, write_problem


def _accept(staging: Path) -> bool:
    return True


def write_site(
    pages: dict[str, str],
    static_dirs: list[Path],
    out: Path,
    finish: Callable[[Path], bool] = _accept,
    shared: Iterable[str] = (),
) -> bool:
    """Replace ``out`` with ``pages`` plus the files of ``static_dirs`` (first wins).

    ``finish`` gets the staged folder last: it may write more pages into it (render workers do)
    and check them; when it refuses, ``out`` stays as it was and the result is False. A failed
    write raises a located ContentError, and ``out`` stays too. ``shared`` names the files ``finish``
    linked from ``out`` (:func:`link_files`): they are unlinked from the previous site before it is
    deleted, so that deleting it changes nothing of theirs, not even their mode or ctime.
    """
    out = out.resolve()
    staging, previous = temporary(out, "new"), temporary(out, "old")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _stage(pages | {MARKER: MARKER_TEXT}, static_dirs, staging)
        if not finish(staging):
            return False
        raise_if_stopped()  # a Ctrl-C whose exception Python ignored on the way: the previous site stays all the same
        with held(replaced=False) as came:
            _swap(staging, out, previous)
            if came:  # stopped during the swap: the journalist asked for no new site, so the previous goes back
                _undo_swap(staging, out, previous)
        with held(replaced=True):
            for path in shared:
                (previous / path).unlink(missing_ok=True)
            discard(previous, out)
        return True
    except OSError as exc:
        raise write_problem(exc, out) from None
    finally:
        with held(replaced=False):
            shutil.rmtree(staging, ignore_errors=True)


def _stage(files: dict[str, str], static_dirs: list[Path], staging: Path) -> None:
    """Every file of the site under ``staging``; file by file, so a full disk is reported as such."""
    shutil.rmtree(staging, ignore_errors=True)
    for static in reversed(static_dirs):
        for source in sorted(static.rglob("*")) if static.is_dir() else []:
            if source.is_file():
                target = staging / "static" / source.relative_to(static)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
    add_files(files, staging)


def make_folders(folder: Path, paths: Iterable[str]) -> None:
    """The folders under ``folder`` that hold ``paths``, each made once: a mkdir per file locks the folder above
    it, and the processes writing pages into the same folder then wait on that lock."""
    for parent in sorted({posixpath.dirname(path) for path in paths}):
        (folder / parent).mkdir(parents=True, exist_ok=True)


def add_files(files: dict[str, str], folder: Path) -> None:
    """``files`` (text by path) written under ``folder``."""
    make_folders(folder, files)
    for path, text in sorted(files.items()):
        (folder / path).write_text(text, encoding="utf-8", newline="\n")


def link_files(source: Path, folder: Path, paths: Iterable[str]) -> None:
    """The files ``paths`` of the folder ``source`` hard-linked into ``folder``: kept without copying.

    Nothing is ever written into a linked file (pages rendered again, exports and the index are new files),
    so the previous site, which shares them until it is deleted, stays exactly as it was.
    """
    ordered = sorted(paths)
    make_folders(folder, ordered)
    for path in ordered:
        os.link(source / path, folder / path)


def _swap(staging: Path, out: Path, previous: Path) -> None:
    """``staging`` becomes ``out``; if the second rename fails, the previous site goes back."""
    if out.exists():
        os.rename(out, previous)
    try:
        os.rename(staging, out)
    except OSError:
        if previous.exists():
            os.rename(previous, out)
        raise


def _undo_swap(staging: Path, out: Path, previous: Path) -> None:
    """The swap undone: the new site back to ``staging`` (removed later), the previous one (if any) to ``out``."""
    os.rename(out, staging)
    if previous.exists():
        os.rename(previous, out)
