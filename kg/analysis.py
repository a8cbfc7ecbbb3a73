"""Analyses over the graph of docs/graph-schema.md: top lists, coverage, trends, lineage.

Functions take the `networkx.MultiDiGraph` and read only its documented node and
edge attributes. Counts are of DISTINCT papers with a paper -> entity edge of a
relation (paper -> paper edges never count): the definition `kg stats` uses, whose
`top_entities` ranks the lists here so the two always agree.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from kg.records import BUILDS_ON, INTRODUCES, MODEL, PAPER, USES_MODALITY


@dataclass(frozen=True)
class RankedEntity:
    """An entity with the distinct papers that link to it by one relation."""

    node: str
    label: str
    relation: str
    papers: tuple[str, ...]  # paper node ids, sorted

    @property
    def count(self) -> int:
        return len(self.papers)


@dataclass(frozen=True)
class Derivation:
    """`paper` introduces model `child` and builds on model `parent`."""

    parent: str
    child: str
    paper: str


@dataclass(frozen=True)
class LineageNode:
    """A model in a lineage tree: its generation (0 for the root) and how it got there."""

    node: str
    generation: int
    parent: str | None
    paper: str | None  # the paper that introduces `node` building on `parent`


def is_paper(graph: nx.MultiDiGraph, node: str) -> bool:
    return graph._node[node].get("kind") == PAPER  # networkx's dict behind graph.nodes


@dataclass(frozen=True)
class PaperLinks:
    """Every paper -> entity edge in one index: entity -> relation -> distinct papers; and,
    from the same pass over the edges, each entity's links from other nodes (for
    `linking_counts`) and each node's edge count.

    Built in one pass over the edges, so asking for thousands of entities stays cheap.
    """

    by_entity: dict[str, dict[str, tuple[str, ...]]]
    reach_of: dict[str, int]  # entity -> distinct papers linking to it by any relation
    # entity -> relation -> how many nodes that are not papers link to it by it (few, if any)
    from_others: dict[str, dict[str, int]]
    degree: dict[str, int]  # node -> its edges, in and out

    @classmethod
    def of(cls, graph: nx.MultiDiGraph) -> PaperLinks:
        # networkx's dicts behind graph.nodes and graph.succ, read in graph.edges' order:
        # its views cost more than the work.
        node_data = graph._node
        # Each source is met once, and its edges to a target have distinct relations: the
        # lists hold distinct papers, and each (paper, entity) pair adds one to the reach.
        found: dict[str, dict[str, list[str]]] = {}
        reach: dict[str, int] = {}
        from_others: dict[str, dict[str, int]] = {}
        degree = dict.fromkeys(node_data, 0)
        for source, targets in graph._succ.items():
            if not targets:
                continue
            from_paper = node_data[source].get("kind") == PAPER
            edges = 0
            for target, keyed in targets.items():
                count = len(keyed)
                edges += count
                degree[target] += count
                if node_data[target].get("kind") == PAPER:
                    continue
                if not from_paper:
                    tally = from_others.setdefault(target, {})
                    for key in keyed:
                        tally[key] = tally.get(key, 0) + 1
                    continue
                relations = found.get(target)
                if relations is None:
                    relations = found[target] = {}
                    reach[target] = 1
                else:
                    reach[target] += 1
                for key in keyed:
                    papers = relations.get(key)
                    if papers is None:
                        relations[key] = [source]
                    else:
                        papers.append(source)
            degree[source] += edges
        return cls(
            {
                node: {relation: tuple(sorted(papers)) for relation, papers in relations.items()}
                for node, relations in found.items()
            },
            reach,
            from_others,
            degree,
        )

    def papers(self, node: str, relation: str) -> tuple[str, ...]:
        """The distinct papers with a `relation` edge to entity `node`, sorted."""
        return self.by_entity.get(node, {}).get(relation, ())

    def reach(self, node: str) -> int:
        """How many distinct papers link to entity `node` by any relation."""
        return self.reach_of.get(node, 0)

    def edge_count(self) -> int:
        """How many edges the graph has (each counted at both ends in `degree`)."""
        return sum(self.degree.values()) // 2

    def linking_counts(self, relations: list[str]) -> dict[str, dict[str, int]]:
        """`kg.stats.linking_counts` of the graph (each entity's count, in another order),
        from the index instead of another pass over the edges."""
        counts: dict[str, dict[str, int]] = {relation: {} for relation in relations}
        for node, by_relation in self.by_entity.items():
            for relation, papers in by_relation.items():
                tally = counts.get(relation)
                if tally is not None:
                    tally[node] = len(papers)
        for node, by_relation in self.from_others.items():
            for relation, count in by_relation.items():
                tally = counts.get(relation)
                if tally is not None:
                    tally[node] = tally.get(node, 0) + count
        return counts


def top_ranked(
    graph: nx.MultiDiGraph,
    relation: str,
    kind: str | None = None,
    limit: int = 15,
    links: PaperLinks | None = None,
    counts: dict[str, int] | None = None,
) -> list[RankedEntity]:
    """The `limit` entities (of `kind`, when given) most linked to by `relation`.

    Ranked by `kg.stats.top_entities` (distinct papers, ties by label); `counts` is the
    graph's `kg.stats.linking_counts` for `relation`, when already counted.
    """
    links = links or PaperLinks.of(graph)
    if counts is None:
        counts = links.linking_counts([relation])[relation]
    node_data = graph._node  # networkx's dict behind graph.nodes
    if kind is not None:
        counts = {
            node: count for node, count in counts.items() if node_data[node].get("kind") == kind
        }
    # The first `limit` of `kg.stats.ranked_entities`' order, without sorting them all.
    best = heapq.nsmallest(
        limit, counts, key=lambda node: (-counts[node], node_data[node].get("label", node), node)
    )
    return [
        RankedEntity(
            node, node_data[node].get("label", node), relation, links.papers(node, relation)
        )
        for node in best
    ]


def coverage(
    graph: nx.MultiDiGraph,
    modalities: list[str],
    models: list[str],
    links: PaperLinks | None = None,
) -> dict[tuple[str, str], tuple[str, ...]]:
    """(modality, model) -> the papers that use the modality and build on the model."""
    links = links or PaperLinks.of(graph)
    users = {node: set(links.papers(node, USES_MODALITY)) for node in modalities}
    builders = {node: set(links.papers(node, BUILDS_ON)) for node in models}
    return {
        (modality, model): tuple(sorted(users[modality] & builders[model]))
        for modality in modalities
        for model in models
    }


def papers_by_year(graph: nx.MultiDiGraph, papers: tuple[str, ...]) -> dict[int, tuple[str, ...]]:
    """The papers of known year, grouped by year (years ascending)."""
    node_data = graph._node  # networkx's dict behind graph.nodes
    by_year: dict[int, list[str]] = defaultdict(list)
    for paper in papers:
        year = node_data[paper].get("year")
        if year is not None:
            by_year[int(year)].append(paper)
    return {year: tuple(by_year[year]) for year in sorted(by_year)}


def paper_years(graph: nx.MultiDiGraph) -> list[int]:
    """Every year some paper of the graph has, ascending."""
    return sorted(
        {
            int(data["year"])
            for data in graph._node.values()  # networkx's dict behind graph.nodes
            if data.get("year") is not None and data.get("kind") == PAPER
        }
    )


def derivations(graph: nx.MultiDiGraph, links: PaperLinks | None = None) -> list[Derivation]:
    """Every (base model -> model) step: a paper introduces a model and builds on another.

    Read from `links` (the graph's, computed when None): the papers each model is
    introduced by and built on by."""
    links = links or PaperLinks.of(graph)
    node_data = graph._node  # networkx's dict behind graph.nodes
    models = [
        (model, by_relation)
        for model, by_relation in links.by_entity.items()
        if node_data[model].get("kind") == MODEL
    ]
    introduced: dict[str, list[str]] = defaultdict(list)
    for model, by_relation in models:
        for paper in by_relation.get(INTRODUCES, ()):
            introduced[paper].append(model)
    # Only a paper that introduces a model makes steps: the bases of the others are not kept.
    bases: dict[str, list[str]] = defaultdict(list)
    for model, by_relation in models:
        for paper in by_relation.get(BUILDS_ON, ()):
            if paper in introduced:
                bases[paper].append(model)
    steps = {
        Derivation(base, child, paper)
        for paper, paper_bases in bases.items()
        for base in paper_bases
        for child in introduced[paper]
        if base != child
    }
    return sorted(steps, key=lambda step: (step.parent, step.child, step.paper))


def children_of(graph: nx.MultiDiGraph, steps: list[Derivation]) -> dict[str, list[Derivation]]:
    """Each parent model's steps, in the order a lineage visits them: by the year of the
    introducing paper (unknown years last), then the child's label and id."""
    children: dict[str, list[Derivation]] = defaultdict(list)
    for step in steps:
        children[step.parent].append(step)
    return {
        parent: sorted(children[parent], key=lambda s: child_order(graph, s))
        for parent in sorted(children)
    }


def lineage(
    graph: nx.MultiDiGraph, root: str, children: dict[str, list[Derivation]] | None = None
) -> list[LineageNode]:
    """The tree of models built on `root`, generation by generation (breadth first).

    A model reachable along several paths hangs under the first parent that reaches
    it at its smallest generation, so every model appears once and the result is a
    tree. `children` is `children_of` the graph's derivations (computed when None).
    The browser view runs the same walk (`views.js`).
    """
    if children is None:
        children = children_of(graph, derivations(graph))
    tree = [LineageNode(root, 0, None, None)]
    seen = {root}
    frontier = [root]
    generation = 0
    while frontier:
        generation += 1
        following = []
        for parent in frontier:
            for step in children.get(parent, ()):
                if step.child in seen:
                    continue
                seen.add(step.child)
                tree.append(LineageNode(step.child, generation, parent, step.paper))
                following.append(step.child)
        frontier = following
    return tree


def child_order(graph: nx.MultiDiGraph, step: Derivation) -> tuple:
    """Sort key of a step among its siblings: introducing year, child label, ids."""
    node_data = graph._node  # networkx's dict behind graph.nodes
    year = node_data[step.paper].get("year")
    return (
        year is None,
        year or 0,
        node_data[step.child].get("label", step.child),
        step.child,
        step.paper,
    )


def entity_links(graph: nx.MultiDiGraph, entities: list[str]) -> dict[tuple[str, str], int]:
    """Pairs of `entities` (sorted ids) -> the number of distinct papers linking to both.

    The map's folded paper layer: two entities are as close as the papers they share.
    """
    wanted = set(entities)
    by_paper: dict[str, set[str]] = defaultdict(set)
    predecessors = graph._pred  # networkx's dict behind graph.pred
    for target in wanted:
        for source in predecessors[target]:
            if source not in wanted:
                by_paper[source].add(target)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for paper in sorted(by_paper):
        if not is_paper(graph, paper):
            continue
        linked = sorted(by_paper[paper])
        for index, first in enumerate(linked):
            for second in linked[index + 1 :]:
                shared[(first, second)] += 1
    return dict(sorted(shared.items()))
