"""The output folder: where a build may write, one writer at a time, and nothing left beside it.

The build replaces the whole output folder, so a wrong ``--out`` would delete whatever is
there. :func:`check_out` refuses such a folder before anything is touched; a folder the build
wrote carries :data:`MARKER`. :func:`output_lock` lets one build or ``serve`` write at a time
and clears the temporary folders a killed build left.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from casefile.diagnostics import ContentError, Location

MARKER = ".casefile-output"
MARKER_TEXT = "Written by Casefile (python build.py); the next build replaces this whole folder.\n"
LOCK_POLL = 0.1  # seconds between tries while another build holds the output

_DELETES = ": the build replaces the whole output folder and would delete it"
_ELSEWHERE = "choose a new or empty folder, e.g. --out output inside the site folder"
_WRITE_PROBLEMS = {
    errno.ENOSPC: ("the disk is full", "free some disk space, or build elsewhere with --out"),
    errno.EDQUOT: ("the disk quota is used up", "free some disk space, or build elsewhere with --out"),
    errno.EROFS: ("the folder is read-only", "choose a folder you can write to with --out"),
    errno.EACCES: ("no permission to write here", "choose a folder you can write to with --out"),
    errno.EPERM: ("no permission to write here", "choose a folder you can write to with --out"),
}


def check_out(out: Path, site: Path, inputs: list[Path]) -> None:
    """Refuse an output folder whose replacement would destroy something; ``inputs`` are the folders read."""
    out = out.resolve()
    problem = _overlap(out, site.resolve(), [p.resolve() for p in inputs]) or _occupied(out)
    if problem:
        raise ContentError(Location(out), f"--out {problem}", _ELSEWHERE)


def check_default_out(site: Path) -> None:
    """Refuse ``SITE/output`` when it is a link: git carries links, so a pull request can plant one that leads
    the build to replace a folder elsewhere; a journalist names another folder with ``--out`` instead."""
    default = site / "output"
    if default.is_symlink():
        raise ContentError(
            Location(default),
            "output is a link to another folder, which the build would replace",
            "delete the link, or name the folder to build into with --out",
        )


def _overlap(out: Path, site: Path, inputs: list[Path]) -> str:
    """What ``out`` is, contains or sits inside that the build must not replace; '' when nothing."""
    if out == Path(out.anchor):
        return f"is the root of the disk{_DELETES}"
    here, home = Path.cwd().resolve(), Path.home().resolve()
    guarded = [(site, "the site folder"), *((f, f"{f.name}/") for f in inputs), (here, "the current folder")]
    for folder, name in [*guarded, (home, "your home folder")]:
        if out == folder:
            return f"is {name}{_DELETES}"
        if out in folder.parents:
            return f"contains {name}{_DELETES}"
        if folder in inputs and folder in out.parents:
            return f"is inside {name}, which the build reads: the site would be mixed into the investigation"
    return ""


def _occupied(out: Path) -> str:
    """Why an existing ``out`` is not a folder the build may replace; '' when it may."""
    if not out.exists():
        return ""
    if not out.is_dir():
        return "is a file, not a folder"
    if any(out.iterdir()) and not (out / MARKER).is_file():
        return (
            f"holds files that Casefile did not write (its output folders hold a {MARKER} file): "
            "the build replaces the whole output folder and would delete them"
        )
    return ""


def temporary(out: Path, kind: str) -> Path:
    """The folder beside ``out`` where this process stages the new site (``new``) or parks the old (``old``)."""
    return out.parent / f".{out.name}.{kind}-{os.getpid()}"


def discard(folder: Path, out: Path) -> None:
    """Delete ``folder`` (beside ``out``) in a process of its own, so the build need not wait for it: at
    10,000 dossiers unlinking a previous site's 40,000 files took 6 to 8 s on the benchmark machine.

    It is first renamed to ``.OUT.old-PID-deleted-N``, which nothing ever restores (and which every
    investigation's ``.gitignore`` already ignores as ``.*.old-*``); one that a kill left behind is removed by
    the next build (:func:`output_lock`). Its folders are first made writable, so a site someone made
    read-only goes too.
    """
    if folder.is_symlink():  # planted beside the output: removed, never followed
        folder.unlink()
        return
    trash = out.parent / f".{out.name}.old-{os.getpid()}-deleted-{time.monotonic_ns()}"
    try:
        os.rename(folder, trash)
    except FileNotFoundError:
        return
    rm, chmod = shutil.which("rm"), shutil.which("chmod")
    if rm is None or chmod is None:
        _make_writable(trash)
        shutil.rmtree(trash, ignore_errors=True)
        return
    # the shell starts chmod and rm and returns at once: they outlive this process, no child is left to wait for
    script = '("$0" -R u+rwx -- "$2" 2>/dev/null; "$1" -rf -- "$2") &'
    detach = [shutil.which("sh") or "/bin/sh", "-c", script, chmod, rm, str(trash)]
    quiet = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run(detach, **quiet, start_new_session=True, check=False)  # a new session: Ctrl-C is not for it


def write_problem(exc: OSError, out: Path) -> ContentError:
    """A failed write as a located error: what happened and what to do; the previous site stays."""
    message, hint = _WRITE_PROBLEMS.get(exc.errno, (f"could not write: {exc.strerror or exc}", _ELSEWHERE))
    hint += "; the previous site is unchanged"
    return ContentError(Location(out), f"{message}: the new site was not written", hint)


@contextmanager
def output_lock(out: Path, verb: str) -> Iterator[None]:
    """Hold ``out`` for this process: another build is waited for, a running ``serve`` refused.

    The lock is an ``flock`` on a file beside ``out`` (``out`` itself is swapped), removed on release. A link
    in its place was planted, never made here: it is removed unfollowed, so no file elsewhere is truncated.
    """
    out = out.resolve()
    path = out.parent / f".{out.name}.lock"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink():
            path.unlink()
        descriptor = _acquire(path, out, verb)
    except OSError as exc:
        raise write_problem(exc, out) from None
    try:
        try:
            os.ftruncate(descriptor, 0)
            os.write(descriptor, f"{os.getpid()} {verb}\n".encode())
            _clear_leftovers(out)
        except OSError as exc:
            raise write_problem(exc, out) from None
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(descriptor)


def _acquire(path: Path, out: Path, verb: str) -> int:
    """A descriptor of ``path`` locked by this process, once no other build holds it."""
    waiting = False
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            pid, other = _holder(path)
            if other == "serve":
                raise ContentError(
                    Location(out),
                    f"serve (process {pid}) is writing this output folder",
                    "stop it first (Ctrl-C in its terminal), or build elsewhere with --out",
                ) from None
            if not waiting:
                print(f"waiting: another build (process {pid}) is writing {out}", file=sys.stderr)
                waiting = True
            time.sleep(LOCK_POLL)
            continue
        if _same_file(descriptor, path):  # the holder removes the file on release: lock the new one
            return descriptor
        os.close(descriptor)


def _make_writable(folder: Path) -> None:
    """Give the owner write access to ``folder`` and every folder in it, so that their files can be removed."""
    folders = [folder]
    while folders:
        current = folders.pop()
        try:
            os.chmod(current, 0o700)  # before it is listed: a folder without read access cannot be
            with os.scandir(current) as entries:
                folders.extend(entry.path for entry in entries if entry.is_dir(follow_symlinks=False))
        except OSError:
            continue


def _holder(path: Path) -> tuple[str, str]:
    """The process id and verb the lock's holder wrote, or '?' and 'build' before it has."""
    try:
        words = path.read_text(encoding="utf-8").split()
    except OSError:
        words = []
    return (words[0], words[1]) if len(words) == 2 else ("?", "build")


def _same_file(descriptor: int, path: Path) -> bool:
    try:
        return os.stat(path).st_ino == os.fstat(descriptor).st_ino
    except FileNotFoundError:
        return False


def _clear_leftovers(out: Path) -> None:
    """Remove the temporary folders of builds that were killed; the lock says none is running.

    A build killed between the two renames of its swap left no ``out`` but the previous site
    in an ``old`` folder: that one goes back in place.
    """
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(new|old)-\d+(-deleted-\d+)?")
    leftovers = sorted(p for p in out.parent.iterdir() if pattern.fullmatch(p.name))
    for folder in leftovers:
        kind, deleted = pattern.fullmatch(folder.name).groups()
        if kind == "old" and not deleted and not out.exists() and not folder.is_symlink():
            folder.rename(out)
        else:
            discard(folder, out)
