"""Remember the last build, so that running it again with nothing changed takes a moment.

The state in ``SITE/.casefile-cache/`` holds a content hash of every file a build reads, what built
it (Casefile's sources, Python, the installed libraries, the options), a stamp of every file it wrote
and the warnings it gave.  A run whose inputs hash the same and whose output folder is still exactly
what was written prints the same warnings and is done.  Anything else — a changed file, a missing,
corrupt or older state, an output folder touched since, a journal left by a build that did not
finish — is a full build, after which the state is written anew.

A file is hashed only when its stamp (mtime, ctime, size, inode) changed, as git's index does; a
stamp younger than :data:`RACY_NS` when recorded is not trusted, as an edit in the same clock tick
would not change it.  Standard library only: this path must start without the heavy imports.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import sysconfig
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .diagnostics import ContentError, Location
from .settings import PROJECT_ROOT, Options, SitePaths

FOLDER = ".casefile-cache"
STATE = "state.pickle"
JOURNAL = "dirty"  # present while a build may be changing the output: the state is not to be trusted
FORMAT = 1  # raised when the state's layout changes
RACY_NS = 2_000_000_000
DIGEST = 32  # bytes of the checksum in front of the state

Stamp = tuple[int, int, int, int]  # mtime, ctime, size, inode
Entry = tuple[Stamp | None, bytes | str]  # (stamp, content hash) of a file; (None, "dir") of a folder


class Uncacheable(Exception):
    """The inputs hold something a stamp cannot vouch for (a symbolic link): always build."""


def stamp(info: os.stat_result) -> Stamp:
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)


def scan_inputs(roots: list[Path], known: dict[str, Entry]) -> dict[str, Entry]:
    """Every file and folder under ``roots`` with its stamp and hash; hashes of ``known`` files whose
    trusted stamp is unchanged are reused."""
    now = time.time_ns()
    found: dict[str, Entry] = {}
    for root in roots:
        for path, info in _walk(str(root)):
            if info is None:
                found[path] = (None, "dir")
                continue
            current = stamp(info)
            previous = known.get(path)
            digest = previous[1] if previous and previous[0] == current else content_hash(path)
            trusted = now - max(info.st_mtime_ns, info.st_ctime_ns) > RACY_NS
            found[path] = (current if trusted else None, digest)
    return found


def _walk(top: str) -> Iterator[tuple[str, os.stat_result | None]]:
    """(path, stat) of every file at or under ``top``, (path, None) of every folder; a link is refused."""
    try:
        info = os.lstat(top)
    except FileNotFoundError:
        return
    if os.path.islink(top):
        raise Uncacheable(top)
    if not os.path.isdir(top):
        yield top, info
        return
    yield top, None
    with os.scandir(top) as entries:
        children = sorted(entries, key=lambda entry: entry.name)
    for entry in children:
        if entry.is_symlink():
            raise Uncacheable(entry.path)
        if entry.is_dir():
            yield from _walk(entry.path)
        else:
            yield entry.path, entry.stat()


def content_hash(path: str) -> bytes:
    with open(path, "rb") as file:
        return hashlib.blake2b(file.read(), digest_size=16).digest()


def scan_output(out: Path) -> dict[str, Stamp | None]:
    """Every file (with its stamp) and folder (None) of the output folder, by path inside it."""
    top = str(out)
    return {path[len(top) :]: stamp(info) if info else None for path, info in _walk(top)}


def key(paths: SitePaths, options: Options) -> tuple:
    """What else decides the output: Casefile's code, Python, the installed libraries, the options."""
    code = hashlib.blake2b(digest_size=16)
    for source in sorted((PROJECT_ROOT / "casefile").rglob("*.py")):
        code.update(source.read_bytes())
    installed = Path(sysconfig.get_paths()["purelib"])  # names like jinja2-3.1.4.dist-info carry the versions
    libraries = sorted(p.name for p in installed.glob("*-info")) if installed.is_dir() else []
    return (
        FORMAT,
        code.digest(),
        sys.version,
        tuple(libraries),
        str(paths.site),
        options.base_url,
        options.drafts,
        options.search,
    )


class BuildCache:
    """The remembered last build of one site into one output folder."""

    def __init__(self, paths: SitePaths, options: Options) -> None:
        self.paths = paths
        self.folder = paths.site / FOLDER
        self.key = key(paths, options)
        self.state = self._load()
        self.inputs: dict[str, Entry] | None = None

    def _load(self) -> dict | None:
        """The last state, or None when there is none to trust (missing, corrupt, older, or a journal)."""
        if (self.folder / JOURNAL).exists():
            return None
        try:
            data = (self.folder / STATE).read_bytes()
        except OSError:
            return None
        checksum, payload = data[:DIGEST], data[DIGEST:]
        if hashlib.blake2b(payload, digest_size=DIGEST).digest() != checksum:
            return None
        state = pickle.loads(payload)  # noqa: S301 - written by this module, its checksum verified
        return state if isinstance(state, dict) and state.get("key") == self.key else None

    def replay(self, with_output: bool = True) -> list[ContentError] | None:
        """The last build's warnings when nothing it read has changed since (and, ``with_output``, its
        output folder is as it left it); None when a build is needed."""
        try:
            self.inputs = scan_inputs(self.paths.inputs, self.state["inputs"] if self.state else {})
        except (Uncacheable, OSError):  # a link, or a file it cannot read: the build reports it
            return None
        state = self.state
        if state is None or _contents(state["inputs"]) != _contents(self.inputs):
            return None
        if with_output and (state["out"] != str(self.paths.out) or state["outputs"] != scan_output(self.paths.out)):
            return None
        if state["inputs"] != self.inputs:  # touched but unchanged files: hash them no more
            self._save(state | {"inputs": self.inputs})
        return [_problem(fields) for fields in state["warnings"]]

    @contextmanager
    def recording(self) -> Iterator[None]:
        """Around a build that may replace the output: a journal marks the state untrustworthy until
        :meth:`save` has described the new output; a build that ends without writing removes it."""
        journal = self.folder / JOURNAL
        earlier, new_folder = journal.exists(), not self.folder.exists()
        try:
            self.folder.mkdir(exist_ok=True)
            journal.touch()
        except OSError:  # a site folder this user cannot write to: build without remembering
            self.inputs = None
        yield
        if not earlier and journal.exists():  # nothing saved: the output is as it was
            journal.unlink()
            if new_folder and not any(self.folder.iterdir()):  # processed media stay (casefile.evidence)
                self.folder.rmdir()

    def save(self, warnings: list[ContentError]) -> None:
        """Remember the build that just finished: its inputs as scanned before it read them, its output."""
        if self.inputs is None:
            return
        state = {
            "key": self.key,
            "inputs": self.inputs,
            "out": str(self.paths.out),
            "outputs": scan_output(self.paths.out),
            "warnings": [_fields(w) for w in warnings],
        }
        self._save(state)
        (self.folder / JOURNAL).unlink(missing_ok=True)

    def _save(self, state: dict) -> None:
        """Written beside and renamed over the old state, so a crash leaves one or the other, whole."""
        payload = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
        temporary = self.folder / f".{STATE}.{os.getpid()}"
        try:
            self.folder.mkdir(exist_ok=True)
            temporary.write_bytes(hashlib.blake2b(payload, digest_size=DIGEST).digest() + payload)
            os.replace(temporary, self.folder / STATE)
        except OSError:  # not writable or full: the next run builds in full, which is slow but right
            temporary.unlink(missing_ok=True)


def _contents(inputs: dict[str, Entry]) -> dict[str, bytes | str]:
    return {path: digest for path, (_, digest) in inputs.items()}


def _fields(problem: ContentError) -> tuple:
    where = problem.location
    return (str(where.path), where.line, where.column, problem.message, problem.hint, problem.severity, problem.kind)


def _problem(fields: tuple) -> ContentError:
    path, line, column, message, hint, severity, kind = fields
    return ContentError(Location(Path(path), line, column), message, hint, severity, kind)
