"""Evidence files: which a dossier lists (``media:``, a source's ``file:``), whether they can be published,
and what they carry that must not be (GPS position, camera serial, author name).

Every problem is located at the YAML line that names the file. Nothing is written here:
:mod:`casefile.output.evidence` re-encodes the files, and templates see only the :class:`Published` result.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from casefile.content.loader import DOCUMENT_SUFFIXES, IMAGE_SUFFIXES, MEDIA_SUFFIXES, suggest_slug
from casefile.content.model import Dossier, Media, Source
from casefile.diagnostics import ContentError, Diagnostics, did_you_mean
from casefile.investigation.gallery import Entry, Gallery
from casefile.investigation.resolve import markdown_texts

if TYPE_CHECKING:
    from PIL import Image

    from casefile.investigation.resolve import Investigation

MEDIA_FOLDER = "media"  # content/media/: files shown by several dossiers
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")  # what an image file may be, whatever its ending


def entries(investigation: Investigation, max_mb: float, diagnostics: Diagnostics) -> list[Entry]:
    """The files to publish, each found, of a known format, under the size cap and described; the rest are
    errors at the line that names them. A ``publish: false`` file is checked to exist, then left out."""
    content = investigation.root / "content"
    found: dict[str, Entry] = {}
    max_megapixels = investigation.config.max_image_megapixels
    for owner in investigation.dossiers.values():
        for entry in _listed(owner, content, diagnostics):
            if problem := _problem(entry, max_mb, max_megapixels):
                diagnostics.add(problem)
            elif entry.id in found:
                other = found[entry.id].owner.id
                diagnostics.error(
                    entry.location("id" if entry.media and entry.media.id else "file"),
                    f"the media id '{entry.id}' is already used in '{other}'",
                    "give one of them its own `id:`",
                )
            elif entry.media is None or entry.media.publish:
                found[entry.id] = entry
    return list(found.values())


def _listed(owner: Dossier, content: Path, diagnostics: Diagnostics) -> Iterator[Entry]:
    """The files ``owner`` names that exist inside content/; a missing one is an error."""
    named: list[tuple[tuple[str | int, ...], str, Media | None, str]] = [
        (("media", index), item.file, item, item.id or suggest_slug(Path(item.file).stem))
        for index, item in enumerate(owner.media)
    ]
    if isinstance(owner, Source) and owner.file:
        named.append((("file",), owner.file, None, owner.id))
    for yaml_path, name, media, media_id in named:
        path = _find(name, owner.path.parent, content)
        entry = Entry(media_id, owner, yaml_path, path or Path(name), media)
        if path is None:
            diagnostics.error(
                entry.location(),
                f"the file '{name}' is not there",
                f"put it beside {owner.path.name} or in content/{MEDIA_FOLDER}/, or fix the name",
            )
            continue
        yield entry


def _find(name: str, beside: Path, content: Path) -> Path | None:
    """``name`` beside the dossier, else in content/media/; never a file outside content/."""
    for folder in (beside, content / MEDIA_FOLDER):
        path = (folder / name).resolve()
        if path.is_relative_to(content.resolve()) and path.is_file():
            return path
    return None


def _problem(entry: Entry, max_mb: float, max_megapixels: float) -> ContentError | None:
    suffix = entry.path.suffix.lower()
    if suffix not in MEDIA_SUFFIXES:
        return ContentError(
            entry.location(),
            f"'{entry.path.name}' is not a format the site can publish",
            f"use a photo or scan as {', '.join(IMAGE_SUFFIXES)}, or a document as {', '.join(DOCUMENT_SUFFIXES)}",
        )
    size = entry.path.stat().st_size
    if size > max_mb * 1_000_000:
        return ContentError(
            entry.location(),
            f"'{entry.path.name}' is {size / 1_000_000:.1f} MB, over the {max_mb:g} MB cap",
            "publish a smaller copy, or raise max_media_size_mb in site.yaml",
        )
    if entry.kind == "image" and (too_large := _over_pixel_limit(entry, max_megapixels)):
        return too_large
    if entry.kind == "image" and entry.media is not None and not (entry.media.alt or "").strip():
        return ContentError(
            entry.owner.origin.location(entry.yaml_path),
            f"the image '{entry.path.name}' has no alt text",
            "add `alt:` saying what the image shows, for readers who cannot see it",
        )
    return None


def _over_pixel_limit(entry: Entry, max_megapixels: float) -> ContentError | None:
    """An image with more pixels than ``max_megapixels``, known from its header: no pixel is decoded. Decoding
    takes some 15 bytes of memory a pixel, and a small file can hold a huge image of one colour."""
    try:
        with open_image(entry.path) as image:
            width, height = image.size
    except (OSError, SyntaxError, ValueError):  # not readable: processing says so
        return None
    if width * height <= max_megapixels * 1_000_000:
        return None
    tenths = -(-width * height // 100_000)  # rounded up: never shown as within the limit
    return ContentError(
        entry.location(),
        f"'{entry.path.name}' is {width}×{height} pixels ({tenths / 10:g} megapixels), "
        f"over the limit of {max_megapixels:g} megapixels",
        "publish a smaller copy, or raise max_image_megapixels in site.yaml",
    )


def open_image(path: Path) -> Image.Image:
    """The image at ``path`` with its header read and no pixel decoded, as a photo or scan the site publishes
    (JPEG, PNG or WebP, whatever its name says: Pillow's other formats are never tried). Pillow's own pixel limit
    is off, as it would print a warning or call a large image damaged: :func:`entries` checks
    ``max_image_megapixels`` instead, from this header, before anything is decoded."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = None
    return Image.open(path, formats=IMAGE_FORMATS)


def broken(entry: Entry, what: str) -> ContentError:
    """A file that cannot be read as what its name says."""
    return ContentError(
        entry.location(),
        f"'{entry.path.name}' is not a readable {what}",
        "open it on your computer: the file may be damaged or have the wrong ending; export it again",
    )


def check_markdown(investigation: Investigation, gallery: Gallery, diagnostics: Diagnostics) -> None:
    """Every ``![[id]]`` names a published file, and no image is loaded from another server."""
    for dossier in investigation.dossiers.values():
        for text, locate in markdown_texts(dossier):
            for ref in text.embeds:
                if ref.target not in gallery.items:
                    hint = did_you_mean(ref.target, gallery.items) or "list the file under `media:` with this `id:`"
                    diagnostics.error(locate(ref.line, ref.markup), f"no published media '{ref.target}'", hint)
            for url, line in text.remote_images:
                diagnostics.error(
                    locate(line, url),
                    f"the image '{url}' is on another server, which would learn the address of every reader",
                    "save the file in content/media/, list it under `media:` and show it with ![[id]]",
                )


_GPS, _EXIF = 0x8825, 0x8769  # IFD pointers
_SERIALS = (0xA431, 0xA435, 0xC62F)  # body serial, lens serial, camera serial (DNG)
_AUTHORS = (0x013B, 0x9C9D, 0x8298)  # artist, Windows author, copyright holder
_PNG_AUTHORS = ("author", "artist", "copyright", "creator")


def image_metadata(image: Image.Image) -> tuple[list[str], list[str]]:
    """(everything the file carries besides pixels, the part of it that can identify a person or a place)."""
    removed: list[str] = []
    sensitive: list[str] = []
    exif = image.getexif()
    if exif:
        details = exif.get_ifd(_EXIF)
        if exif.get_ifd(_GPS):
            sensitive.append("GPS position")
        if any(details.get(tag) or exif.get(tag) for tag in _SERIALS):
            sensitive.append("camera serial number")
        if any(exif.get(tag) for tag in _AUTHORS):
            sensitive.append("author name")
        among = f": {', '.join(sensitive)}" if sensitive else ""
        removed.append(f"EXIF ({len(exif) + len(details)} fields{among})")
    xmp = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
    if xmp:
        removed.append("XMP")
        text = xmp if isinstance(xmp, str) else xmp.decode("utf-8", "replace")
        if "GPSLatitude" in text and "GPS position" not in sensitive:
            sensitive.append("GPS position")
        if "dc:creator" in text and "author name" not in sensitive:
            sensitive.append("author name")
    if any(marker == "APP13" for marker, _ in getattr(image, "applist", [])):
        removed.append("IPTC")
    texts = sorted(key for key, value in getattr(image, "text", {}).items() if key not in ("xmp", "XML:com.adobe.xmp"))
    if texts:
        removed.append(f"text ({', '.join(texts)})")
        if any(key.lower() in _PNG_AUTHORS for key in texts) and "author name" not in sensitive:
            sensitive.append("author name")
    if image.info.get("comment"):
        removed.append("comment")
    if image.info.get("icc_profile"):
        removed.append("colour profile")
    return removed, sensitive


def pdf_metadata(info: dict | None, xmp: bool) -> tuple[list[str], list[str]]:
    """(the document information and XMP a PDF carries, the part of it that names a person)."""
    keys = sorted(str(key).lstrip("/") for key in (info or {}))
    removed = [f"document information ({', '.join(keys)})"] if keys else []
    if xmp:
        removed.append("XMP")
    sensitive = ["author name"] if "Author" in keys else []
    return removed, sensitive
