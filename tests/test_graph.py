"""Graph assembly: the dicts it writes are the graph networkx's own methods would build."""

from __future__ import annotations

import gc
from collections import Counter

import networkx as nx

import kg
from kg.collection import to_oldest_generation
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


def test_a_build_leaves_its_objects_in_the_oldest_generation_and_the_collector_as_it_was():
    thresholds, enabled = gc.get_threshold(), gc.isenabled()
    graph = kg.build([SEEDS_DIR], jobs=1).graph
    assert gc.get_threshold() == thresholds and gc.isenabled() == enabled
    assert gc.get_freeze_count() == 0
    # No collection of the young generations walks the graph it made: it is in the oldest.
    young = {id(o) for o in gc.get_objects(generation=0) + gc.get_objects(generation=1)}
    assert id(graph._node) not in young
    assert not any(id(data) in young for data in graph._node.values())


def test_moving_objects_to_the_oldest_generation_thaws_none_frozen_before():
    young = ["made", "just now"]
    to_oldest_generation()
    assert not any(o is young for o in gc.get_objects(generation=0))
    assert any(o is young for o in gc.get_objects(generation=2))
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        to_oldest_generation()
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_counts_of_nodes_and_edges_are_networkx_views_counts():
    knowledge_graph = kg.build([SEEDS_DIR], jobs=1)
    graph = knowledge_graph.graph
    assert knowledge_graph.count_nodes() == Counter(kind for _, kind in graph.nodes(data="kind"))
    assert knowledge_graph.count_edges() == Counter(key for _, _, key in graph.edges(keys=True))
    assert knowledge_graph.count_edges().total() == graph.number_of_edges() > 0
