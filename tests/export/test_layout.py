"""kg.export.layout computes networkx's ForceAtlas2 positions bit for bit."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest

from kg.export.layout import forceatlas2


def _weighted_graph(nodes: int, links: int, seed: int) -> nx.Graph:
    chooser = random.Random(seed)
    graph = nx.Graph()
    graph.add_nodes_from(f"n{i:03d}" for i in range(nodes))  # some stay without a link
    for _ in range(links):
        a, b = chooser.sample(range(nodes), 2)
        graph.add_edge(f"n{a:03d}", f"n{b:03d}", weight=chooser.randint(1, 40))
    return graph


@pytest.mark.parametrize(("nodes", "links", "iterations"), [(2, 1, 50), (60, 150, 400)])
def test_positions_equal_networkx(nodes: int, links: int, iterations: int) -> None:
    graph = _weighted_graph(nodes, links, seed=nodes)
    sizes = {node: 6 + (i * 7) % 36 for i, node in enumerate(graph)}
    expected = nx.forceatlas2_layout(
        graph,
        max_iter=iterations,
        scaling_ratio=120.0,
        gravity=1.0,
        node_size=sizes,
        weight="weight",
        seed=7,
    )
    positions = forceatlas2(
        graph, sizes=sizes, max_iter=iterations, scaling_ratio=120.0, gravity=1.0, seed=7
    )
    assert list(positions) == list(expected)
    for node, position in expected.items():
        assert positions[node].dtype == position.dtype
        assert np.array_equal(positions[node], position), node


def test_empty_graph() -> None:
    assert (
        forceatlas2(nx.Graph(), sizes={}, max_iter=10, scaling_ratio=1.0, gravity=1.0, seed=7) == {}
    )
