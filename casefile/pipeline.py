"""load → resolve → render → write, stopping after any stage with errors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError

from .diagnostics import ContentError, Diagnostics, Location
from .loader import load_site
from .render import render_all
from .resolve import Investigation, resolve
from .write import write_site

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class SitePaths:
    """Where an investigation lives and where its site goes."""

    site: Path
    out: Path

    @property
    def templates(self) -> list[Path]:
        return [self.site / "templates"]

    @property
    def static(self) -> list[Path]:
        return [self.site / "static", PROJECT_ROOT / "static"]


def check(paths: SitePaths, diagnostics: Diagnostics) -> Investigation | None:
    """Load and resolve; None when there are errors (all in ``diagnostics``)."""
    site = load_site(paths.site, diagnostics)
    return resolve(site, diagnostics)


def build(paths: SitePaths, diagnostics: Diagnostics, strict: bool = False) -> Investigation | None:
    """Check, render and write; the previous output stays unless all succeeds."""
    investigation = check(paths, diagnostics)
    if investigation is None or (strict and diagnostics.warnings):
        return None
    try:
        pages = render_all(investigation, paths.templates)
    except TemplateError as exc:
        diagnostics.add(template_problem(exc, paths))
        return None
    write_site(pages, paths.static, paths.out)
    return investigation


def template_problem(exc: TemplateError, paths: SitePaths) -> ContentError:
    if isinstance(exc, TemplateSyntaxError):
        where = Location(Path(exc.filename or exc.name or "templates"), exc.lineno or 1, 1)
    else:
        where = Location(paths.site / "templates")
    return ContentError(
        where,
        f"template error: {exc.message or exc}",
        "the templates are code: undo the last change to them, or ask a developer",
    )
