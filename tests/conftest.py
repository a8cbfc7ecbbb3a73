"""Shared fixtures: the sample graph's Turtle export, and the seeds build's."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdf_sample import SEED, sample_graph

import kg
from kg.export.turtle import write_turtle


@pytest.fixture(scope="session")
def sample_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample graph written as Turtle (with ontology.ttl beside it)."""
    path = tmp_path_factory.mktemp("export") / "graph.ttl"
    write_turtle(sample_graph(), path)
    return path


@pytest.fixture(scope="session")
def seeds_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`kg.build()` of the bundled seeds, exported as Turtle."""
    path = tmp_path_factory.mktemp("seeds") / "graph.ttl"
    write_turtle(kg.build([SEED.parent]).graph, path)
    return path
