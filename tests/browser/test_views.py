"""graph.html's overview, lineage, entity map, search and panels in headless Chromium, on the
seed sample, the 968-paper MICCAI 2025 build and a synthetic graph of the 88k corpus's size."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
from sample_graph import seed_graph, synthetic_graph

from kg import analysis
from kg.export.html import write_html
from kg.namespace import node_iri
from kg.stats import graph_stats, read_graphml

pytestmark = pytest.mark.browser

KINDS = {"builtOn": ("buildsOn", "Model"), "evaluated": ("evaluatesOn", "Dataset")}
# Distinct papers per entity of a kind, by relation, straight from the Turtle export.
SPARQL_TOP = """
PREFIX kg: <https://w3id.org/kg/ontology#>
SELECT ?entity (COUNT(DISTINCT ?paper) AS ?papers) WHERE {
  ?paper a kg:Paper ; kg:%s ?entity .
  ?entity a kg:%s .
} GROUP BY ?entity
"""
# Label boxes the map shows, and whether any two overlap.
LABEL_OVERLAPS = """() => {
  const boxes = kg.map.labelled;
  let overlaps = 0;
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps++;
    }
  return overlaps;
}"""
IN_VIEW = """(ids) => {
  const box = document.getElementById("map-canvas").getBoundingClientRect();
  return ids.filter((id) => {
    const p = kg.map.network.canvasToDOM(kg.map.network.getPosition(id));
    return p.x < 0 || p.y < 0 || p.x > box.width || p.y > box.height;
  });
}"""


def page_tree(page, root: str) -> list[tuple[str, int, str | None]]:
    tree = page.evaluate("(root) => kg.lineageTree(root)", root)
    return [(entry["node"], entry["generation"], entry["parent"]) for entry in tree]


def assert_is_tree(entries: list[tuple[str, int, str | None]], root: str) -> None:
    assert entries[0] == (root, 0, None)
    nodes = [node for node, _generation, _parent in entries]
    assert len(nodes) == len(set(nodes))
    edges = [(parent, node) for node, _generation, parent in entries[1:]]
    if edges:
        assert nx.is_arborescence(nx.DiGraph(edges))


def python_tree(graph, root: str) -> list[tuple[str, int, str | None]]:
    return [(n.node, n.generation, n.parent) for n in analysis.lineage(graph, root)]


def test_a_coverage_cell_lists_papers_with_both_sentences(open_page, miccai_export):
    page = open_page(miccai_export.folder / "graph.html", settle_ms=20_000).page
    cell = page.evaluate("Object.keys(kg.views.items).find((id) => id.startsWith('kg-coverage'))")
    page.click(f"#{cell}")  # a real click: the count written on the cell must not catch it
    item = page.evaluate("(id) => kg.views.items[id]", cell)
    assert page.evaluate("kg.sideItem") == cell
    listed = page.locator("#side ol.papers > li")
    assert listed.count() == item["count"]
    assert listed.first.locator("blockquote").count() == 2


@pytest.fixture(scope="module")
def sample_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("views") / "graph.html"
    write_html(seed_graph(), path)
    return path


def test_overview_is_drawn_offline_and_a_bar_lists_its_papers(open_page, sample_path):
    loaded = open_page(sample_path)
    page = loaded.page
    assert page.is_visible("#view-overview") and page.is_hidden("#view-papers")
    assert page.inner_text("#totals").startswith("10 papers")
    # Four models are built on by one paper each, ranked by label: CLIP, ChatGPT, SAM, VQ-GAN.
    tops = page.evaluate("kg.views.tops.builtOn")
    assert tops == [
        ["model/clip", "CLIP", 1],
        ["model/chatgpt", "ChatGPT", 1],
        ["model/sam", "SAM", 1],
        ["model/vq-gan", "VQ-GAN", 1],
    ]
    chart = page.text_content("#card-builtOn svg")
    assert all(label in chart for _node, label, _count in tops)
    page.click("#kg-builtOn-2")
    side = page.inner_text("#side")
    assert "1 paper" in side and "optimize SAM for medical imaging" in " ".join(side.split())
    assert loaded.errors == [] and loaded.offline_requests() == []


def test_a_model_name_in_the_overview_opens_its_lineage(open_page, sample_path):
    page = open_page(sample_path).page
    names = page.evaluate("kg.views.tops.builtOn.map((entry) => entry[0])")
    position = names.index("model/sam")
    page.click(f"#kg-builtOn-name-{position}")
    assert page.is_visible("#view-lineage")
    assert page.evaluate("kg.lineage.root") == "model/sam"
    assert page_tree(page, "model/sam") == python_tree(seed_graph(), "model/sam")
    assert page.evaluate("kg.lineage.network.body.nodeIndices.length") == 2
    assert "CC-SAM" in page.inner_text("#side")


def test_search_zooms_the_map_to_the_neighbourhood(open_page, sample_path):
    page = open_page(sample_path).page
    page.fill("#entity-search", "chest x")
    page.press("#entity-search", "Enter")
    page.wait_for_function("kg.map && kg.map.focusDone === 'modality/chest-x-ray'")
    assert page.is_visible("#view-map")
    assert page.evaluate("kg.map.network.getSelectedNodes()") == ["modality/chest-x-ray"]
    neighbours = page.evaluate("kg.map.network.getConnectedNodes('modality/chest-x-ray')")
    assert neighbours and page.evaluate(IN_VIEW, neighbours) == []
    assert "Used by (4)" in page.inner_text("#side")


RELATION_HEADINGS = {
    "introduces": "Introduced by",
    "buildsOn": "Built on by",
    "evaluatesOn": "Evaluated on by",
    "trainedOn": "Trained on by",
    "comparesWith": "Compared with by",
    "usesModality": "Used by",
}


def result_lines(page) -> list[str]:
    return [" ".join(line.split()) for line in page.locator("#entity-results li").all_inner_texts()]


def test_search_finds_an_entity_off_the_map_and_opens_its_links(open_page, miccai_export):
    graph = miccai_export.graph
    loaded = open_page(miccai_export.folder / "graph.html", settle_ms=20_000)
    page = loaded.page
    featured = set(page.evaluate("kg.views.map.nodes.map((node) => node.id)"))
    featured |= {entry[0] for top in page.evaluate("Object.values(kg.views.tops)") for entry in top}
    names = Counter(
        name.casefold()
        for _node, data in graph.nodes(data=True)
        for name in [data.get("label", "")] + list(data.get("aliases", []))
    )
    # An entity no chart, map or lineage shows, with a name of its own and two links.
    entity = next(
        node
        for node, data in sorted(graph.nodes(data=True))
        if data["kind"] != "Paper"
        and node not in featured
        and names[data["label"].casefold()] == 1
        and graph.in_degree(node) == 2
    )
    label = graph.nodes[entity]["label"]
    page.fill("#entity-search", label)
    assert result_lines(page)[0].startswith(label)
    page.press("#entity-search", "Enter")
    assert page.evaluate("kg.sideEntity") == entity
    side = " ".join(page.inner_text("#side").split())
    for paper, _entity, relation in graph.in_edges(entity, keys=True):
        papers = len([p for p, _e, r in graph.in_edges(entity, keys=True) if r == relation])
        assert f"{RELATION_HEADINGS[relation]} ({papers})" in side
        assert " ".join(graph.nodes[paper]["label"].split()) in side
        assert " ".join(graph.edges[paper, entity, relation]["sentence"].split()) in side
    # A listed paper opens its own panel, which links back to the entity.
    page.locator("#side .paper-links-button").first.click()
    assert page.evaluate("kg.sidePaper") is not None
    assert page.locator("#side ul.paper-links button", has_text=label).count() >= 1
    assert loaded.errors == [] and loaded.offline_requests() == []


def test_search_finds_a_paper_by_title_and_lists_its_links(open_page, miccai_export):
    graph = miccai_export.graph
    page = open_page(miccai_export.folder / "graph.html", settle_ms=20_000).page
    paper = next(
        node
        for node, data in sorted(graph.nodes(data=True))
        if data["kind"] == "Paper" and graph.out_degree(node) >= 3
    )
    title = " ".join(graph.nodes[paper]["label"].split())
    page.fill("#entity-search", title[:40])
    assert any(line.startswith(title) and "paper" in line for line in result_lines(page))
    page.locator("#entity-results button", has_text=title).first.click()
    links = [target for target in graph.successors(paper) if graph.nodes[target]["kind"] != "Paper"]
    side = page.locator("#side")
    assert side.locator("h2").inner_text() == graph.nodes[paper]["label"]
    assert side.locator("ul.paper-links > li").count() == graph.out_degree(paper) - len(
        [t for t in graph.successors(paper) if graph.nodes[t]["kind"] == "Paper"]
    )
    # Each linked entity opens its own panel.
    side.locator("ul.paper-links button.entity-link").first.click()
    assert page.evaluate("kg.sideEntity") in links


def test_same_label_entities_are_told_apart_in_search_and_panels(open_page, tmp_path):
    graph = seed_graph()
    paper = "paper/title:cc-sam"
    graph.add_node(
        "model/sam--sharpness-aware-minimization",
        kind="Model",
        label="SAM",
        aliases=["Sharpness-Aware Minimization"],
    )
    sentence = graph.edges[paper, "model/sam", "buildsOn"]["sentence"]
    graph.add_edge(
        paper,
        "model/sam--sharpness-aware-minimization",
        key="comparesWith",
        relation="comparesWith",
        sentence=sentence,
    )
    path = tmp_path / "graph.html"
    write_html(graph, path)
    loaded = open_page(path)
    page = loaded.page
    page.fill("#entity-search", "sam")
    lines = result_lines(page)
    assert lines[0].startswith("SAM Segment Anything Model")
    assert lines[1].startswith("SAM Sharpness-Aware Minimization")
    page.locator("#entity-results button").nth(1).click()
    assert page.evaluate("kg.sideEntity") == "model/sam--sharpness-aware-minimization"
    assert page.inner_text("#side .sense") == "Sharpness-Aware Minimization"
    assert "Compared with by (1)" in page.inner_text("#side")
    assert loaded.errors == []


def test_miccai_build_views_agree_with_kg_stats_and_sparql(open_page, miccai_export):
    graph, folder = miccai_export.graph, miccai_export.folder
    loaded = open_page(folder / "graph.html", settle_ms=20_000)
    page = loaded.page
    assert loaded.errors == [] and loaded.offline_requests() == []
    tops = page.evaluate("kg.views.tops")
    stats = graph_stats(read_graphml(folder / "graph.graphml"), top=1000)
    store = pyoxigraph.Store()
    store.bulk_load(path=str(folder / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    for chart, (relation, kind) in KINDS.items():
        assert len(tops[chart]) == 15
        ranked = [e for e in stats["top"][relation] if graph.nodes[e["node"]]["kind"] == kind]
        assert tops[chart] == [[e["node"], e["label"], e["papers"]] for e in ranked[:15]]
        answers = {
            row["entity"].value: int(row["papers"].value)
            for row in store.query(SPARQL_TOP % (relation, kind))
        }
        assert [count for _node, _label, count in tops[chart]] == [
            answers[str(node_iri(node))] for node, _label, _count in tops[chart]
        ]
        # The papers listed behind each bar are those counts.
        for position, (_node, _label, count) in enumerate(tops[chart]):
            item = page.evaluate("(id) => kg.views.items[id].count", f"kg-{chart}-{position}")
            assert item == count


def test_miccai_sam_lineage_is_a_tree_one_click_away(open_page, miccai_export):
    page = open_page(miccai_export.folder / "graph.html", settle_ms=20_000).page
    page.click("#tabs [data-view='lineage']")
    assert page.evaluate("kg.lineage.root") == "model/sam"
    tree = page_tree(page, "model/sam")
    assert len(tree) > 10
    assert_is_tree(tree, "model/sam")
    assert tree == python_tree(miccai_export.graph, "model/sam")
    drawn = page.evaluate(
        "[kg.lineage.network.body.nodeIndices.length, kg.lineage.network.body.edgeIndices.length]"
    )
    assert drawn == [len(tree), len(tree) - 1]  # every model drawn: none has 40 children
    assert page.evaluate("kg.lineage.drawn") == [node for node, _generation, _parent in tree]


def test_miccai_map_labels_hubs_without_overlap(open_page, miccai_export):
    page = open_page(miccai_export.folder / "graph.html", settle_ms=20_000).page
    page.click("#tabs [data-view='map']")
    page.wait_for_function("kg.map && kg.map.settled")
    nodes = page.evaluate("kg.views.map.nodes")
    assert 50 <= len(nodes) <= 250
    assert len({node["community"] for node in nodes}) > 3
    assert page.evaluate(LABEL_OVERLAPS) == 0
    labelled = {box["id"] for box in page.evaluate("kg.map.labelled")}
    hubs = sorted(nodes, key=lambda node: -node["papers"])[:5]
    assert {hub["id"] for hub in hubs} <= labelled
    # Zoomed in, more labels fit; still none overlaps.
    page.evaluate("kg.map.network.moveTo({scale: kg.map.network.getScale() * 2.5})")
    page.evaluate("kg.placeLabels()")
    assert len(page.evaluate("kg.map.labelled")) > 0
    assert page.evaluate(LABEL_OVERLAPS) == 0


def test_field_size_graph_opens_within_seconds(open_page, tmp_path):
    graph = synthetic_graph(papers=88_000, entities=20_000, edges_per_paper=4)
    path = tmp_path / "graph.html"
    write_html(graph, path)
    loaded = open_page(path, settle_ms=20_000)
    page = loaded.page
    page.click("#tabs [data-view='map']")
    page.wait_for_function("kg.map && kg.map.settled", timeout=20_000)
    assert page.evaluate(LABEL_OVERLAPS) == 0
    page.click("#tabs [data-view='lineage']")
    root = page.evaluate("kg.lineage.root")
    tree = page_tree(page, root)
    assert_is_tree(tree, root)
    # A tree this big is drawn in part: a subtree, at most 40 models under one parent,
    # the rest of each parent's children folded into one "+N more" box.
    drawn = page.evaluate("kg.lineage.drawn")
    parent_of = {node: parent for node, _generation, parent in tree}
    assert drawn[0] == root and set(drawn) <= set(parent_of)
    assert all(parent_of[node] in drawn for node in drawn[1:])
    children = Counter(parent_of[node] for node in drawn[1:])
    assert max(children.values()) <= 40
    boxes = page.evaluate("kg.lineage.network.body.nodeIndices")
    folded = [box for box in boxes if box.startswith("more:")]
    assert len(boxes) == len(drawn) + len(folded) and len(drawn) < len(tree)
    # All papers: a connected cut of at most a thousand nodes, each linked to the rest.
    page.click("#tabs [data-view='papers']")
    page.wait_for_function("kg.papers && kg.papers.stabilized", timeout=20_000)
    drawn_nodes = page.evaluate("kg.papers.network.body.nodeIndices")
    linked = page.evaluate("kg.papers.edges.get().flatMap((edge) => [edge.from, edge.to])")
    assert len(drawn_nodes) == 1000 and set(drawn_nodes) == set(linked)
    assert "showing 1,000 of 108,000 nodes" in page.inner_text("#counts")
    assert loaded.errors == [] and loaded.offline_requests() == []
