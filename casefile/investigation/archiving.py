"""The editor's view of what is archived: the sources with an address but no copy, each at the line to edit
with a link that asks the Wayback Machine to save one (``archive``, and a section of ``check --report``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from casefile.content.model import Source

SAVE = "https://web.archive.org/save/"


def save_link(url: str) -> str:
    """The address that asks the Wayback Machine to capture ``url`` when a journalist opens it."""
    return SAVE + url


def unarchived(sources: Iterable[Source]) -> list[Source]:
    """Sources with an address and no archived copy, by id: those an editor should archive."""
    return sorted((s for s in sources if s.url and s.archived is None), key=lambda s: s.id)


def without_address(sources: Iterable[Source]) -> list[Source]:
    """Sources with neither an address nor a copy: nothing to archive."""
    return sorted((s for s in sources if not s.url and s.archived is None), key=lambda s: s.id)


@dataclass(frozen=True)
class ArchiveReport:
    """What ``archive`` prints: each source at the line to edit, relative to ``root``."""

    sources: list[Source]
    root: Path

    def where(self, source: Source, *key: str) -> str:
        return str(source.origin.location(key).seen_from(self.root))

    def text(self) -> str:
        missing, nowhere = unarchived(self.sources), without_address(self.sources)
        lines = [f"{len(missing)} source(s) with an address but no archived copy:" if missing else ""]
        for source in missing:
            lines += [f"{self.where(source, 'url')}: {source.id}", f"    save: {save_link(source.url or '')}"]
        if nowhere:
            lines.append(f"{len(nowhere)} source(s) with no address (nothing to archive):")
            lines += [f"{self.where(source)}: {source.id}" for source in nowhere]
        if not missing:
            lines[0] = "every source with an address has an archived copy"
        lines.append("after saving a copy, add `archived: {url: …, date: …}` to the source: date is the capture day")
        return "\n".join(lines) + "\n"
