"""The network of actors, deals and events as a graph: every relation the dossiers state, as an edge labelled
in the content's words or the interface's (:class:`Term`); :mod:`casefile.pages.network` lays it out and draws it.
Sorted iteration throughout, so the same content gives the same graph."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import networkx as nx

from casefile.content.model import Dossier
from casefile.investigation.resolve import typed_relations

NODE_TYPES = ("actor", "deal", "event")


class Term(str):
    """An edge label in the interface's own words, drawn in the site's language; other labels are the
    content's words (a role's title) and are drawn as written."""


def N_(message: str) -> Term:  # noqa: N802 - the name gettext's extractors look for
    """A label of the interface, translated when drawn."""
    return Term(message)


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
            for _, target, label in drawn_relations(self.investigation.dossiers[dossier_id]):
                found.setdefault(target, []).append(label)
            self._edges[dossier_id] = found
        return found


EDGE_LABELS: dict[str, Callable[[Any], str]] = {
    # the relations the graph draws, by the Backlinks list they fill, and how each edge is labelled
    "role_holders": lambda item: item[1].title,
    "nationals": lambda item: N_("country"),
    "deals": lambda item: Term(item[1].role),  # buyer, seller…: words of the model, in its catalog
    "deals_agreed": lambda item: N_("agreed at"),
    "events": lambda item: item[1].role or N_("participant"),
    "sub_events": lambda item: N_("part of"),
}


def drawn_relations(dossier: Dossier) -> Iterator[tuple[str, str, str]]:
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
    found = {b for _, b, _ in drawn_relations(dossier)}
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
