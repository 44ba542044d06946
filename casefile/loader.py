"""Read an investigation folder into typed dossiers, collecting every problem.

Nothing here looks across files except the id registry: references between
dossiers are checked afterwards, by :mod:`casefile.resolve`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import markdown
from .config import SiteConfig, load_config
from .diagnostics import ContentError, Diagnostics, Location
from .model import DOSSIER_TYPES, SLUG, Document, Dossier, Page
from .validation import validate
from .yamlio import YamlDocument, parse_yaml, read_text

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class LoadedSite:
    """Everything read from disk, before references are resolved."""

    root: Path
    config: SiteConfig | None
    dossiers: list[Dossier] = field(default_factory=list)
    broken_ids: set[str] = field(default_factory=set)  # files that failed to load: not "unknown" elsewhere


def is_editor_noise(path: Path) -> bool:
    """Swap, backup and lock files that editors leave beside the real ones."""
    name = path.name
    return (
        name.startswith((".", "#", "~"))
        or name.endswith(("~", ".swp", ".swo", ".swx", ".tmp", ".bak", ".orig"))
        or name == "4913"
    )


def load_site(root: Path, diagnostics: Diagnostics) -> LoadedSite:
    config, problems = load_config(root)
    for problem in problems:
        diagnostics.add(problem)
    site = LoadedSite(root, config)
    content = root / "content"
    if not content.is_dir():
        diagnostics.error(
            Location(content),
            "the content/ folder is missing",
            "create content/ with actors/, deals/, events/, sources/ and pages/ inside",
        )
        return site
    seen: dict[str, Path] = {}
    for path, dossier in _load_all(content, diagnostics):
        if dossier is None:
            site.broken_ids.add(path.stem)
            continue
        if dossier.id in seen:
            diagnostics.error(
                Location(dossier.path, 1, 1),
                f"the id '{dossier.id}' is already used by {seen[dossier.id].relative_to(root)}",
                "ids are file names and must be unique across the investigation: rename one file",
            )
            continue
        seen[dossier.id] = dossier.path
        site.dossiers.append(dossier)
    return site


def _load_all(content: Path, diagnostics: Diagnostics):
    for entry in sorted(content.iterdir()):
        if is_editor_noise(entry):
            continue
        if entry.is_dir() and entry.name in DOSSIER_TYPES:
            yield from _load_section(entry, diagnostics)
        elif entry.is_dir() and entry.name == "pages":
            yield from _load_pages(entry, diagnostics)
        else:
            diagnostics.warning(
                Location(entry),
                f"'{entry.name}' is not part of the content and is ignored",
                "content/ holds the folders actors, deals, events, sources and pages",
            )


def _files(folder: Path, diagnostics: Diagnostics, suffixes: tuple[str, ...]) -> list[Path]:
    """The files of ``folder`` with ``suffixes``, each with a valid id as stem."""
    found = []
    for path in sorted(folder.iterdir()):
        if is_editor_noise(path) or path.suffix == ".md" and suffixes != (".md",):
            continue
        if path.is_dir() or path.suffix not in suffixes:
            diagnostics.warning(Location(path), f"'{path.name}' is ignored: expected {' or '.join(suffixes)} files", "")
            continue
        if not SLUG.match(path.stem):
            diagnostics.error(
                Location(path),
                f"'{path.stem}' is not a valid id",
                "rename the file: lowercase letters, digits and hyphens, e.g. "
                f"'{_suggest_slug(path.stem)}{path.suffix}'",
            )
            continue
        found.append(path)
    return found


def _suggest_slug(text: str) -> str:
    cleaned = "".join(c if c.isalnum() else "-" for c in text.lower())
    return "-".join(part for part in cleaned.split("-") if part) or "my-id"


def _load_section(folder: Path, diagnostics: Diagnostics):
    model = DOSSIER_TYPES[folder.name]
    yaml_stems = set()
    for path in _files(folder, diagnostics, YAML_SUFFIXES):
        yaml_stems.add(path.stem)
        try:
            doc = parse_yaml(read_text(path), path)
            narrative = _narrative(path.with_suffix(".md"))
        except ContentError as problem:
            diagnostics.add(problem)
            yield path, None
            continue
        yield path, _build(model, doc, narrative, diagnostics)
    for orphan in sorted(folder.glob("*.md")):
        if orphan.stem not in yaml_stems and not is_editor_noise(orphan):
            diagnostics.error(
                Location(orphan),
                f"'{orphan.name}' has no dossier {orphan.stem}.yaml beside it",
                f"create {orphan.stem}.yaml or move the text into content/pages/",
            )


def _narrative(path: Path) -> Document | None:
    if not path.is_file():
        return None
    text = read_text(path)
    return Document(path, text, markdown.parse(text))


def _build(
    model: type[Dossier], doc: YamlDocument, narrative: Document | None, diagnostics: Diagnostics
) -> Dossier | None:
    if isinstance(doc.data, dict) and "id" in doc.data:
        diagnostics.error(
            doc.location(("id",), at_key=True),
            "a dossier cannot set its own id",
            f"the id is the file name ('{doc.path.stem}'): remove the `id:` line",
        )
        return None
    dossier, problems = validate(
        model, doc, {"id": doc.path.stem, "path": doc.path, "origin": doc, "narrative": narrative}
    )
    for problem in problems:
        diagnostics.add(problem)
    return dossier


def split_front_matter(text: str) -> tuple[str, str, int]:
    """(front matter, body, number of lines before the body)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return "", text, 0
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 1
    return "", text, 0


def _load_pages(folder: Path, diagnostics: Diagnostics):
    for path in _files(folder, diagnostics, (".md",)):
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
        except ContentError as problem:
            diagnostics.add(problem)
            yield path, None
            continue
        yield path, _build(Page, doc, Document(path, body, markdown.parse(body), offset), diagnostics)
