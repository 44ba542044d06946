"""Rebuild only what an edit changed, for the dev server.

A :class:`Session` keeps the parsed files (:class:`LoadCache`), the last good
investigation and, for every page, the dossiers it showed.  After an edit it
reloads only changed files, resolves again, and re-renders the pages that
showed a changed dossier, whose relations changed, or that list a whole type
that changed.  The result is byte-identical to a full build (the tests check).
A full build (the first, and after a template change) renders on every core, as ``build`` does.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, TemplateError

from casefile.content.config import load_config
from casefile.content.loader import LoadCache, LoadedSite, load_site
from casefile.diagnostics import ContentError, Diagnostics
from casefile.exports.data import RecordCache, data_files, dossier_json_path
from casefile.investigation.quotes import with_quotes
from casefile.investigation.resolve import Investigation, ResolveCache, resolve
from casefile.output import evidence
from casefile.output.cache import BuildCache
from casefile.output.outdir import write_problem
from casefile.output.parallel import render_pages
from casefile.output.search import Indexing, indexing
from casefile.output.staleness import Marks, Shown, Staleness
from casefile.output.write import add_files, write_site
from casefile.pages.render import (
    Network,
    PageSpec,
    Renderer,
    SiteLists,
    dossier_spec,
    make_environment,
    page_specs,
)
from casefile.pipeline import (
    Made,
    SitePaths,
    build,
    edition_of,
    publishing_files,
    remembered_build,
    template_problem,
)
from casefile.settings import Options


def _tree_stamp(paths: list[Path]) -> tuple:
    """Size and mtime of every file under ``paths``: what forces a full build."""
    stamps = []
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        stamps += [(str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files]
    return tuple(stamps)


@dataclass
class Session:
    """The dev server's state between edits: parsed files, the last good site and what each page showed."""

    paths: SitePaths
    jobs: int = 1  # processes rendering a full build's pages; 1 renders here, in this process
    remember: bool = True  # a site in several languages is rebuilt through the build cache (not with --no-cache)
    cache: LoadCache = field(default_factory=LoadCache)
    resolve_cache: ResolveCache = field(default_factory=ResolveCache)
    investigation: Investigation | None = None
    marked: tuple[Investigation, Marks] | None = None  # the marks of the investigation an edit is compared with
    diagnostics: Diagnostics | None = None
    shown: dict[str, Shown] = field(default_factory=dict)  # page path -> what it showed last time
    specs: dict[str, PageSpec] = field(default_factory=dict)
    layout_stamp: tuple = ()
    environment: Environment | None = None
    lists: SiteLists | None = None
    loaded: LoadedSite | None = None
    records: RecordCache = field(default_factory=RecordCache)  # each dossier's exported JSON
    editions: Made = field(default_factory=dict)  # each dossier loaded as the site's language shows it
    written: dict[str, bytes] = field(default_factory=dict)  # file path -> digest of what was last written there
    _pending: Callable[[], bool] | None = None
    _indexing: threading.Thread | None = None
    _index_job: Indexing | None = None
    _index_lock: threading.Lock = field(default_factory=threading.Lock)
    _index_generation: int = 0

    def _layout(self) -> tuple:
        """Size and mtime of site.yaml, templates and static files: a change to any means a full build."""
        inputs = [self.paths.site / "site.yaml", *self.paths.templates, *self.paths.static]
        return _tree_stamp([p for p in inputs if p.exists()])

    def _check(self, edited: set[str] | None = None) -> Investigation | None:
        self.diagnostics = Diagnostics()
        self.loaded = load_site(self.paths.site, self.diagnostics, self.cache, self.loaded, edited)
        language = self.loaded.config.language if self.loaded.config is not None else None
        edition = edition_of(self.loaded, language, self.editions)
        investigation = resolve(edition, self.diagnostics, self.resolve_cache)
        gallery = evidence.prepare(investigation, self.diagnostics) if investigation is not None else None
        return None if gallery is None else with_quotes(dataclasses.replace(investigation, media=gallery))

    def full_build(self) -> bool:
        """Build everything and remember what each page showed: the pages rendered by ``jobs`` processes
        straight into the staged site, then the search index made while the exports are written."""
        self.settle()  # the whole output is replaced: an index being written into it must be done first
        layout = self._layout()  # kept only once built: a failed full build must be tried again at the next save
        if self._in_several_languages():
            return self._build_every_edition()
        self.environment = make_environment(self.paths.templates)
        investigation = self._check()
        if investigation is None:
            return False
        specs = page_specs(investigation)
        renderer = self._renderer(investigation)
        files = self._render(renderer, [], publishing=[s.path for s in specs])
        if files is None:
            return False

        def finish(staging: Path) -> bool:
            records = render_pages(renderer, specs, staging, self.jobs, lambda exc: template_problem(exc, self.paths))
            gc.unfreeze()  # frozen for the workers; this process lives on, and drops this site at the next build
            if isinstance(records, ContentError):
                self.diagnostics.add(records)
                return False
            self.shown = {r.path: r for r in records}
            with indexing(staging, self.diagnostics) as index_ready:
                exports = data_files(investigation, self.records)
                add_files(exports, staging)
                evidence.stage(investigation.media, staging)
                self.written = {path: _digest(text) for path, text in (files | exports).items()}  # pages: unknown
                return index_ready()

        if not write_site(files, self.paths.static, self.paths.out, finish=finish):
            return False
        self.layout_stamp = layout
        self.investigation = investigation
        self.specs = {s.path: s for s in specs}
        return True

    def _in_several_languages(self) -> bool:
        config, _ = load_config(self.paths.site)
        return config is not None and len(config.editions) > 1

    def _build_every_edition(self) -> bool:
        """The site built as ``build`` builds it, drafts shown: this session rebuilds one edition in memory, so with
        several each save goes through the build cache, which renders in every edition only what the edit affects."""
        self.diagnostics = Diagnostics()
        options = Options(drafts=True, jobs=self.jobs)
        self.investigation = None  # the next save goes through here again
        if not self.remember:
            return build(self.paths, self.diagnostics, options) is not None
        cache = BuildCache(self.paths, options)
        if cache.replayed(self.diagnostics):  # a save that changed nothing the last build read
            return True
        return remembered_build(self.paths, self.diagnostics, options, cache)

    def rebuild(self, edited: set[str] | None = None) -> bool:
        """Apply the edits since the last build, every affected page; False when nothing changed."""
        return self.rebuild_edited(edited)()

    def rebuild_edited(self, edited: set[str] | None = None) -> Callable[[], bool]:
        """Write the edited dossiers' own pages now and return what writes the rest.

        The dev server reloads the browser in between, so the page being edited shows the change first.
        ``edited`` (paths from file-system events) lets the content scan be skipped when it changed nothing.
        """
        self.finish_pending()
        if self.investigation is None or self._layout() != self.layout_stamp:
            done = self.full_build()
            return lambda: done
        old = self.investigation
        new = self._check(edited)
        if new is None:
            return lambda: False
        changed = {
            i for i in old.dossiers.keys() | new.dossiers.keys() if old.dossiers.get(i) is not new.dossiers.get(i)
        }
        owners = old.media.by_owner.keys() | new.media.by_owner.keys()
        changed |= {i for i in owners if old.media.by_owner.get(i) != new.media.by_owner.get(i)}  # a replaced photo
        evidence.stage(new.media, self.paths.out)
        own_pages = [dossier_spec(new.dossiers[i]) for i in sorted(changed) if i in new.dossiers]
        renderer = self._renderer(new)
        pages = self._render(renderer, own_pages)
        if pages is None:
            return lambda: False
        self._write(pages, removed=set())
        self.investigation = new

        def finish() -> bool:
            """Every other page the edit affects, and the pages of removed dossiers deleted; nothing if a later
            edit has already run it (a second save within the dev server's grace before it calls this)."""
            if self._pending is not finish:
                return False
            self._pending = None
            previous_specs, self.specs = self.specs, {s.path: s for s in page_specs(new)}
            specs = self.specs
            before = self.marked[1] if self.marked is not None and self.marked[0] is old else Marks.of(old)
            after = Marks.of(new)
            self.marked = (new, after)
            staleness = Staleness(before, after, changed)
            stale = [spec for spec in staleness.stale(specs.values(), self.shown) if spec.path not in pages]
            rest = self._render(renderer, stale, publishing=specs)
            if rest is not None:
                rest |= data_files(new, self.records)
                gone = set(previous_specs) - set(specs)
                self._write(rest, removed=gone | {dossier_json_path(path) for path in gone})
                self._index_in_background()
            return bool(changed or pages or rest)

        self._pending = finish
        return finish

    def _index_in_background(self) -> None:
        """Search indexed again after an edit, in a thread and at the lowest CPU priority: at 10,000 dossiers
        Pagefind takes about 13 s of both cores, and the next save must not wait for it. A newer edit's indexing
        supersedes an older one still waiting."""
        self._index_generation += 1
        generation = self._index_generation

        def run() -> None:
            with self._index_lock:
                if generation != self._index_generation:
                    return
                job = self._index_job = Indexing(self.paths.out, background=True)
                try:
                    problem = job.finish()
                except OSError as exc:
                    problem = write_problem(exc, self.paths.out)
                finally:
                    job.cancel()
                if problem is not None and generation == self._index_generation:  # not stopped meanwhile
                    print(problem.format(Path.cwd()), file=sys.stderr)

        self._indexing = threading.Thread(target=run, name="search index", daemon=True)
        self._indexing.start()

    def stop(self) -> None:
        """The search index being rebuilt stopped, and one waiting never started; the last complete index stays.
        For when the server stops: Pagefind would otherwise go on, orphaned, for seconds."""
        self._index_generation += 1
        if self._index_job is not None:
            self._index_job.stop()
        self.settle()

    def settle(self) -> None:
        """Wait for the search index of the last edit (tests, and before the server stops)."""
        if self._indexing is not None:
            self._indexing.join()

    def finish_pending(self) -> None:
        """Write what an earlier rebuild left for later, before anything else happens."""
        if self._pending is not None:
            self._pending()

    def _previous_network(self) -> Network | None:
        """The last build's graph if it was drawn, so an edit that keeps its shape keeps its layout."""
        return self.lists.__dict__.get("network") if self.lists is not None else None

    def _renderer(self, investigation: Investigation) -> Renderer:
        self.lists = SiteLists(investigation, self._previous_network())
        return Renderer(investigation, self.environment, self.lists)

    def _render(
        self, renderer: Renderer, specs: list[PageSpec], publishing: Iterable[str] = ()
    ) -> dict[str, str] | None:
        """The pages of ``specs`` (plus the 404 page, sitemap and feed for a site of ``publishing`` pages);
        a template error becomes a located problem and nothing is returned."""
        pages = {}
        try:
            for spec in specs:
                pages[spec.path], self.shown[spec.path] = renderer.render(spec)
            if publishing:
                pages |= publishing_files(renderer, publishing)
        except TemplateError as exc:
            self.diagnostics.add(template_problem(exc, self.paths))
            return None
        return pages

    def _write(self, pages: dict[str, str], removed: set[str]) -> None:
        """Replace changed pages one by one, each atomically; a page the same as last written is left alone
        (at 10,000 dossiers, reading back every exported file to compare took a second per save)."""
        out = self.paths.out
        for path, html in sorted(pages.items()):
            digest = _digest(html)
            if self.written.get(path) == digest:
                continue
            target = out / path
            target.parent.mkdir(parents=True, exist_ok=True)
            staging = target.with_name(f".{target.name}.new")
            staging.write_text(html, encoding="utf-8", newline="\n")
            os.replace(staging, target)
            self.written[path] = digest
        for path in removed:
            (out / path).unlink(missing_ok=True)
            self.shown.pop(path, None)
            self.written.pop(path, None)


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
