"""The network graph: built from a real (small) investigation, drawn as a static, deterministic SVG."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html import unescape as html_unescape
from pathlib import Path

import networkx as nx
import pytest
from conftest import require_example

from casefile.content.loader import load_site
from casefile.content.model import ACTOR_KINDS
from casefile.diagnostics import Diagnostics
from casefile.investigation.graph import build_graph, neighbourhood
from casefile.investigation.resolve import Investigation, resolve
from casefile.pages.graphlayout import LINE_HEIGHT, MAX_LINES, text_width, wrap
from casefile.pages.network import (
    CORE_NODES,
    LOCAL_NEIGHBOURS,
    connected,
    graph_svg,
    layout,
    legend_items,
    local_layout,
    trimmed,
)

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"

FIXTURE = {
    "site.yaml": "title: Graph fixture\n",
    "content/sources/report.yaml": "title: A report\npublisher: A paper\nkind: article\n",
    "content/actors/russia.yaml": "name: Russia\nkind: state\n",
    "content/actors/myanmar.yaml": "name: Myanmar\nkind: state\n",
    "content/actors/tatmadaw.yaml": "name: Myanmar Armed Forces\nkind: military-unit\ncountry: myanmar\n",
    "content/actors/min-aung-hlaing.yaml": """\
        name: Min Aung Hlaing
        kind: person
        country: myanmar
        roles:
          - title: Commander-in-chief
            of: tatmadaw
          - title: Senior General
            of: tatmadaw
          - title: Chairman
        """,
    "content/actors/sergei-shoigu.yaml": """\
        name: Sergei Shoigu
        kind: person
        country: russia
        roles:
          - {title: Defence minister, of: russia}
        """,
    "content/actors/bystander.yaml": "name: A <bystander> & co\nkind: company\n",
    "content/deals/su-30.yaml": """\
        title: Six Su-30 fighter jets
        kind: arms-sale
        parties:
          - {actor: russia, role: seller}
          - {actor: myanmar, role: buyer}
        agreed_at: shoigu-visit
        """,
    "content/events/trip.yaml": "title: A trip to Russia\nkind: trip\n",
    "content/events/shoigu-visit.yaml": """\
        title: Sergei Shoigu's visit to Naypyitaw
        kind: visit
        part_of: trip
        participants:
          - {actor: sergei-shoigu, role: visitor}
          - {actor: min-aung-hlaing, role: host}
          - {actor: tatmadaw}
        """,
}


def _url_for(graph: nx.Graph):
    """What the renderer passes: the relative URL of a dossier from an actor page."""
    return lambda node: "../" + graph.nodes[node]["page"]


def write_fixture(root: Path) -> None:
    for name, text in FIXTURE.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def load(root: Path) -> Investigation:
    diagnostics = Diagnostics()
    investigation = resolve(load_site(root, diagnostics), diagnostics)
    assert investigation is not None and not diagnostics.has_errors()
    return investigation


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    write_fixture(root)
    return root


@pytest.fixture(scope="module")
def graph(site: Path) -> nx.Graph:
    return build_graph(load(site))


def render(graph: nx.Graph, **options) -> str:
    return graph_svg(graph, layout(graph), _url_for(graph), **({"title": "Network"} | options))


def render_local(graph: nx.Graph, centre: str) -> str:
    local = neighbourhood(graph, centre)
    return graph_svg(local, local_layout(local, centre), _url_for(local), title="Map", highlight=centre)


# --------------------------------------------------------------------------------------------
# Geometry read back from the SVG: what a reader sees, independent of how the layout got there
# --------------------------------------------------------------------------------------------

Box = tuple[float, float, float, float]


@dataclass
class Drawn:
    nodes: dict[str, Box]  # node title -> the box of its shape
    labels: list[tuple[str, Box]]  # label text (lines joined by spaces) -> its box
    edges: list[str]  # each edge's title


def geometry(svg: ET.Element) -> Drawn:
    """Node shapes and label boxes from the SVG's own coordinates; label widths by the build's estimate."""
    nodes = {}
    for link in svg.iter(f"{SVG}a"):
        shape = next(child for child in link if child.tag != f"{SVG}title")
        nodes[link.find(f"{SVG}title").text] = _shape_box(shape)
    labels = []
    group = svg.find(f"{SVG}g[@class='labels']")
    size = float(group.get("font-size"))
    for text in svg.iter(f"{SVG}text"):
        lines = [span.text for span in text.iter(f"{SVG}tspan")] or [text.text]
        width = max(text_width(line) for line in lines)
        x, y = float(text.get("x")), float(text.get("y"))
        left = {"start": x, "middle": x - width / 2, "end": x - width}[text.get("text-anchor")]
        labels.append(
            (" ".join(lines), (left, y - size, left + width, y + (len(lines) - 1) * LINE_HEIGHT + size * 0.3))
        )
    edges = [line.find(f"{SVG}title").text for line in svg.iter(f"{SVG}line")]
    return Drawn(nodes, labels, edges)


def _shape_box(shape: ET.Element) -> Box:
    tag = shape.tag.removeprefix(SVG)
    if tag == "circle":
        x, y, r = (float(shape.get(k)) for k in ("cx", "cy", "r"))
        return (x - r, y - r, x + r, y + r)
    if tag == "rect":
        x, y, w, h = (float(shape.get(k)) for k in ("x", "y", "width", "height"))
        return (x, y, x + w, y + h)
    points = [tuple(map(float, p.split(","))) for p in shape.get("points").split()]
    return (min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points), max(p[1] for p in points))


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def collisions(drawn: Drawn) -> list[str]:
    """Labels over labels, labels over another node's shape, and shapes over shapes."""
    found = []
    for i, (text, box) in enumerate(drawn.labels):
        found += [f"{text!r} over {other!r}" for other, b in drawn.labels[i + 1 :] if _overlap(box, b)]
        found += [f"{text!r} over node {title!r}" for title, b in drawn.nodes.items() if _overlap(box, b)]
    shapes = list(drawn.nodes.items())
    for i, (title, box) in enumerate(shapes):
        found += [f"node {title!r} over node {other!r}" for other, b in shapes[i + 1 :] if _overlap(box, b)]
    return found


def owners(drawn: Drawn, label: str) -> list[str]:
    """The nodes a label could stand for: those whose name it is, or begins (a label cut with "…")."""
    stem = label.removesuffix("…")
    return [title for title in drawn.nodes if title == label or (label.endswith("…") and title.startswith(stem))]


def test_nodes_are_actors_deals_and_events_with_their_attributes(graph: nx.Graph) -> None:
    assert "report" not in graph
    assert graph.nodes["min-aung-hlaing"] == {
        "type": "actor",
        "kind": "person",
        "label": "Min Aung Hlaing",
        "page": "actors/min-aung-hlaing.html",
    }
    assert graph.nodes["su-30"]["type"] == "deal" and graph.nodes["su-30"]["page"] == "deals/su-30.html"
    assert graph.nodes["trip"]["type"] == "event"


def test_edges_for_every_relation(graph: nx.Graph) -> None:
    labels = nx.get_edge_attributes(graph, "labels")
    edge = lambda a, b: labels.get((a, b)) or labels.get((b, a))  # noqa: E731
    assert edge("min-aung-hlaing", "tatmadaw") == ["Commander-in-chief", "Senior General"]  # merged into one
    assert edge("sergei-shoigu", "russia") == ["Defence minister", "country"]
    assert edge("tatmadaw", "myanmar") == ["country"]
    assert edge("su-30", "russia") == ["seller"] and edge("su-30", "myanmar") == ["buyer"]
    assert edge("su-30", "shoigu-visit") == ["agreed at"]
    assert edge("shoigu-visit", "min-aung-hlaing") == ["host"]
    assert edge("shoigu-visit", "tatmadaw") == ["participant"]
    assert edge("shoigu-visit", "trip") == ["part of"]
    assert edge("shoigu-visit", "sergei-shoigu") == ["visitor"]
    assert edge("min-aung-hlaing", "myanmar") == ["country"]
    assert graph.degree("bystander") == 0
    assert graph.number_of_edges() == 11  # the ones above: a role without `of:` draws none


def test_svg_is_well_formed_static_and_every_node_links_to_its_page(graph: nx.Graph) -> None:
    svg = render(graph)
    root = ET.fromstring(svg)
    width, height = map(float, root.get("viewBox").split()[2:])
    assert root.tag == f"{SVG}svg" and (root.get("width"), root.get("height")) == (f"{width:g}", f"{height:g}")
    assert root.get("role") is None
    title = root.find(f"{SVG}title")
    assert title is not None and root.get("aria-labelledby") == title.get("id")
    links = {a.get("href"): a for a in root.iter(f"{SVG}a")}
    assert set(links) == {_url_for(graph)(node) for node in graph}
    for _, data in graph.nodes(data=True):
        link = links["../" + data["page"]]
        assert link.find(f"{SVG}title").text == data["label"]
        shape = next(child for child in link if child.tag != f"{SVG}title")
        assert {"circle": "actor", "rect": "deal", "polygon": "event"}[shape.tag.removeprefix(SVG)] == data["type"]
        assert shape.get("fill", "").startswith("#")
    assert "kind-person" in links["../actors/min-aung-hlaing.html"][1].get("class").split()
    assert all(text.get("class") == "label" for text in root.iter(f"{SVG}text"))
    assert all(line.get("class") == "edge" for line in root.iter(f"{SVG}line"))
    for forbidden in ("style", "<script", "javascript:", "http://", "https://"):
        assert forbidden not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_same_content_gives_the_same_svg(graph: nx.Graph, site: Path) -> None:
    assert render(graph) == render(graph) == render(build_graph(load(site)))


def test_svg_is_identical_across_processes(graph: nx.Graph, site: Path) -> None:
    """Another hash seed reorders sets and dicts built from them; the picture must not change."""
    script = textwrap.dedent(f"""\
        import sys
        from pathlib import Path
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_graph import build_graph, load, render
        sys.stdout.write(render(build_graph(load(Path({str(site)!r})))))
        """)
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        outputs.add(result.stdout)
    assert outputs == {render(graph)}


def test_neighbourhood_is_the_node_and_exactly_its_neighbours(graph: nx.Graph) -> None:
    around = neighbourhood(graph, "min-aung-hlaing")
    assert set(around) == {"min-aung-hlaing", "tatmadaw", "myanmar", "shoigu-visit"}
    assert around.has_edge("tatmadaw", "myanmar")  # edges among the neighbours too
    assert set(neighbourhood(graph, "bystander")) == {"bystander"}


def test_highlighted_node_is_emphasised_and_labelled(graph: nx.Graph) -> None:
    around = neighbourhood(graph, "su-30")
    root = ET.fromstring(
        graph_svg(around, local_layout(around, "su-30"), _url_for(around), title="Map", highlight="su-30")
    )
    current = [a for a in root.iter(f"{SVG}a") if a.get("aria-current") == "page"]
    assert [a.get("href") for a in current] == ["../deals/su-30.html"]
    assert "node-current" in current[0][1].get("class").split()
    assert sorted(text for text, _ in geometry(root).labels) == [
        "Myanmar",
        "Russia",
        "Sergei Shoigu's visit to Naypyitaw",
        "Six Su-30 fighter jets",
    ]


def test_single_node_and_empty_graphs_render(graph: nx.Graph) -> None:
    lone = neighbourhood(graph, "bystander")
    assert ET.fromstring(render(lone, highlight="bystander")).find(f"{SVG}g") is not None
    assert "&lt;bystander&gt; &amp; co" in render(lone)
    assert layout(nx.Graph()).positions == {}


def test_legend_matches_the_svg_colours(graph: nx.Graph) -> None:
    items = legend_items()
    assert [css for css, _, _ in items] == [f"kind-{kind}" for kind in ACTOR_KINDS] + ["node-deal", "node-event"]
    colours = [colour for _, colour, _ in items]
    assert len(set(colours)) == len(colours)
    svg = render(graph)
    for css, colour, _ in items:
        if css in svg:
            assert f'class="node {"node-actor " if css.startswith("kind-") else ""}{css}" fill="{colour}"' in svg


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("background", ["#fdfdfb", "#161616"])
def test_colours_contrast_with_light_and_dark_backgrounds(background: str) -> None:
    for _, colour, label in legend_items():
        light, dark = sorted((_luminance(colour), _luminance(background)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 3, f"{label} {colour} on {background}"


def synthetic(nodes: int) -> nx.Graph:
    """A sparse, hub-heavy network like an investigation's, built directly."""
    scaffold = nx.barabasi_albert_graph(nodes, 1, seed=3)
    scaffold.add_edges_from(nx.gnm_random_graph(nodes, nodes // 3, seed=4).edges())
    graph = nx.Graph()
    types = ("actor", "actor", "deal", "event")
    for i in sorted(scaffold):
        kind = ACTOR_KINDS[i % len(ACTOR_KINDS)]
        node_type = types[i % len(types)]
        graph.add_node(f"n{i:04d}", type=node_type, kind=kind, label=f"Node number {i}", page=f"{node_type}s/n{i}.html")
    graph.add_edges_from((f"n{a:04d}", f"n{b:04d}", {"labels": ["party"]}) for a, b in scaffold.edges() if a != b)
    return graph


def test_400_nodes_lay_out_quickly_with_nothing_drawn_over_anything() -> None:
    """The most a build draws; the layout's time counts in every build, so it stays within seconds."""
    graph = connected(synthetic(400))
    start = time.perf_counter()
    svg = graph_svg(graph, layout(graph), lambda node: f"{node}.html", title="Network", highlight="n0399")
    elapsed = time.perf_counter() - start
    assert elapsed < 8, f"took {elapsed:.1f} s"  # about 2 s on an idle 2-core machine
    root = ET.fromstring(svg)
    drawn = geometry(root)
    assert len(drawn.nodes) == len(graph) and collisions(drawn) == []
    assert len(drawn.labels) >= 100  # the best-connected are named; every node keeps its tooltip
    width, height = map(float, root.get("viewBox").split()[2:])
    assert all(0 <= b[0] and b[2] <= width and 0 <= b[1] and b[3] <= height for _, b in drawn.labels)


def test_long_labels_wrap_and_cut_ones_still_differ() -> None:
    graph = nx.Graph()
    stem = "Min Aung Hlaing's meeting with the director general of a state corporation in Moscow about"
    for node, end in (("a", "nuclear training"), ("b", "nuclear power")):
        graph.add_node(node, type="event", kind="meeting", label=f"{stem} {end}", page=f"events/{node}.html")
    graph.add_edge("a", "b", labels=["part of"])
    graph.add_node("c", type="actor", kind="person", label="Rosoboronexport", page="actors/c.html")
    graph.add_edge("a", "c", labels=["participant"])
    assert len(wrap(stem, 22)) == MAX_LINES and wrap(stem, 22)[-1].endswith("…")
    assert wrap("Rosoboronexport", 22) == ("Rosoboronexport",)
    for svg in (render(graph), render_local(graph, "a")):
        labels = [text for text, _ in geometry(ET.fromstring(svg)).labels]
        assert len(labels) == 3 and len(set(labels)) == 3, labels


# --------------------------------------------------------------------------------------------
# The example investigation, built by the real build.py
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_example()
    out = tmp_path_factory.mktemp("example") / "public"
    result = subprocess.run([sys.executable, "build.py", "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def svgs(page: Path) -> dict[str, ET.Element]:
    """The page's graph SVGs by the id of their title."""
    found = [
        ET.fromstring(m)
        for m in re.findall(
            r'<svg xmlns="http://www.w3.org/2000/svg" class="graph".*?</svg>', page.read_text(encoding="utf-8"), re.S
        )
    ]
    return {svg.get("aria-labelledby"): svg for svg in found}


def test_example_network_draws_every_connected_node_labelled_and_nothing_over_anything(example: Path) -> None:
    investigation = load(ROOT)
    full = build_graph(investigation)
    pictures = svgs(example / "graph.html")
    assert set(pictures) == {"graph-all-title", "graph-core-title"}
    drawn = geometry(pictures["graph-all-title"])
    assert sorted(drawn.nodes) == sorted(full.nodes[n]["label"] for n in full if full.degree(n))
    assert collisions(drawn) == []
    labels = [text for text, _ in drawn.labels]
    assert len(labels) == len(drawn.nodes) and len(set(labels)) == len(labels)
    assert all(len(owners(drawn, label)) == 1 for label in labels), [lb for lb in labels if len(owners(drawn, lb)) != 1]
    assert sum(label.endswith("…") for label in labels) <= 2  # only titles longer than four lines are cut


def test_example_edges_name_their_relation(example: Path) -> None:
    edges = geometry(svgs(example / "graph.html")["graph-all-title"]).edges
    assert edges and all(re.fullmatch(r".+ – .+: .+", edge) for edge in edges)
    assert "Min Aung Hlaing – Myanmar Armed Forces: Commander-in-chief" in edges
    assert any(edge.endswith(": seller") for edge in edges) and any(edge.endswith(": participant") for edge in edges)


def test_example_isolated_dossiers_are_listed_as_links_not_drawn(example: Path) -> None:
    full = build_graph(load(ROOT))
    alone = sorted(full.nodes[n]["label"] for n in full if not full.degree(n))
    assert alone, "the example has dossiers without relations"
    html = (example / "graph.html").read_text(encoding="utf-8")
    listed = html[html.index('<ul class="unconnected">') :]
    listed = listed[: listed.index("</ul>")]
    assert sorted(html_unescape(name) for name in re.findall(r"<bdi>([^<]+)</bdi></a>", listed)) == alone
    assert not set(alone) & set(geometry(svgs(example / "graph.html")["graph-all-title"]).nodes)


def test_example_phone_map_shows_the_best_connected_with_a_link_to_the_whole(example: Path) -> None:
    html = (example / "graph.html").read_text(encoding="utf-8")
    core = geometry(svgs(example / "graph.html")["graph-core-title"])
    assert 8 <= len(core.nodes) <= CORE_NODES and {"Russia", "Myanmar", "Min Aung Hlaing"} <= set(core.nodes)
    assert collisions(core) == [] and len(core.labels) == len(core.nodes)
    assert 'id="whole-network"' in html and '<a href="#whole-network">The whole network</a>' in html
    assert int(core_width := float(svgs(example / "graph.html")["graph-core-title"].get("width"))) <= 360, core_width


def test_example_one_hop_maps_label_every_neighbour_without_overlaps(example: Path) -> None:
    pages = sorted((example / "actors").glob("*.html")) + sorted((example / "deals").glob("*.html"))
    problems, maps = [], 0
    for page in pages:
        for svg in svgs(page).values():
            maps += 1
            drawn = geometry(svg)
            labels = [text for text, _ in drawn.labels]
            problems += [f"{page.name}: {c}" for c in collisions(drawn)]
            if len(labels) != len(drawn.nodes) or len(set(labels)) != len(labels):
                problems.append(f"{page.name}: labels {labels} for nodes {sorted(drawn.nodes)}")
            if float(svg.get("width")) > 400:
                problems.append(f"{page.name}: {svg.get('width')} wide, too wide for a phone to show at its size")
    assert maps > 30 and problems == []
    mah = geometry(svgs(example / "actors" / "min-aung-hlaing.html")["graph-min-aung-hlaing-title"])
    cut = [text for text, _ in mah.labels if text.endswith("…")]
    assert len(mah.labels) >= 11 and len(cut) <= 1, cut


def test_a_dossiers_own_map_does_not_repeat_its_name_in_every_label(example: Path) -> None:
    """Eight labels on Min Aung Hlaing's map began "Min Aung Hlaing's …": beside him they read "Trip to Russia, June
    2021"; the node's tooltip keeps the whole title."""
    svg = svgs(example / "actors" / "min-aung-hlaing.html")["graph-min-aung-hlaing-title"]
    labels = [text for text, _ in geometry(svg).labels]
    assert "Min Aung Hlaing" in labels  # the centre keeps its own name
    assert not [text for text in labels if text.startswith(("Min Aung Hlaing's", "Min Aung Hlaing\u2019s"))], labels
    assert any(text.startswith("Trip to Russia") for text in labels), labels
    titles = [title.text for title in svg.iter(f"{SVG}title")]
    assert any(title.startswith("Min Aung Hlaing's trip to Russia, June 2021") for title in titles), titles


def test_example_investigation_graph() -> None:
    investigation = load(ROOT)
    graph = build_graph(investigation)
    assert set(graph) == {d.id for d in (*investigation.actors, *investigation.deals, *investigation.events)}
    assert graph.number_of_edges() > len(graph) // 2


def test_a_hubs_map_shows_its_best_connected_neighbours_only() -> None:
    hub = nx.star_graph(120)
    nx.relabel_nodes(hub, {n: f"n{n:03d}" for n in hub}, copy=False)
    hub.add_edge("n007", "n008")
    nx.set_node_attributes(hub, {n: {"type": "actor", "kind": "person", "label": f"Person {n}"} for n in hub})
    shown = trimmed(hub, "n000")
    assert len(shown) == LOCAL_NEIGHBOURS + 1 and {"n000", "n007", "n008"} <= set(shown)
    assert trimmed(shown, "n000") is shown
