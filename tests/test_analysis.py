"""Analyses over the graph: top lists agree with `kg stats`, coverage, trends, lineage."""

from __future__ import annotations

import networkx as nx

from kg import analysis
from kg.stats import linking_counts, top_entities


def add_paper(graph: nx.MultiDiGraph, paper: str, year: int | None, links) -> None:
    attributes = {"kind": "Paper", "label": paper, "title": paper}
    if year is not None:
        attributes["year"] = year
    graph.add_node(f"paper/{paper}", **attributes)
    for relation, target in links:
        kind = {"model": "Model", "dataset": "Dataset", "modality": "Modality"}[
            target.split("/")[0]
        ]
        graph.add_node(target, kind=kind, label=target.split("/")[1].upper(), aliases=[])
        graph.add_edge(
            f"paper/{paper}",
            target,
            key=relation,
            relation=relation,
            sentence=f"{paper} {relation} {target}.",
        )


def sam_family() -> nx.MultiDiGraph:
    """SAM -> MedSAM -> (SAM-Med3D, MedSAM2); SAM -> SAM 2 -> MedSAM2 (a second path)."""
    graph = nx.MultiDiGraph()
    add_paper(graph, "sam", 2023, [("introduces", "model/sam")])
    add_paper(
        graph,
        "medsam",
        2023,
        [
            ("introduces", "model/medsam"),
            ("buildsOn", "model/sam"),
            ("usesModality", "modality/ct"),
        ],
    )
    add_paper(graph, "sam2", 2024, [("introduces", "model/sam-2"), ("buildsOn", "model/sam")])
    add_paper(
        graph,
        "medsam2",
        2024,
        [
            ("introduces", "model/medsam2"),
            ("buildsOn", "model/sam-2"),
            ("buildsOn", "model/medsam"),
        ],
    )
    add_paper(
        graph, "sammed3d", None, [("introduces", "model/sam-med3d"), ("buildsOn", "model/medsam")]
    )
    add_paper(
        graph,
        "user",
        2025,
        [
            ("buildsOn", "model/sam"),
            ("usesModality", "modality/ct"),
            ("evaluatesOn", "dataset/btcv"),
        ],
    )
    # A paper -> paper edge (user builds on what paper sam introduces) never counts.
    graph.add_edge("paper/user", "paper/sam", key="buildsOn", relation="buildsOn", via="model/sam")
    return graph


def test_top_ranked_counts_distinct_papers_as_kg_stats_does():
    graph = sam_family()
    ranked = analysis.top_ranked(graph, "buildsOn", "Model")
    assert [(entry.node, entry.count) for entry in ranked] == [
        (e["node"], e["papers"]) for e in top_entities(graph, "buildsOn", 10)
    ]
    sam = ranked[0]
    assert (sam.node, sam.papers) == ("model/sam", ("paper/medsam", "paper/sam2", "paper/user"))
    assert analysis.top_ranked(graph, "buildsOn", "Dataset") == []


def test_coverage_is_the_papers_using_the_modality_and_building_on_the_model():
    graph = sam_family()
    cells = analysis.coverage(graph, ["modality/ct"], ["model/sam", "model/medsam"])
    assert cells == {
        ("modality/ct", "model/sam"): ("paper/medsam", "paper/user"),
        ("modality/ct", "model/medsam"): (),
    }


def test_papers_by_year_leaves_out_unknown_years():
    graph = sam_family()
    builders = analysis.PaperLinks.of(graph).papers("model/medsam", "buildsOn")
    assert builders == ("paper/medsam2", "paper/sammed3d")
    assert analysis.papers_by_year(graph, builders) == {2024: ("paper/medsam2",)}
    assert analysis.paper_years(graph) == [2023, 2024, 2025]


def test_derivations_are_introductions_building_on_another_model():
    steps = analysis.derivations(sam_family())
    assert [(s.parent, s.child, s.paper) for s in steps] == [
        ("model/medsam", "model/medsam2", "paper/medsam2"),
        ("model/medsam", "model/sam-med3d", "paper/sammed3d"),
        ("model/sam", "model/medsam", "paper/medsam"),
        ("model/sam", "model/sam-2", "paper/sam2"),
        ("model/sam-2", "model/medsam2", "paper/medsam2"),
    ]


def test_lineage_is_a_tree_by_generation_with_each_model_once():
    graph = sam_family()
    tree = analysis.lineage(graph, "model/sam")
    assert [(n.node, n.generation, n.parent) for n in tree] == [
        ("model/sam", 0, None),
        ("model/medsam", 1, "model/sam"),
        ("model/sam-2", 1, "model/sam"),
        # MedSAM2 builds on both MedSAM and SAM 2: it hangs under the first reached.
        ("model/medsam2", 2, "model/medsam"),
        ("model/sam-med3d", 2, "model/medsam"),
    ]
    edges = [(n.parent, n.node) for n in tree if n.parent is not None]
    assert nx.is_arborescence(nx.DiGraph(edges))


def test_lineage_terminates_on_a_cycle_and_of_a_leaf_is_the_leaf():
    graph = nx.MultiDiGraph()
    add_paper(graph, "a", 2020, [("introduces", "model/a"), ("buildsOn", "model/b")])
    add_paper(graph, "b", 2021, [("introduces", "model/b"), ("buildsOn", "model/a")])
    tree = analysis.lineage(graph, "model/a")
    assert [(n.node, n.generation) for n in tree] == [("model/a", 0), ("model/b", 1)]
    assert [n.node for n in analysis.lineage(sam_family(), "model/medsam2")] == ["model/medsam2"]


def test_entity_links_count_the_papers_two_entities_share():
    graph = sam_family()
    links = analysis.entity_links(graph, ["model/sam", "modality/ct", "dataset/btcv"])
    assert links == {
        ("dataset/btcv", "modality/ct"): 1,
        ("dataset/btcv", "model/sam"): 1,
        ("modality/ct", "model/sam"): 2,
    }


def test_paper_links_leave_paper_to_paper_edges_out():
    links = analysis.PaperLinks.of(sam_family())
    assert links.papers("model/sam", "buildsOn") == ("paper/medsam", "paper/sam2", "paper/user")
    assert links.papers("paper/sam", "buildsOn") == ()
    assert links.reach("model/sam") == 4  # introduced by one paper, built on by three
    assert links.reach("model/none") == 0


def test_paper_links_count_as_kg_stats_and_give_each_nodes_degree():
    graph = sam_family()
    # Links that are not a paper's: an entity's, and one from a node without a kind.
    graph.add_edge("model/medsam", "model/sam", key="buildsOn", relation="buildsOn")
    graph.add_edge("orphan", "model/sam", key="buildsOn", relation="buildsOn")
    graph.add_edge("orphan", "model/sam", key="introduces", relation="introduces")
    links = analysis.PaperLinks.of(graph)
    relations = ["buildsOn", "introduces", "usesModality", "trainedOn"]
    assert links.linking_counts(relations) == linking_counts(graph, relations)
    assert links.linking_counts(relations)["buildsOn"]["model/sam"] == 5
    assert links.papers("model/sam", "buildsOn") == ("paper/medsam", "paper/sam2", "paper/user")
    assert links.degree == dict(graph.degree())


def test_top_ranked_breaks_ties_by_label_then_id():
    graph = nx.MultiDiGraph()
    for index, (node, label) in enumerate(
        [("model/b", "Same"), ("model/a", "Same"), ("model/c", "Alpha"), ("model/d", "Zed")]
    ):
        add_paper(graph, f"p{index}", 2024, [("buildsOn", node)])
        graph.nodes[node]["label"] = label
    add_paper(graph, "p9", 2024, [("buildsOn", "model/d")])
    ranked = analysis.top_ranked(graph, "buildsOn", "Model", limit=3)
    assert [entry.node for entry in ranked] == ["model/d", "model/c", "model/a"]
    assert [e["node"] for e in top_entities(graph, "buildsOn", 3)] == [
        entry.node for entry in ranked
    ]
