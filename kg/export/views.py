"""What the page's overview, entity map, lineage, search and panels show, as plain data.

Numbers come from `kg.analysis` (ranked as `kg stats` ranks them); every number
keeps the papers behind it, and each paper its evidence sentence, so the page can
list them on a click. Every entity and every paper -> entity link is in the data
(each sentence stored once), so search finds any entity or linked paper and its
panel lists all its links; the lists behind a chart's number are capped
(`ITEM_PAPERS_SHOWN`), the counts never are.
"""

from __future__ import annotations

import functools
import heapq
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from kg import analysis
from kg.export import charts
from kg.export.style import (
    COMMUNITY_COLORS,
    NODE_STYLES,
    RELATION_COLORS,
    SMALL_COMMUNITY_COLOR,
    display_type,
)
from kg.records import (
    BUILDS_ON,
    DATASET,
    ENTITY_TYPES,
    EVALUATES_ON,
    INTRODUCES,
    MODALITY,
    MODEL,
    PAPER,
    RELATIONS,
    USES_MODALITY,
)

OVERVIEW_TOP = 15
COVERAGE_MODALITIES = 10
COVERAGE_MODELS = 10
TREND_MODELS = 6
MAP_ENTITIES = 250
MAP_LINKS_PER_ENTITY = 6
ITEM_PAPERS_SHOWN = 300
SENSE_TITLE_CHARS = 60
LAYOUT_SEED = 7
LINEAGE_OFFERED = 200
MAP_SPREAD = 120.0
# The overview's ranked charts: the relation each ranks by, and the kind of entity it ranks.
RANKED_CHARTS = {
    "builtOn": (BUILDS_ON, MODEL),
    "evaluated": (EVALUATES_ON, DATASET),
    "modalities": (USES_MODALITY, MODALITY),
}

# The entity map's layout: each drawn entity's (x, y).
Positions = dict[str, tuple[float, float]]


@dataclass
class _Index:
    """Papers, sentences and evidence rows referenced by position, each stored once.

    An evidence row is [paper, relation, entity, sentence]: paper and sentence are
    positions in `papers` and `sentences` (one sentence often links several entities).
    An entity's rows are one run, `runs[entity]` = [first row, how many].
    """

    graph: nx.MultiDiGraph
    papers: list[list[Any]] = field(default_factory=list)
    paper_index: dict[str, int] = field(default_factory=dict)
    sentences: list[str] = field(default_factory=list)
    sentence_index: dict[str, int] = field(default_factory=dict)
    evidence: list[list[Any]] = field(default_factory=list)
    runs: dict[str, list[int]] = field(default_factory=dict)
    # entity -> (paper, relation) -> row, made for the few entities a chart looks up
    rows_of: dict[str, dict[tuple[str, str], int]] = field(default_factory=dict)

    def paper(self, node: str) -> int:
        position = self.paper_index.get(node)
        if position is None:
            data = self.graph._node[node]  # networkx's dict behind graph.nodes[node]
            position = self.paper_index[node] = len(self.papers)
            self.papers.append([node, data.get("label") or node, data.get("year"), data.get("url")])
        return position

    def add_runs(
        self, entities: list[str], links: analysis.PaperLinks, newest: Callable[[str], int]
    ) -> None:
        """Add each of `entities`' links as its run, by relation and `newest` paper first:
        each paper's sentence and the paper stored unless they are, in one loop (54k links
        at field size, most of 33k entities with one)."""
        predecessors = self.graph._pred  # networkx's dict behind graph.pred
        by_entity = links.by_entity
        evidence, runs = self.evidence, self.runs
        sentences, sentence_index = self.sentences, self.sentence_index
        paper_index = self.paper_index
        for entity in entities:
            first = len(evidence)
            by_relation = by_entity.get(entity)
            if by_relation:
                edges = predecessors[entity]  # paper -> its edges to `entity`, by relation
                for relation in RELATIONS:
                    papers = by_relation.get(relation)
                    if papers is None:
                        continue
                    for paper in sorted(papers, key=newest) if len(papers) > 1 else papers:
                        sentence = edges[paper][relation].get("sentence", "")
                        position = sentence_index.get(sentence)
                        if position is None:
                            position = sentence_index[sentence] = len(sentences)
                            sentences.append(sentence)
                        paper_position = paper_index.get(paper)
                        if paper_position is None:
                            paper_position = self.paper(paper)
                        evidence.append([paper_position, relation, entity, position])
            runs[entity] = [first, len(evidence) - first]

    def sentence(self, paper: str, relation: str, entity: str) -> int:
        """The row of a link of `entity`'s run."""
        rows = self.rows_of.get(entity)
        if rows is None:
            first, count = self.runs[entity]
            papers, evidence = self.papers, self.evidence
            rows = self.rows_of[entity] = {
                (papers[evidence[row][0]][0], evidence[row][1]): row
                for row in range(first, first + count)
            }
        return rows[(paper, relation)]


@dataclass(frozen=True)
class GraphNodes:
    """What the page reads of every node, gathered in one pass over them: the entities
    (sorted ids), each paper's place newest first (unknown years last, then by id), every
    year some paper has (ascending), and the overview's headline counts."""

    entities: list[str]
    newest: dict[str, int]
    years: list[int]
    totals: dict[str, Any]

    @classmethod
    def of(cls, graph: nx.MultiDiGraph) -> GraphNodes:
        entities = []
        papers_by_key: dict[int, list[str]] = defaultdict(list)  # -(year or -1) -> papers
        years = set()
        kinds: dict[str | None, int] = defaultdict(int)
        base_models = papers_with_year = 0
        for node, data in graph._node.items():  # networkx's dict behind graph.nodes
            kind = data.get("kind")
            kinds[kind] += 1
            if kind == PAPER:
                year = data.get("year")
                papers_by_key[-(year or -1)].append(node)
                if year is not None:
                    years.add(int(year))
                    papers_with_year += 1
            elif kind in ENTITY_TYPES:
                entities.append(node)
                base_models += display_type(data) == "BaseModel"
        # Each year's papers sorted apart: they come in id order from graph assembly, which
        # sorting finds in one look.
        newest = {}
        for key in sorted(papers_by_key):
            for paper in sorted(papers_by_key[key]):
                newest[paper] = len(newest)
        ordered_years = sorted(years)
        totals = {
            "papers": kinds[PAPER],
            "models": kinds[MODEL],
            "baseModels": base_models,
            "datasets": kinds[DATASET],
            "modalities": kinds[MODALITY],
            "papersWithYear": papers_with_year,
            "years": [ordered_years[0], ordered_years[-1]] if ordered_years else None,
        }
        return cls(sorted(entities), newest, ordered_years, totals)


@dataclass(frozen=True)
class Overview:
    """The numbers behind the overview's charts, from `kg.analysis`."""

    links: analysis.PaperLinks
    tops: dict[str, list[analysis.RankedEntity]]
    modalities: list[analysis.RankedEntity]
    models: list[analysis.RankedEntity]
    cells: dict[tuple[str, str], tuple[str, ...]]
    trend_models: list[analysis.RankedEntity]
    years: list[int]
    by_year: list[dict[int, tuple[str, ...]]]
    nodes: GraphNodes
    entity_map: MapPlan

    @classmethod
    def of(cls, graph: nx.MultiDiGraph) -> Overview:
        links = analysis.PaperLinks.of(graph)
        nodes = GraphNodes.of(graph)
        counts = links.linking_counts([relation for relation, _ in RANKED_CHARTS.values()])
        tops = {
            chart: analysis.top_ranked(graph, relation, kind, OVERVIEW_TOP, links, counts[relation])
            for chart, (relation, kind) in RANKED_CHARTS.items()
        }
        modalities = tops["modalities"][:COVERAGE_MODALITIES]
        models = tops["builtOn"][:COVERAGE_MODELS]
        cells = analysis.coverage(
            graph, [m.node for m in modalities], [m.node for m in models], links
        )
        trend_models = tops["builtOn"][:TREND_MODELS]
        by_year = [analysis.papers_by_year(graph, model.papers) for model in trend_models]
        # From the first year any of them is built on: decades of zeros would squeeze the rest.
        first = min((year for years in by_year for year in years), default=0)
        years = [year for year in nodes.years if year >= first]
        return cls(
            links,
            tops,
            modalities,
            models,
            cells,
            trend_models,
            years,
            by_year,
            nodes,
            MapPlan.of(graph, links, nodes.entities),
        )

    def grid(self) -> list[list[int]]:
        """The coverage heatmap's counts, modality by model."""
        return [
            [len(self.cells[(modality.node, model.node)]) for model in self.models]
            for modality in self.modalities
        ]

    def series(self) -> list[tuple[str, list[int]]]:
        """The trend chart's lines: papers per year building on each model."""
        return [
            (model.label, [len(by_year.get(year, ())) for year in self.years])
            for model, by_year in zip(self.trend_models, self.by_year, strict=True)
        ]

    def drawings(self) -> dict[str, Callable[[], str]]:
        """How to draw each chart that has something to show, by chart name."""
        drawings = {}
        for chart, ranked in self.tops.items():
            if ranked:
                drawings[chart] = functools.partial(
                    charts.bar_chart,
                    chart,
                    [entry.label for entry in ranked],
                    [entry.count for entry in ranked],
                    _BAR_COLORS[chart],
                )
        if self.modalities and self.models:
            drawings["coverage"] = functools.partial(
                charts.heatmap,
                "coverage",
                [m.label for m in self.modalities],
                [m.label for m in self.models],
                self.grid(),
            )
        series = self.series()
        if self.years and series:
            drawings["trends"] = functools.partial(charts.trend_chart, "trends", self.years, series)
        return drawings


_BAR_COLORS = {
    "builtOn": NODE_STYLES["BaseModel"][1],
    "evaluated": NODE_STYLES["Dataset"][1],
    "modalities": NODE_STYLES["Modality"][1],
}


def chart_svgs(overview: Overview) -> dict[str, str]:
    """The overview charts' SVG by chart name (matplotlib: about a second to load and draw,
    so `kg.export.html` may draw them in a process of their own)."""
    return {chart: drawing() for chart, drawing in overview.drawings().items()}


def view_data(
    graph: nx.MultiDiGraph,
    overview: Overview | None = None,
    map_positions: Callable[[], Positions] | None = None,
) -> dict[str, Any]:
    """The views' JSON-ready data (`overview`: the graph's, when already computed;
    `map_positions`: what gives its map's layout, when computed elsewhere)."""
    overview = overview or Overview.of(graph)
    return _views(graph, overview, map_positions or overview.entity_map.layout())


def _views(
    graph: nx.MultiDiGraph, overview: Overview, map_positions: Callable[[], Positions]
) -> dict[str, Any]:
    links = overview.links
    index = _Index(graph)
    newest = overview.nodes.newest.__getitem__
    node_data = graph._node  # networkx's dict behind graph.nodes
    entity_nodes = overview.nodes.entities
    # Every link first, by entity, relation and newest paper: an entity's links are one run
    # of rows (its panel lists them in this order), and a paper's links are found in them.
    index.add_runs(entity_nodes, links, newest)
    items: dict[str, dict[str, Any]] = {}

    def add_item(
        mark: str, title: str, entity: str | None, count: int, rows: list[list[int]]
    ) -> None:
        items[mark] = {"title": title, "count": count, "rows": rows}
        if entity is not None:
            items[mark]["entity"] = entity

    def evidence_rows(papers: tuple[str, ...], links: list[tuple[str, str]]) -> list[list[int]]:
        """The rows of the papers an item shows (every link is in the index already)."""
        return [
            [index.sentence(paper, relation, entity) for relation, entity in links]
            for paper in sorted(papers, key=newest)[:ITEM_PAPERS_SHOWN]
        ]

    tops = overview.tops
    top_lists = {}
    for chart, ranked in tops.items():
        for position, entry in enumerate(ranked):
            rows = evidence_rows(entry.papers, [(entry.relation, entry.node)])
            add_item(
                charts.mark_id(chart, position), entry.label, entry.node, len(entry.papers), rows
            )
        top_lists[chart] = [[entry.node, entry.label, entry.count] for entry in ranked]

    for row, modality in enumerate(overview.modalities):
        for column, model in enumerate(overview.models):
            papers = overview.cells[(modality.node, model.node)]
            if papers:
                rows = evidence_rows(
                    papers, [(USES_MODALITY, modality.node), (BUILDS_ON, model.node)]
                )
                title = f"{modality.label} \u00d7 {model.label}"
                add_item(charts.mark_id("coverage", row, column), title, None, len(papers), rows)

    for series_index, (model, by_year) in enumerate(
        zip(overview.trend_models, overview.by_year, strict=True)
    ):
        for year_index, year in enumerate(overview.years):
            papers = by_year.get(year, ())
            if papers:
                rows = evidence_rows(papers, [(BUILDS_ON, model.node)])
                mark = charts.mark_id("trends", series_index, year_index)
                add_item(mark, f"{model.label} in {year}", model.node, len(papers), rows)

    steps = analysis.derivations(graph, links)
    lineage = lineage_data(graph, index, steps, [m.node for m in tops["builtOn"]])
    senses = sense_notes(graph, entity_nodes, links)
    entities = {
        node: entity_entry(
            node_data[node], node, senses.get(node), links.reach(node), index.runs[node]
        )
        for node in entity_nodes
    }
    # Last: its layout may come from another process, which gets the most time this way.
    entity_map = map_data(graph, overview.entity_map, map_positions())

    data = {
        "totals": overview.nodes.totals,
        "tops": top_lists,
        "items": items,
        "entities": entities,
        "map": entity_map,
        "lineage": lineage,
        "papers": index.papers,
        "sentences": index.sentences,
        "evidence": index.evidence,
        "styles": {name: {"shape": s, "color": c} for name, (s, c) in NODE_STYLES.items()},
        "relationColors": RELATION_COLORS,
    }
    return data


def entity_entry(
    data: dict[str, Any], node: str, sense: str | None, papers: int, run: list[int]
) -> dict[str, Any]:
    """An entity's names (from its node `data`) and paper count for search, and where its
    links start in `evidence` and how many there are (`run`), for its panel."""
    entry: dict[str, Any] = {
        "label": data.get("label") or node,
        "type": display_type(data),
        "papers": papers,
        "links": run,
    }
    if data.get("aliases"):
        entry["aliases"] = list(data["aliases"])
    if sense is not None:
        entry["sense"] = sense
    return entry


def sense_notes(
    graph: nx.MultiDiGraph, entities: list[str], links: analysis.PaperLinks
) -> dict[str, str]:
    """What tells apart entities that share a label (SAM: Segment Anything, Sharpness-Aware
    Minimization, ...): the first alias that spells the label out, else the earliest
    paper that introduces it, else the earliest paper that links to it."""
    # Imported here: importing kg.link loads the vocabulary and spaCy, which `kg query`
    # and the other commands that import the exporters must not pay for.
    from kg.link.senses import is_long_form_of

    node_data = graph._node  # networkx's dict behind graph.nodes
    by_label: dict[str, list[str]] = defaultdict(list)
    for node in entities:
        by_label[(node_data[node].get("label") or node).casefold()].append(node)
    notes = {}
    for nodes in by_label.values():
        if len(nodes) < 2:
            continue
        for node in nodes:
            data = node_data[node]
            label = data.get("label") or node
            long_form = next(
                (alias for alias in data.get("aliases", ()) if is_long_form_of(alias, label)),
                None,
            )
            if long_form is not None:
                notes[node] = long_form
                continue
            introducers = links.papers(node, INTRODUCES)
            papers = introducers or tuple(
                paper for relation in RELATIONS for paper in links.papers(node, relation)
            )
            if not papers:
                continue
            # The earliest paper (undated ones last, ties by id).
            first = node_data[min(papers, key=lambda p: (node_data[p].get("year") or 9999, p))]
            title = shorten(first.get("label") or "", SENSE_TITLE_CHARS)
            year = f" ({first['year']})" if first.get("year") is not None else ""
            verb = "introduced in" if introducers else "in"
            notes[node] = f"{verb} \u201c{title}\u201d{year}"
    return notes


def shorten(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + "\u2026"


def lineage_data(
    graph: nx.MultiDiGraph, index: _Index, steps: list[analysis.Derivation], top_models: list[str]
) -> dict[str, Any]:
    """Each model's children in `analysis.lineage`'s visiting order, and the models to offer.

    The page walks these lists breadth first, as `analysis.lineage` does.
    """
    children = analysis.children_of(graph, steps)
    ordered = {
        parent: [[step.child, index.paper(step.paper)] for step in parent_steps]
        for parent, parent_steps in children.items()
    }
    # The picker offers the models with the most direct descendants (counting a whole
    # tree for every model is quadratic at field size); any model opens from its panel.
    offered = sorted(
        ordered, key=lambda node: (-len(ordered[node]), graph.nodes[node].get("label", node), node)
    )[:LINEAGE_OFFERED]
    descendants = {node: len(analysis.lineage(graph, node, children)) - 1 for node in offered}
    roots = sorted(
        offered,
        key=lambda node: (-descendants[node], graph.nodes[node].get("label", node), node),
    )
    default = next((node for node in top_models if node in ordered), roots[0] if roots else None)
    return {
        "children": ordered,
        "roots": [[node, descendants[node]] for node in roots],
        "default": default,
    }


@dataclass(frozen=True)
class MapPlan:
    """The entity map but its layout: how many papers link to each entity (`reach`), the
    most linked (`candidates`), the papers each pair of them shares, the strongest of those
    links (sorted pairs), and the main connected cluster they make (`drawn`)."""

    reach: dict[str, int]
    candidates: list[str]
    shared_papers: dict[tuple[str, str], int]
    strongest: list[tuple[str, str]]
    drawn: nx.Graph

    @classmethod
    def of(cls, graph: nx.MultiDiGraph, links: analysis.PaperLinks, entities: list[str]) -> MapPlan:
        """The plan for `entities` (every entity of the graph)."""
        node_data = graph._node  # networkx's dict behind graph.nodes
        reach = {node: links.reach(node) for node in entities}
        shared = [node for node in entities if reach[node] >= 2]
        # The first of them by reach (ties by label and id), without sorting them all.
        candidates = heapq.nsmallest(
            MAP_ENTITIES,
            shared if len(shared) >= 20 else entities,
            key=lambda node: (-reach[node], node_data[node].get("label", node), node),
        )
        shared_papers = analysis.entity_links(graph, candidates)
        neighbours: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for (first, second), weight in shared_papers.items():
            neighbours[first].append((-weight, second))
            neighbours[second].append((-weight, first))
        strongest = sorted(
            {
                tuple(sorted((node, other)))
                for node, ties in neighbours.items()
                for _, other in sorted(ties)[:MAP_LINKS_PER_ENTITY]
            }
        )
        drawn = nx.Graph()
        drawn.add_weighted_edges_from((a, b, shared_papers[(a, b)]) for a, b in strongest)
        if drawn:
            main = min(nx.connected_components(drawn), key=lambda part: (-len(part), min(part)))
            # Rebuilt in sorted order: a subgraph view may iterate the set `main`, whose order
            # changes with the string hash seed, and the layout depends on the node order.
            drawn = nx.Graph()
            drawn.add_nodes_from(sorted(main))
            drawn.add_weighted_edges_from(
                (a, b, shared_papers[(a, b)]) for a, b in strongest if a in main
            )
        return cls(reach, candidates, shared_papers, strongest, drawn)

    def layout(self) -> Callable[[], Positions]:
        """How to compute the map's positions: picklable, so the drawing process may."""
        return functools.partial(map_layout, self.drawn, {n: self.reach[n] for n in self.drawn})


def map_data(graph: nx.MultiDiGraph, plan: MapPlan, positions: Positions) -> dict[str, Any]:
    """The entity map: the most linked entities, placed and coloured by community.

    Papers are folded into links: two entities are linked by the number of papers
    that link to both; each entity keeps its strongest few links. Drawn is the main
    connected cluster of those: entities sharing no paper with it would float far
    out and shrink the rest (search and panels still find them). Communities are
    networkx's Louvain on the link weights; the layout is networkx's ForceAtlas2,
    computed here so the page opens settled and the bytes are always the same.
    """
    reach, shared_papers, drawn = plan.reach, plan.shared_papers, plan.drawn
    chosen = [node for node in plan.candidates if node in drawn]
    weighted = nx.Graph()
    weighted.add_nodes_from(chosen)
    weighted.add_weighted_edges_from(
        (a, b, w) for (a, b), w in shared_papers.items() if a in drawn and b in drawn
    )
    communities = sorted(
        nx.community.louvain_communities(weighted, weight="weight", seed=LAYOUT_SEED),
        key=lambda members: (-sum(reach[m] for m in members), min(members)),
    )
    community_of = {node: number for number, members in enumerate(communities) for node in members}
    nodes = []
    for node in chosen:
        x, y = positions[node]
        community = community_of[node]
        coloured = community < len(COMMUNITY_COLORS) and len(communities[community]) > 1
        nodes.append(
            {
                "id": node,
                "label": graph.nodes[node].get("label") or node,
                "type": display_type(graph.nodes[node]),
                "papers": reach[node],
                "community": community,
                "color": COMMUNITY_COLORS[community] if coloured else SMALL_COMMUNITY_COLOR,
                "x": round(x, 1),
                "y": round(y, 1),
            }
        )
    edges = [
        {"from": a, "to": b, "papers": shared_papers[(a, b)]}
        for a, b in plan.strongest
        if a in drawn and b in drawn
    ]
    return {
        "nodes": nodes,
        "edges": edges,
        "communities": len(communities),
        "candidates": len(plan.candidates),
        "entitiesTotal": len(reach),
    }


def map_radius(papers: int, fewest: int, most: int) -> float:
    """A node's radius on the map, as vis-network scales `value` (6 to 42 pixels)."""
    share = 0.5 if most == fewest else (papers - fewest) / (most - fewest)
    return 6 + 36 * share


def map_layout(drawn: nx.Graph, reach: dict[str, int]) -> Positions:
    """ForceAtlas2 (networkx's, computed by `kg.export.layout`) with node sizes, so hubs
    keep room for their labels; gravity keeps entities without links near the rest."""
    from kg.export.layout import forceatlas2  # numpy with it: only a page draws a map

    if not drawn:
        return {}
    fewest = min(reach[node] for node in drawn)
    most = max(reach[node] for node in drawn)
    sizes = {node: map_radius(reach[node], fewest, most) for node in drawn}
    positions = forceatlas2(
        drawn, sizes=sizes, max_iter=400, scaling_ratio=MAP_SPREAD, gravity=1.0, seed=LAYOUT_SEED
    )
    return {node: (float(x), float(y)) for node, (x, y) in positions.items()}
