"""ForceAtlas2 (Jacomy et al., 2014, PLoS ONE 9(6): e98679) as networkx 3.6 computes it,
with the same floating-point operations in the same order, so the same positions to the
bit, in about half the time.

networkx's `forceatlas2_layout` recomputes per iteration what does not change (the mass
products, the sizes' halo), subtracts positions by broadcasting over a last axis of two,
and takes norms with `np.linalg.norm` over a last axis of two,
which numpy reduces slowly; here they are computed once, and norms as the square root of
the two squares added (what `norm` computes for real input). `tests/test_layout.py`
checks that the positions equal networkx's.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import networkx as nx
import numpy as np


def _norm(vectors: np.ndarray) -> np.ndarray:
    """`np.linalg.norm(vectors, axis=-1)` for real vectors of two components, same bits."""
    squares = vectors * vectors
    return np.sqrt(squares[..., 0] + squares[..., 1])


def _speed(
    n: int, swing: float, traction: float, speed: float, efficiency: float
) -> tuple[float, float]:
    """networkx's `estimate_factor` with a jitter tolerance of 1."""
    opt_jitter = 0.05 * np.sqrt(n)
    min_jitter = np.sqrt(opt_jitter)
    jitter = max(min_jitter, min(10, opt_jitter * traction / n**2))
    if swing / traction > 2.0:
        if efficiency > 0.05:
            efficiency *= 0.5
        jitter = max(jitter, 1.0)
    target = np.inf if swing == 0 else jitter * efficiency * traction / swing
    if swing > jitter * traction:
        if efficiency > 0.05:
            efficiency *= 0.7
    elif speed < 1000:
        efficiency *= 1.3
    return speed + min(target - speed, 0.5 * speed), efficiency


def forceatlas2(
    graph: nx.Graph,
    *,
    sizes: Mapping[Hashable, float],
    max_iter: int,
    scaling_ratio: float,
    gravity: float,
    seed: int,
    weight: str = "weight",
) -> dict[Hashable, np.ndarray]:
    """`nx.forceatlas2_layout(graph, max_iter=, scaling_ratio=, gravity=, node_size=sizes,
    weight=, seed=)` (2 dimensions, no linlog, no strong gravity, masses from degrees)."""
    if len(graph) == 0:
        return {}
    pos = np.array(list(nx.random_layout(graph, dim=2, seed=seed).values()))
    n = len(graph)
    mass = np.array([graph.degree(node) + 1 for node in graph], dtype=float)
    size = np.array([sizes.get(node, 1) for node in graph], dtype=float)
    links = nx.to_numpy_array(graph, weight=weight)
    masses = mass[:, None] @ mass[None]
    np.fill_diagonal(masses, 0)
    halo = -size[:, None] - size[None]
    speed, efficiency, swing, traction = 1, 1, 1, 1
    diff = np.empty((n, n, 2), pos.dtype)
    for _ in range(max_iter):
        # pos[:, None] - pos[None], a coordinate at a time (4 times faster than broadcasting
        # over a last axis of two), into the layout the einsums below sum in.
        np.subtract(pos[:, 0, None], pos[None, :, 0], out=diff[..., 0])
        np.subtract(pos[:, 1, None], pos[None, :, 1], out=diff[..., 1])
        distance = _norm(diff)
        attraction = -np.einsum("ijk, ij -> ik", diff, links)
        distance += halo
        d2 = distance**2
        np.fill_diagonal(d2, 1)
        repulsion = np.einsum("ijk, ij -> ik", diff, (masses / d2) * scaling_ratio)
        centered = pos - np.mean(pos, axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            unit = centered / _norm(centered)[:, None]
        gravities = -gravity * mass[:, None] * np.nan_to_num(unit, nan=0)
        update = attraction + repulsion + gravities
        swing += (mass * _norm(pos - update)).sum()
        traction += (0.5 * mass * _norm(pos + update)).sum()
        speed, efficiency = _speed(n, swing, traction, speed, efficiency)
        step = _norm(update)
        factor = 0.1 * speed / (1 + np.sqrt(speed * (mass * step)))
        factor = np.minimum(factor * step, 10.0) / step
        moved = update * factor[:, None]
        pos += moved
        if abs(moved).sum() < 1e-10:
            break
    return dict(zip(graph, pos, strict=True))
