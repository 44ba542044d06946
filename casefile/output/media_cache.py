"""Processed evidence kept between builds in the investigation's cache folder (outside the investigation).

A processed copy found there is used only when its facts have the shape this module writes, every file matches
the hash recorded for it, and a picture read back carries no metadata and a document nothing to clean; anything
else is discarded and made again. Names are derived here, never read from the cache, so no entry can name a
file outside its folder or outside the site.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from casefile.investigation.gallery import Entry
from casefile.investigation.media import (
    image_metadata,
    pdf_metadata,
)
from casefile.output.cache import Stamp, content_hash, note, stamp


@dataclass(frozen=True)
class Processed:
    """What processing one file made: the file names (derived here, never read) and their facts."""

    folder: Path
    images: list[tuple[str, int, int, int]]  # (file name, width, height, bytes)
    document: tuple[str, int] | None  # (file name, bytes)
    pages: int
    removed: list[str]
    sensitive: list[str]


_DIGESTS: dict[str, tuple[Stamp, str]] = {}  # path -> its stamp and digest: `serve` reads an unchanged file once


def _digest(path: Path, encoders: bytes) -> str:
    """What names a file's processed copies: its content and everything that encodes it."""
    current = stamp(path.stat())
    known = _DIGESTS.get(str(path))
    if known is None or known[0] != current:
        digest = hashlib.blake2b(encoders + content_hash(str(path)), digest_size=16).hexdigest()
        _DIGESTS[str(path)] = known = (current, digest)
    return known[1]


@dataclass
class Store:
    """Where processed copies are found and made: the investigation's cache folder, or a temporary folder for
    this run when the run must write nothing or there is no cache folder it can write to. ``process`` makes the
    copies of one file into a folder (:mod:`casefile.output.evidence`); ``encoders`` names what it encodes with,
    so that a new version makes everything again."""

    cache: Path | None
    keep: bool
    process: Callable[[Entry, Path], dict]
    encoders: bytes
    _workspace: Path | None = None

    def processed(self, entry: Entry) -> Processed:
        """The processed copies of ``entry``; made (again) when missing, damaged or not as this module made them."""
        digest = _digest(entry.path, self.encoders)
        if self.cache is not None and (self.cache / digest).exists():
            if done := _cached(self.cache / digest, entry.kind):
                return done
            note(f"the processed copies of {entry.path.name} in the cache were not as made: made again")
        return _make(entry, self.workspace() / digest, self.process)

    def workspace(self) -> Path:
        if self._workspace is None:
            self._workspace = self._writable_cache() if self.keep else None
        if self._workspace is None:
            self._workspace = Path(tempfile.mkdtemp(prefix="casefile-media-"))
            atexit.register(shutil.rmtree, self._workspace, True)
        return self._workspace

    def _writable_cache(self) -> Path | None:
        if self.cache is None:
            return None
        try:
            self.cache.mkdir(mode=0o700, exist_ok=True)
            probe = self.cache / f".probe-{os.getpid()}"
            probe.touch()
            probe.unlink()
        except OSError:
            return None
        return self.cache


WIDTHS = (480, 960, 1600)  # what srcset offers; a photo is never published wider than the last
FACTS = "facts.json"


DOCUMENT = "document.pdf"


THUMBNAIL = "page1.jpg"


SUFFIXES = ("jpg", "png", "webp")  # what _image writes


_HEX = re.compile(r"[0-9a-f]{32}")


def _names(kind: str, suffix: str, widths: list[int]) -> list[str]:
    """The processed files' names, from what they are: a document's first page, or a picture at each width."""
    return [THUMBNAIL] if kind == "document" else [f"{width}.{suffix}" for width in widths]


def _facts(made: dict, folder: Path) -> dict:
    """What :func:`_cached` needs to trust the files later: their sizes and hashes, their shared suffix."""
    images = made["images"]
    return {
        "suffix": images[0][0].rpartition(".")[2],
        "images": [
            [width, height, size, content_hash(str(folder / name)).hex()] for name, width, height, size in images
        ],
        "document": [made["document"][1], content_hash(str(folder / DOCUMENT)).hex()] if made["document"] else None,
        "pages": made["pages"],
        "removed": made["removed"],
        "sensitive": made["sensitive"],
    }


def _cached(folder: Path, kind: str) -> Processed | None:
    """What an earlier run made in ``folder``, or None when anything about it is not as :func:`_make` leaves it."""
    from pypdf.errors import PyPdfError

    from casefile.output.pdfclean import Refused

    damaged = (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError, SyntaxError)
    try:
        done = _checked(folder, kind, json.loads((folder / FACTS).read_bytes()))
        return done if done is not None and _clean(done) else None
    except (*damaged, PyPdfError, Refused):  # not as _make leaves it: made again
        return None


def _checked(folder: Path, kind: str, facts: dict) -> Processed | None:
    """The facts as a :class:`Processed`, each file there with the size and hash recorded for it."""
    suffix, images, document = facts["suffix"], facts["images"], facts["document"]
    if (
        suffix not in SUFFIXES
        or not isinstance(images, list)
        or not images
        or (document is None) != (kind != "document")
    ):
        return None
    sizes = [(_count(w, WIDTHS[-1]), _count(h), _count(size), _hash(digest)) for w, h, size, digest in images]
    names = _names(kind, "jpg" if kind == "document" else suffix, [w for w, *_ in sizes])
    files = [(name, size, digest) for name, (_, _, size, digest) in zip(names, sizes, strict=True)]
    if document is not None:
        files.append((DOCUMENT, _count(document[0]), _hash(document[1])))
    if not all(_intact(folder / name, size, digest) for name, size, digest in files):
        return None
    return Processed(
        folder,
        [(name, w, h, size) for name, (w, h, size, _) in zip(names, sizes, strict=True)],
        (DOCUMENT, files[-1][1]) if document is not None else None,
        _count(facts["pages"]),
        _words(facts["removed"]),
        _words(facts["sensitive"]),
    )


def _count(value: object, most: int = 2**53) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= most:
        raise ValueError(value)
    return value


def _hash(value: object) -> str:
    if not isinstance(value, str) or not _HEX.fullmatch(value):
        raise ValueError(value)
    return value


def _words(value: object) -> list[str]:
    """What the report says was removed: short lines of printable text."""
    if not isinstance(value, list) or not all(isinstance(w, str) and w.isprintable() and len(w) < 300 for w in value):
        raise ValueError(value)
    return value


def _intact(path: Path, size: int, digest: str) -> bool:
    """A regular file (not a link) of the recorded size and hash."""
    info = path.lstat()
    return stat.S_ISREG(info.st_mode) and info.st_size == size and content_hash(str(path)).hex() == digest


def _clean(done: Processed) -> bool:
    """Whether the pictures read back carry nothing but pixels, and the document no information, XMP, scripts,
    actions or embedded files (cleaning a copy of it finds nothing to remove)."""
    from PIL import Image

    for name, *_ in done.images:
        with Image.open(done.folder / name) as picture:
            if image_metadata(picture)[0]:
                return False
    if done.document is None:
        return True
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(done.folder / done.document[0])
    if reader.is_encrypted or any(pdf_metadata(reader.metadata, "/Metadata" in reader.trailer["/Root"])):
        return False
    from casefile.output.pdfclean import clean

    return not clean(PdfWriter(clone_from=reader))


def _make(entry: Entry, folder: Path, process: Callable[[Entry, Path], dict]) -> Processed:
    """Process ``entry`` beside ``folder`` and rename the result into place, so that no run ever reads half of it."""
    temporary = folder.with_name(f".{folder.name}.{os.getpid()}")
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir(parents=True)
    try:
        made = process(entry, temporary)
        (temporary / FACTS).write_text(json.dumps(_facts(made, temporary)), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)  # a damaged copy from an earlier run
        with contextlib.suppress(OSError):  # another build renamed the same result into place first
            temporary.rename(folder)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    done = _cached(folder, entry.kind)
    if done is None:
        raise OSError(f"the processed copies of {entry.path.name} vanished from {folder}")
    return done
