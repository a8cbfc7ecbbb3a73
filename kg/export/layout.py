"""ForceAtlas2 (Jacomy et al., 2014, PLoS ONE 9(6): e98679) as networkx 3.6 computes it,
with the same floating-point operations in the same order, so the same positions to the
bit, in about half the time.

networkx's `forceatlas2_layout` recomputes per iteration what does not change (the mass
products, the sizes' halo), subtracts positions by broadcasting over a last axis of two,
and takes norms with `np.linalg.norm` over a last axis of two,
which numpy reduces slowly; here they are computed once, and norms as the square root of
the two squares added (what `norm` computes for real input). The attraction, a sum over
every pair weighted by the link between them, is summed over the links alone (the other
terms are zeros, see `_attraction`). `tests/test_layout.py` checks that the positions equal
networkx's.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import networkx as nx
import numpy as np


def _norm(vectors: np.ndarray) -> np.ndarray:
    """`np.linalg.norm(vectors, axis=-1)` for real vectors of two components, same bits."""
    squares = vectors * vectors
    return np.sqrt(squares[..., 0] + squares[..., 1])


def _sum_rows(values: np.ndarray, weights: np.ndarray, scratch: np.ndarray) -> np.ndarray:
    """The sum over j of values[j, i] * weights[j, i] for each i, adding in j's order."""
    return np.add.reduce(np.multiply(values, weights, out=scratch), axis=0)


def _attraction(
    axis: np.ndarray,
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
    dense: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> np.ndarray:
    """For each i, the sum over j of (axis[i] - axis[j]) * links[j, i], adding in j's order:
    `_sum_rows` of the differences and the links, from the `pairs` (i, j, weight) of the
    nonzero links, sorted by j. Leaving out a zero term changes a sum of floats only when
    the sum is zero, and then only in its sign, so a zero sum is taken from the `dense`
    (differences, links, scratch) arrays instead: the same bits always."""
    targets, sources, weights = pairs
    terms = (axis[targets] - axis[sources]).astype(np.float64) * weights
    sums = np.bincount(targets, weights=terms, minlength=len(axis))  # adds in input order
    if not sums.all():
        return _sum_rows(*dense)
    return sums


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
    # Every n-by-n array here is stored transposed, [j, i] for networkx's [i, j]: the sums
    # over j (networkx's einsums, which add term after term in j's order) are then numpy
    # reductions over the first axis, which add the rows in order too (the same bits), a
    # whole row at a time. The element-wise operations are networkx's, on the same values.
    links = np.ascontiguousarray(nx.to_numpy_array(graph, weight=weight).T)
    sources, targets = np.nonzero(links)  # row by row: j ascending, as the dense sums add
    pairs = (targets, sources, links[sources, targets])
    masses = (mass[:, None] @ mass[None]).T
    np.fill_diagonal(masses, 0)
    halo = (-size[:, None] - size[None]).T
    speed, efficiency, swing, traction = 1, 1, 1, 1
    across = np.empty((n, n), pos.dtype)  # x of node i minus x of node j, at [j, i]
    down = np.empty((n, n), pos.dtype)  # the same for y
    # Scratch arrays written in place (fresh arrays of this size cost a page fault a page),
    # of the types networkx's expressions give: positions are float32 (networkx's random
    # layout), so are distances; the masses and links are float64.
    distance, squares, d2 = (np.empty((n, n), pos.dtype) for _ in range(3))
    pull, scratch = np.empty((n, n)), np.empty((n, n))
    for _ in range(max_iter):
        x, y = pos[:, 0].copy(), pos[:, 1].copy()  # contiguous: broadcast 3 times faster
        np.subtract(x[None], x[:, None], out=across)
        np.subtract(y[None], y[:, None], out=down)
        np.multiply(across, across, out=distance)
        np.multiply(down, down, out=squares)
        np.sqrt(np.add(distance, squares, out=distance), out=distance)
        attraction = -np.stack(
            (
                _attraction(x, pairs, (across, links, scratch)),
                _attraction(y, pairs, (down, links, scratch)),
            ),
            1,
        )
        distance += halo
        np.square(distance, out=d2)  # what distance**2 computes
        np.fill_diagonal(d2, 1)
        np.multiply(np.divide(masses, d2, out=pull), scaling_ratio, out=pull)
        repulsion = np.stack((_sum_rows(across, pull, scratch), _sum_rows(down, pull, scratch)), 1)
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
