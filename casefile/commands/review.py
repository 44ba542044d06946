"""``casefile review ID --by NAME``: an editor's sign-off, written into the dossier's own file.

A sign-off records who checked the dossier, on which day, and the digest of what they checked
(:func:`casefile.content.review.review_digest`), so that a later edit shows as "changed since review". Only
someone site.yaml lists under ``staff:`` signs, and only a dossier the build accepts. The file is edited as
text (:mod:`casefile.commands.signoff_text`): the other lines, comments and blank lines stay as they were.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from casefile.commands.scaffold import write_failure
from casefile.commands.signoff_text import Unwritable, flow_item, with_sign_off
from casefile.content.config import SiteConfig, load_config
from casefile.content.loader import STORED_TEXT, YAML_SUFFIXES, LoadedSite, load_site, split_front_matter
from casefile.content.model import DOSSIER_TYPES, SLUG, Dossier
from casefile.content.review import last_review, review_digest, review_state
from casefile.content.yamlio import load_yaml
from casefile.diagnostics import ContentError, Diagnostics, Location, did_you_mean
from casefile.investigation.resolve import resolve

PAGES = "pages"


@dataclass(frozen=True)
class SignOff:
    """What ``review`` recorded in ``path``; ``written`` is False when the same editor had signed the
    dossier off as it stands already."""

    path: Path
    by: str
    on: str
    digest: str
    written: bool = True


def sign_off(site: Path, dossier_id: str, by: str, today: date) -> tuple[SignOff | None, list[ContentError]]:
    """Sign the dossier ``dossier_id`` off as ``by`` on ``today``; every problem that stops it, located."""
    config, problems = load_config(site)
    path, not_found = dossier_file(site, dossier_id)
    problems += not_found
    if config is not None:
        problems += staff_problems(site, config, by)
    if problems or path is None:
        return None, problems
    loaded, problems = _checked(site, path)
    dossier = next((d for d in loaded.dossiers if d.path == path), None)
    if problems or dossier is None:
        return None, problems or [ContentError(Location(path), f"'{dossier_id}' could not be read")]
    digest = review_digest(dossier)
    last = last_review(dossier)
    if last is not None and last.by == by and last.digest == digest:
        return SignOff(path, by, last.on.iso, digest, written=False), []
    signed = SignOff(path, by, today.isoformat(), digest)
    problem = _record(loaded, path, signed)
    return (None, [problem]) if problem else (signed, [])


def dossier_file(site: Path, dossier_id: str) -> tuple[Path | None, list[ContentError]]:
    """The file of the dossier or page ``dossier_id``; did you mean, when no file has it."""
    content = site / "content"
    if not SLUG.fullmatch(dossier_id):
        return None, [
            ContentError(
                Location(content),
                f"'{dossier_id}' is not an id: ids are lowercase letters, digits and hyphens",
                "the id is the file's name without .yaml: `russia` for content/actors/russia.yaml",
            )
        ]
    files = _content_files(content)
    found = [path for path in files if path.stem == dossier_id]
    if len(found) > 1:
        shown = " and ".join(path.relative_to(site).as_posix() for path in found)
        message = f"the id '{dossier_id}' names {len(found)} files: {shown}"
        return None, [ContentError(Location(found[1]), message, "ids are unique: rename one of the files")]
    if found:
        return found[0], []
    hint = did_you_mean(dossier_id, (path.stem for path in files))
    hint = hint or "the id is the file's name without .yaml; `ls content/*/` lists them"
    return None, [ContentError(Location(content), f"no dossier or page has the id '{dossier_id}'", hint)]


def _content_files(content: Path) -> list[Path]:
    """Every dossier and page file, section by section."""
    found = []
    for section in (*DOSSIER_TYPES, PAGES):
        suffixes = (".md",) if section == PAGES else YAML_SUFFIXES
        try:
            with os.scandir(content / section) as entries:
                names = sorted(entry.name for entry in entries if entry.is_file())
        except OSError:  # no such folder, or one the build reports as unreadable itself
            continue
        found += [content / section / name for name in names if name.endswith(suffixes)]
    return found


def staff_problems(site: Path, config: SiteConfig, by: str) -> list[ContentError]:
    """Why ``by`` may not sign off: site.yaml names no staff, or not them."""
    if not config.staff:
        return [
            ContentError(
                Location(site / "site.yaml"),
                "site.yaml names no staff, so nobody can sign a dossier off",
                "add `staff:` to site.yaml with the names of the editors who sign off, e.g. `staff: [Anna Editor]`",
            )
        ]
    if by in config.staff:
        return []
    where = load_yaml(site / "site.yaml").location(("staff",))
    hint = did_you_mean(by, config.staff) or (
        f"sign as one of the staff ({', '.join(config.staff)}), or add the name to `staff:` in site.yaml"
    )
    return [ContentError(where, f"'{by}' is not on the staff in site.yaml", hint)]


def _checked(site: Path, path: Path) -> tuple[LoadedSite, list[ContentError]]:
    """The investigation as the build reads it, and the errors of the dossier at ``path`` (its fields, its
    narrative, its references), or every error when the folder could not be read far enough to reach it."""
    diagnostics = Diagnostics()
    loaded = load_site(site, diagnostics)
    resolve(loaded, diagnostics)
    own = {path, path.with_suffix(".md"), path.with_suffix(STORED_TEXT)}
    problems = [problem for problem in diagnostics.errors if problem.location.path in own]
    if not any(dossier.path == path for dossier in loaded.dossiers):
        problems = problems or diagnostics.errors
    return loaded, problems


def _record(loaded: LoadedSite, path: Path, signed: SignOff) -> ContentError | None:
    """Add the sign-off to the file, then read it again as the build does: a file that does not come back
    signed off, by ``signed.by``, is put back as it was."""
    entry = {"by": signed.by, "on": signed.on, "digest": signed.digest}
    unchanged = "the sign-off could not be added to this file without changing what it says: nothing was written"
    by_hand = f"add it at the end of the file yourself: reviewed: [{flow_item(entry)}]"
    try:
        raw = path.read_bytes()
        text, encoded = _as_lf(raw)
        start, end = _yaml_part(text, is_page=path.parent.name == PAGES)
        edited = text[:start] + with_sign_off(text[start:end], entry) + text[end:]
    except (OSError, UnicodeDecodeError, Unwritable):
        return ContentError(Location(path), unchanged, by_hand)
    try:
        _replace(path, encoded(edited))
        dossier = _read_again(loaded, path)
        if dossier is None or review_state(dossier) != "signed" or dossier.reviewed[-1].by != signed.by:
            _replace(path, raw)
            return ContentError(Location(path), unchanged, by_hand)
    except OSError as exc:
        return write_failure(exc, path, path.name, f"{path.parent.name}/")
    return None


def _as_lf(raw: bytes) -> tuple[str, Callable[[str], bytes]]:
    """The file's text with LF line ends, and how to encode an edited text as the file was: its byte-order
    mark and line ends kept."""
    text = raw.decode("utf-8")
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    ending = "\r\n" if "\r\n" in text else "\r" if "\r" in text else "\n"
    lf = text.removeprefix(bom).replace("\r\n", "\n").replace("\r", "\n")
    return lf, lambda edited: (bom + edited.replace("\n", ending)).encode("utf-8")


def _yaml_part(text: str, is_page: bool) -> tuple[int, int]:
    """Where the YAML of the file is: all of a dossier's file, a page's front matter between its ``---``."""
    if not is_page:
        return 0, len(text)
    front, _, _ = split_front_matter(text)
    start = text.index("\n") + 1
    return start, start + len(front)


def _replace(path: Path, data: bytes) -> None:
    """Write ``data`` as the file at ``path`` in one step: a stop half-way leaves the file as it was."""
    target = path.resolve()
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.chmod(temporary, target.stat().st_mode & 0o7777)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _read_again(loaded: LoadedSite, path: Path) -> Dossier | None:
    """The dossier at ``path`` read again, as the build reads it."""
    file = next(file for file in loaded.files if Path(file.path) == path)
    return file.read(path)[0]
