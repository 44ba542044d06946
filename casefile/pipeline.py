"""load → resolve → render → lint → write → link check, stopping after any stage with errors."""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

from .diagnostics import ContentError, Diagnostics, Location
from .drafts import without_drafts
from .exports import RecordCache, data_files
from .linkcheck import check_external, check_folder
from .lint import lint
from .loader import load_site
from .publish import NOT_FOUND_PAGE, site_files
from .render import PageSpec, Renderer, make_environment, render_all
from .resolve import Investigation, resolve
from .search import index_site
from .settings import Options, SitePaths
from .write import write_site

DEFAULT_OPTIONS = Options()


@dataclass(frozen=True)
class BuiltSite:
    """A checked investigation and every file of its site by site path, not yet written."""

    investigation: Investigation
    files: dict[str, str]


def check(paths: SitePaths, diagnostics: Diagnostics, options: Options = DEFAULT_OPTIONS) -> BuiltSite | None:
    """Everything but writing: load, resolve, render in memory, lint; None when there are errors."""
    investigation = resolve(load_site(paths.site, diagnostics), diagnostics)
    if investigation is not None and not options.drafts:
        investigation = without_drafts(investigation, diagnostics)
    if investigation is None:
        return None
    if options.base_url is not None:
        config = investigation.config.model_copy(update={"base_url": options.base_url})
        investigation = dataclasses.replace(investigation, config=config)
    try:
        renderer = Renderer(investigation, make_environment(paths.templates))
        pages = render_all(renderer)
        files = pages | publishing_files(renderer, pages)
    except TemplateError as exc:
        diagnostics.add(template_problem(exc, paths))
        return None
    pages = {path: text for path, text in files.items() if path.endswith(".html")}
    lint(investigation, pages, diagnostics)
    if options.check_external:
        check_external(investigation, pages, paths.out, diagnostics)
    return None if diagnostics.has_errors() else BuiltSite(investigation, files)


def build(paths: SitePaths, diagnostics: Diagnostics, options: Options = DEFAULT_OPTIONS) -> Investigation | None:
    """Check, write and check every link; the previous output stays unless all of it succeeds."""
    site = check(paths, diagnostics, options)
    if site is None or (options.strict and diagnostics.warnings):
        return None
    root_path = site.investigation.config.root_path

    def links_lead_somewhere(staging: Path) -> bool:
        """The last look before the swap: every link leads somewhere; then the search index, over the final pages."""
        if not check_folder(staging, root_path, paths.out, diagnostics):
            return False
        problem = index_site(staging)
        if problem is not None:
            diagnostics.add(problem)
        return problem is None

    if not write_site(site.files, paths.static, paths.out, verify=links_lead_somewhere):
        return None
    return site.investigation


def publishing_files(
    renderer: Renderer, page_paths: Iterable[str], records: RecordCache | None = None
) -> dict[str, str]:
    """404.html, the sitemap, feed, robots.txt, the data exports and friends for a site with ``page_paths``.

    The 404 page's links start from the site's root folder: GitHub Pages serves it at any depth.
    """
    root = renderer.investigation.config.root_path
    title = renderer.investigation.config.translations.gettext("Page not found")
    spec = PageSpec(NOT_FOUND_PAGE, "404.html", title, lambda lists: {"site_root": root})
    extra = {NOT_FOUND_PAGE: renderer.render(spec)[0]}
    investigation = renderer.investigation
    return extra | site_files(investigation, [*page_paths, *extra]) | data_files(investigation, records)


def template_problem(exc: TemplateError, paths: SitePaths) -> ContentError:
    """The error at the template line that failed: the innermost frame Jinja mapped to a template file."""
    where = Location(paths.site / "templates")
    if isinstance(exc, TemplateSyntaxError):
        where = Location(Path(exc.filename or exc.name or "templates"), exc.lineno or 1, 1)
    for frame, line in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename.endswith(".html"):
            where = Location(Path(frame.f_code.co_filename), line, 1)
    message = f"the template '{exc.name}' does not exist" if isinstance(exc, TemplateNotFound) else exc.message
    return ContentError(
        where,
        f"template error: {message or exc}",
        "the templates are code: undo the last change to them, or ask a developer",
    )
