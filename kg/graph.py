"""The knowledge graph: papers, models, datasets and modalities in a networkx
MultiDiGraph, laid out as `docs/graph-schema.md` describes, and its analyses."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import networkx as nx

from kg.records import BUILDS_ON, MODALITY, MODEL, PAPER, Evidence, Paper, PaperExtraction, Problem

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

    def count_nodes(self) -> Counter:
        return Counter(kind for _, kind in self.graph.nodes(data="kind"))

    def count_edges(self) -> Counter:
        return Counter(relation for _, _, relation in self.graph.edges(keys=True))


def _evidence_attributes(evidence: Evidence) -> dict:
    return {
        "sentence": evidence.sentence,
        "start": evidence.start,
        "end": evidence.end,
        "rule": evidence.rule,
        "confidence": evidence.confidence,
    }


def assemble_graph(
    papers: Iterable[Paper], extractions: Iterable[PaperExtraction], linked: Linked
) -> nx.MultiDiGraph:
    """Nodes and edges in a deterministic order: papers by id, entities by node id."""
    graph = nx.MultiDiGraph()
    extraction_of = {e.paper_id: e for e in extractions}
    for paper in sorted(papers, key=lambda p: p.id):
        extraction = extraction_of[paper.id]
        attributes = {
            "kind": PAPER,
            "label": extraction.label,
            "title": paper.title or "",
            "abstract": paper.abstract,
            "authors": list(paper.authors),
            "identifiers": list(paper.identifiers),
            "sources": [str(s) for s in paper.sources],
            "code_urls": list(extraction.code_urls),
        }
        for name in ("year", "url", "doi", "arxiv_id"):
            value = getattr(paper, name)
            if value is not None:
                attributes[name] = value
        graph.add_node(paper_node(paper.id), **attributes)
    base_models = {e.node_id for e in linked.entity_edges if e.relation == BUILDS_ON}
    for entity in linked.entities.values():
        attributes = {"kind": entity.type, "label": entity.label, "aliases": list(entity.aliases)}
        if entity.concept:
            attributes["concept"] = entity.concept
        if entity.type == MODEL:
            attributes["is_base_model"] = entity.node_id in base_models
        if entity.type == MODALITY or entity.broader:  # families: CT angiography, VOC 2007
            attributes["broader"] = list(entity.broader)
        graph.add_node(entity.node_id, **attributes)
    for edge in linked.entity_edges:
        graph.add_edge(
            paper_node(edge.paper_id),
            edge.node_id,
            key=edge.relation,
            relation=edge.relation,
            **_evidence_attributes(edge.evidence),
        )
    for edge in linked.paper_edges:
        graph.add_edge(
            paper_node(edge.source_paper),
            paper_node(edge.target_paper),
            key=edge.relation,
            relation=edge.relation,
            via=edge.via,
            **_evidence_attributes(edge.evidence),
        )
    return graph
