"""Graph assembly: the dicts it writes are the graph networkx's own methods would build."""

from __future__ import annotations

import networkx as nx

import kg
from kg.paths import SEEDS_DIR


def test_assembled_graph_is_the_one_networkx_would_build():
    graph = kg.build([SEEDS_DIR], jobs=1).graph
    rebuilt = nx.MultiDiGraph()
    rebuilt.add_nodes_from(graph.nodes(data=True))
    rebuilt.add_edges_from(graph.edges(keys=True, data=True))
    assert graph.number_of_edges() > 0
    assert list(graph.nodes(data=True)) == list(rebuilt.nodes(data=True))
    assert list(graph.edges(keys=True, data=True)) == list(rebuilt.edges(keys=True, data=True))
    # The predecessors mirror the successors, edge for edge, as networkx keeps them.
    assert list(graph.in_edges(keys=True, data=True)) == list(
        rebuilt.in_edges(keys=True, data=True)
    )
    for source, target, key in graph.edges(keys=True):
        assert graph.pred[target][source][key] is graph.succ[source][target][key]
