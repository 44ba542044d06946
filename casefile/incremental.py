"""Rebuild only what an edit changed, for the dev server.

A :class:`Session` keeps the parsed files (:class:`LoadCache`), the last good
investigation and, for every page, the dossiers it showed.  After an edit it
reloads only changed files, resolves again, and re-renders the pages that
showed a changed dossier, whose relations changed, or that list a whole type
that changed.  The result is byte-identical to a full build (the tests check).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import TemplateError

from .diagnostics import Diagnostics
from .loader import LoadCache, load_site
from .pipeline import SitePaths, template_problem
from .render import PageSpec, Renderer, page_specs
from .resolve import Investigation, resolve
from .write import write_site


def _tree_stamp(paths: list[Path]) -> tuple:
    """Size and mtime of every file under ``paths``: what forces a full build."""
    stamps = []
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        stamps += [(str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files]
    return tuple(stamps)


@dataclass
class Session:
    paths: SitePaths
    cache: LoadCache = field(default_factory=LoadCache)
    investigation: Investigation | None = None
    diagnostics: Diagnostics | None = None
    shown: dict[str, set[str]] = field(default_factory=dict)  # page path -> dossier ids it showed
    specs: dict[str, PageSpec] = field(default_factory=dict)
    layout_stamp: tuple = ()

    def _layout_inputs(self) -> list[Path]:
        site = self.paths.site
        return [site / "site.yaml", *self.paths.templates, *self.paths.static]

    def _check(self) -> Investigation | None:
        self.diagnostics = Diagnostics()
        site = load_site(self.paths.site, self.diagnostics, self.cache)
        return resolve(site, self.diagnostics)

    def full_build(self) -> bool:
        """Build everything and remember what each page showed."""
        self.layout_stamp = _tree_stamp([p for p in self._layout_inputs() if p.exists()])
        investigation = self._check()
        if investigation is None:
            return False
        specs = page_specs(investigation)
        self.shown = {}
        pages = self._render(investigation, specs)
        if pages is None:
            return False
        write_site(pages, self.paths.static, self.paths.out)
        self.investigation = investigation
        self.specs = {s.path: s for s in specs}
        return True

    def rebuild(self) -> bool:
        """Apply the edits since the last build; False when nothing was written."""
        layout = _tree_stamp([p for p in self._layout_inputs() if p.exists()])
        if self.investigation is None or layout != self.layout_stamp:
            return self.full_build()
        old = self.investigation
        new = self._check()
        if new is None:
            return False
        changed = {
            i for i in old.dossiers.keys() | new.dossiers.keys() if old.dossiers.get(i) is not new.dossiers.get(i)
        }
        changed_types = {d.type for i in changed for d in (old.dossiers.get(i), new.dossiers.get(i)) if d}
        specs = {s.path: s for s in page_specs(new)}
        stale = [
            spec
            for path, spec in specs.items()
            if path not in self.specs
            or self.shown.get(path, set()) & changed
            or spec.shows_all & changed_types
            or (
                spec.dossier is not None
                and (
                    spec.dossier.id in changed
                    or old.backlinks.get(spec.dossier.id) != new.backlinks.get(spec.dossier.id)
                )
            )
        ]
        pages = self._render(new, stale)
        if pages is None:
            return False
        self._write(pages, removed=set(self.specs) - set(specs))
        self.specs = specs
        self.investigation = new
        return bool(pages or changed)

    def _render(self, investigation: Investigation, specs: list[PageSpec]) -> dict[str, str] | None:
        renderer = Renderer(investigation, self.paths.templates)
        pages = {}
        try:
            for spec in specs:
                pages[spec.path], self.shown[spec.path] = renderer.render(spec)
        except TemplateError as exc:
            self.diagnostics.add(template_problem(exc, self.paths))
            return None
        return pages

    def _write(self, pages: dict[str, str], removed: set[str]) -> None:
        """Replace changed pages one by one, each atomically."""
        out = self.paths.out
        for path, html in sorted(pages.items()):
            target = out / path
            if target.is_file() and target.read_text(encoding="utf-8") == html:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            staging = target.with_name(f".{target.name}.new")
            staging.write_text(html, encoding="utf-8", newline="\n")
            os.replace(staging, target)
        for path in removed:
            (out / path).unlink(missing_ok=True)
            self.shown.pop(path, None)

    def print_report(self) -> None:
        if self.diagnostics is None:
            return
        for problem in self.diagnostics.errors + self.diagnostics.warnings:
            print(problem.format(self.paths.site), file=sys.stderr)
