"""Paper -> paper edges (`kg.link.papers.paper_edges`): never towards a later paper."""

from __future__ import annotations

from papers_at_hand import evidence

from kg.link.linked import EntityEdge
from kg.link.papers import paper_edges

EDGES = [
    EntityEdge("p:owner", "introduces", "model/cystnet", evidence()),
    EntityEdge("p:later", "buildsOn", "model/cystnet", evidence()),
    EntityEdge("p:earlier", "buildsOn", "model/cystnet", evidence()),
    EntityEdge("p:same", "evaluatesOn", "model/cystnet", evidence()),
    EntityEdge("p:undated", "buildsOn", "model/cystnet", evidence()),
    EntityEdge("p:rival", "comparesWith", "model/cystnet", evidence()),
]
YEARS = {"p:owner": 2020, "p:later": 2022, "p:earlier": 2018, "p:same": 2020, "p:undated": None}


def test_no_edge_to_a_paper_published_later():
    edges = {(e.source_paper, e.relation, e.target_paper) for e in paper_edges(EDGES, YEARS)}
    assert edges == {
        ("p:later", "buildsOn", "p:owner"),
        ("p:same", "evaluatesOn", "p:owner"),
        ("p:undated", "buildsOn", "p:owner"),
    }


def test_without_years_nothing_contradicts_an_edge():
    sources = {e.source_paper for e in paper_edges(EDGES, {})}
    assert sources == {"p:later", "p:earlier", "p:same", "p:undated"}
