"""The knowledge graph: papers, models, datasets and modalities in a networkx
MultiDiGraph, laid out as `docs/graph-schema.md` describes, and its analyses."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING

import networkx as nx

from kg.collection import uncollected
from kg.records import (
    BUILDS_ON,
    MODALITY,
    MODEL,
    PAPER,
    Evidence,
    Paper,
    PaperExtraction,
    Problem,
)

if TYPE_CHECKING:  # kg.link loads spaCy (through the vocabulary), which kg query never needs
    from kg.link import Linked


def paper_node(paper_id: str) -> str:
    return f"paper/{paper_id}"


@dataclass
class KnowledgeGraph:
    """The graph plus what the build noticed on the way."""

    graph: nx.MultiDiGraph
    problems: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    records_read: int = 0
    records_merged: int = 0  # records of a paper already read, merged into it

    # Read from networkx's dicts behind graph.nodes and graph.succ: its views cost ten times
    # the count at 88k papers (0.17 s for the nodes), and `kg build` counts before and after
    # its exports.
    def count_nodes(self) -> Counter:
        return Counter([data.get("kind") for data in self.graph._node.values()])

    def count_edges(self) -> Counter:
        return Counter(
            relation
            for by_target in self.graph._succ.values()
            for by_relation in by_target.values()
            for relation in by_relation
        )


def assemble_graph(
    papers: Iterable[Paper], extractions: Iterable[PaperExtraction], linked: Linked
) -> nx.MultiDiGraph:
    """Nodes and edges in a deterministic order: papers by id, entities by node id."""
    with uncollected():
        return _assembled(papers, extractions, linked)


def _assembled(
    papers: Iterable[Paper], extractions: Iterable[PaperExtraction], linked: Linked
) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    # Written into networkx's dicts behind graph.nodes, graph.succ and graph.pred as its
    # add_node and add_edge would write them (a node's attributes merged into any it has,
    # an edge's endpoints added when missing), without their per-call cost: most of the
    # stage at 88k papers.
    node_data, successors, predecessors = graph._node, graph._succ, graph._pred

    def add_node(node: str, attributes: dict) -> None:
        data = node_data.get(node)
        if data is None:
            node_data[node] = attributes
            successors[node] = {}
            predecessors[node] = {}
        else:
            data.update(attributes)

    def add_edge(source: str, target: str, relation: str, attributes: dict) -> None:
        if source not in node_data:
            add_node(source, {})
        if target not in node_data:
            add_node(target, {})
        keyed = successors[source].get(target)
        if keyed is None:
            keyed = successors[source][target] = predecessors[target][source] = {}
        data = keyed.get(relation)
        if data is None:
            keyed[relation] = attributes
        else:
            data.update(attributes)

    for node, attributes in _paper_nodes(papers, extractions):
        add_node(node, attributes)
    for node, attributes in _entity_nodes(linked):
        add_node(node, attributes)
    for edge in linked.entity_edges:
        attributes = _edge_attributes(edge.relation, edge.evidence)
        add_edge(paper_node(edge.paper_id), edge.node_id, edge.relation, attributes)
    for edge in linked.paper_edges:
        attributes = _edge_attributes(edge.relation, edge.evidence, via=edge.via)
        add_edge(
            paper_node(edge.source_paper), paper_node(edge.target_paper), edge.relation, attributes
        )
    return graph


def _edge_attributes(relation: str, evidence: Evidence, via: str | None = None) -> dict:
    """An edge's attributes, in the graph's order: its relation, the entity a paper -> paper
    edge goes through, its evidence."""
    attributes = {"relation": relation}
    if via is not None:
        attributes["via"] = via
    attributes["sentence"] = evidence.sentence
    attributes["start"] = evidence.start
    attributes["end"] = evidence.end
    attributes["rule"] = evidence.rule
    attributes["confidence"] = evidence.confidence
    return attributes


def _paper_nodes(
    papers: Iterable[Paper], extractions: Iterable[PaperExtraction]
) -> Iterator[tuple[str, dict]]:
    """Each paper's node and attributes, by paper id."""
    label_of = {e.paper_id: e for e in extractions}
    for paper in sorted(papers, key=attrgetter("id")):
        extraction = label_of[paper.id]
        attributes = {
            "kind": PAPER,
            "label": extraction.label,
            "title": paper.title or "",
            "abstract": paper.abstract,
            "authors": list(paper.authors),
            "identifiers": list(paper.identifiers),
            "sources": [f"{source.path}:{source.line}" for source in paper.sources],
            "code_urls": list(extraction.code_urls),
        }
        # In this order (the attributes' order is the graph's, which exports keep).
        if paper.year is not None:
            attributes["year"] = paper.year
        if paper.url is not None:
            attributes["url"] = paper.url
        if paper.doi is not None:
            attributes["doi"] = paper.doi
        if paper.arxiv_id is not None:
            attributes["arxiv_id"] = paper.arxiv_id
        yield paper_node(paper.id), attributes


def _entity_nodes(linked: Linked) -> Iterator[tuple[str, dict]]:
    """Each entity's node and attributes, in `linked.entities`' order."""
    base_models = {e.node_id for e in linked.entity_edges if e.relation == BUILDS_ON}
    for entity in linked.entities.values():
        attributes = {"kind": entity.type, "label": entity.label, "aliases": list(entity.aliases)}
        if entity.concept:
            attributes["concept"] = entity.concept
        if entity.type == MODEL:
            attributes["is_base_model"] = entity.node_id in base_models
        if entity.type == MODALITY or entity.broader:  # families: CT angiography, VOC 2007
            attributes["broader"] = list(entity.broader)
        yield entity.node_id, attributes
