"""Where the network's nodes and labels go: clusters apart, nothing drawn over anything else.

A label is text under its node, wrapped on up to four lines, so that most names show in full
and a cut one still reads differently from every other. Each node and its label form one box;
the boxes of a force layout are pushed apart until none overlaps, and a label that still cannot
be placed is left out (the node keeps its tooltip). Text widths are estimated from the characters,
generously, since the build cannot measure the reader's font. Everything is rounded and iterated
in sorted order, so the same graph gives the same drawing byte for byte.
"""

from __future__ import annotations

import math
import os
import textwrap
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

import networkx as nx
import regex

from casefile.interrupt import held
from casefile.text import shorten

if TYPE_CHECKING:
    import numpy as np

Position = tuple[float, float]
Box = tuple[float, float, float, float]  # left, top, right, bottom

SEED = 1729
FONT_SIZE = 12
LINE_HEIGHT = 14
MAX_LINES = 4
GAP = 8  # between two boxes, and between a node and its label
MARGIN = 8  # around the drawing
DENSITY = 0.3  # share of the first canvas the boxes cover before they are pushed apart
PUSHES = 300  # rounds of pushing boxes apart at most
KAMADA_KAWAI_UP_TO = 80  # nodes in a cluster: above, it takes more than a second
ARC_INNER, ARC_BULGE = 50, 90  # a one-hop map's arc: distance from the centre at its ends, and more at its middle
# Widths in ems, on the wide side of common sans-serif fonts (DejaVu Sans, Segoe UI, San Francisco).
NARROW, WIDE = frozenset("fijlrtI.,:;'’!|()[] -"), frozenset("mwMW@%")
_GRAPHEME = regex.compile(r"\X")


@dataclass(frozen=True)
class Label:
    """Text lines whose first baseline is at (x, y), anchored at their start, middle or end."""

    x: float
    y: float
    anchor: str
    lines: tuple[str, ...]

    @property
    def box(self) -> Box:
        return label_box(self.x, self.y, self.anchor, self.lines)


@dataclass(frozen=True)
class Drawing:
    """A laid-out graph: its canvas, each node's centre and radius, and the labels that fit."""

    width: float
    height: float
    positions: dict[str, Position]
    radii: dict[str, float]
    labels: dict[str, Label]


def text_width(text: str) -> float:
    """Estimated width of one line at FONT_SIZE; a character outside Latin (a Burmese letter with its
    marks, an emoji sequence) is counted as one em."""
    ems = sum(
        0.34
        if c in NARROW
        else 0.95
        if c in WIDE
        else 0.74
        if c.isupper()
        else 0.6
        if len(c) == 1 and ord(c) < 0x250
        else 1.0
        for c in _GRAPHEME.findall(text)
    )
    return ems * FONT_SIZE


def label_box(x: float, y: float, anchor: str, lines: tuple[str, ...]) -> Box:
    width = max(text_width(line) for line in lines)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return (left, y - FONT_SIZE, left + width, y + (len(lines) - 1) * LINE_HEIGHT + FONT_SIZE * 0.3)


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def node_box(position: Position, radius: float) -> Box:
    x, y = position
    return (x - radius, y - radius, x + radius, y + radius)


def radius(graph: nx.Graph, node: str, current: bool = False) -> float:
    """Hubs stand out, but not so much that they hide their neighbours; the current node a little more."""
    return round(min(14.0, 4 + 1.6 * math.sqrt(graph.degree(node))) + (3 if current else 0), 1)


def wrap(text: str, chars: int) -> tuple[str, ...]:
    """The text on lines of about ``chars``; past MAX_LINES the last line is cut with "…"."""
    lines = textwrap.wrap(text, chars, break_long_words=False, break_on_hyphens=False) or [text]
    if len(lines) > MAX_LINES:
        rest = textwrap.wrap(" ".join(lines[MAX_LINES - 1 :]), chars - 1, break_long_words=False)[0]
        lines = lines[: MAX_LINES - 1] + [rest.rstrip(",;:") + "…"]
    return tuple(shorten(line, chars + 4) for line in lines)  # a word too long for a line is cut


def label_lines(graph: nx.Graph, chars: int) -> dict[str, tuple[str, ...]]:
    """Each node's label lines; where two cut labels would read the same, both show more of their text."""
    lines = {node: wrap(graph.nodes[node]["label"], chars) for node in graph}
    seen: dict[tuple[str, ...], list[str]] = {}
    for node in sorted(lines):
        seen.setdefault(lines[node], []).append(node)
    for same in seen.values():
        if len(same) > 1:
            for node in same:
                lines[node] = tuple(textwrap.wrap(graph.nodes[node]["label"], round(chars * 1.6)))
    return lines


def place_labels(
    drawing_nodes: dict[str, Position], radii: dict[str, float], wanted: dict[str, Label], order: list[str]
) -> dict[str, Label]:
    """The labels, in ``order``, that overlap no label already placed and no other node: overlapping text
    is unreadable, and a node without a label still has its tooltip."""
    nodes = {node: node_box(point, radii[node]) for node, point in drawing_nodes.items()}
    placed: dict[str, Label] = {}
    for node in order:
        label = wanted.get(node)
        if label is None:
            continue
        box = label.box
        if any(overlaps(box, other.box) for other in placed.values()):
            continue
        if any(overlaps(box, nodes[other]) for other in nodes if other != node):
            continue
        placed[node] = label
    return placed


def force_drawing(graph: nx.Graph, width: float, chars: int, label_limit: int) -> Drawing:
    """Each connected cluster laid out on its own and its boxes pushed apart; the clusters packed in rows,
    the largest first, so small ones do not drift to the corners of the big one."""
    ranked = sorted(graph, key=lambda n: (-graph.degree(n), n))
    lines = label_lines(graph.subgraph(ranked[:label_limit]), chars)
    radii = {node: radius(graph, node) for node in graph}
    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    pieces = [_piece(graph.subgraph(c), radii, lines, width) for c in components]
    positions = _pack(pieces, width)
    labels = {node: _below(node, point, radii, lines) for node, point in positions.items() if node in lines}
    return _framed(positions, radii, place_labels(positions, radii, labels, ranked))


def _extent(node: str, radii: dict[str, float], lines: dict[str, tuple[str, ...]]) -> tuple[float, float, float]:
    """Half-width, height above the node's centre and height below it, for the node and its label."""
    r = radii[node]
    if node not in lines:
        return r, r, r
    text = lines[node]
    return max(r, max(text_width(line) for line in text) / 2), r, r + GAP + len(text) * LINE_HEIGHT


Piece = tuple[dict[str, Position], float, float]  # node centres from the origin, width, height


def _piece(component: nx.Graph, radii: dict[str, float], lines: dict[str, tuple[str, ...]], width: float) -> Piece:
    """One cluster's node centres, with no two node-and-label boxes overlapping."""
    np = _numpy()
    nodes = sorted(component)
    extents = np.array([_extent(n, radii, lines) for n in nodes])
    half_w, up, down = extents[:, 0], extents[:, 1], extents[:, 2]
    if len(nodes) == 1:
        return {nodes[0]: (float(half_w[0]), float(up[0]))}, float(2 * half_w[0]), float(up[0] + down[0])
    canonical = nx.Graph()
    canonical.add_nodes_from(nodes)
    canonical.add_edges_from(sorted(tuple(sorted(edge)) for edge in component.edges()))
    raw = _raw_layout(canonical)
    xy = np.array([raw[n] for n in nodes], dtype=float)
    area = float(np.sum((2 * half_w + GAP) * (up + down + GAP))) / DENSITY
    span = xy.max(axis=0) - xy.min(axis=0)
    scale = min(math.sqrt(area), width - 2 * MARGIN - 2 * float(half_w.max())) / max(float(span.max()), 1e-9)
    xy = (xy - xy.min(axis=0)) * scale
    centres = _separate(xy + np.column_stack([np.zeros(len(nodes)), (down - up) / 2]), half_w, (up + down) / 2)
    centres[:, 1] -= (down - up) / 2
    centres = _separate(centres, up, up)  # where boxes still overlap, at least their nodes do not
    centres = np.round(centres - (centres - np.column_stack([half_w, up])).min(axis=0), 1)
    positions = {node: (float(x), float(y)) for node, (x, y) in zip(nodes, centres, strict=True)}
    return positions, float((centres[:, 0] + half_w).max()), float((centres[:, 1] + down).max())


def _numpy() -> ModuleType:
    """numpy, loaded for the first layout, with one BLAS thread unless told otherwise: the matrices are
    small, and more threads only spin against the render workers (15 % more CPU time at 1,000 dossiers)."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    with held(replaced=False):  # stopped halfway, numpy's C modules cannot load again: a traceback, not one line
        import numpy

    return numpy


def preload() -> None:
    """numpy and scipy loaded at the start of a build, with Ctrl-C and SIGTERM held: stopped halfway, numpy is
    left half-initialised; and imported first deep in a page's Jinja stack, in a render worker, scipy's
    imports ran past Python's recursion limit."""
    _numpy()
    with held(replaced=False):
        import scipy.optimize  # noqa: F401 - what networkx's Kamada-Kawai layout imports on first use


def _raw_layout(component: nx.Graph) -> dict:
    """Kamada-Kawai, whose edge lengths follow graph distance and so keep clusters apart, while it is
    quick enough; then ForceAtlas2, whose cost grows more slowly with the number of nodes."""
    if len(component) <= KAMADA_KAWAI_UP_TO:
        return nx.kamada_kawai_layout(component)
    return nx.forceatlas2_layout(component, seed=SEED, max_iter=_iterations(len(component)))


def _iterations(nodes: int) -> int:
    """Each iteration costs n²: large graphs get fewer, so a build stays within a couple of seconds."""
    return min(100, max(25, round(100 * (150 / nodes) ** 2)))


def _separate(centres: np.ndarray, half_w: np.ndarray, half_h: np.ndarray) -> np.ndarray:
    """Push overlapping boxes apart, each pair along the axis where it overlaps least, a unit past
    touching (so rounding cannot bring them back); each box moves by the mean of its pushes, which
    converges where their sum would oscillate."""
    np = _numpy()
    xy = centres.copy()
    index = np.arange(len(xy))
    tie = np.sign(index[:, None] - index[None, :]).astype(float)
    need_w = half_w[:, None] + half_w[None, :] + GAP + 1
    need_h = half_h[:, None] + half_h[None, :] + GAP + 1
    for _ in range(PUSHES):
        dx = xy[:, 0][:, None] - xy[:, 0][None, :]
        dy = xy[:, 1][:, None] - xy[:, 1][None, :]
        over_x, over_y = need_w - np.abs(dx), need_h - np.abs(dy)
        hit = (over_x > 1) & (over_y > 1)
        np.fill_diagonal(hit, False)
        if not hit.any():
            break
        sideways = hit & (over_x <= over_y)
        upways = hit & ~sideways
        sign_x = np.where(dx == 0, tie, np.sign(dx))
        sign_y = np.where(dy == 0, tie, np.sign(dy))
        moves = np.column_stack(
            [np.where(sideways, over_x * sign_x, 0).sum(axis=1), np.where(upways, over_y * sign_y, 0).sum(axis=1)]
        )
        xy += moves / np.maximum(1, hit.sum(axis=1))[:, None]
    return xy


def _pack(pieces: list[Piece], width: float) -> dict[str, Position]:
    """Clusters left to right in rows, the largest first; rows as wide as the canvas or the widest cluster."""
    limit = max([width - 2 * MARGIN] + [w for _, w, _ in pieces])
    positions: dict[str, Position] = {}
    x = y = row = 0.0
    for piece, w, h in pieces:
        if x and x + w > limit:
            x, y, row = 0.0, y + row + 4 * GAP, 0.0
        positions.update({n: (round(x + px, 1), round(y + py, 1)) for n, (px, py) in piece.items()})
        x, row = x + w + 4 * GAP, max(row, h)
    return positions


def radial_drawing(graph: nx.Graph, centre: str, chars: int) -> Drawing:
    """The centre on the left, its neighbours on an arc to its right, each labelled on the outer side.

    The arc stacks the labels top to bottom, so none overlaps another by construction, and it is
    convex, so a line between two neighbours passes no third one. No force layout is run: thousands
    of pages each have one of these maps. Narrow enough for a phone to show at about its own size.
    """
    lines = label_lines(graph, chars)
    radii = {node: radius(graph, node, node == centre) for node in graph}
    others = sorted((n for n in graph if n != centre), key=lambda n: (graph.nodes[n]["type"], lines[n], n))
    heights = [max(len(lines[n]) * LINE_HEIGHT, 2 * radii[n]) + GAP for n in others]
    total = sum(heights)
    positions = {centre: (0.0, 0.0)}
    labels = {centre: _below(centre, (0.0, 0.0), radii, lines)}
    top = -total / 2
    for node, height in zip(others, heights, strict=True):
        y = top + height / 2
        top += height
        bulge = math.sqrt(max(0.0, 1 - (y / (total / 2 + LINE_HEIGHT)) ** 2))
        positions[node] = point = (round(ARC_INNER + ARC_BULGE * bulge, 1), round(y, 1))
        baseline = y - (len(lines[node]) - 1) * LINE_HEIGHT / 2 + FONT_SIZE * 0.35
        labels[node] = Label(round(point[0] + radii[node] + GAP, 1), round(baseline, 1), "start", lines[node])
    return _framed(positions, radii, place_labels(positions, radii, labels, [centre, *others]))


def _below(node: str, point: Position, radii: dict[str, float], lines: dict[str, tuple[str, ...]]) -> Label:
    return Label(point[0], round(point[1] + radii[node] + GAP + FONT_SIZE, 1), "middle", lines[node])


def _framed(positions: dict[str, Position], radii: dict[str, float], labels: dict[str, Label]) -> Drawing:
    """Everything moved into a canvas that fits it with a margin."""
    if not positions:
        return Drawing(2 * MARGIN, 2 * MARGIN, {}, {}, {})
    boxes = [node_box(p, radii[n]) for n, p in positions.items()] + [label.box for label in labels.values()]
    left, top = min(b[0] for b in boxes) - MARGIN, min(b[1] for b in boxes) - MARGIN
    width, height = max(b[2] for b in boxes) - left + MARGIN, max(b[3] for b in boxes) - top + MARGIN

    def shift(x: float, y: float) -> Position:
        return round(x - left, 1), round(y - top, 1)

    return Drawing(
        math.ceil(width),
        math.ceil(height),
        {node: shift(*point) for node, point in positions.items()},
        radii,
        {node: Label(*shift(label.x, label.y), label.anchor, label.lines) for node, label in labels.items()},
    )
