"""GraphML export: read back by networkx and igraph, compared with the graph."""

from __future__ import annotations

import math
import random
from pathlib import Path

import igraph
import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.export.graphml import (
    EDGE_KEYS,
    LIST_ATTRIBUTES,
    NODE_KEYS,
    VIZ_KEYS,
    join_list,
    split_list,
    write_graphml,
)
from kg.export.style import NODE_STYLES, RELATION_COLORS, rgb

VIZ_NAMES = {name for _key, _domain, name, _type in VIZ_KEYS}


def without_viz(data: dict) -> dict:
    """The graph's own attributes of a read-back node or edge (drawing attributes aside)."""
    return {name: value for name, value in data.items() if name not in VIZ_NAMES}


SEED = Path(__file__).parents[2] / "seeds" / "000_9d6abce8a37abc18.txt"


def abstract_after(title: str) -> str:
    """The paragraph after `title` in the seed file: that paper's abstract."""
    paragraphs = [p for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return paragraphs[paragraphs.index(title) + 1]


def evidence(abstract: str, words: str, rule: str, confidence: float) -> dict:
    """Edge attributes for the sentence of `abstract` that contains `words`."""
    at = abstract.index(words)
    start = abstract.rfind(". ", 0, at) + 2 if ". " in abstract[:at] else 0
    end = abstract.index(".", at) + 1
    return {
        "sentence": abstract[start:end],
        "start": start,
        "end": end,
        "rule": rule,
        "confidence": confidence,
    }


def seed_graph(order_seed: int | None = None) -> nx.MultiDiGraph:
    """Two seed papers, their entities, and a paper -> paper edge; insertion order shuffled."""
    cc_title = (
        "CC-SAM: SAM with Cross-feature Attention and Context for Ultrasound Image Segmentation"
    )
    cc_abstract = abstract_after(cc_title)
    llm_title = "LLM-CXR: Instruction-Finetuned LLM for CXR Image Understanding and Generation"
    llm_abstract = abstract_after(llm_title)
    nodes = [
        (
            "paper/title:cc-sam",
            {
                "kind": "Paper",
                "label": cc_title,
                "title": cc_title,
                "abstract": cc_abstract + ' Scores <0.5 & "quoted" \x0bend\r\n',
                "authors": ["Shreyank N Gowda", "A | B Consortium", "C\\D"],
                "sources": ["seeds/000_9d6abce8a37abc18.txt:12"],
                "code_urls": [],
            },
        ),
        (
            "paper/arxiv:2305.11490",
            {
                "kind": "Paper",
                "label": llm_title,
                "title": llm_title,
                "abstract": llm_abstract,
                "year": 2023,
                "url": "https://arxiv.org/abs/2305.11490",
                "arxiv_id": "2305.11490",
                "authors": [],
                "sources": ["seeds/000_9d6abce8a37abc18.txt:40"],
                "code_urls": ["https://github.com/hyn2028/llm-cxr"],
            },
        ),
        (
            "paper/abstract:0f1e",
            {
                "kind": "Paper",
                "label": "Untitled paper",
                "title": "",
                "abstract": "",
                "authors": [],
                "sources": [],
                "code_urls": [],
            },
        ),
        (
            "model/sam",
            {
                "kind": "Model",
                "label": "SAM",
                "aliases": ["Segment Anything Model"],
                "is_base_model": True,
            },
        ),
        ("model/llm-cxr", {"kind": "Model", "label": "LLM-CXR", "aliases": []}),
        ("model/chatgpt", {"kind": "Model", "label": "ChatGPT", "is_base_model": False}),
        (
            "modality/chest-x-ray",
            {
                "kind": "Modality",
                "label": "chest X-ray",
                "aliases": ["CXR"],
                "broader": ["modality/x-ray"],
                "concept": "https://w3id.org/kg/modality/chest-x-ray",
            },
        ),
        ("modality/x-ray", {"kind": "Modality", "label": "X-ray", "broader": []}),
        ("modality/ultrasound", {"kind": "Modality", "label": "ultrasound"}),
    ]
    cc, llm = "paper/title:cc-sam", "paper/arxiv:2305.11490"
    title_evidence = {"sentence": llm_title, "start": -1, "end": -1, "rule": "title-name"}
    edges = [
        (cc, "model/sam", "buildsOn", evidence(cc_abstract, "optimize SAM", "adapt", 0.8)),
        (cc, "model/chatgpt", "buildsOn", evidence(cc_abstract, "ChatGPT's", "leverage", 0.7)),
        (
            cc,
            "modality/ultrasound",
            "usesModality",
            evidence(cc_abstract, "ultrasound medical images", "modality-term", 0.9),
        ),
        (llm, "model/llm-cxr", "introduces", {**title_evidence, "confidence": 1.0}),
        (
            llm,
            "modality/chest-x-ray",
            "usesModality",
            evidence(llm_abstract, "chest X-rays (CXR)", "modality-term", 0.9),
        ),
        (
            llm,
            "model/sam",
            "comparesWith",
            evidence(llm_abstract, "previously developed models", "compare-cue", 0.3),
        ),
        (
            llm,
            cc,
            "buildsOn",
            {**evidence(llm_abstract, "we build upon", "adapt", 0.6), "via": "model/sam"},
        ),
    ]
    if order_seed is not None:
        shuffler = random.Random(order_seed)
        shuffler.shuffle(nodes)
        shuffler.shuffle(edges)
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(nodes)
    for source, target, relation, data in edges:
        graph.add_edge(source, target, key=relation, relation=relation, **data)
    return graph


def expected_value(name: str, value):
    """What a reader should see for an attribute: None when it must be absent."""
    if name in LIST_ATTRIBUTES:
        return list(value) or None
    return value


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[nx.MultiDiGraph, Path]:
    graph = seed_graph()
    path = tmp_path_factory.mktemp("graphml") / "graph.graphml"
    write_graphml(graph, path)
    return graph, path


def test_networkx_reads_back_every_node_and_edge_attribute(written):
    graph, path = written
    read = nx.read_graphml(path, force_multigraph=True)
    assert read.is_directed()
    assert sorted(read.nodes) == sorted(graph.nodes)
    for node_id, data in graph.nodes(data=True):
        back = without_viz(read.nodes[node_id])
        for name in LIST_ATTRIBUTES & back.keys():
            back[name] = split_list(back[name])
        expected = {name: expected_value(name, value) for name, value in data.items()}
        expected = {name: value for name, value in expected.items() if value is not None}
        if "abstract" in expected:
            # XML 1.0 cannot carry a vertical tab: the writer drops it.
            expected["abstract"] = expected["abstract"].replace("\x0b", "")
        assert back == expected, node_id
    read_edges = {(u, v, d["relation"]): without_viz(d) for u, v, d in read.edges(data=True)}
    assert read.number_of_edges() == graph.number_of_edges() == len(read_edges)
    for source, target, relation, data in graph.edges(keys=True, data=True):
        assert read_edges[(source, target, relation)] == data


def test_missing_attributes_stay_missing_and_types_are_typed(written):
    graph, path = written
    read = nx.read_graphml(path, force_multigraph=True)
    assert "year" not in read.nodes["paper/title:cc-sam"]
    assert read.nodes["paper/arxiv:2305.11490"]["year"] == 2023
    assert read.nodes["model/sam"]["is_base_model"] is True
    assert read.nodes["model/chatgpt"]["is_base_model"] is False
    assert "is_base_model" not in read.nodes["model/llm-cxr"]
    assert "code_urls" not in read.nodes["paper/title:cc-sam"]
    assert read.nodes["paper/abstract:0f1e"]["title"] == ""
    text = path.read_text(encoding="utf-8")
    assert ">None<" not in text
    declared = {
        line.split('attr.name="')[1].split('"')[0] for line in text.splitlines() if "<key " in line
    }
    assert declared == {name for name, _ in NODE_KEYS + EDGE_KEYS} | VIZ_NAMES


def test_nodes_and_edges_carry_the_colour_size_and_weight_gephi_reads(written):
    graph, path = written
    read = nx.read_graphml(path, force_multigraph=True)
    colour = {node: (d["r"], d["g"], d["b"]) for node, d in read.nodes(data=True)}
    assert colour["model/sam"] == rgb(NODE_STYLES["BaseModel"][1])
    assert colour["model/chatgpt"] == rgb(NODE_STYLES["Model"][1])
    assert colour["paper/title:cc-sam"] == rgb(NODE_STYLES["Paper"][1])
    assert colour["modality/x-ray"] == rgb(NODE_STYLES["Modality"][1])
    # Size grows with degree: SAM (3 links) > LLM-CXR (1) > the unlinked X-ray (0).
    sizes = {node: d["size"] for node, d in read.nodes(data=True)}
    assert sizes["paper/arxiv:2305.11490"] == 36.0 and sizes["modality/x-ray"] == 8.0
    assert sizes["model/sam"] > sizes["model/llm-cxr"] > sizes["modality/x-ray"]
    for source, target, data in read.edges(data=True):
        original = graph.edges[source, target, data["relation"]]
        assert data["weight"] == pytest.approx(original["confidence"])
        assert (data["r"], data["g"], data["b"]) == rgb(RELATION_COLORS[data["relation"]])


def test_igraph_reads_the_same_graph(written):
    graph, path = written
    read = igraph.Graph.Read_GraphML(str(path))
    assert read.is_directed()
    assert read.vcount() == graph.number_of_nodes()
    assert read.ecount() == graph.number_of_edges()
    by_id = {vertex["id"]: vertex for vertex in read.vs}
    for node_id, data in graph.nodes(data=True):
        vertex = by_id[node_id]
        assert vertex["label"] == data["label"]
        assert vertex["kind"] == data["kind"]
        if "year" in data:
            assert vertex["year"] == data["year"]
        else:
            assert math.isnan(vertex["year"])
    assert split_list(by_id["paper/title:cc-sam"]["authors"]) == [
        "Shreyank N Gowda",
        "A | B Consortium",
        "C\\D",
    ]
    read_edges = {
        (read.vs[e.source]["id"], read.vs[e.target]["id"], e["relation"]): e for e in read.es
    }
    for source, target, relation, data in graph.edges(keys=True, data=True):
        edge = read_edges[(source, target, relation)]
        assert edge["sentence"] == data["sentence"]
        assert (edge["start"], edge["end"]) == (data["start"], data["end"])
        assert edge["confidence"] == pytest.approx(data["confidence"])
        assert edge["rule"] == data["rule"]


def test_same_graph_in_any_insertion_order_gives_identical_bytes(tmp_path):
    outputs = []
    for order_seed in (1, 2, 3):
        path = tmp_path / f"graph-{order_seed}.graphml"
        write_graphml(seed_graph(order_seed), path)
        outputs.append(path.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]


@given(st.lists(st.text(alphabet="ab|\\ ", max_size=6), min_size=1, max_size=5))
def test_list_items_survive_the_separator(items):
    assert split_list(join_list(items)) == items
