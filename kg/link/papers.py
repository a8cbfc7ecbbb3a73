"""Paper -> paper edges: B builds on (evaluates on, trains on) what A introduced.

An edge never runs from a paper to one published later when both years are known:
B cannot build on what did not exist yet, so the link is a homonym or a mistaken
introduction. Without a year on either side nothing contradicts the edge and it is
kept. Same-year edges are kept (conference papers of one year build on preprints).
"""

from __future__ import annotations

from collections import defaultdict

from kg.link.linked import EntityEdge, PaperEdge
from kg.records import INTRODUCES, PAPER_RELATIONS


def paper_edges(edges: list[EntityEdge], years: dict[str, int | None]) -> list[PaperEdge]:
    owners: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        if edge.relation == INTRODUCES:
            owners[edge.node_id].add(edge.paper_id)
    in_order: dict[str, list[str]] = {}  # a node's owners sorted, once it is asked for
    found: dict[tuple[str, str, str], PaperEdge] = {}
    for edge in edges:
        if edge.relation not in PAPER_RELATIONS or edge.node_id not in owners:
            continue
        year = years.get(edge.paper_id)
        ordered = in_order.get(edge.node_id)
        if ordered is None:
            ordered = in_order[edge.node_id] = sorted(owners[edge.node_id])
        for owner in ordered:
            key = (edge.paper_id, edge.relation, owner)
            if owner == edge.paper_id or key in found:
                continue
            owner_year = years.get(owner)
            if year is not None and owner_year is not None and year < owner_year:
                continue
            found[key] = PaperEdge(edge.paper_id, edge.relation, owner, edge.node_id, edge.evidence)
    return [found[k] for k in sorted(found)]
