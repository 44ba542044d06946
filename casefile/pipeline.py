"""load → resolve → render → lint → write → link check, stopping after any stage with errors."""

from __future__ import annotations

import dataclasses
import gc
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError

from casefile.content.loader import LoadedSite, load_site
from casefile.content.model import Dossier
from casefile.content.translations import in_language
from casefile.diagnostics import ContentError, Diagnostics, Location
from casefile.exports.data import RecordCache, data_files, dossier_json_path
from casefile.investigation.chronology import check_dates
from casefile.investigation.drafts import without_drafts
from casefile.investigation.gallery import Gallery
from casefile.investigation.lint import lint
from casefile.investigation.policy import check_policy
from casefile.investigation.quotes import quote_problems, with_quotes
from casefile.investigation.resolve import Investigation, resolve
from casefile.output import evidence
from casefile.output.cache import BuildCache
from casefile.output.linkcheck import PageLinks, check_external, check_folder, page_links
from casefile.output.parallel import PageRecord, render_pages
from casefile.output.search import indexing
from casefile.output.staleness import LastBuild, Marks, Staleness, shown_to_json
from casefile.output.write import add_files, link_files, write_site
from casefile.pages import graphlayout
from casefile.pages.i18n import site_labels
from casefile.pages.publish import NOT_FOUND_PAGE, edition_files, site_files
from casefile.pages.render import PageSpec, Renderer, make_environment, page_specs
from casefile.settings import Options, SitePaths

DEFAULT_OPTIONS = Options()
MACROS_IMPORT = '{% import "macros.html" as m with context %}'  # in base.html, for every page template


@dataclass(frozen=True)
class BuiltSite:
    """A checked investigation and what each of its pages showed and links to."""

    investigation: Investigation
    pages: list[PageRecord]
    marks: Marks | None = None  # the investigation's marks, where a partial build worked them out to choose pages


@dataclass(frozen=True)
class _Edition:
    """The investigation in one language, ready to render: its renderer and its pages."""

    renderer: Renderer
    specs: list[PageSpec]


@dataclass(frozen=True)
class _Plan:
    """A resolved investigation, ready to render: one edition per language (the default first), every page of
    them, and the files made from the list of them."""

    editions: list[_Edition]
    files: dict[str, str]  # the 404 page, sitemap, feeds and friends (the exports come after the pages)

    @property
    def renderer(self) -> Renderer:
        """The default edition's: its investigation is the one checked, exported and linted."""
        return self.editions[0].renderer

    @property
    def specs(self) -> list[PageSpec]:
        return [spec for edition in self.editions for spec in edition.specs]

    @classmethod
    def make(cls, paths: SitePaths, diagnostics: Diagnostics, options: Options, keep: bool = True) -> _Plan | None:
        """The plan, or None on errors; ``keep``: processed media are kept in the cache (not by ``check``)."""
        with _collector_spared():
            loaded = load_site(paths.site, diagnostics)
        languages = loaded.config.editions if loaded.config is not None else [None]
        editions: list[_Edition] = []
        for language in languages:
            with _collector_spared():
                investigation = resolve(edition_of(loaded, language), diagnostics)
                if investigation is not None and not options.drafts:
                    investigation = without_drafts(investigation, diagnostics)
            default = editions[0].renderer.investigation.media if editions else None
            edition = _edition(investigation, paths, diagnostics, options, keep, default)
            if edition is None:
                return None
            editions.append(edition)
        try:
            files = publishing_files(editions[0].renderer, [s.path for s in editions[0].specs])
            for edition in editions[1:]:
                files |= edition_files(edition.renderer.investigation)
        except TemplateError as exc:
            diagnostics.add(template_problem(exc, paths))
            return None
        return cls(editions, files)

    def render(
        self,
        into: Path | None,
        paths: SitePaths,
        diagnostics: Diagnostics,
        options: Options,
        kept: dict[str, PageRecord] | None = None,
        meanwhile: Callable[[], object] | None = None,
    ) -> list[PageRecord] | None:
        """Every page but the ``kept`` ones rendered (into the folder ``into``, if any): the records of all, or
        None after a template error. ``meanwhile`` is done while the first edition's pages are rendered."""
        kept = kept or {}
        rendered: list[PageRecord] = list(kept.values())
        for number, edition in enumerate(self.editions):
            specs = [spec for spec in edition.specs if spec.path not in kept]
            records = render_pages(
                edition.renderer,
                specs,
                into,
                options.jobs,
                lambda exc: template_problem(exc, paths),
                meanwhile if number == 0 else None,
            )
            if isinstance(records, ContentError):
                diagnostics.add(records)
                return None
            rendered += records
        return sorted(rendered, key=lambda r: r.path)

    def checked(
        self, rendered: list[PageRecord], paths: SitePaths, diagnostics: Diagnostics, options: Options
    ) -> BuiltSite | None:
        """The rendered site linted, its dates, policy and (with the options) quotations and outside links
        checked; None when there are errors. A build runs it while the search index is being made."""
        investigation = self.renderer.investigation
        sizes = {r.path: r.size for r in rendered} | {
            path: len(text.encode("utf-8")) for path, text in self.files.items() if path.endswith(".html")
        }
        lint(investigation, sizes, diagnostics)
        check_dates(investigation, diagnostics)
        check_policy(investigation, diagnostics)
        if options.quotes:
            for problem in quote_problems(investigation):
                diagnostics.add(problem)
        if options.check_external:
            check_external(investigation, self.link_tables(rendered), paths.out, diagnostics)
        return None if diagnostics.has_errors() else BuiltSite(investigation, rendered)

    def link_tables(self, rendered: list[PageRecord]) -> dict[str, PageLinks]:
        """The link table of every page rendered (a kept page has none in hand), and of the pages made here."""
        made_here = {path: page_links(text) for path, text in self.files.items() if path.endswith(".html")}
        return {r.path: r.links for r in rendered if r.links is not None} | made_here

    def keepable(self, last: LastBuild, marks: Marks) -> dict[str, PageRecord]:
        """The pages of the last build that this one, whose investigation has ``marks``, would render byte for byte
        the same, by what they showed."""
        staleness = Staleness(last.marks, marks, last.changed)
        stale = {spec.path for spec in staleness.stale(self.specs, last.shown)}
        return {
            spec.path: PageRecord(
                spec.path,
                (last.out / spec.path).stat().st_size,
                frozenset(last.shown[spec.path].used),
                frozenset(last.shown[spec.path].named),
                None,
            )
            for spec in self.specs
            if spec.path not in stale
        }


Made = dict[int, tuple[Dossier, str, str, Dossier]]  # id of a dossier loaded → it, language, default, its edition


def edition_of(loaded: LoadedSite, language: str | None, made: Made | None = None) -> LoadedSite:
    """What was loaded, as the edition in ``language`` shows it (None: the site.yaml is broken, so is the edition).

    ``made`` keeps the editions of the last call: ``serve`` keeps the dossiers of unchanged files, and tells what
    an edit changed by whether a dossier is the same object, so an unchanged dossier's edition is the same too.
    """
    if loaded.config is None or language is None:
        return loaded
    default = loaded.config.default_language
    known = made or {}
    dossiers = []
    for dossier in loaded.dossiers:
        last = known.get(id(dossier))
        same = last is not None and last[0] is dossier and last[1:3] == (language, default)
        dossiers.append(last[3] if same else in_language(dossier, language, default))  # type: ignore[index]
    if made is not None:
        made.clear()
        made.update({id(d): (d, language, default, e) for d, e in zip(loaded.dossiers, dossiers, strict=True)})
    return dataclasses.replace(loaded, config=loaded.config.in_language(language), dossiers=dossiers)


def _edition(
    investigation: Investigation | None,
    paths: SitePaths,
    diagnostics: Diagnostics,
    options: Options,
    keep: bool,
    default: Gallery | None = None,
) -> _Edition | None:
    """One edition's resolved investigation, its evidence and quotations checked, ready to render; None on errors.
    The evidence files are processed for the ``default`` edition; the others take its ``default`` gallery."""
    if investigation is None:
        return None
    if default is None:
        gallery = evidence.prepare(investigation, diagnostics, keep)
    else:
        gallery = evidence.in_edition(default, investigation, diagnostics)
    if gallery is None:
        return None
    investigation = with_quotes(dataclasses.replace(investigation, media=gallery))  # footnotes link passages
    # before any page, with stops held (networkx imports numpy on its own, unguarded); only now, so that content
    # with errors is reported without waiting 0.7 s for numpy and scipy
    graphlayout.preload()
    if options.base_url is not None:
        config = investigation.config.model_copy(update={"base_url": options.base_url})
        investigation = dataclasses.replace(investigation, config=config)
    return _Edition(Renderer(investigation, make_environment(paths.templates)), page_specs(investigation))


@contextmanager
def _collector_spared() -> Iterator[None]:
    """The cyclic garbage collector off while loading, and what was loaded frozen out of its sight.

    Loading makes a million objects that last to the end of the run and leaves no garbage cycles,
    yet the collector walked them again and again: a third of the loading time at 10,000 dossiers.
    Frozen, they are never scanned again (nor written to by the collector in a forked render worker);
    reference counting still frees them.
    """
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def check(paths: SitePaths, diagnostics: Diagnostics, options: Options = DEFAULT_OPTIONS) -> BuiltSite | None:
    """Everything but writing: load, resolve, render, lint; None when there are errors."""
    plan = _Plan.make(paths, diagnostics, options, keep=False)
    if plan is None:
        return None
    rendered = plan.render(None, paths, diagnostics, options)
    return None if rendered is None else plan.checked(rendered, paths, diagnostics, options)


def build(
    paths: SitePaths, diagnostics: Diagnostics, options: Options = DEFAULT_OPTIONS, last: LastBuild | None = None
) -> BuiltSite | None:
    """Check, write and check every link; the previous output stays unless all of it succeeds.

    The pages are rendered straight into the staged folder, which is dropped when anything fails. With the
    ``last`` build, the pages an edit cannot have changed are linked into it from the last output instead.
    """
    plan = _Plan.make(paths, diagnostics, options)
    if plan is None:
        return None
    marks, kept = None, {}
    if last is not None or len(plan.editions) > 1:  # several: the cache needs every edition's, made here
        marks = Marks.of_editions([edition.renderer.investigation for edition in plan.editions])
    if last is not None and marks is not None:
        kept = plan.keepable(last, marks)
    records = RecordCache.kept_from(last.out, plan.renderer.investigation, last.changed) if last else RecordCache()
    kept_exports = {dossier_json_path(dossier.page) for dossier, _, _ in records.records.values()}
    built: list[BuiltSite] = []

    def export(staging: Path) -> None:
        exports = data_files(plan.renderer.investigation, records)
        add_files({path: text for path, text in exports.items() if path not in kept_exports}, staging)

    def render_and_check(staging: Path) -> bool:
        if last is not None:
            link_files(last.out, staging, [*kept, *kept_exports])
        # the exports are made beside work that leaves a core idle: the search index's, or else the pages'
        beside_index = options.search
        beside_pages = None if beside_index else lambda: export(staging)
        rendered = plan.render(staging, paths, diagnostics, options, kept, meanwhile=beside_pages)
        if rendered is None:
            return False
        with indexing(staging, diagnostics, options.search) as index_ready:  # the pages are final: index them
            site = plan.checked(rendered, paths, diagnostics, options)
            if site is None or (options.strict and diagnostics.warnings):
                return False
            if beside_index:
                export(staging)
            evidence.stage(site.investigation.media, staging)
            root_path = site.investigation.config.root_path
            links = plan.link_tables(site.pages)
            unchanged = _still_sound(kept, links, last, plan.specs)
            if not (check_folder(staging, root_path, paths.out, diagnostics, links, unchanged) and index_ready()):
                return False
        built.append(dataclasses.replace(site, marks=marks))
        return True

    if not write_site(plan.files, paths.static, paths.out, finish=render_and_check, shared=[*kept, *kept_exports]):
        return None
    for line in evidence.removal_report(plan.renderer.investigation.media, Path.cwd()):
        print(line, file=sys.stderr)
    return built[0]


def remembered_build(paths: SitePaths, diagnostics: Diagnostics, options: Options, cache: BuildCache) -> bool:
    """A build from what ``cache`` remembers of the last one (after an edit of dossiers, only the pages it
    affects, in every edition), remembered in turn for the next."""
    with cache.recording():
        site = build(paths, diagnostics, options, cache.last_build())
        if site is not None:
            marks = site.marks or Marks.of(site.investigation)  # a partial build has them already
            cache.save(diagnostics.warnings, shown_to_json({page.path: page for page in site.pages}, marks))
    return site is not None


def _still_sound(
    kept: dict[str, PageRecord], links: dict[str, PageLinks], last: LastBuild | None, specs: list[PageSpec]
) -> frozenset[str]:
    """The kept pages whose links need no check again: all of them, unless a page went (a link may lead to it)
    or a page rendered again lost an id it had (a link may end in it); then none."""
    if last is None:
        return frozenset()
    if set(last.shown) - {spec.path for spec in specs}:
        return frozenset()
    for path, table in links.items():
        before = last.out / path
        if path in last.shown and not page_links(before.read_text(encoding="utf-8")).ids <= table.ids:
            return frozenset()
    return frozenset(kept)


def publishing_files(renderer: Renderer, page_paths: Iterable[str]) -> dict[str, str]:
    """404.html, the sitemap, feed, robots.txt and friends for a site with ``page_paths``.

    The 404 page's links start from the site's root folder: GitHub Pages serves it at any depth.
    """
    root = renderer.investigation.config.root_path
    title = site_labels(renderer.investigation.config).gettext("Page not found")
    spec = PageSpec(NOT_FOUND_PAGE, "404.html", title, lambda lists: {"site_root": root})
    extra = {NOT_FOUND_PAGE: renderer.render(spec)[0]}
    investigation = renderer.investigation
    return extra | site_files(investigation, [*page_paths, *extra])


def template_problem(exc: TemplateError, paths: SitePaths) -> ContentError:
    """The error at the template line that failed: the innermost frame Jinja mapped to a template file."""
    where = Location(paths.site / "templates")
    if isinstance(exc, TemplateSyntaxError):
        where = Location(Path(exc.filename or exc.name or "templates"), exc.lineno or 1, 1)
    for frame, line in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename.endswith(".html"):
            where = Location(Path(frame.f_code.co_filename), line, 1)
    message = f"the template '{exc.name}' does not exist" if isinstance(exc, TemplateNotFound) else exc.message
    hint = "the templates are code: undo the last change to them, or ask a developer"
    if isinstance(exc, SecurityError):
        hint = "a template may show the investigation's data, never reach into Python: remove what it names"
    if isinstance(exc, UndefinedError) and message == "'m' is undefined" and (own := _own_base(paths)):
        return ContentError(
            Location(own, 1, 1),
            "template error: this base.html does not import the macros that the page templates use as 'm'",
            f"add {MACROS_IMPORT} at its top, as Casefile's own base.html does since 0.2",
        )
    return ContentError(where, f"template error: {message or exc}", hint)


def _own_base(paths: SitePaths) -> Path | None:
    """The investigation's own base.html, which may come from a Casefile before page templates used its macros."""
    own = paths.templates[0] / "base.html"
    return own if own.is_file() else None
