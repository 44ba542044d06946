"""Read an investigation folder into typed dossiers, collecting every problem.

Nothing here looks across files except the id registry: references between
dossiers are checked afterwards, by :mod:`casefile.investigation.resolve`.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import NamedTuple

from casefile.content import markdown, translations
from casefile.content.access_checks import access_problems
from casefile.content.config import SiteConfig, load_config
from casefile.content.links import is_editor_noise, unsafe_links
from casefile.content.model import (
    DOSSIER_TYPES,
    MAX_ID_LENGTH,
    SLUG,
    Document,
    Dossier,
    Page,
    Source,
    StoredText,
    reserved_page,
)
from casefile.content.validation import validate
from casefile.content.yamlio import (
    DEFAULT_MAX_FILE_MB,
    UNREADABLE,
    YamlDocument,
    parse_yaml,
    read_text,
    too_large,
    unreadable,
)
from casefile.diagnostics import ContentError, Diagnostics, Location

YAML_SUFFIXES = (".yaml", ".yml")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
DOCUMENT_SUFFIXES = (".pdf",)
MEDIA_SUFFIXES = IMAGE_SUFFIXES + DOCUMENT_SUFFIXES  # evidence files (casefile.investigation.media checks them)
STORED_TEXT = ".txt"  # content/sources/ID.txt: the text of the report the source stands for, never published


@dataclass
class LoadedSite:
    """Everything read from disk, before references are resolved."""

    root: Path
    config: SiteConfig | None
    dossiers: list[Dossier] = field(default_factory=list)
    broken_ids: set[str] = field(default_factory=set)  # files that failed to load: not "unknown" elsewhere
    files: list[ContentFile] = field(default_factory=list)  # what the scan found: the next rebuild may reuse it
    scan_problems: list[ContentError] = field(default_factory=list)


FileResult = tuple[Dossier | None, list[ContentError]]


class ContentFile(NamedTuple):
    """A content file found by the scan: its path as text (Paths are made only to read it), its id,
    a stamp of size and mtime (its own, its narrative's and a source's stored text's) and the function
    that reads it."""

    path: str
    stem: str
    stamp: tuple
    read: Callable[[Path], FileResult]


class LoadCache:
    """Parsed files by path, reused while the file and its .md keep size and mtime.

    The dev server keeps one across rebuilds, so saving one dossier re-reads one file.
    """

    def __init__(self) -> None:
        self._entries: dict[str, tuple[tuple, FileResult]] = {}

    def load(self, file: ContentFile) -> FileResult:
        cached = self._entries.get(file.path)
        if cached is None or cached[0] != file.stamp:
            cached = (file.stamp, file.read(Path(file.path)))
            self._entries[file.path] = cached
        return cached[1]


def _uncached(file: ContentFile) -> FileResult:
    return file.read(Path(file.path))


def load_site(
    root: Path,
    diagnostics: Diagnostics,
    cache: LoadCache | None = None,
    previous: LoadedSite | None = None,
    edited: set[str] | None = None,
) -> LoadedSite:
    """Read the investigation; with ``previous`` and the ``edited`` paths (from file-system events), the
    folder scan is skipped when the edits only changed files it already knew."""
    config, problems = load_config(root)
    for problem in problems:
        diagnostics.add(problem)
    site = LoadedSite(root, config)
    links = unsafe_links(root)
    for problem in links:
        diagnostics.add(problem)
    if links:
        return site
    content = root / "content"
    if not content.is_dir():
        diagnostics.error(
            Location(content),
            "the content/ folder is missing",
            "create content/ with actors/, deals/, events/, sources/ and pages/ inside",
        )
        return site
    files = _restamped(previous.files, edited) if previous is not None and edited else None
    if files is None:
        scan = Diagnostics()
        files, site.scan_problems = list(_content_files(content, scan)), scan.problems
    else:
        site.scan_problems = previous.scan_problems
    site.files = files
    for problem in site.scan_problems:
        diagnostics.add(problem)
    if any(problem.kind == UNREADABLE for problem in site.scan_problems):
        return site  # what the folder holds is unknown: every reference to it would be reported as well
    load = cache.load if cache is not None else _uncached
    seen: dict[str, Path] = {}
    max_mb = config.max_file_size_mb if config is not None else DEFAULT_MAX_FILE_MB
    for file in files:
        dossier, file_problems = _oversized(file, max_mb) or load(file)
        for problem in file_problems:
            diagnostics.add(problem)
        kind = DOSSIER_TYPES.get(os.path.basename(os.path.dirname(file.path)), Page)
        if reserved := reserved_id(kind, file.stem, Path(file.path)):
            diagnostics.add(reserved)
        if dossier is None or reserved:
            site.broken_ids.add(file.stem)  # not "unknown" where it is named
            continue
        if dossier.id in seen:
            diagnostics.error(
                Location(dossier.path, 1, 1),
                f"the id '{dossier.id}' is already used by {seen[dossier.id].relative_to(root)}",
                "ids are file names and must be unique across the investigation: rename one file",
            )
            continue
        seen[dossier.id] = dossier.path
        for problem in translations.problems(dossier, config.editions) if config is not None else ():
            diagnostics.add(problem)
        site.dossiers.append(dossier)
    return site


def reserved_id(kind: type[Dossier], dossier_id: str, path: Path) -> ContentError | None:
    """The error for a dossier whose page would replace one the site makes (an actor ``index``)."""
    if not (page := reserved_page(kind, dossier_id)):
        return None
    return ContentError(
        Location(path),
        f"the id '{dossier_id}' is reserved: {page} is the list of {page.partition('/')[0]}",
        "rename the file: the site makes that page itself",
    )


def _oversized(file: ContentFile, max_mb: float) -> FileResult | None:
    """The errors for a dossier or narrative over the size cap, from the sizes the scan noted (checked on
    every edit in ``serve``: no path is built unless a file is over the cap)."""
    if all(not stamp or stamp[1] <= max_mb * 1_000_000 for stamp in file.stamp):
        return None
    paths = (Path(file.path), Path(file.path).with_suffix(".md"), Path(file.path).with_suffix(STORED_TEXT))
    problems = [
        p for path, stamp in zip(paths, file.stamp, strict=True) if stamp and (p := too_large(path, stamp[1], max_mb))
    ]
    return (None, problems) if problems else None


def _restamped(files: list[ContentFile], edited: set[str]) -> list[ContentFile] | None:
    """``files`` with the edited ones' stamps renewed; None when an edit added, removed or renamed a file."""
    index = {file.path: i for i, file in enumerate(files)}
    result = list(files)
    for path in edited:
        stem = path.rpartition(".")[0]
        owner = path if path in index else next((stem + s for s in YAML_SUFFIXES if stem + s in index), None)
        if owner is None or not os.path.isfile(path):
            return None
        file = files[index[owner]]
        beside = _beside(owner)
        result[index[owner]] = file._replace(stamp=(_stat_stamp(owner), *(_stat_stamp(path) for path in beside)))
    return result


def _beside(owner: str) -> tuple[str | None, str | None]:
    """The narrative and the stored text that belong to the dossier ``owner`` (None for a page, which has
    neither, and for the text of anything but a source)."""
    if owner.endswith(".md"):
        return None, None
    stem = owner.rpartition(".")[0]
    source = os.path.basename(os.path.dirname(owner)) == Source.section
    return stem + ".md", stem + STORED_TEXT if source else None


def _stat_stamp(path: str | None) -> tuple[int, int] | None:
    try:
        info = os.stat(path) if path else None
    except FileNotFoundError:
        return None
    return (info.st_mtime_ns, info.st_size) if info else None


def _content_files(content: Path, diagnostics: Diagnostics) -> Iterator[ContentFile]:
    """Every content file, section by section."""
    try:
        found = sorted(content.iterdir())
    except OSError as exc:
        diagnostics.add(unreadable(content, exc))
        return
    for entry in found:
        if is_editor_noise(entry):
            continue
        if entry.is_dir() and entry.name in DOSSIER_TYPES:
            yield from _files(entry, diagnostics, YAML_SUFFIXES, partial(_read_dossier, DOSSIER_TYPES[entry.name]))
        elif entry.is_dir() and entry.name == "pages":
            yield from _files(entry, diagnostics, (".md",), _read_page)
        elif entry.is_dir() and entry.name == "media":  # evidence files, read when a dossier lists them
            continue
        else:
            diagnostics.warning(
                Location(entry),
                f"'{entry.name}' is not part of the content and is ignored",
                "content/ holds the folders actors, deals, events, sources, pages and media",
            )


def _files(
    folder: Path, diagnostics: Diagnostics, suffixes: tuple[str, ...], read: Callable[[Path], FileResult]
) -> list[ContentFile]:
    """The files of ``folder`` with ``suffixes`` and a valid id as stem; a dossier's narrative is stamped
    with it, and a narrative without its dossier is an error."""
    try:
        with os.scandir(folder) as scan:
            entries = {entry.name: entry for entry in scan}
    except OSError as exc:
        diagnostics.add(unreadable(folder, exc))
        return []
    narratives = suffixes != (".md",)
    texts = folder.name == Source.section
    translated = translations.narratives_beside(entries, suffixes, folder, diagnostics)
    found = []
    for name in sorted(entries):
        stem, dot, suffix = name.rpartition(".")
        suffix = dot + suffix
        if is_editor_noise(name) or name in translated:
            continue
        if narratives and suffix == ".md":
            if not any(stem + s in entries for s in suffixes) and SLUG.fullmatch(stem):
                diagnostics.error(
                    Location(folder / name),
                    f"'{name}' has no dossier {stem}.yaml beside it",
                    f"create {stem}.yaml or move the text into content/pages/",
                )
            continue
        if texts and suffix == STORED_TEXT:
            if not any(stem + s in entries for s in suffixes) and SLUG.fullmatch(stem):
                diagnostics.error(
                    Location(folder / name),
                    f"'{name}' has no source {stem}.yaml beside it",
                    f"a report's text is kept beside its source: create {stem}.yaml, or name the text after the "
                    "source it belongs to",
                )
            continue
        entry = entries[name]
        if suffix.lower() in MEDIA_SUFFIXES and narratives:  # evidence beside its dossier
            continue
        if entry.is_dir() or suffix not in suffixes:
            diagnostics.warning(Location(folder / name), f"'{name}' is ignored: expected {' or '.join(suffixes)} files")
            continue
        if not SLUG.fullmatch(stem):
            diagnostics.error(
                Location(folder / name),
                f"'{stem}' is not a valid id",
                f"rename the file: lowercase letters, digits and hyphens, e.g. '{suggest_slug(stem)}{suffix}'",
            )
            continue
        if len(stem) > MAX_ID_LENGTH:
            diagnostics.error(
                Location(folder / name),
                f"the id is {len(stem)} characters long, more than the {MAX_ID_LENGTH} an id may have",
                f"rename the file with a shorter id, e.g. '{shortened(stem)}{suffix}'",
            )
            continue
        narrative = entries.get(stem + ".md") if narratives else None
        text = entries.get(stem + STORED_TEXT) if texts else None
        stamp = (_stat_stamp(entry.path), *(_stat_stamp(e.path) if e else None for e in (narrative, text)))
        tags = tuple(sorted(tag for tag, owner in translated.values() if owner == stem))
        if tags:  # its translations' stamps too: an edit to one is an edit to the dossier
            stamp += tuple(_stat_stamp(f"{folder}/{stem}.{tag}.md") for tag in tags)
        found.append(ContentFile(f"{folder}/{name}", stem, stamp, partial(read, tags=tags) if tags else read))
    return found


def suggest_slug(text: str) -> str:
    """A valid id close to ``text``: accents dropped, anything else but a-z and 0-9 made a hyphen."""
    ascii_text = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    cleaned = "".join(c if c.isascii() and c.isalnum() else "-" for c in ascii_text.lower())
    return shortened("-".join(part for part in cleaned.split("-") if part)) or "my-id"


def shortened(slug: str) -> str:
    """``slug`` cut to :data:`MAX_ID_LENGTH` characters, at a hyphen where it has one."""
    if len(slug) <= MAX_ID_LENGTH:
        return slug
    cut = slug[:MAX_ID_LENGTH]
    if slug[MAX_ID_LENGTH] != "-" and "-" in cut:
        cut = cut.rpartition("-")[0]
    return cut.strip("-")


def _read_dossier(model: type[Dossier], path: Path, tags: tuple[str, ...] = ()) -> FileResult:
    try:
        doc = parse_yaml(read_text(path), path)
        narrative_path = path.with_suffix(".md")
        narrative = None
        if narrative_path.is_file():
            text = read_text(narrative_path)
            narrative = Document(narrative_path, text, markdown.parse(text))
        text_path = path.with_suffix(STORED_TEXT)
        stored = StoredText(text_path, read_text(text_path)) if model is Source and text_path.is_file() else None
        translated = translations.read_narratives(path, tags)
    except ContentError as problem:
        return None, [problem]
    return _build(model, doc, narrative, stored, translated)


def _build(
    model: type[Dossier],
    doc: YamlDocument,
    narrative: Document | None,
    stored: StoredText | None = None,
    translations: dict[str, Document] | None = None,
) -> FileResult:
    if isinstance(doc.data, dict) and "id" in doc.data:
        problem = ContentError(
            doc.location(("id",), at_key=True),
            "a dossier cannot set its own id",
            f"the id is the file name ('{doc.path.stem}'): remove the `id:` line",
        )
        return None, [problem]
    extra = {"id": doc.path.stem, "path": doc.path, "origin": doc, "narrative": narrative}
    if translations:
        extra["translations"] = translations
    dossier, problems = validate(model, doc, extra)
    if isinstance(dossier, Source) and stored is not None:
        dossier.keep_text(stored)
    return dossier, problems + (access_problems(dossier) if isinstance(dossier, Source) else [])


def split_front_matter(text: str) -> tuple[str, str, int]:
    """(front matter, body, number of lines before the body)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return "", text, 0
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 1
    return "", text, 0


def _read_page(path: Path, tags: tuple[str, ...] = ()) -> FileResult:
    try:
        text = read_text(path)
        front, body, offset = split_front_matter(text)
        if not front and not text.startswith("---"):
            raise ContentError(
                Location(path, 1, 1),
                "the page has no front matter",
                "start the file with three lines: ---, title: …, ---",
            )
        doc = parse_yaml(front, path, line_offset=1)
        translated = translations.read_narratives(path, tags)
    except ContentError as problem:
        return None, [problem]
    return _build(Page, doc, Document(path, body, markdown.parse(body), offset), translations=translated)
