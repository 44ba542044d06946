"""Publish evidence files without what they must not carry, between resolving and writing.

Every image is re-encoded from its pixels (orientation applied; EXIF, GPS, XMP, IPTC, text and colour
profile left behind) at a few widths; every PDF loses its document information and XMP, its scripts,
actions and embedded files (:mod:`casefile.output.pdfclean`), and gets a first-page thumbnail and its page count.
The results are kept in the investigation's cache folder (:mod:`casefile.output.media_cache`, outside the
investigation) by a hash of the file and of the encoders, so a rebuild re-encodes nothing unchanged, and
fixed encoder settings make them byte-identical from build to build. :func:`stage` copies them into the
staged site: a failed build publishes none.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import shutil
import tempfile
import warnings
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from casefile.diagnostics import ContentError, Diagnostics, Location
from casefile.investigation.gallery import Entry, Gallery, Published, Variant
from casefile.investigation.lint import warn
from casefile.investigation.media import (
    broken,
    check_markdown,
    entries,
    image_metadata,
    open_image,
    pdf_metadata,
)
from casefile.output.cache import open_folder
from casefile.output.media_cache import WIDTHS, Processed, Store
from casefile.output.outdir import write_problem

if TYPE_CHECKING:
    from PIL import Image

    from casefile.investigation.resolve import Investigation

THUMBNAIL_WIDTH = 480  # a document's first page
JPEG = {"format": "JPEG", "quality": 82, "optimize": True, "progressive": False, "subsampling": 2}
PNG = {"format": "PNG", "optimize": True}
WEBP = {"format": "WEBP", "quality": 82, "method": 6}
ENCODERS = ("pillow", "pypdf", "pypdfium2")
PROCESS_VERSION = b"3"  # raised when the processing below changes what it writes


def prepare(investigation: Investigation, diagnostics: Diagnostics, keep: bool = True) -> Gallery | None:
    """Every listed file checked and processed (from the cache where it can be); None on any error.

    With ``keep`` false (``check``, which writes nothing) what the cache lacks is made in a temporary folder.
    """
    config = investigation.config
    found = entries(investigation, config.max_media_size_mb, diagnostics)
    gallery = Gallery()
    cache = open_folder(investigation.root)
    store = Store(cache / "media" if cache else None, keep, _process, _encoders())
    for entry in found:
        try:
            gallery.add(_published(entry, store.processed(entry)))
        except ContentError as problem:
            diagnostics.add(problem)
        except OSError as exc:  # a full disk, most likely
            diagnostics.add(write_problem(exc, store.cache or Path(tempfile.gettempdir())))
    check_markdown(investigation, gallery, diagnostics)
    if diagnostics.has_errors():
        return None
    _warn(investigation, gallery, found, diagnostics)
    return gallery


def in_edition(gallery: Gallery, investigation: Investigation, diagnostics: Diagnostics) -> Gallery | None:
    """The default edition's ``gallery`` as another edition's ``investigation`` shows it: the same processed files,
    nothing read or hashed again, each with that edition's caption and alt text; its own narratives' ``![[id]]``
    checked. None on errors."""
    edition = Gallery()
    for owner, items in gallery.by_owner.items():
        listed = iter([media for media in investigation.dossiers[owner].media if media.publish])
        for item in items:  # in the order of `media:`, the files published; a source's own file has no Media
            edition.add(item if item.media is None else dataclasses.replace(item, media=next(listed)))
    check_markdown(investigation, edition, diagnostics)
    return None if diagnostics.has_errors() else edition


def _warn(investigation: Investigation, gallery: Gallery, found: list[Entry], diagnostics: Diagnostics) -> None:
    """What the originals carried that can identify someone, and pages whose images weigh too much."""
    budget = investigation.config.image_budget_kb
    for entry in found:
        item = gallery.items[entry.id]
        if item.sensitive:
            warn(
                investigation,
                diagnostics,
                "media-metadata",
                entry.id,
                entry.location(),
                f"'{entry.path.name}' carries {', '.join(item.sensitive)}: the published copy does not",
                "the original stays in the repository: keep the repository private, or replace the file "
                "with a copy without them",
            )
    for owner, items in gallery.by_owner.items():
        weight = sum(item.weight for item in items if item.media is not None) // 1000  # a source's file: is a link
        if weight > budget:
            dossier = investigation.dossiers[owner]
            warn(
                investigation,
                diagnostics,
                "image-weight",
                owner,
                dossier.origin.location(("media",), at_key=True),
                f"the images on '{owner}' weigh {weight} KB, over the budget of {budget} KB",
                "show fewer images on this page, or raise image_budget_kb in site.yaml",
            )


def _published(entry: Entry, done: Processed) -> Published:
    prefix = f"media/{entry.id}-{done.folder.name[:10]}"
    images = tuple(Variant(f"{prefix}-{name}", w, h, size) for name, w, h, size in done.images)
    document = Variant(f"{prefix}.pdf", 0, 0, done.document[1]) if done.document else None
    copies = [(v.path, done.folder / name) for v, (name, *_) in zip(images, done.images, strict=True)]
    if document and done.document:
        copies.append((document.path, done.folder / done.document[0]))
    return Published(
        entry.id,
        entry.owner.id,
        entry.kind,
        entry.media,
        images,
        document,
        done.pages,
        tuple(done.removed),
        tuple(done.sensitive),
        entry.path,
        tuple(copies),
    )


def stage(gallery: Gallery, into: Path) -> None:
    """Copy every published file into the site folder ``into``; files already there (same name, same
    content: the name holds its hash) are left alone, so ``serve`` copies only what changed."""
    for item in gallery.items.values():
        for site_path, processed in item.copies:
            target = into / site_path
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(processed, target)


@cache
def _encoders() -> bytes:
    """This process version and the versions of the libraries that encode: a new one re-encodes everything."""
    return PROCESS_VERSION + " ".join(version(name) for name in ENCODERS).encode()


def _process(entry: Entry, folder: Path) -> dict:
    """The published copies of one file, made in ``folder``: a document's or an image's."""
    return (_document if entry.kind == "document" else _image)(entry, folder)


def _image(entry: Entry, folder: Path) -> dict:
    """A photo or scan at each width, re-encoded from its pixels alone."""
    from PIL import ImageOps

    try:  # Pillow's warnings name its own files and a damaged file's flaws: a reader needs neither
        with warnings.catch_warnings(action="ignore"), open_image(entry.path) as original:
            original.load()  # the size is within max_image_megapixels: entries() checked it from the header
            removed, sensitive = image_metadata(original)
            upright = ImageOps.exif_transpose(original)
            pixels = _pixels(upright)
            kind = original.format
    except (OSError, SyntaxError, ValueError):
        raise broken(entry, "image") from None
    settings, suffix = {"PNG": (PNG, "png"), "WEBP": (WEBP, "webp")}.get(kind or "", (JPEG, "jpg"))
    if settings is JPEG and pixels.mode not in ("RGB", "L"):
        pixels = pixels.convert("RGB")
    return {
        "images": [_save(pixels, width, settings, f"{width}.{suffix}", folder) for width in _widths(pixels.width)],
        "document": None,
        "pages": 0,
        "removed": removed,
        "sensitive": sensitive,
    }


def _pixels(image: Image.Image) -> Image.Image:
    """A new image made of ``image``'s pixels only: nothing of the file's metadata can come along."""
    from PIL import Image

    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "transparency" in image.info or image.mode.endswith("A") else "RGB")
    return Image.frombytes(image.mode, image.size, image.tobytes())


def _widths(width: int) -> list[int]:
    return [w for w in WIDTHS if w < width] + [min(width, WIDTHS[-1])]


def _save(image: Image.Image, width: int, settings: dict, name: str, folder: Path) -> tuple[str, int, int, int]:
    from PIL import Image

    height = max(1, round(image.height * width / image.width))
    resized = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
    resized.save(folder / name, **settings)
    return name, width, height, (folder / name).stat().st_size


def _document(entry: Entry, folder: Path) -> dict:
    """The PDF without its document information, XMP, scripts, actions and embedded files, and unlocked when only
    an owner password restricted it; its page count, and its first page as a picture."""
    import pypdfium2
    from pypdf import PasswordType, PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    from casefile.output.pdfclean import Refused, clean

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its notes on a damaged file are not for journalists
    try:
        reader = PdfReader(entry.path)
        restricted = reader.is_encrypted  # an owner password alone limits printing or copying; it opens without one
        if restricted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise ContentError(
                entry.location(),
                f"'{entry.path.name}' needs a password to open",
                "publish an unlocked copy: open it with its password and print it to a new PDF",
            )
        removed, sensitive = pdf_metadata(reader.metadata, "/Metadata" in reader.trailer["/Root"])
        writer = PdfWriter(clone_from=reader)
        for holder in (writer.root_object, *writer.pages):  # XMP, and the private data of the software that made it
            holder.pop("/Metadata", None)
            holder.pop("/PieceInfo", None)
        removed += clean(writer) + (["owner-password restrictions"] if restricted else [])
        writer.metadata = None
        cleaned = io.BytesIO()
        writer.write(cleaned)
        pdf = pypdfium2.PdfDocument(cleaned.getvalue())
        pages = len(pdf)
        first = pdf[0].render(scale=THUMBNAIL_WIDTH / pdf[0].get_width()).to_pil()
    except Refused as refused:
        raise ContentError(entry.location(), f"'{entry.path.name}' {refused.message}", refused.hint) from None
    except (PyPdfError, pypdfium2.PdfiumError, OSError, ValueError, KeyError, IndexError, TypeError, AttributeError):
        raise broken(entry, "PDF") from None  # pypdf's own errors on a damaged file include the last two
    (folder / "document.pdf").write_bytes(cleaned.getvalue())
    thumbnail = _save(_pixels(first).convert("RGB"), THUMBNAIL_WIDTH, JPEG, "page1.jpg", folder)
    return {
        "images": [thumbnail],
        "document": ["document.pdf", len(cleaned.getvalue())],
        "pages": pages,
        "removed": removed,
        "sensitive": sensitive,
    }


def removal_report(gallery: Gallery, root: Path) -> list[str]:
    """One line per published file that carried metadata: what its published copy was made without."""
    lines = []
    for item in gallery.items.values():
        if item.removed:
            shown = Location(item.original).seen_from(root).path
            lines.append(f"{shown}: published without {', '.join(item.removed)}")
    return lines
