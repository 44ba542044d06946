"""The evidence files an investigation publishes, as data: each file a dossier lists (:class:`Entry`), and what
the site shows of it once processed (:class:`Published`, in a :class:`Gallery`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from casefile.content.loader import DOCUMENT_SUFFIXES
from casefile.content.model import Dossier, Media
from casefile.diagnostics import Location

Kind = Literal["image", "document"]


@dataclass(frozen=True)
class Entry:
    """One file a dossier publishes: its id, the dossier, where the YAML names it, the file on disk."""

    id: str
    owner: Dossier
    yaml_path: tuple[str | int, ...]  # ("media", 0) or ("file",) of a source
    path: Path
    media: Media | None  # None for a source's `file:`

    @property
    def kind(self) -> Kind:
        return "document" if self.path.suffix.lower() in DOCUMENT_SUFFIXES else "image"

    def location(self, key: str = "file") -> Location:
        path = self.yaml_path + (key,) if self.media is not None else self.yaml_path
        return self.owner.origin.location(path)


@dataclass(frozen=True)
class Variant:
    """One published file: its site path, pixel size and weight in bytes."""

    path: str
    width: int
    height: int
    size: int


@dataclass(frozen=True)
class Published:
    """A file as the site shows it: re-encoded copies, and what was removed from the original."""

    id: str
    owner: str  # the dossier that lists it
    kind: Kind
    media: Media | None
    images: tuple[Variant, ...]  # widths of a photo, or the first page of a document, smallest first
    document: Variant | None  # the cleaned PDF
    pages: int
    removed: tuple[str, ...]  # what the original carried and the copy does not
    sensitive: tuple[str, ...]  # of which: what can identify a person or a place
    original: Path
    copies: tuple[tuple[str, Path], ...]  # (site path, processed file in the cache)

    @property
    def shown(self) -> Variant:
        """What a page loads by default: the largest width up to 960 pixels."""
        return ([v for v in self.images if v.width <= 960] or self.images[:1])[-1]

    @property
    def weight(self) -> int:
        return self.shown.size


@dataclass
class Gallery:
    """Every published file by id, and each dossier's in the order its ``media:`` lists them."""

    items: dict[str, Published] = field(default_factory=dict)
    by_owner: dict[str, list[Published]] = field(default_factory=dict)

    def of(self, dossier: Dossier) -> list[Published]:
        return self.by_owner.get(dossier.id, [])

    def add(self, item: Published) -> None:
        self.items[item.id] = item
        self.by_owner.setdefault(item.owner, []).append(item)
