"""Turn the resolved investigation into HTML pages through Jinja templates.

Each page gets a :class:`PageContext`: it makes links relative to the page
(so the site works at a domain root, under a sub-path and from disk) and
numbers footnotes in the order the template first cites them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import groupby
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from casefile.content import confidence
from casefile.content.dates import FuzzyDate
from casefile.content.model import (
    ACTOR_KINDS,
    SECTION_TITLES,
    Actor,
    Dossier,
    list_page,
)
from casefile.content.translations import lang_attribute
from casefile.exports.data import dossier_json_path, downloads
from casefile.investigation import corrections, graph, provenance
from casefile.investigation.bibliography import bibliography
from casefile.investigation.provenance import Provenance
from casefile.investigation.resolve import D, Investigation, date_key
from casefile.investigation.timeline import Entry, by_year, timeline, timeline_actors
from casefile.messages import N_
from casefile.pages import i18n, network
from casefile.pages.context import PageContext
from casefile.pages.i18n import kind_label
from casefile.pages.labels import FoldedLabels, shown_label
from casefile.pages.publish import feed_path
from casefile.settings import default_folder
from casefile.text import contain_bidi, finalize, isolate

NAVIGATION = [  # the labels are msgids: each Renderer translates them once, for every page
    ("actors/index.html", N_("Actors")),
    ("deals/index.html", N_("Deals")),
    ("events/index.html", N_("Events")),
    ("timeline.html", N_("Timeline")),
    ("graph.html", N_("Network")),
    ("sources/index.html", N_("Sources")),
]


@dataclass(frozen=True)
class PageSpec:
    """One page to write: where, with which template, with what data."""

    path: str
    template: str
    title: str
    data: Callable[[SiteLists], dict[str, Any]] = lambda lists: {}  # noqa: E731 - index pages' data, made lazily
    dossier: Dossier | None = None
    shows_all: frozenset[str] = frozenset()  # dossier types listed in full (index pages)
    shows_network: bool = False  # the whole graph: changes when any relation does
    searches: bool = False  # the search page: its CSP lets Pagefind compile its WebAssembly
    folder: str = ""  # the edition's folder (``ru/``): ``path`` starts with it

    @property
    def local(self) -> str:
        """The page's path within its edition: the same in every language."""
        return self.path[len(self.folder) :]


def by_date(dossiers: list[D]) -> list[D]:
    """Oldest first; undated ones last."""
    return sorted(dossiers, key=date_key)


class SiteLists:
    """The lists that index pages and the graph show, computed on first use: an edit often needs none."""

    def __init__(self, investigation: Investigation, previous_network: Network | None = None) -> None:
        self.investigation = investigation
        self.previous_network = previous_network

    @cached_property
    def timeline(self) -> list[Entry]:
        return timeline(self.investigation)

    @cached_property
    def network(self) -> Network:
        return Network(self.investigation, self.previous_network)

    @cached_property
    def actor_groups(self) -> list[tuple[str, list[Actor]]]:
        actors = sorted(self.investigation.actors, key=lambda a: (ACTOR_KINDS.index(a.kind), a.label.lower()))
        return [(kind, list(group)) for kind, group in groupby(actors, key=lambda a: a.kind)]


def page_specs(investigation: Investigation) -> list[PageSpec]:
    """Every page of the site, in a fixed order; cheap: the data is made when a page is rendered."""
    specs = [dossier_spec(d) for d in investigation.dossiers.values()]
    if investigation.home is None:
        specs.append(PageSpec("index.html", "home.html", investigation.config.title))
    _ = i18n.site_labels(investigation.config).gettext
    specs += [
        _index("actors", _("Actors"), lambda lists: {"groups": lists.actor_groups}, "actor"),
        _index("deals", _("Deals"), lambda lists: {"deals": by_date(lists.investigation.deals)}, "deal"),
        _index("events", _("Events"), lambda lists: {"events": by_date(lists.investigation.events)}, "event"),
        # a `citing:` in any dossier can name the report a work is known from
        _index(
            "sources",
            _("Sources"),
            lambda lists: {"bibliography": bibliography(lists.investigation)},
            *("source", "actor", "deal", "event", "page"),
        ),
        PageSpec(
            "timeline.html",
            "timeline.html",
            _("Timeline"),
            lambda lists: {
                "entries_by_year": by_year(lists.timeline),
                "actors": timeline_actors(lists.investigation, lists.timeline),
            },
            shows_all=frozenset({"event", "deal"}),
        ),
        PageSpec("search.html", "search.html", _("Search"), searches=True),
        PageSpec("data.html", "data.html", _("Data"), lambda lists: {"downloads": downloads()}),
        PageSpec(
            corrections.PAGE,
            "corrections.html",
            _("Corrections"),
            lambda lists: corrections.page_data(lists.investigation),
            shows_all=frozenset({"actor", "deal", "event", "source", "page"}),
        ),
        PageSpec(
            "graph.html",
            "graph.html",
            _("Network"),
            lambda lists: {"network": lists.network, "legend": network.legend_items(), "limit": GRAPH_NODE_LIMIT},
            shows_network=True,
        ),
    ]
    folder = investigation.config.folder
    return sorted(
        (replace(s, path=folder + s.path, folder=folder) if folder else s for s in specs), key=lambda s: s.path
    )


def dossier_spec(dossier: Dossier) -> PageSpec:
    template = "home.html" if dossier.page == "index.html" else f"{dossier.type}.html"
    return PageSpec(dossier.page, template, dossier.label, dossier=dossier)


def _index(section: str, title: str, data: Callable[[SiteLists], dict[str, Any]], *dossier_types: str) -> PageSpec:
    """``actors/index.html`` from ``actors_index.html``: the list of every dossier of one type, rebuilt
    when a dossier of ``dossier_types`` changes."""
    return PageSpec(
        list_page(section),  # no dossier may take its place: casefile.content.model.reserved_page
        f"{section}_index.html",
        title,
        data,
        shows_all=frozenset(dossier_types),
    )


def _dossier_data(lists: SiteLists, dossier: Dossier) -> dict[str, Any]:
    """What a dossier page shows, from its own relations only (so rendering one page stays quick)."""
    return {"dossier": dossier, "links": lists.investigation.backlinks[dossier.id], "network": lists.network}


GRAPH_NODE_LIMIT = 400


class Network:
    """The relation graph: the full picture is laid out only when a page asks for it."""

    def __init__(self, investigation: Investigation, previous: Network | None = None) -> None:
        self.investigation = investigation
        self.previous = previous
        self.relations = graph.RelationIndex(investigation)  # shared by the full graph and every page's map
        self.labels = i18n.site_labels(investigation.config)

    @cached_property
    def full(self) -> nx.Graph:
        return graph.build_graph(self.investigation, index=self.relations)

    @cached_property
    def shown(self) -> nx.Graph:
        return network.connected(network.most_connected(self.full, GRAPH_NODE_LIMIT))

    @cached_property
    def isolated(self) -> list[Dossier]:
        """Dossiers with no relation, listed under the picture rather than drawn in it."""
        return [self.investigation.dossiers[node] for node in network.isolated(self.full)]

    @cached_property
    def drawing(self) -> graph.Drawing:
        """Reuses the previous layout when nodes, names and edges are the same (an edit to a summary, say)."""
        previous = self.previous
        if previous is not None and "drawing" in previous.__dict__ and _shape(previous.shown) == _shape(self.shown):
            return previous.drawing
        return network.layout(self.shown)

    @cached_property
    def core(self) -> nx.Graph:
        return network.core(self.shown)

    def svg(self, page: PageContext) -> Markup:
        title = self.labels.gettext("Network of actors, deals and events")
        return Markup(network.graph_svg(self.shown, self.drawing, page.url_of_id, title=title, labels=self.labels))

    def narrow_svg(self, page: PageContext) -> Markup:
        """The best-connected part, laid out for a phone's width."""
        drawing = network.layout(self.core, network.NARROW_WIDTH)
        title = self.labels.gettext("The best-connected actors, deals and events")
        return Markup(
            network.graph_svg(self.core, drawing, page.url_of_id, title=title, labels=self.labels, name="core")
        )

    def around(self, page: PageContext, dossier_id: str) -> Markup:
        """The one-hop map on a dossier page, or nothing when it has no relations."""
        local = network.trimmed(graph.local_graph(self.investigation, dossier_id, self.relations), dossier_id)
        if len(local) < 2:
            return Markup("")
        title = self.labels.gettext("Connections of %(name)s") % {"name": isolate(local.nodes[dossier_id]["label"])}
        drawing = network.local_layout(local, dossier_id)
        svg = network.graph_svg(local, drawing, page.url_of_id, title=title, labels=self.labels, highlight=dossier_id)
        return Markup(svg)


def _shape(network: nx.Graph) -> tuple:
    return (sorted(network.nodes(data="label")), sorted(tuple(sorted(edge)) for edge in network.edges()))


def make_environment(templates: list[Path]) -> Environment:
    """Jinja over ``templates`` in order (the site's own, then the defaults); compiled templates are kept.

    Casefile's own templates are code the user installed. An investigation's own come from whoever can change
    it, a pull request included: with any of them, Jinja runs in its sandbox, where a template can show the
    investigation's data but not reach Python (``cycler.__init__.__globals__.os``) to run a command. Without
    them its checks on every attribute and call are not needed: about 2 s of a 20 s build at 10,000 dossiers.
    """
    jinja = ImmutableSandboxedEnvironment if _investigation_templates(templates) else Environment
    env = jinja(
        loader=FileSystemLoader([str(t) for t in templates]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        finalize=finalize,
        extensions=[FoldedLabels],
    )
    env.policies["ext.i18n.trimmed"] = True  # a {% trans %} block's msgid has no line breaks or indentation
    env.filters["kind_label"] = kind_label
    env.filters["date"] = format_date
    env.filters["number"] = format_number
    env.filters["year"] = format_year
    env.filters["isolate"] = isolate
    env.filters["bdi_join"] = bdi_join
    env.filters["money"] = i18n.money
    env.filters["full_stop"] = full_stop
    env.filters["sentence"] = sentence
    env.filters["language_name"] = language_name
    env.filters["lang_attr"] = lambda text: Markup(lang_attribute(text))
    env.filters["data_path"] = lambda dossier: dossier_json_path(dossier.page)
    env.filters["last_updated"] = corrections.last_updated
    env.globals["correction_anchor"] = corrections.anchor
    env.globals["section_titles"] = SECTION_TITLES
    env.globals["direction"] = i18n.direction
    env.globals["provenance"] = provenance  # its labels and their explanations, for flags and the methodology page
    env.globals["confidence_levels"] = confidence.LEVELS
    return env


def _investigation_templates(templates: list[Path]) -> bool:
    """Whether any folder in ``templates`` but Casefile's own holds a file."""
    shipped = default_folder("templates").resolve()
    return any(folder.resolve() != shipped and folder.is_dir() and any(folder.rglob("*")) for folder in templates)


class Renderer:
    """Renders pages of one investigation, sharing compiled templates and the index lists between them."""

    def __init__(self, investigation: Investigation, env: Environment, lists: SiteLists | None = None) -> None:
        self.investigation = investigation
        self.env = env
        self.lists = lists or SiteLists(investigation)
        self.feed = feed_path(investigation)
        self.sourcing = Provenance(investigation.dossiers)
        labels = i18n.site_labels(investigation.config)
        env.install_gettext_translations(labels, newstyle=True)  # type: ignore[attr-defined]
        # translated here rather than by ``_(label)`` in the template: six calls through Jinja on every page
        self.navigation = [(target, shown_label(labels.gettext, msgid)) for target, msgid in NAVIGATION]

    def render(self, spec: PageSpec) -> tuple[str, PageContext]:
        """The page's HTML and its context, which knows the dossiers the page showed."""
        template = self.env.get_template(spec.template)
        data = spec.data(self.lists) if spec.dossier is None else _dossier_data(self.lists, spec.dossier)
        page = PageContext(spec.path, self.investigation, self.sourcing, data.get("site_root"))
        html = template.render(
            data,
            page=page,
            href=page.href,
            site=self.investigation,
            config=self.investigation.config,
            spec=spec,
            nav=self.navigation,
            feed=self.feed,
        )
        return html, page


@pass_context
def format_date(context: Context, date: FuzzyDate) -> str:
    """A date in the page's language, as precise as it was written."""
    return i18n.format_date(date, context["config"].language)


@pass_context
def format_number(context: Context, value: float | str) -> str:
    return i18n.format_number(value, context["config"].language)


@pass_context
def format_year(context: Context, year: int) -> str:
    """A year as a heading: the locale's digits, never grouped ("2021", "၂၀၂၁")."""
    return i18n.native_digits(str(year), context["config"].language)


@pass_context
def full_stop(context: Context, text: str) -> str:
    """The full stop that ends a sentence ``text`` in the page's language, unless it ends in one already ("p. 3."
    stays; so does a Russian date, "26 марта 2021 г."); Burmese ends a sentence with ။, not a Latin full stop."""
    return i18n.full_stop(Markup(text).striptags(), context["config"].language)


@pass_context
def language_name(context: Context, code: str) -> str:
    return i18n.language_name(code, context["config"].language)


@pass_context
def sentence(context: Context, markup: str) -> Markup:
    """``{% filter sentence %}…{% endfilter %}``: the markup, ended by :func:`full_stop` as its text reads."""
    return Markup(markup) + full_stop(context, markup)


def bdi_join(names: list[str], separator: str) -> Markup:
    """Each name in its own ``<bdi>``: one author's script cannot reorder the next name or the separator."""
    return Markup(escape(separator)).join(Markup("<bdi>%s</bdi>") % contain_bidi(name) for name in names)
