"""The "All papers" view in headless Chromium: offline, complete, searchable, filterable, safe."""

from __future__ import annotations

from pathlib import Path

import pytest
from sample_graph import HOSTILE_TITLE, SEED, seed_graph, synthetic_graph

import kg
from kg.export.html import write_html

pytestmark = pytest.mark.browser

DRAWN = "[kg.papers.network.body.nodeIndices.length, kg.papers.network.body.edgeIndices.length]"
# Where a node is on screen: canvas coordinates -> page coordinates.
SCREEN_POSITION = """(id) => {
  const point = kg.papers.network.canvasToDOM(kg.papers.network.getPosition(id));
  const box = document.getElementById("graph").getBoundingClientRect();
  return [box.left + point.x, box.top + point.y];
}"""


@pytest.fixture(scope="module")
def sample_page_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("view") / "graph.html"
    write_html(seed_graph(), path)
    return path


@pytest.fixture(scope="module")
def seeds_graph():
    return kg.build([SEED.parent]).graph


def test_sample_page_is_offline_and_draws_every_node_and_edge(open_page, sample_page_path):
    graph = seed_graph()
    loaded = open_page(sample_page_path, view="papers")
    assert loaded.page.evaluate(DRAWN) == [graph.number_of_nodes(), graph.number_of_edges()]
    assert loaded.offline_requests() == []
    assert loaded.errors == []
    counts = f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges"
    assert loaded.page.inner_text("#counts") == counts


CENTRED_ON = """node => {
    const centre = kg.papers.network.getViewPosition();
    const position = kg.papers.network.getPosition(node);
    return Math.abs(centre.x - position.x) < 1 && Math.abs(centre.y - position.y) < 1;
}"""


def test_search_by_alias_focuses_the_node(open_page, sample_page_path):
    page = open_page(sample_page_path, view="papers").page
    page.fill("#search", "segment anything model")
    page.press("#search", "Enter")
    assert page.evaluate("kg.papers.network.getSelectedNodes()") == ["model/sam"]
    # The focus animation takes 400 ms on an idle machine, longer on a loaded one:
    # wait until the view is centred on the node (within a pixel), not a fixed time.
    page.wait_for_function(CENTRED_ON, arg="model/sam", timeout=10_000)
    assert "SAM" in page.inner_text("#details")
    assert "built on by 1 paper" in page.inner_text("#details")


def test_type_filter_hides_those_nodes(open_page, sample_page_path):
    graph = seed_graph()
    datasets = {n for n, kind in graph.nodes(data="kind") if kind == "Dataset"}
    page = open_page(sample_page_path, view="papers").page
    page.uncheck('input[data-type="Dataset"]')
    drawn = set(page.evaluate("kg.papers.network.body.nodeIndices"))
    assert drawn == set(graph.nodes) - datasets
    page.check('input[data-type="Dataset"]')
    assert page.evaluate(DRAWN)[0] == graph.number_of_nodes()


def test_relation_filter_hides_those_edges(open_page, sample_page_path):
    graph = seed_graph()
    modality_edges = sum(1 for *_, r in graph.edges(keys=True) if r == "usesModality")
    page = open_page(sample_page_path, view="papers").page
    page.uncheck('input[data-relation="usesModality"]')
    assert page.evaluate(DRAWN) == [
        graph.number_of_nodes(),
        graph.number_of_edges() - modality_edges,
    ]


def test_click_highlights_the_neighbourhood_and_background_resets(open_page, sample_page_path):
    graph = seed_graph()
    page = open_page(sample_page_path, view="papers").page
    x, y = page.evaluate(SCREEN_POSITION, "model/gpt-4o")
    page.mouse.click(x, y)
    neighbours = set(graph.predecessors("model/gpt-4o")) | {"model/gpt-4o"}
    colours = page.evaluate(
        "Object.fromEntries(kg.papers.nodes.get().map(n => [n.id, n.color.background]))"
    )
    dimmed = {node for node, colour in colours.items() if colour == "#e8e8e8"}
    assert dimmed == set(graph.nodes) - neighbours
    box = page.evaluate("document.getElementById('graph').getBoundingClientRect().toJSON()")
    page.mouse.click(box["left"] + 5, box["top"] + 5)
    colours = page.evaluate("kg.papers.nodes.get().map(n => n.color.background)")
    assert "#e8e8e8" not in colours
    assert page.is_hidden("#details")
    # A paper clicked opens its links in the side panel.
    paper = "paper/title:cc-sam"
    x, y = page.evaluate(SCREEN_POSITION, paper)
    page.mouse.click(x, y)
    assert page.evaluate("kg.views.papers[kg.sidePaper][0]") == paper
    assert page.locator("#side ul.paper-links > li").count() == graph.out_degree(paper)


def test_hovering_an_edge_shows_its_sentence(open_page, sample_page_path):
    graph = seed_graph()
    page = open_page(sample_page_path, view="papers").page
    # An edge whose midpoint is on no node, so the pointer lands on the edge itself.
    edge_id, x, y = page.evaluate(
        """() => {
          const box = document.getElementById("graph").getBoundingClientRect();
          const net = kg.papers.network;
          for (const edge of kg.papers.edges.get()) {
            const a = net.getPosition(edge.from), b = net.getPosition(edge.to);
            const mid = net.canvasToDOM({x: (a.x + b.x) / 2, y: (a.y + b.y) / 2});
            if (net.getNodeAt(mid) === undefined && net.getEdgeAt(mid) === edge.id)
              return [edge.id, box.left + mid.x, box.top + mid.y];
          }
        }"""
    )
    source, target = page.evaluate(
        "(id) => [kg.papers.edges.get(id).from, kg.papers.edges.get(id).to]", edge_id
    )
    relation = page.evaluate("(id) => kg.papers.edges.get(id).kgRelation", edge_id)
    sentence = graph.edges[source, target, relation]["sentence"]
    page.mouse.move(x - 3, y)
    page.mouse.move(x, y)
    tooltip = page.wait_for_selector("div.vis-tooltip", state="visible", timeout=3000)
    text = tooltip.inner_text()
    assert " ".join(sentence.split()) in " ".join(text.split())
    assert relation in text and "confidence" in text


def test_hostile_title_is_shown_as_text_and_never_runs(open_page, sample_page_path):
    loaded = open_page(sample_page_path, view="papers")
    page = loaded.page
    x, y = page.evaluate(SCREEN_POSITION, "paper/title:cc-sam")
    page.mouse.move(x, y)
    tooltip = page.wait_for_selector("div.vis-tooltip", state="visible", timeout=3000)
    assert HOSTILE_TITLE in tooltip.inner_text()
    page.mouse.click(x, y)
    assert HOSTILE_TITLE in page.inner_text("#details")
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('img, b').length") == 0
    assert loaded.errors == [] and loaded.offline_requests() == []


def test_five_thousand_nodes_settle_in_reasonable_time(open_page, tmp_path):
    graph = synthetic_graph(papers=3800, entities=1200, edges_per_paper=4)
    path = tmp_path / "large.html"
    summary = write_html(graph, path)
    assert summary.nodes_drawn == 5000 and not summary.truncated
    loaded = open_page(path, settle_ms=60_000, view="papers")
    assert loaded.page.evaluate(DRAWN) == [5000, graph.number_of_edges()]
    assert loaded.page.evaluate("kg.papers.network.physics.physicsEnabled") is False
    assert loaded.errors == []


def test_seeds_build_is_drawn_whole_and_truncates_on_request(open_page, seeds_graph, tmp_path):
    whole = tmp_path / "seeds.html"
    write_html(seeds_graph, whole)
    loaded = open_page(whole, view="papers")
    drawn = loaded.page.evaluate(DRAWN)
    assert drawn == [seeds_graph.number_of_nodes(), seeds_graph.number_of_edges()]
    assert loaded.errors == [] and loaded.offline_requests() == []
    cut = tmp_path / "seeds-50.html"
    summary = write_html(seeds_graph, cut, max_nodes=50)
    page = open_page(cut, view="papers").page
    assert page.evaluate(DRAWN) == [50, summary.edges_drawn]
    total = seeds_graph.number_of_nodes()
    assert f"showing 50 of {total} nodes, the most connected" in page.inner_text("#counts")
