"""`kg stats` and `kg.stats.graph_stats`: the figures a graph is judged by."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.stats import graph_stats, read_graphml

ABSTRACTS = [
    (
        2019,
        "CystNet: Grading Renal Cysts",
        "We propose CystNet, a network for grading renal cysts. "
        "Experiments on ImageNet and RenalCystDB show gains over ResNet.",
    ),
    (
        2021,
        "Cyst grading in the ward",
        "We fine-tune CystNet on ward scans. We evaluate on RenalCystDB and ImageNet.",
    ),
    (
        2022,
        "Kidney ultrasound",
        "We build on CystNet and compare with ResNet. Experiments on ImageNet confirm it.",
    ),
]


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> tuple[kg.KnowledgeGraph, Path]:
    folder = tmp_path_factory.mktemp("stats")
    corpus = folder / "papers.jsonl"
    corpus.write_text(
        "".join(
            json.dumps({"title": title, "abstract": abstract, "year": year}) + "\n"
            for year, title, abstract in ABSTRACTS
        )
    )
    built = kg.build([corpus], jobs=1)
    kg.export(built, folder / "out")
    return built, folder / "out"


def test_the_export_read_back_gives_the_same_figures(export):
    built, out = export
    assert graph_stats(read_graphml(out / "graph.graphml")) == graph_stats(built.graph)


def test_top_lists_count_distinct_papers_and_skip_paper_nodes(export):
    built, _ = export
    stats = graph_stats(built.graph)
    evaluated = {e["label"]: e["papers"] for e in stats["top"]["evaluatesOn"]}
    assert evaluated["ImageNet"] == 3
    assert all(not e["node"].startswith("paper/") for e in stats["top"]["buildsOn"])
    assert stats["nodes"]["Paper"] == 3 and stats["papers_with_year"] == 3


def paper_graph(*edges: tuple[str, str, str]) -> nx.MultiDiGraph:
    """Papers p2019, p2021 ... named by year, one model, and paper -> paper edges."""
    graph = nx.MultiDiGraph()
    for year in (2019, 2021, 2022):
        graph.add_node(f"paper/p{year}", kind="Paper", label=str(year), year=year)
    graph.add_node("paper/undated", kind="Paper", label="undated")
    graph.add_node("model/x", kind="Model", label="X", aliases=[])
    for source, relation, target in edges:
        graph.add_edge(source, target, key=relation, relation=relation, via="model/x")
    return graph


def test_paper_edges_pointing_at_a_later_paper_are_counted_backwards():
    graph = paper_graph(
        ("paper/p2021", "buildsOn", "paper/p2019"),
        ("paper/p2019", "buildsOn", "paper/p2022"),
        ("paper/p2021", "evaluatesOn", "paper/p2021"),
        ("paper/undated", "buildsOn", "paper/p2019"),
    )
    time = graph_stats(graph)["paper_edges_in_time"]
    assert (time["edges"], time["dated"], time["backwards"], time["same_year"]) == (4, 3, 1, 1)
    assert time["backwards_percent"] == 33.33


def test_introductions_by_several_papers():
    graph = paper_graph()
    for year in (2019, 2021, 2022):
        graph.add_edge(f"paper/p{year}", "model/x", key="introduces", relation="introduces")
    intro = graph_stats(graph)["introductions"]
    assert (intro["more_than_1"], intro["at_least_3"], intro["more_than_5"]) == (1, 1, 0)
    assert intro["worst"] == [{"node": "model/x", "label": "X", "papers": 3}]


def test_an_acronym_spelled_out_two_ways_is_reported_as_mixed():
    graph = nx.MultiDiGraph()
    graph.add_node(
        "model/clip",
        kind="Model",
        label="CLIP",
        aliases=[
            "Common Lisp Instrumentation Package",
            "Contrastive Language-Image Pre-training",
            "contrastive language image pretraining",
        ],
    )
    graph.add_node("model/sam", kind="Model", label="SAM", aliases=["Segment Anything Model"])
    graph.add_node("model/sam-2", kind="Model", label="SAM", aliases=["sparse additive machine"])
    senses = graph_stats(graph)["acronym_senses"]
    assert senses["mixed_entities"] == 1
    assert senses["mixed"][0]["senses"] == [
        ["Common Lisp Instrumentation Package"],
        ["Contrastive Language-Image Pre-training", "contrastive language image pretraining"],
    ]
    assert senses["split"] == [{"short_form": "SAM", "nodes": ["model/sam", "model/sam-2"]}]


def test_a_known_name_kept_apart_from_its_concept_is_a_twin():
    graph = paper_graph(("paper/p2021", "evaluatesOn", "paper/p2019"))
    graph.add_node("dataset/coco", kind="Dataset", label="COCO", concept="https://x/coco")
    graph.add_node("dataset/coco-1a2b3c", kind="Dataset", label="COCO")
    graph.add_edge("paper/p2019", "dataset/coco", key="evaluatesOn", relation="evaluatesOn")
    graph.add_edge("paper/p2021", "dataset/coco-1a2b3c", key="evaluatesOn", relation="evaluatesOn")
    twins = graph_stats(graph)["concept_twins"]
    assert twins == {
        "names": 1,
        "worst": [
            {
                "label": "COCO",
                "concept_papers": 1,
                "apart": [{"node": "dataset/coco-1a2b3c", "papers": 1}],
            }
        ],
    }


def test_cli_prints_a_table_or_json(export):
    _, out = export
    runner = CliRunner()
    table = runner.invoke(main, ["stats", str(out / "graph.ttl"), "--top", "3"])
    assert table.exit_code == 0, table.output
    assert "Top evaluatesOn (distinct papers)" in table.output
    assert "pointing at a later paper" in table.output
    as_json = runner.invoke(main, ["stats", str(out), "--format", "json"])
    assert json.loads(as_json.output)["nodes"]["Paper"] == 3


def test_cli_names_a_missing_export(tmp_path):
    result = CliRunner().invoke(main, ["stats", str(tmp_path)])
    assert result.exit_code == 2
    assert "graph.graphml" in result.output
    # A path that does not exist is named as given, not as the graph.graphml beside it.
    gone = tmp_path / "nonexistent"
    result = CliRunner().invoke(main, ["stats", str(gone)])
    assert result.exit_code == 2
    assert f"{gone}: no such file or folder" in result.output
