"""HTML view: what the page embeds, how it truncates, and that it is self-contained."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import jinja2
import networkx as nx
import pytest

from kg.export.html import (
    JSON_SLICE,
    TEMPLATES,
    DrawnPart,
    most_connected,
    page_fields,
    script_json,
    shorten,
    write_html,
)
from kg.export.views import ITEM_PAPERS_SHOWN, Overview, chart_svgs, view_data
from kg.stats import top_entities

SEED = Path(__file__).parents[2] / "seeds" / "000_9d6abce8a37abc18.txt"
HOSTILE = 'Fusion </script><img src=x onerror="alert(1)"> & <!-- "CT" </SCRIPT >'


def seed_sentence(words: str) -> str:
    """The seed-file sentence containing `words`."""
    text = SEED.read_text(encoding="utf-8")
    at = text.index(words)
    start = max(text.rfind(". ", 0, at) + 2, text.rfind("\n", 0, at) + 1)
    return text[start : text.index(".", at) + 1]


def star_graph(order_seed: int = 0) -> nx.MultiDiGraph:
    """Papers linking to SAM (hub), MIMIC-CXR and CT; the first paper has a hostile title."""
    rng = random.Random(order_seed)
    sentence = seed_sentence("optimize SAM for medical imaging")
    nodes = [
        ("model/sam", {"kind": "Model", "label": "SAM", "aliases": ["Segment Anything Model"]}),
        ("dataset/mimic-cxr", {"kind": "Dataset", "label": "MIMIC-CXR", "aliases": []}),
        ("modality/ct", {"kind": "Modality", "label": "CT", "aliases": [], "broader": []}),
    ]
    nodes += [
        (
            f"paper/title:{index}",
            {"kind": "Paper", "label": HOSTILE if index == 0 else f"Paper {index}", "title": ""},
        )
        for index in range(6)
    ]
    edges = [(f"paper/title:{index}", "model/sam", "buildsOn") for index in range(6)]
    edges += [("paper/title:1", "dataset/mimic-cxr", "trainedOn")]
    edges += [("paper/title:2", "dataset/mimic-cxr", "evaluatesOn")]
    edges += [("paper/title:2", "modality/ct", "usesModality")]
    rng.shuffle(nodes)
    rng.shuffle(edges)
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(nodes)
    for source, target, relation in edges:
        graph.add_edge(
            source,
            target,
            key=relation,
            relation=relation,
            sentence=sentence,
            start=0,
            end=len(sentence),
            rule="adapt",
            confidence=0.75,
        )
    return graph


def page_data(html: str, element: str = "kg-data") -> dict:
    match = re.search(rf'<script type="application/json" id="{element}">(.*?)</script>', html, re.S)
    assert match, f"no embedded {element}"
    return json.loads(match.group(1))


def test_summary_counts_and_embedded_data(tmp_path):
    graph = star_graph()
    summary = write_html(graph, tmp_path / "graph.html")
    assert (summary.nodes_drawn, summary.edges_drawn) == (9, 9)
    assert (summary.nodes_total, summary.edges_total, summary.truncated) == (9, 9, False)
    data = page_data((tmp_path / "graph.html").read_text(encoding="utf-8"))
    assert sorted(node["id"] for node in data["nodes"]) == sorted(graph.nodes)
    assert len(data["edges"]) == 9
    sam = next(node for node in data["nodes"] if node["id"] == "model/sam")
    assert sam["aliases"] == ["Segment Anything Model"]
    assert sam["usedBy"] == {"buildsOn": 6}
    edge = next(edge for edge in data["edges"] if edge["relation"] == "trainedOn")
    assert edge["sentence"].startswith("Moreover, to further optimize SAM")
    assert (edge["rule"], edge["confidence"]) == ("adapt", 0.75)


def test_hostile_title_stays_inside_the_json(tmp_path):
    write_html(star_graph(), tmp_path / "graph.html")
    html = (tmp_path / "graph.html").read_text(encoding="utf-8")
    # Four script elements (views data, graph data, vis-network, ours): no other closing
    # tag, however spelled.
    assert len(re.findall(r"</script", html, re.I)) == 4
    assert "<img" not in html and "<!--" not in html
    names = {node["name"] for node in page_data(html)["nodes"]}
    assert HOSTILE in names


def test_truncation_keeps_the_most_connected_and_says_so(tmp_path):
    graph = star_graph()
    summary = write_html(graph, tmp_path / "graph.html", max_nodes=3)
    assert summary == type(summary)(3, 2, 9, 9, True)
    # SAM (degree 6), paper/title:2 (3), then MIMIC-CXR beats paper/title:1 (both 2) by id.
    assert most_connected(graph, 3) == ["dataset/mimic-cxr", "model/sam", "paper/title:2"]
    html = (tmp_path / "graph.html").read_text(encoding="utf-8")
    assert "showing 3 of 9 nodes, the most connected" in html
    assert most_connected(graph, None) == sorted(graph.nodes)


def test_same_graph_in_any_insertion_order_gives_identical_bytes(tmp_path):
    outputs = []
    for order_seed in (1, 2):
        path = tmp_path / f"graph-{order_seed}.html"
        write_html(star_graph(order_seed), path)
        outputs.append(path.read_bytes())
    assert outputs[0] == outputs[1]


def test_page_is_self_contained(tmp_path):
    write_html(star_graph(), tmp_path / "graph.html")
    html = (tmp_path / "graph.html").read_text(encoding="utf-8")
    assert not re.search(r"<(link|iframe|img|object|embed)\b", html, re.I)
    assert not re.search(r"""\b(src|href)\s*=\s*["']?(https?:)?//""", html, re.I)
    assert not re.search(r"@import|@font-face|url\(\s*['\"]?(https?:)?//", html, re.I)
    assert "vis-network" in html and "vis.Network" in html


def test_large_graph_gets_starting_positions(tmp_path):
    graph = nx.MultiDiGraph()
    graph.add_node("model/hub", kind="Model", label="Hub")
    for index in range(1200):
        graph.add_node(f"paper/title:{index}", kind="Paper", label=f"P{index}", title="")
        graph.add_edge(f"paper/title:{index}", "model/hub", key="buildsOn", relation="buildsOn")
    write_html(graph, tmp_path / "graph.html")
    nodes = page_data((tmp_path / "graph.html").read_text(encoding="utf-8"))["nodes"]
    positions = {(node["x"], node["y"]) for node in nodes}
    assert len(positions) > 1000
    assert all(abs(x) < 200 and abs(y) < 200 for x, y in positions)


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("SAM-Med2D", 32, "SAM-Med2D"),
        (
            "Detailed Annotations of Chest X-Rays via CT Projection",
            32,
            "Detailed Annotations of Chest\u2026",
        ),
        ("Pneumonoultramicroscopicsilicovolcanoconiosis", 10, "Pneumonou\u2026"),
    ],
)
def test_shorten_cuts_at_a_word(text, limit, expected):
    assert shorten(text, limit) == expected
    assert len(shorten(text, limit)) <= limit


def test_script_json_cannot_close_the_element():
    text = b"".join(script_json({"title": "a</script><b>&\u00e9\U0001d4d0"}))
    assert b"<" not in text and b">" not in text and b"&" not in text
    assert json.loads(text) == {"title": "a</script><b>&\u00e9\U0001d4d0"}


@pytest.mark.parametrize("length", [0, 1, JSON_SLICE, JSON_SLICE + 1, 3 * JSON_SLICE + 7])
def test_script_json_in_parts_writes_the_bytes_of_one_encoding(length):
    rows = [[n, f"s{n} <&> \U0001f600", {"x": n / 3}] for n in range(length)]
    data = {"rows": rows, "empty": {}, "n": 2, "tuple": ("a", "\u00e9"), "": [None, True]}
    whole = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    escaped = whole.replace(b"<", b"\\u003c").replace(b">", b"\\u003e")
    assert b"".join(script_json(data)) == escaped.replace(b"&", b"\\u0026")
    assert b"".join(script_json(rows)) == b"".join(script_json({"rows": rows}))[8:-1]
    assert b"".join(script_json({})) == b"{}"


def test_overview_ranks_as_kg_stats_and_keeps_the_papers_behind_each_number(tmp_path):
    graph = star_graph()
    write_html(graph, tmp_path / "graph.html")
    html = (tmp_path / "graph.html").read_text(encoding="utf-8")
    views = page_data(html, "kg-views")
    assert views["tops"]["builtOn"] == [
        [e["node"], e["label"], e["papers"]] for e in top_entities(graph, "buildsOn", 10)
    ]
    assert views["tops"]["evaluated"] == [["dataset/mimic-cxr", "MIMIC-CXR", 1]]
    # The SAM bar lists its six papers, each with the sentence that links it.
    bar = views["items"]["kg-builtOn-0"]
    assert (bar["entity"], bar["count"], len(bar["rows"])) == ("model/sam", 6, 6)
    paper_index, relation, entity, sentence = views["evidence"][bar["rows"][0][0]]
    assert (relation, entity) == ("buildsOn", "model/sam")
    assert views["sentences"][sentence] == seed_sentence("optimize SAM for medical imaging")
    assert views["papers"][paper_index][0].startswith("paper/title:")
    # Each bar is a clickable mark in an inline SVG chart.
    assert 'id="kg-builtOn-0"' in html and 'id="kg-builtOn-name-0"' in html
    cell = views["items"]["kg-coverage-0-0"]
    assert (cell["title"], cell["count"]) == ("CT \u00d7 SAM", 1)
    assert [views["evidence"][i][1] for i in cell["rows"][0]] == ["usesModality", "buildsOn"]


def test_every_entity_and_link_is_in_the_data_each_sentence_once(tmp_path):
    graph = star_graph()
    graph.add_node("dataset/rare", kind="Dataset", label="RareSet", aliases=["Rare Set"])
    graph.add_edge("paper/title:3", "dataset/rare", key="evaluatesOn", relation="evaluatesOn")
    write_html(graph, tmp_path / "graph.html")
    views = page_data((tmp_path / "graph.html").read_text(encoding="utf-8"), "kg-views")
    entities = sorted(node for node, kind in graph.nodes(data="kind") if kind != "Paper")
    assert sorted(views["entities"]) == entities
    rare = views["entities"]["dataset/rare"]
    first = rare["links"][0]
    assert rare == {
        "label": "RareSet",
        "type": "Dataset",
        "papers": 1,
        "links": [first, 1],
        "aliases": ["Rare Set"],
    }
    assert views["evidence"][first][1:3] == ["evaluatesOn", "dataset/rare"]
    # SAM's run: its six buildsOn rows, newest paper first (none has a year: by id).
    sam_first, sam_count = views["entities"]["model/sam"]["links"]
    sam_rows = views["evidence"][sam_first : sam_first + sam_count]
    assert [views["papers"][row[0]][0] for row in sam_rows] == [
        f"paper/title:{index}" for index in range(6)
    ]
    links = [
        (views["papers"][paper][0], entity, relation)
        for paper, relation, entity, _sentence in views["evidence"]
    ]
    # Every paper -> entity edge once, grouped by entity (sorted).
    assert sorted(links) == sorted(graph.edges(keys=True))
    assert [link[1] for link in links] == sorted(link[1] for link in links)
    # Nine links, two sentences: the seed sentence and the missing one.
    assert sorted(views["sentences"]) == ["", seed_sentence("optimize SAM for medical imaging")]


def test_entities_sharing_a_label_are_told_apart(tmp_path):
    graph = star_graph()
    graph.add_node("model/icp", kind="Model", label="ICP", aliases=["Iterative Closest Point"])
    graph.add_node("model/icp-2", kind="Model", label="ICP", aliases=[])
    graph.nodes["paper/title:4"].update(label="Deep point clouds", year=2021)
    graph.nodes["paper/title:5"].update(label="Later work", year=2023)
    for paper, relation in [("paper/title:5", "introduces"), ("paper/title:4", "introduces")]:
        graph.add_edge(paper, "model/icp-2", key=relation, relation=relation)
    write_html(graph, tmp_path / "graph.html")
    entities = page_data((tmp_path / "graph.html").read_text(encoding="utf-8"), "kg-views")[
        "entities"
    ]
    assert entities["model/icp"]["sense"] == "Iterative Closest Point"
    assert entities["model/icp-2"]["sense"] == "introduced in \u201cDeep point clouds\u201d (2021)"
    assert "sense" not in entities["model/sam"]


def test_hostile_entity_label_is_text_in_the_charts(tmp_path):
    graph = star_graph()
    graph.nodes["model/sam"]["label"] = HOSTILE
    write_html(graph, tmp_path / "graph.html")
    html = (tmp_path / "graph.html").read_text(encoding="utf-8")
    assert len(re.findall(r"</script", html, re.I)) == 4
    assert "<img" not in html and "<!--" not in html
    # The bar chart writes the name as escaped SVG text (cut to its label width).
    assert "Fusion &lt;/script&gt;&lt;img" in html
    assert page_data(html, "kg-views")["tops"]["builtOn"][0][1] == HOSTILE


def test_paper_view_stops_before_its_edges_pass_the_budget():
    graph = star_graph()
    # SAM (6 links) first, then paper/title:2 (3): their one shared edge fits a budget of 1;
    # MIMIC-CXR next would bring a second (paper/title:2 -> MIMIC-CXR).
    assert most_connected(graph, 9, max_edges=1) == ["model/sam", "paper/title:2"]
    assert most_connected(graph, 9, max_edges=9) == sorted(graph.nodes)
    assert most_connected(graph, None, max_edges=1) == sorted(graph.nodes)


# Entities linked through shared papers: a hub with m2..m6 (i papers shared with
# m_i) and eight pairs, so the map's main cluster holds under half of the linked entities.
CLUSTERED_PAGE = """
import sys
import networkx as nx
from kg.export.html import write_html

graph = nx.MultiDiGraph()
groups = [("model/hub", f"model/m{i}") for i in range(2, 7) for _ in range(i)]
groups += [(f"model/p{c}a", f"model/p{c}b") for c in range(8) for _ in range(2)]
for paper, members in enumerate(groups):
    graph.add_node(f"paper/{paper}", kind="Paper", label=f"P{paper}", title=f"P{paper}")
    for node in members:
        graph.add_node(node, kind="Model", label=node.split("/")[1].upper())
        graph.add_edge(f"paper/{paper}", node, key="buildsOn", relation="buildsOn")
write_html(graph, sys.argv[1])
"""


def test_the_page_is_the_same_whatever_the_string_hash_seed(tmp_path):
    pages = []
    for hash_seed in ("1", "2", "3"):
        path = tmp_path / f"graph-{hash_seed}.html"
        subprocess.run(
            [sys.executable, "-c", CLUSTERED_PAGE, str(path)],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            check=True,
        )
        pages.append(path.read_bytes())
    assert len(page_data(pages[0].decode(), "kg-views")["map"]["nodes"]) == 6
    assert pages[0] == pages[1] == pages[2]


def test_drawn_part_is_the_subgraph_networkx_gives():
    graph = star_graph(3)
    # Several edges per pair, and both ways between two papers.
    graph.add_edge("paper/title:1", "paper/title:2", key="cites", relation="cites")
    graph.add_edge("paper/title:2", "paper/title:1", key="cites", relation="cites")
    graph.add_edge("paper/title:2", "model/sam", key="introduces", relation="introduces")
    nodes = ["model/sam", "paper/title:1", "paper/title:2"]
    drawn = DrawnPart.of(graph, nodes)
    view = graph.subgraph(nodes)
    assert drawn.nodes == nodes
    assert drawn.edges == sorted(view.edges(keys=True, data=True), key=lambda edge: edge[:3])
    assert drawn.degree == dict(view.degree)
    assert drawn.degree["paper/title:2"] == 4


# The page's fields written as `script_json`'s parts.
JSON_PARTS = ("views_data", "page_data")


def test_the_page_written_in_parts_is_its_template_rendered_whole(tmp_path):
    graph = star_graph()
    summary = write_html(graph, tmp_path / "graph.html")
    overview = Overview.of(graph)
    drawn = DrawnPart.of(graph, most_connected(graph, 5000))
    fields = page_fields(graph, drawn, summary, overview, overview.entity_map.layout())
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    whole = environment.get_template("graph.html.j2").render(
        svgs=chart_svgs(overview),
        **{name: b"".join(v).decode() if name in JSON_PARTS else v for name, v in fields.items()},
    )
    assert (tmp_path / "graph.html").read_bytes() == whole.encode("utf-8")


def test_an_item_lists_its_newest_papers_and_counts_them_all():
    rng = random.Random(5)
    papers = [f"paper/p{index:03d}" for index in range(ITEM_PAPERS_SHOWN + 20)]
    years = {paper: rng.choice([None, 0, 2019, 2020, 2024]) for paper in papers}
    rng.shuffle(papers)
    graph = nx.MultiDiGraph()
    graph.add_node("model/sam", kind="Model", label="SAM", is_base_model=True)
    for paper in papers:
        graph.add_node(paper, kind="Paper", label=paper, year=years[paper])
        graph.add_edge(paper, "model/sam", key="buildsOn", relation="buildsOn", sentence=paper)
    views = view_data(graph)
    bar = views["items"]["kg-builtOn-0"]
    newest = sorted(papers, key=lambda paper: (-(years[paper] or -1), paper))
    assert (bar["count"], len(bar["rows"])) == (len(papers), ITEM_PAPERS_SHOWN)
    shown = [views["papers"][views["evidence"][row][0]][0] for [row] in bar["rows"]]
    assert shown == newest[:ITEM_PAPERS_SHOWN]
    dated = [year for year in years.values() if year is not None]
    assert views["totals"] == {
        "papers": len(papers),
        "models": 1,
        "baseModels": 1,
        "datasets": 0,
        "modalities": 0,
        "papersWithYear": len(dated),
        "years": [min(dated), max(dated)],
    }


def test_the_cut_view_starts_a_new_component_from_its_best_node():
    graph = nx.MultiDiGraph()
    for paper, entity in [("p/3", "e/big"), ("p/4", "e/big"), ("p/5", "e/big")]:
        graph.add_edge(paper, entity, key="buildsOn")
    for paper, entity in [("p/2", "e/small"), ("p/1", "e/small")]:
        graph.add_edge(paper, entity, key="buildsOn")
    graph.add_nodes_from(["n/b", "n/a"])  # without edges: started from last, by id
    big = ["e/big", "p/3", "p/4", "p/5"]
    assert most_connected(graph, 4) == big
    assert most_connected(graph, 6) == sorted([*big, "e/small", "p/1"])
    assert most_connected(graph, 8) == sorted([*big, "e/small", "p/1", "p/2", "n/a"])
