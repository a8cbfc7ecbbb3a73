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


def _connected_graph(nodes: int, links: int, seed: int) -> nx.Graph:
    """A ring with random chords: every node has a link, so the attraction is summed over
    the links alone (a node without one has a zero sum, taken from the dense arrays)."""
    graph = _weighted_graph(nodes, links, seed)
    chooser = random.Random(seed + 1)
    for i in range(nodes):
        graph.add_edge(f"n{i:03d}", f"n{(i + 1) % nodes:03d}", weight=chooser.randint(1, 40))
    return graph


def _with_lone_nodes(graph: nx.Graph) -> nx.Graph:
    graph.add_nodes_from(["lone-a", "lone-b"])
    return graph


@pytest.mark.parametrize(
    ("graph", "iterations"),
    [
        (_weighted_graph(2, 1, seed=2), 50),
        (_weighted_graph(60, 150, seed=60), 400),
        (_connected_graph(80, 120, seed=80), 400),
        (_with_lone_nodes(_connected_graph(30, 20, seed=30)), 200),
    ],
)
def test_positions_equal_networkx(graph: nx.Graph, iterations: int) -> None:
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
