"""The network of actors, deals and events, laid out and drawn as a static SVG.

The picture must be the same for the same content (byte for byte, so rebuilds
do not churn), readable at hundreds of nodes, usable with a keyboard and a
screen reader, and allowed by a ``style-src 'self'`` Content-Security-Policy:
hence sorted iteration, a seeded layout, rounded coordinates, one link per
node, and presentation attributes instead of inline styles.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from html import escape
from typing import Any

import networkx as nx

from .model import ACTOR_KINDS, Dossier
from .resolve import typed_relations
from .text import contain_bidi, isolate, shorten

Position = tuple[float, float]

NODE_TYPES = ("actor", "deal", "event")
SEED = 1729
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
FONT_SIZE = 11
LABEL_CHARS = 28
MARGIN = 30  # room for the largest node and the label under it
SPREAD = 0.7  # how much node positions follow their rank rather than the raw layout
FULL_ITERATIONS_UP_TO = 500  # nodes; larger graphs get fewer layout iterations


def build_graph(investigation, only: set[str] | None = None, index: RelationIndex | None = None) -> nx.Graph:
    """Actors, deals and events as nodes; every typed relation between them as one edge per pair.

    With ``only``, just those nodes and the edges among them (a dossier page's map). Each node looks
    its edges up among the nodes or the nodes among its edges, whichever is fewer, so a hub on many
    small maps costs little on each.
    """
    index = index or RelationIndex(investigation)
    graph = nx.Graph()
    chosen = investigation.dossiers.values() if only is None else (investigation.dossiers[i] for i in only)
    dossiers = sorted((d for d in chosen if d.type in NODE_TYPES), key=lambda d: d.id)
    for dossier in dossiers:
        graph.add_node(dossier.id, type=dossier.type, kind=dossier.kind, label=dossier.label, page=dossier.page)
    for dossier in dossiers:
        edges = index.edges(dossier.id)
        targets = edges if len(edges) <= len(graph) else [node for node in graph if node in edges]
        for target in targets:
            for label in edges[target]:
                _link(graph, dossier.id, target, label)
    return graph


class RelationIndex:
    """Each dossier's graph edges by the other end, worked out on first use and kept for the build."""

    def __init__(self, investigation) -> None:
        self.investigation = investigation
        self._edges: dict[str, dict[str, list[str]]] = {}

    def edges(self, dossier_id: str) -> dict[str, list[str]]:
        """Target id → labels of the relations ``dossier_id`` states towards it."""
        found = self._edges.get(dossier_id)
        if found is None:
            found = {}
            for _, target, label in _relations(self.investigation.dossiers[dossier_id]):
                found.setdefault(target, []).append(label)
            self._edges[dossier_id] = found
        return found


EDGE_LABELS: dict[str, Callable[[Any], str]] = {
    # the relations the graph draws, by the Backlinks list they fill, and how each edge is labelled
    "role_holders": lambda item: item[1].title,
    "nationals": lambda item: "country",
    "deals": lambda item: item[1].role,
    "deals_agreed": lambda item: "agreed at",
    "events": lambda item: item[1].role or "participant",
    "sub_events": lambda item: "part of",
}


def _relations(dossier: Dossier) -> Iterator[tuple[str, str, str]]:
    """(from, to, label) for each relation the dossier has that the graph draws."""
    for target, name, item in typed_relations(dossier):
        if name in EDGE_LABELS:
            yield dossier.id, target, EDGE_LABELS[name](item)


def _link(graph: nx.Graph, a: str, b: str, label: str) -> None:
    """Add the relation, merging it into an existing edge so a pair is drawn once."""
    if a == b or a not in graph or b not in graph:
        return
    if not graph.has_edge(a, b):
        graph.add_edge(a, b, labels=[label])
    elif label not in (labels := graph.edges[a, b]["labels"]):
        labels.append(label)
        labels.sort()


def neighbour_ids(investigation, node_id: str) -> set[str]:
    """The dossiers one relation away, found from the resolved model without building the whole graph."""
    dossier = investigation.dossiers[node_id]
    found = {b for _, b, _ in _relations(dossier)}
    backlinks = investigation.backlinks[node_id]
    for name in EDGE_LABELS:
        found.update((item[0] if isinstance(item, tuple) else item).id for item in getattr(backlinks, name))
    found.discard(node_id)
    return {i for i in found if investigation.dossiers[i].type in NODE_TYPES}


def local_graph(investigation, node_id: str, index: RelationIndex | None = None) -> nx.Graph:
    """The node, its neighbours and the edges among them, straight from the model."""
    if investigation.dossiers[node_id].type not in NODE_TYPES:
        return nx.Graph()
    return build_graph(investigation, only={node_id, *neighbour_ids(investigation, node_id)}, index=index)


def neighbourhood(graph: nx.Graph, node_id: str) -> nx.Graph:
    """The node, its neighbours and the edges among them: the small map on a dossier page.

    Raises KeyError for a dossier that is not in the graph (sources and pages are not).
    """
    return graph.subgraph([node_id, *graph[node_id]]).copy()


def layout(graph: nx.Graph) -> dict[str, Position]:
    """Node positions in the SVG's viewBox; the same graph always gives the same positions."""
    canonical = nx.Graph()
    canonical.add_nodes_from(sorted(graph))
    canonical.add_edges_from(sorted(tuple(sorted(edge)) for edge in graph.edges()))
    if not len(canonical):
        return {}
    raw = nx.spring_layout(canonical, seed=SEED, iterations=_iterations(len(canonical)))
    return _fit({node: (float(x), float(y)) for node, (x, y) in raw.items()}, _canvas(len(canonical)))


def _iterations(nodes: int) -> int:
    """Each iteration costs n², so large graphs get fewer and a build stays within seconds."""
    return min(50, max(10, round(50 * (FULL_ITERATIONS_UP_TO / nodes) ** 2)))


def _canvas(nodes: int) -> tuple[int, int]:
    """The viewBox grows with the node count so nodes keep room around them; pages scale it to fit."""
    width = max(480, round(80 * math.sqrt(nodes)))
    return width, round(width * 2 / 3)


def _fit(raw: dict[str, Position], canvas: tuple[int, int]) -> dict[str, Position]:
    """Fill the canvas; a plain rescale would leave hubs in a clump and outliers at the edges."""
    xs, ys = (_axis({node: point[i] for node, point in raw.items()}, size) for i, size in enumerate(canvas))
    return {node: (xs[node], ys[node]) for node in raw}


def _axis(values: dict[str, float], size: int) -> dict[str, float]:
    """One coordinate in [MARGIN, size - MARGIN], blended with its rank to spread dense clusters.

    Rounded to 0.1 unit so that floating-point noise cannot change the output.
    """
    order = sorted(values, key=lambda node: (values[node], node))
    low, span = values[order[0]], values[order[-1]] - values[order[0]]
    inner = size - 2 * MARGIN

    def share(rank: int, node: str) -> float:
        linear = (values[node] - low) / span if span else 0.5
        ranked = rank / (len(order) - 1) if len(order) > 1 else 0.5
        return (1 - SPREAD) * linear + SPREAD * ranked

    return {node: round(MARGIN + inner * share(rank, node), 1) for rank, node in enumerate(order)}


def legend_items() -> list[tuple[str, str, str]]:
    """(CSS class, colour, label) for every kind of node, matching the SVG's colours."""
    actors = [(f"kind-{kind}", _kind_colour(kind), kind.replace("-", " ").capitalize()) for kind in ACTOR_KINDS]
    return actors + [("node-deal", DEAL_COLOUR, "Deal"), ("node-event", EVENT_COLOUR, "Event")]


def _kind_colour(kind: str) -> str:
    return KIND_COLOURS.get(kind, FALLBACK_COLOUR)


def graph_svg(
    graph: nx.Graph,
    positions: dict[str, Position],
    url_for: Callable[[str], str],
    *,
    highlight: str | None = None,
    max_labels: int = 60,
    title: str = "Network of actors, deals and events",
) -> str:
    """A static SVG in which every node is a link to its dossier; no script, no styles, no external files."""
    width, height = _canvas(len(graph))
    prefix = f"graph-{highlight or 'all'}"
    nodes = sorted(graph, key=lambda n: (n != highlight, graph.nodes[n]["label"].casefold(), n))
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" viewBox="0 0 {width} {height}" width="100%"'
            f' aria-labelledby="{prefix}-title" aria-describedby="{prefix}-desc">',
            f'<title id="{prefix}-title">{escape(title)}</title>',
            f'<desc id="{prefix}-desc">{escape(_summary(graph))}</desc>',
            '<g class="edges" aria-hidden="true" stroke="currentColor" stroke-opacity="0.35" stroke-width="1">',
            *(_edge(graph, a, b, positions) for a, b in sorted(tuple(sorted(e)) for e in graph.edges())),
            "</g>",
            '<g class="nodes">',
            *(_node(graph, n, positions[n], url_for(n), n == highlight) for n in nodes),
            "</g>",
            f'<g class="labels" aria-hidden="true" pointer-events="none" fill="currentColor" font-size="{FONT_SIZE}"'
            ' text-anchor="middle">',
            *_labels(graph, positions, _label_candidates(graph, max_labels, highlight), width, highlight),
            "</g>",
            "</svg>",
        ]
    )


def _summary(graph: nx.Graph) -> str:
    """What the picture shows, in words, for screen readers."""
    counts = {t: sum(1 for _, data in graph.nodes(data=True) if data["type"] == t) for t in NODE_TYPES}
    parts = ", ".join(f"{count} {kind}{'' if count == 1 else 's'}" for kind, count in counts.items() if count)
    return f"{parts}; {graph.number_of_edges()} connections. Each node links to its page."


def _label_candidates(graph: nx.Graph, max_labels: int, highlight: str | None) -> list[str]:
    """The highlighted node, then the most connected ones (ties by id): the rest show only on hover."""
    ranked = sorted(graph, key=lambda n: (n != highlight, -graph.degree(n), n))
    return ranked[: max_labels + (highlight in graph)]


def _radius(graph: nx.Graph, node: str, current: bool) -> float:
    """Hubs stand out, but not so much that they hide their neighbours; the current node a little more."""
    return min(14.0, 4 + 1.6 * math.sqrt(graph.degree(node))) + (3 if current else 0)


def _num(value: float) -> str:
    return f"{value:.1f}"


def _edge(graph: nx.Graph, a: str, b: str, positions: dict[str, Position]) -> str:
    (x1, y1), (x2, y2) = positions[a], positions[b]
    ends = f"{isolate(graph.nodes[a]['label'])} – {isolate(graph.nodes[b]['label'])}"
    names = f"{ends}: {'; '.join(isolate(label) for label in graph.edges[a, b]['labels'])}"
    return (
        f'<line class="edge" x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}">'
        f"<title>{escape(names)}</title></line>"
    )


def _node(graph: nx.Graph, node: str, position: Position, href: str, current: bool) -> str:
    """A link around the node's title and shape; the current page's node is outlined."""
    data = graph.nodes[node]
    classes = f"node node-{data['type']}" + (f" kind-{data['kind']}" if data["type"] == "actor" else "")
    paint = f'fill="{_fill(data)}"'
    if current:
        classes += " node-current"
        paint += ' stroke="currentColor" stroke-width="3"'
    shape = _shape(data["type"], position, _radius(graph, node, current))
    aria = ' aria-current="page"' if current else ""
    title = escape(contain_bidi(data["label"]))
    return f'<a href="{escape(href)}"{aria}><title>{title}</title><{shape} class="{classes}" {paint}/></a>'


def _fill(data: dict) -> str:
    return {"deal": DEAL_COLOUR, "event": EVENT_COLOUR}.get(data["type"]) or _kind_colour(data["kind"])


def _shape(node_type: str, position: Position, radius: float) -> str:
    """Circle for actors, square for deals, diamond for events: each of about the same area."""
    x, y = position
    if node_type == "deal":
        side = radius * math.sqrt(math.pi)
        return f'rect x="{_num(x - side / 2)}" y="{_num(y - side / 2)}" width="{_num(side)}" height="{_num(side)}"'
    if node_type == "event":
        d = radius * math.sqrt(math.pi / 2)
        points = [(x, y - d), (x + d, y), (x, y + d), (x - d, y)]
        return 'polygon points="' + " ".join(f"{_num(px)},{_num(py)}" for px, py in points) + '"'
    return f'circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(radius)}"'


def _labels(
    graph: nx.Graph, positions: dict[str, Position], candidates: list[str], width: int, highlight: str | None
) -> Iterator[str]:
    """Short labels under their nodes, kept inside the canvas; one that would overlap a label already
    placed (for a better-connected node) is left out, since overlapping text is unreadable."""
    placed: list[tuple[float, float, float, float]] = []
    for node in candidates:
        text = contain_bidi(shorten(graph.nodes[node]["label"], LABEL_CHARS))
        half = len(text) * FONT_SIZE * 0.3
        x = min(max(positions[node][0], half), width - half)
        y = positions[node][1] + _radius(graph, node, node == highlight) + FONT_SIZE
        box = (x - half, y - FONT_SIZE, x + half, y + 3)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
            continue
        placed.append(box)
        yield f'<text class="label" x="{_num(x)}" y="{_num(y)}">{escape(text)}</text>'


def radial_layout(graph: nx.Graph, centre: str) -> dict[str, Position]:
    """The centre in the middle, its neighbours on a circle by label: instant and stable for small maps."""
    width, height = _canvas(len(graph))
    others = sorted((n for n in graph if n != centre), key=lambda n: (graph.nodes[n]["label"].casefold(), n))
    radius = min(width, height) / 2 - 40
    positions = {centre: (round(width / 2, 1), round(height / 2, 1))}
    for index, node in enumerate(others):
        angle = 2 * math.pi * index / max(len(others), 1) - math.pi / 2
        positions[node] = (
            round(width / 2 + radius * math.cos(angle), 1),
            round(height / 2 + radius * math.sin(angle), 1),
        )
    return positions


def most_connected(graph: nx.Graph, limit: int) -> nx.Graph:
    """The ``limit`` best-connected nodes, so the full picture stays legible and quick to lay out."""
    if len(graph) <= limit:
        return graph
    keep = sorted(graph, key=lambda n: (-graph.degree(n), n))[:limit]
    return graph.subgraph(keep).copy()
