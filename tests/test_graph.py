"""The network graph: built from a real (small) investigation, drawn as a static, deterministic SVG."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from casefile.diagnostics import Diagnostics
from casefile.graph import build_graph, graph_svg, layout, legend_items, neighbourhood
from casefile.loader import load_site
from casefile.model import ACTOR_KINDS
from casefile.resolve import Investigation, resolve

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
    return graph_svg(graph, layout(graph), _url_for(graph), **options)


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
    assert root.tag == f"{SVG}svg" and root.get("width") == "100%" and root.get("height") is None
    assert root.get("viewBox") and root.get("role") is None
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
    root = ET.fromstring(render(around, highlight="su-30", max_labels=0))
    current = [a for a in root.iter(f"{SVG}a") if a.get("aria-current") == "page"]
    assert [a.get("href") for a in current] == ["../deals/su-30.html"]
    assert "node-current" in current[0][1].get("class").split()
    assert [t.text for t in root.iter(f"{SVG}text")] == ["Six Su-30 fighter jets"]


def test_single_node_and_empty_graphs_render(graph: nx.Graph) -> None:
    lone = neighbourhood(graph, "bystander")
    assert ET.fromstring(render(lone, highlight="bystander")).find(f"{SVG}g") is not None
    assert "&lt;bystander&gt; &amp; co" in render(lone)
    assert layout(nx.Graph()) == {}


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


def test_600_nodes_lay_out_and_render_quickly_with_few_labels() -> None:
    graph = synthetic(600)
    start = time.perf_counter()
    positions = layout(graph)
    svg = graph_svg(graph, positions, lambda node: f"{node}.html", highlight="n0599", max_labels=40)
    elapsed = time.perf_counter() - start
    assert elapsed < 10, f"took {elapsed:.1f} s"
    root = ET.fromstring(svg)
    assert len(list(root.iter(f"{SVG}a"))) == 600
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert 0 < len(labels) <= 41 and "Node number 599" in labels
    width, height = map(float, root.get("viewBox").split()[2:])
    assert all(0 < x < width and 0 < y < height for x, y in positions.values())


def test_example_investigation_graph() -> None:
    investigation = load(ROOT)
    graph = build_graph(investigation)
    assert set(graph) == {d.id for d in (*investigation.actors, *investigation.deals, *investigation.events)}
    assert graph.number_of_edges() > len(graph) // 2
    ET.fromstring(render(graph))
