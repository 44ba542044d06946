"""The network of actors, deals and events, laid out and drawn as a static SVG: the full picture, the phone's
map of the best-connected, and a dossier's own map.

The picture must be the same for the same content (byte for byte, so rebuilds do not churn), readable at
hundreds of nodes, usable with a keyboard and a screen reader, and allowed by a ``style-src 'self'``
Content-Security-Policy: hence sorted iteration, a seeded layout, rounded coordinates, one link per node, and
presentation attributes instead of inline styles.
"""

from __future__ import annotations

import gettext
import math
from collections.abc import Callable
from html import escape

import networkx as nx

from casefile.content.model import ACTOR_KINDS
from casefile.content.translations import lang_attribute
from casefile.investigation.graph import NODE_TYPES, Term
from casefile.pages.graphlayout import FONT_SIZE, LINE_HEIGHT, Drawing, Label, Position, force_drawing, radial_drawing
from casefile.text import contain_bidi, isolate

# Mid-tone colours: each has at least 3:1 contrast against #fdfdfb and #161616.
KIND_COLOURS = {
    "person": "#d0542f",
    "organization": "#2f7fc1",
    "company": "#b07d10",
    "state": "#8e6bbf",
    "military-unit": "#6b8e23",
    "government-body": "#2a9d8f",
}


FALLBACK_COLOUR = "#7a7a7a"


DEAL_COLOUR = "#c2417e"


EVENT_COLOUR = "#7a7a7a"


FULL_WIDTH = 1100  # the network page at desktop width draws it at about its own size


NARROW_WIDTH = 340  # a phone's column: the map of the best-connected nodes drawn for it


LABEL_LIMIT = 150  # best-connected nodes labelled on the full picture; the rest have their tooltip


CORE_NODES = 14  # nodes on the phone's map


def layout(graph: nx.Graph, width: int = FULL_WIDTH) -> Drawing:
    """Nodes, labels and canvas for the whole picture; the same graph always gives the same drawing."""
    return force_drawing(graph, width, chars=18 if width < FULL_WIDTH else 22, label_limit=LABEL_LIMIT)


def local_layout(graph: nx.Graph, centre: str) -> Drawing:
    """A dossier's own map, its neighbours labelled without the dossier's name: beside Min Aung Hlaing, "Min Aung
    Hlaing's trip to Russia, June 2021" is drawn "Trip to Russia, June 2021" (the tooltip keeps the whole title)."""
    return radial_drawing(_without_subject(graph, centre), centre, chars=22)


def _without_subject(graph: nx.Graph, centre: str) -> nx.Graph:
    name = graph.nodes[centre]["label"]
    prefixes = (f"{name}'s ", f"{name}\u2019s ")
    shown = graph.copy()
    for node, data in shown.nodes(data=True):
        rest = next((data["label"][len(p) :] for p in prefixes if data["label"].startswith(p)), "")
        if node != centre and rest:
            data["label"] = rest[0].upper() + rest[1:]
    return shown


def legend_items() -> list[tuple[str, str, str]]:
    """(CSS class, colour, label) for every kind of node, matching the SVG's colours."""
    actors = [(f"kind-{kind}", _kind_colour(kind), kind.replace("-", " ").capitalize()) for kind in ACTOR_KINDS]
    return actors + [("node-deal", DEAL_COLOUR, "Deal"), ("node-event", EVENT_COLOUR, "Event")]


def _kind_colour(kind: str) -> str:
    return KIND_COLOURS.get(kind, FALLBACK_COLOUR)


def graph_svg(
    graph: nx.Graph,
    drawing: Drawing,
    url_for: Callable[[str], str],
    *,
    title: str,
    labels: gettext.NullTranslations | None = None,
    highlight: str | None = None,
    name: str | None = None,
) -> str:
    """A static SVG in which every node is a link to its dossier; no script, no styles, no external files.
    ``labels`` words the description and the relations in the site's language."""
    labels = labels or gettext.NullTranslations()
    prefix = f"graph-{name or highlight or 'all'}"
    nodes = sorted(graph, key=lambda n: (n != highlight, graph.nodes[n]["label"].casefold(), n))
    names = sorted(drawing.labels.items(), key=lambda item: (item[0] != highlight, item[0]))
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" viewBox="0 0 {drawing.width} {drawing.height}"'
            f' width="{drawing.width}" height="{drawing.height}"'
            f' aria-labelledby="{prefix}-title" aria-describedby="{prefix}-desc">',
            f'<title id="{prefix}-title">{escape(title)}</title>',
            f'<desc id="{prefix}-desc">{escape(_summary(graph, labels))}</desc>',
            '<g class="edges" aria-hidden="true" stroke="currentColor" stroke-opacity="0.4" stroke-width="1.2">',
            *(
                _edge(graph, a, b, drawing.positions, labels)
                for a, b in sorted(tuple(sorted(e)) for e in graph.edges())
            ),
            "</g>",
            '<g class="nodes">',
            *(_node(graph, n, drawing, url_for(n), n == highlight) for n in nodes),
            "</g>",
            f'<g class="labels" aria-hidden="true" pointer-events="none" fill="currentColor" font-size="{FONT_SIZE}">',
            *(_label(label, lang_attribute(graph.nodes[node]["label"])) for node, label in names),
            "</g>",
            "</svg>",
        ]
    )


def _summary(graph: nx.Graph, labels: gettext.NullTranslations) -> str:
    """What the picture shows, in words, for screen readers."""
    counts = {t: sum(1 for _, data in graph.nodes(data=True) if data["type"] == t) for t in NODE_TYPES}
    shown = labels.gettext("Actors: %(actor)s, deals: %(deal)s, events: %(event)s; connections: %(edges)s.")
    use = labels.gettext("Each node links to its page.")
    return f"{shown % (counts | {'edges': graph.number_of_edges()})} {use}"


def _num(value: float) -> str:
    return f"{value:.1f}"


def _edge(graph: nx.Graph, a: str, b: str, positions: dict[str, Position], labels: gettext.NullTranslations) -> str:
    """A line whose tooltip names both ends and their relations."""
    (x1, y1), (x2, y2) = positions[a], positions[b]
    ends = f"{isolate(graph.nodes[a]['label'])} – {isolate(graph.nodes[b]['label'])}"
    relations = (labels.gettext(r) if isinstance(r, Term) else r for r in graph.edges[a, b]["labels"])
    names = f"{ends}: {'; '.join(isolate(relation) for relation in relations)}"
    return (
        f'<line class="edge" x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}">'
        f"<title>{escape(names)}</title></line>"
    )


def _node(graph: nx.Graph, node: str, drawing: Drawing, href: str, current: bool) -> str:
    """A link around the node's title and shape; the current page's node is outlined."""
    data = graph.nodes[node]
    classes = f"node node-{data['type']}" + (f" kind-{data['kind']}" if data["type"] == "actor" else "")
    paint = f'fill="{_fill(data)}"'
    if current:
        classes += " node-current"
        paint += ' stroke="currentColor" stroke-width="3"'
    shape = _shape(data["type"], drawing.positions[node], drawing.radii[node])
    aria = ' aria-current="page"' if current else ""
    title = escape(contain_bidi(data["label"]))
    lang = lang_attribute(data["label"])  # an untranslated title: its tooltip is read in its own language
    return f'<a href="{escape(href)}"{aria}{lang}><title>{title}</title><{shape} class="{classes}" {paint}/></a>'


def _fill(data: dict) -> str:
    return {"deal": DEAL_COLOUR, "event": EVENT_COLOUR}.get(data["type"]) or _kind_colour(data["kind"])


def _shape(node_type: str, position: Position, radius: float) -> str:
    """Circle for actors, square for deals, diamond for events: each about the same area, inside the radius."""
    x, y = position
    if node_type == "deal":
        side = radius * math.sqrt(math.pi)
        return f'rect x="{_num(x - side / 2)}" y="{_num(y - side / 2)}" width="{_num(side)}" height="{_num(side)}"'
    if node_type == "event":
        points = [(x, y - radius), (x + radius, y), (x, y + radius), (x - radius, y)]
        return 'polygon points="' + " ".join(f"{_num(px)},{_num(py)}" for px, py in points) + '"'
    return f'circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(radius)}"'


def _label(label: Label, lang: str = "") -> str:
    """One line, or a ``<tspan>`` per line of a wrapped label; ``lang``: the attribute of an untranslated one."""
    x, lines = _num(label.x), [escape(contain_bidi(line)) for line in label.lines]
    attributes = f' text-anchor="{label.anchor}"{lang}'
    if len(lines) == 1:
        return f'<text class="label" x="{x}" y="{_num(label.y)}"{attributes}>{lines[0]}</text>'
    spans = "".join(
        f'<tspan x="{x}" dy="{0 if i == 0 else LINE_HEIGHT}">{line}</tspan>' for i, line in enumerate(lines)
    )
    return f'<text class="label" x="{x}" y="{_num(label.y)}"{attributes}>{spans}</text>'


LOCAL_NEIGHBOURS = 40  # at most on a dossier page's map; its page lists them all


def connected(graph: nx.Graph) -> nx.Graph:
    """The nodes with at least one relation: the others are listed under the picture, not drawn."""
    return graph.subgraph(n for n in graph if graph.degree(n)).copy()


def isolated(graph: nx.Graph) -> list[str]:
    """Nodes without relations, by label."""
    return sorted((n for n in graph if not graph.degree(n)), key=lambda n: (graph.nodes[n]["label"].casefold(), n))


def core(graph: nx.Graph) -> nx.Graph:
    """The best-connected nodes that stay linked to each other: the part of the picture a phone shows."""
    return connected(most_connected(graph, CORE_NODES))


def trimmed(local: nx.Graph, centre: str, limit: int = LOCAL_NEIGHBOURS) -> nx.Graph:
    """The centre and at most ``limit`` of its best-connected neighbours: a hub's map stays a page tall."""
    if len(local) <= limit + 1:
        return local
    others = sorted((n for n in local if n != centre), key=lambda n: (-local.degree(n), n))
    return local.subgraph([centre, *others[:limit]]).copy()


def most_connected(graph: nx.Graph, limit: int) -> nx.Graph:
    """The ``limit`` best-connected nodes, so the full picture stays legible and quick to lay out."""
    if len(graph) <= limit:
        return graph
    keep = sorted(graph, key=lambda n: (-graph.degree(n), n))[:limit]
    return graph.subgraph(keep).copy()
