"""Remember the last build, so that running it again with nothing changed takes a moment.

Where: in the user's own cache folder (``~/.cache/casefile/sites/NAME-HASH/`` on Linux, as platformdirs
says for other systems, or ``$CASEFILE_CACHE_DIR``), one folder per investigation, named by the
investigation's path. Never inside the investigation: a file there can come from a pull request, a
synced or shared folder, or a colleague's archive, and git could commit it. A cache folder that sits
inside the investigation, or that another user owns, is not used.

What: ``state.json`` holds plain values only: a content hash of every file a build reads, what built it
(Casefile's sources, Python, the installed libraries, the options), a stamp and a content hash of every file it
wrote and the warnings it gave. ``pages.json``, vouched for by its hash in ``state.json``, holds what each page
showed and the marks of the investigation (:mod:`casefile.output.staleness`). Both are checked field by field
when read; anything unexpected is discarded with a one-line note and the build runs in full. Nothing read from
disk is ever unpickled, evaluated or imported.

A run whose inputs hash the same and whose output folder is still exactly what was written prints the same
warnings and is done. When only dossiers' own files changed (their YAML, narrative or stored text) and the output
folder is untouched, the build is partial: the pages the change cannot have affected are kept from the last output
(:meth:`BuildCache.last_build`). Anything else is a full build. After either the state is written anew. A file is
hashed only when its stamp (mtime, ctime, size, inode) changed, as git's index does; a stamp younger than
:data:`RACY_NS` when recorded is not trusted, as an edit in the same clock tick would not change it. Light imports
only: this path must start without Jinja, pydantic or YAML.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import sysconfig
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from stat import S_ISDIR, S_ISLNK
from typing import TYPE_CHECKING, Any

import platformdirs

from casefile.diagnostics import ContentError, Diagnostics, Location
from casefile.output.cache_state import Entry, Stamp, valid_state
from casefile.settings import PROJECT_ROOT, Options, SitePaths

if TYPE_CHECKING:
    from casefile.output.staleness import LastBuild

LEGACY_FOLDER = ".casefile-cache"  # where Casefile before 0.2 kept it, inside the investigation: never read
STATE = "state.json"
PAGES = "pages.json"  # what each page showed, and the marks: read only for a partial build
JOURNAL = "dirty"  # present while a build may be changing the output: the state is not to be trusted
FORMAT = 4  # raised when the state's layout changes
RACY_NS = 2_000_000_000
OVERRIDE = "CASEFILE_CACHE_DIR"
DOSSIER_FOLDERS = ("actors", "deals", "events", "sources", "pages")  # under content/, by content.model's sections
DOSSIER_SUFFIXES = (".yaml", ".yml", ".md", ".txt")  # a dossier, its narrative, a source's stored text


class Uncacheable(Exception):
    """The inputs hold something a stamp cannot vouch for (a symbolic link): always build."""


def note(text: str) -> None:
    """One line about the cache: neither a warning nor an error, so ``--strict`` does not fail on it."""
    print(f"note: {text}", file=sys.stderr)


def cache_root() -> Path:
    """The user's cache folder for Casefile: ``$CASEFILE_CACHE_DIR``, else the system's convention."""
    override = os.environ.get(OVERRIDE)
    return Path(override) if override else Path(platformdirs.user_cache_dir("casefile", appauthor=False))


def site_folder(site: Path) -> Path:
    """The cache folder of the investigation at ``site``: its name for people, a hash of its path for uniqueness."""
    digest = hashlib.blake2b(str(site).encode(), digest_size=8).hexdigest()
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", site.name)[:40].strip("-") or "site"
    return cache_root() / "sites" / f"{name}-{digest}"


def open_folder(site: Path) -> Path | None:
    """``site``'s cache folder, made private to this user if new; None, with a note, where it must not be used."""
    folder = site_folder(site).absolute()
    if folder.is_relative_to(site):
        note(f"the cache folder {folder} is inside the investigation, where it could be planted: not used")
        return None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        owner = folder.stat().st_uid
    except OSError:  # no home folder, or a read-only one: build without remembering
        return None
    if hasattr(os, "getuid") and owner != os.getuid():
        note(f"the cache folder {folder} belongs to another user: not used")
        return None
    return folder


def warn_legacy(site: Path) -> None:
    """An in-folder cache from an older Casefile is left alone, never read: say it can go."""
    if (site / LEGACY_FOLDER).exists():
        note(f"{LEGACY_FOLDER}/ in the investigation folder is no longer read; it can be deleted")


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
            digest = previous[1] if previous and previous[0] == current else content_hash(path).hex()
            trusted = now - max(info.st_mtime_ns, info.st_ctime_ns) > RACY_NS
            found[path] = (current if trusted else None, digest)
    return found


def _walk(top: str) -> Iterator[tuple[str, os.stat_result | None]]:
    """(path, stat) of every file at or under ``top``, (path, None) of every folder; a link is refused. In the file
    system's order: sorting 30,000 names cost a tenth of the half second a build with nothing changed may take."""
    try:
        info = os.lstat(top)
    except FileNotFoundError:
        return
    if S_ISLNK(info.st_mode):
        raise Uncacheable(top)
    if not S_ISDIR(info.st_mode):
        yield top, info
        return
    folders = [top]
    while folders:
        folder = folders.pop()
        yield folder, None
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_symlink():
                    raise Uncacheable(entry.path)
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                else:
                    yield entry.path, entry.stat(follow_symlinks=False)


def content_hash(path: str) -> bytes:
    with open(path, "rb") as file:
        return hashlib.blake2b(file.read(), digest_size=16).digest()


def scan_output(out: Path, known: dict[str, Entry], exact: bool = True) -> dict[str, Entry]:
    """Every file of the output folder with its stamp and content hash, and every folder, by path inside it. The
    hash of a ``known`` file is reused while its stamp is the same (not ``exact``, just after a build: its mtime,
    size and inode; a page kept by a hard link has a new ctime). So an output folder restored from elsewhere (a CI
    cache: every file new to the file system) is checked by content, at the cost of a hash per file."""
    top = str(out)
    found: dict[str, Entry] = {}
    for path, info in _walk(top):
        name = path[len(top) :]
        if info is None:
            found[name] = (None, "dir")
            continue
        current = stamp(info)
        recorded, digest = known.get(name, (None, ""))
        same = recorded == current or not exact and recorded is not None and _but_ctime(recorded) == _but_ctime(current)
        found[name] = (current, digest if same else content_hash(path).hex())
    return found


def _but_ctime(stamp: Stamp) -> tuple[int, int, int]:
    return stamp[0], stamp[2], stamp[3]


def key(paths: SitePaths, options: Options) -> list[Any]:
    """What else decides the output: Casefile's code, Python, the installed libraries, the options."""
    code = hashlib.blake2b(digest_size=16)
    for source in sorted((PROJECT_ROOT / "casefile").rglob("*.py")):
        code.update(source.read_bytes())
    installed = Path(sysconfig.get_paths()["purelib"])  # names like jinja2-3.1.4.dist-info carry the versions
    libraries = sorted(p.name for p in installed.glob("*-info")) if installed.is_dir() else []
    return [
        FORMAT,
        code.hexdigest(),
        sys.version,
        libraries,
        str(paths.site),
        options.base_url,
        options.drafts,
        options.search,
        options.quotes,
    ]


class BuildCache:
    """The remembered last build of one site into one output folder."""

    def __init__(self, paths: SitePaths, options: Options) -> None:
        self.paths = paths
        warn_legacy(paths.site)
        self.folder = open_folder(paths.site)
        self.key = key(paths, options)
        self.state = self._load()
        self.inputs: dict[str, Entry] | None = None

    def _load(self) -> dict | None:
        """The last state, or None when there is none to trust (missing, unreadable, older, or a journal)."""
        if self.folder is None or (self.folder / JOURNAL).exists():
            return None
        try:
            data = json.loads((self.folder / STATE).read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError, RecursionError):
            data = None
        if isinstance(data, dict) and "key" in data and data["key"] != self.key:
            return None  # made by another version of Casefile, or with other options: nothing wrong with it
        state = valid_state(data)
        if state is None:
            note(f"the build cache in {self.folder} was not readable and is rebuilt")
        return state

    def replay(self, with_output: bool = True) -> list[ContentError] | None:
        """The last build's warnings when nothing it read has changed since (and, ``with_output``, its
        output folder is as it left it); None when a build is needed."""
        if self.folder is None:
            return None
        try:
            self.inputs = scan_inputs(self.paths.inputs, self.state["inputs"] if self.state else {})
        except (Uncacheable, OSError):  # a link, or a file it cannot read: the build reports it
            return None
        state = self.state
        if state is None or _contents(state["inputs"]) != _contents(self.inputs):
            return None
        if with_output and not self._output_untouched():
            return None
        if state["inputs"] != self.inputs:  # touched but unchanged files: hash them no more
            self._save(state | {"inputs": self.inputs})
        return [_problem(fields) for fields in state["warnings"]]

    def replayed(self, diagnostics: Diagnostics, with_output: bool = True) -> bool:
        """Whether nothing the last build read has changed (see :meth:`replay`); if so, its warnings are given
        again to ``diagnostics``, and no build is needed."""
        warnings = self.replay(with_output)
        for warning in warnings or ():
            diagnostics.add(warning)
        return warnings is not None

    def _output_untouched(self) -> bool:
        """Whether the output folder is the last build's, every file as it was written (by its stamp, or where
        that changed, by its content)."""
        assert self.state is not None
        if self.state["out"] != str(self.paths.out):
            return False
        recorded = self.state["outputs"]
        return _contents(scan_output(self.paths.out, recorded)) == _contents(recorded)

    def last_build(self) -> LastBuild | None:
        """What a partial build may keep of the last one, after :meth:`replay` found a change: None unless only
        dossiers' own files changed and the output folder is untouched."""
        state, inputs = self.state, self.inputs
        if state is None or inputs is None or self.folder is None or not self._output_untouched():
            return None
        before, now = _contents(state["inputs"]), _contents(inputs)
        changed = {path for path in before.keys() | now.keys() if before.get(path) != now.get(path)}
        dossiers = {_dossier_of(Path(path), self.paths.site) for path in changed}
        if None in dossiers:
            return None
        from casefile.output.staleness import LastBuild, shown_from_json  # heavy imports: a build follows anyway

        try:
            data = (self.folder / PAGES).read_bytes()
            if hashlib.blake2b(data, digest_size=16).hexdigest() != state["pages"]:
                raise ValueError("pages.json is not the one the state vouches for")
            shown, marks = shown_from_json(json.loads(data))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, RecursionError):
            note(f"the build cache in {self.folder} was not readable and is rebuilt")
            return None
        return LastBuild(self.paths.out, shown, marks, {d for d in dossiers if d is not None})

    @contextmanager
    def recording(self) -> Iterator[None]:
        """Around a build that may replace the output: a journal marks the state untrustworthy until
        :meth:`save` has described the new output; a build that ends without writing removes it."""
        if self.folder is None:
            yield
            return
        journal = self.folder / JOURNAL
        earlier = journal.exists()
        try:
            journal.touch()
        except OSError:  # a cache folder this user cannot write to: build without remembering
            self.inputs = None
        yield
        if not earlier and journal.exists():  # nothing saved: the output is as it was
            journal.unlink()

    def save(self, warnings: list[ContentError], pages: bytes) -> None:
        """Remember the build that just finished: its inputs as scanned before it read them, its output, and
        ``pages`` (:func:`casefile.output.staleness.shown_to_json`), written first and vouched for by its hash."""
        if self.inputs is None or self.folder is None or not self._write(PAGES, pages):
            return
        state = {
            "key": self.key,
            "inputs": self.inputs,
            "out": str(self.paths.out),
            "outputs": scan_output(self.paths.out, self.state["outputs"] if self.state else {}, exact=False),
            "warnings": [_fields(w) for w in warnings],
            "pages": hashlib.blake2b(pages, digest_size=16).hexdigest(),
        }
        self._save(state)
        (self.folder / JOURNAL).unlink(missing_ok=True)

    def _save(self, state: dict) -> None:
        self._write(STATE, json.dumps(state, separators=(",", ":")).encode("utf-8"))

    def _write(self, name: str, data: bytes) -> bool:
        """Written beside and renamed over the old file, so a crash leaves one or the other, whole; False when
        it could not be (not writable, or full: the next run builds in full, which is slow but right)."""
        assert self.folder is not None
        temporary = self.folder / f".{name}.{os.getpid()}"
        try:
            temporary.write_bytes(data)
            os.replace(temporary, self.folder / name)
        except OSError:
            temporary.unlink(missing_ok=True)
            return False
        return True


def _dossier_of(path: Path, site: Path) -> str | None:
    """The id of the dossier whose own file ``path`` is (its YAML, narrative or a source's stored text);
    None for any other file, whose change needs a full build."""
    if path.parent.parent != site / "content" or path.parent.name not in DOSSIER_FOLDERS:
        return None
    return path.stem.partition(".")[0] if path.suffix in DOSSIER_SUFFIXES else None  # ID.ru.md is ID's


def _contents(entries: dict[str, Entry]) -> dict[str, str]:
    return {path: digest for path, (_, digest) in entries.items()}


def _fields(problem: ContentError) -> tuple:
    where = problem.location
    return (str(where.path), where.line, where.column, problem.message, problem.hint, problem.severity, problem.kind)


def _problem(fields: tuple) -> ContentError:
    path, line, column, message, hint, severity, kind = fields
    return ContentError(Location(Path(path), line, column), message, hint, severity, kind)
