"""Render the pages on every core: forked workers write them straight into the staged site.

The workers are forked once the investigation is loaded, resolved and indexed, so they
inherit all of it for free instead of having it pickled to them.  Each worker sends back
a small :class:`PageRecord` per page, never the HTML: what lint, the link check and the dev
server need to know about it.  With one job everything runs in this process, as ``serve`` and
the tests want.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateError

from casefile.diagnostics import ContentError
from casefile.output.linkcheck import PageLinks, page_links
from casefile.output.write import make_folders
from casefile.pages.render import PageSpec, Renderer
from casefile.workers import forked_map

SLICE = 48  # pages per task at most: few messages, yet the workers finish close together
TASKS_PER_JOB = 4  # at least, so a small site is shared out too


@dataclass(frozen=True)
class PageRecord:
    """What a rendered page left behind once its HTML is on disk."""

    path: str
    size: int  # bytes, for lint's page-size check
    used: frozenset[str]  # dossiers shown in full: see PageContext.used
    named: frozenset[str]  # dossiers only linked to or named
    links: PageLinks | None  # None for a page kept from the last build: not read back


@dataclass(frozen=True)
class _Job:
    """One rendering run: the renderer, the pages in the order they are rendered, where they go
    (None: nowhere, for ``check``), and how a template error becomes a located problem."""

    renderer: Renderer
    specs: list[PageSpec]
    into: Path | None
    locate: Callable[[TemplateError], ContentError]

    def run(self, pages: range) -> list[PageRecord] | ContentError:
        """The records of the pages numbered ``pages``, or the template error that stopped one, located
        here: only this process has the traceback that says which template line failed."""
        records = []
        try:
            for index in pages:
                records.append(self.page(self.specs[index]))
        except TemplateError as exc:
            return self.locate(exc)
        return records

    def page(self, spec: PageSpec) -> PageRecord:
        html, shown = self.renderer.render(spec)
        data = html.encode("utf-8")
        if self.into is not None:
            (self.into / spec.path).write_bytes(data)  # its folder is made: see render_pages
        return PageRecord(spec.path, len(data), frozenset(shown.used), frozenset(shown.named), page_links(html))


def render_pages(
    renderer: Renderer,
    specs: list[PageSpec],
    into: Path | None,
    jobs: int,
    locate: Callable[[TemplateError], ContentError],
    meanwhile: Callable[[], object] | None = None,
) -> list[PageRecord] | ContentError:
    """Render ``specs`` (into the folder ``into``, if any) with ``jobs`` processes; the records by path,
    or the first template error in a fixed order of pages, whatever the number of jobs. This process does
    ``meanwhile`` while the workers render, rather than wait with a core idle after them."""
    job = _Job(renderer, sorted(specs, key=_heavy_first), into, locate)
    if into is not None:
        make_folders(into, (spec.path for spec in specs))  # here, once, not by each worker
    size = max(1, min(SLICE, -(-len(specs) // (jobs * TASKS_PER_JOB))))
    if jobs <= 1 or len(specs) <= size:
        results: Iterable[list[PageRecord] | ContentError] = [job.run(range(len(specs)))]
        if meanwhile is not None:
            meanwhile()
    else:
        _warm(renderer)
        results = forked_map(job.run, len(specs), jobs, size, meanwhile)
    records = []
    for result in results:
        if isinstance(result, ContentError):
            return result
        records += result
    return sorted(records, key=lambda r: r.path)


def _heavy_first(spec: PageSpec) -> tuple[bool, str]:
    """The network page and the lists of everything start first, so no worker is left with them at the end."""
    return (not (spec.shows_network or spec.shows_all), spec.path)


def _warm(renderer: Renderer) -> None:
    """What every page uses, made once before the fork rather than once per worker."""
    investigation = renderer.investigation
    for name in ("actors", "deals", "events", "sources", "pages", "home"):
        getattr(investigation, name)
    renderer.lists.network.relations  # noqa: B018 - the relation index behind every page's map
