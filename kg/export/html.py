"""A single-file, offline HTML view of the graph: overview charts, entity map, lineage
and the paper graph (docs/views.md), the networks drawn by vis-network.

The page inlines everything it needs: vis-network's JS and CSS, read at export
time from the installed pyvis package, the overview's SVG charts (`charts.py`),
our own scripts and style, and the data as JSON in two `<script
type="application/json">` elements (the views' from `views.py`, the paper
graph's from here). It loads nothing
from the network and uses no web fonts. Tooltips are built as DOM elements
from that JSON, so titles are shown as text, never parsed as HTML.

pyvis's `Network` is not used to assemble the data: its `add_edge` looks the
endpoints up in a list, which is quadratic and too slow beyond a few thousand
nodes; the node and edge dicts here are the vis-network format it would emit.
"""

from __future__ import annotations

import heapq
import importlib.util
import itertools
import json
import math
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import jinja2
import networkx as nx

from kg.analysis import PaperLinks
from kg.export.atomic import atomic_write
from kg.export.drawer import running as running_drawer
from kg.export.forked import run_at_once
from kg.export.style import NODE_STYLES, RELATION_COLORS, display_type
from kg.export.views import Overview, Positions, chart_svgs, shorten, view_data

TEMPLATES = Path(__file__).parent / "templates"
# The page's own scripts, in load order: helpers, search, the paper graph, the views.
SCRIPTS = ("dom.js", "search.js", "graph.js", "views.js")
VIS_VERSION = "vis-9.1.2"

CANVAS_LABEL_CHARS = 32
TOOLTIP_ABSTRACT_CHARS = 320
# Fewer stabilisation iterations as the graph grows keep a 5,000-node layout to seconds.
STABILIZATION_BUDGET = 250_000
# Above this many nodes, or when cut, the page starts from precomputed positions (see
# `seed_positions`) with the settings of a large graph.
LARGE_GRAPH = 1000
# vis-network lays out some 20k edges in seconds; the 140k among the 5,000 most connected
# nodes of the 88k-paper graph froze the tab, so the paper view also stops at this many.
EDGE_BUDGET = 20_000
# A graph that must be cut is drawn with at most this many nodes: 5,000 of the 88k-paper
# graph took 23 s to lay out and read as one ring; a thousand settle in a few seconds.
CUT_VIEW_NODES = 1000
LARGE_LABEL_PIXELS = 11
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
SPIRAL_SPACING = 50.0
# The name of the entity map's layout among the drawing process's drawings.
MAP_LAYOUT = "map layout"
# `script_json` encodes a long list this many items at a time.
JSON_SLICE = 2000


@dataclass(frozen=True)
class HtmlSummary:
    """What the page shows: nodes and edges drawn, out of how many, and whether it was cut."""

    nodes_drawn: int
    edges_drawn: int
    nodes_total: int
    edges_total: int
    truncated: bool


def write_html(
    graph: nx.MultiDiGraph,
    path: Path,
    *,
    max_nodes: int | None = 5000,
    draw_aside: bool = False,
) -> HtmlSummary:
    """Write an offline HTML view of `graph`; its paper view keeps the `max_nodes` most
    connected nodes (fewer when their edges would pass `EDGE_BUDGET`). With `draw_aside`,
    the charts are drawn (and the entity map laid out, by the drawing process when it runs)
    in another process while this one computes the rest."""
    overview = Overview.of(graph)
    layout = overview.entity_map.layout()

    def page_without_charts(
        map_positions: Callable[[], Positions] = layout,
    ) -> tuple[HtmlSummary, dict[str, Any]]:
        drawn = DrawnPart.of(graph, most_connected(graph, max_nodes, links=overview.links))
        summary = HtmlSummary(
            nodes_drawn=len(drawn.nodes),
            edges_drawn=len(drawn.edges),
            nodes_total=graph.number_of_nodes(),
            edges_total=overview.links.edge_count(),
            truncated=len(drawn.nodes) < graph.number_of_nodes(),
        )
        return summary, page_fields(graph, drawn, summary, overview, map_positions)

    drawer = running_drawer() if draw_aside else None
    if drawer is not None:
        # The drawer lays the map out, then draws the charts, while this process computes
        # the rest: each waits for the other only where it needs its answer (the map's
        # positions last in the views' data, the charts at the end).
        drawer.send({MAP_LAYOUT: layout})
        drawer.send(overview.drawings())
        summary, fields = page_without_charts(lambda: _laid_out(drawer.answer(), layout))
        svgs = drawer.answer()
        if svgs is None:
            svgs = chart_svgs(overview)
    elif draw_aside and overview.drawings():
        (summary, fields), svgs = run_at_once(
            [[page_without_charts], [lambda: chart_svgs(overview)]]
        )
    else:
        (summary, fields), svgs = page_without_charts(), chart_svgs(overview)
    with atomic_write(path, "wb") as handle:
        write_page(handle, fields, svgs)
    return summary


def _laid_out(answer: dict[str, Any] | None, layout: Callable[[], Positions]) -> Positions:
    """The map's positions from the drawer's `answer`, or computed here when it has none
    (gone, or its layout failed: computing it here meets the error)."""
    return layout() if answer is None else answer[MAP_LAYOUT]


def most_connected(
    graph: nx.MultiDiGraph,
    max_nodes: int | None,
    max_edges: int = EDGE_BUDGET,
    *,
    links: PaperLinks | None = None,
) -> list[str]:
    """The most connected part of `graph`, sorted by id; all of it when `max_nodes` is None
    or the whole graph fits in `max_nodes` and `max_edges`.

    Grown best first: from the node of highest degree, always the node of highest degree
    (ties by id) among the neighbours of what is kept, so every node drawn links to the
    rest (the top nodes by degree alone are hubs and papers that mostly share no edge);
    a new component starts only when the kept part has no neighbour left. Stops at
    `max_nodes` (and `CUT_VIEW_NODES`) nodes, or before the edges among them pass
    `max_edges`. The nodes' degrees are read from `links` (the graph's, made when None).
    """
    if max_nodes is None:
        return sorted(graph.nodes)
    links = links or PaperLinks.of(graph)
    if graph.number_of_nodes() <= max_nodes and links.edge_count() <= max_edges:
        return sorted(graph.nodes)
    # networkx's dicts behind graph.succ and graph.pred: its views cost more than the work.
    successors, predecessors = graph._succ, graph._pred
    degree = links.degree
    # The starts of components, best first: the first is the node of most edges (ties by
    # id); a heap of them all is made only if the first component runs out of neighbours.
    most = max(degree.values())
    starts = [(-most, min(node for node, count in degree.items() if count == most))]
    every_start_queued = False
    limit = min(max_nodes, CUT_VIEW_NODES, len(degree))
    kept: set[str] = set()
    queued: set[str] = set()  # kept or in the frontier: a hub's neighbours are queued once
    frontier: list[tuple[int, str]] = []
    edges = 0
    while len(kept) < limit:
        if frontier:
            _, node = heapq.heappop(frontier)
        else:
            if starts[0][1] in kept and not every_start_queued:
                starts = [(-count, node) for node, count in degree.items()]
                heapq.heapify(starts)
                every_start_queued = True
            while starts[0][1] in kept:
                heapq.heappop(starts)
            node = starts[0][1]
        added = _edges_to(successors[node], kept) + _edges_to(predecessors[node], kept)
        if edges + added > max_edges:
            break
        kept.add(node)
        queued.add(node)
        edges += added
        for other in itertools.chain(predecessors[node], successors[node]):
            if other not in queued:
                queued.add(other)
                heapq.heappush(frontier, (-degree[other], other))
    return sorted(kept)


def _edges_to(neighbours: dict[str, dict], kept: set[str]) -> int:
    """How many edges of a node's adjacency `neighbours` (other -> its edges by key) lead to
    `kept`, looking through the smaller of the two."""
    if len(neighbours) > len(kept):
        return sum(len(neighbours[other]) for other in kept if other in neighbours)
    return sum(len(keyed) for other, keyed in neighbours.items() if other in kept)


@dataclass(frozen=True)
class DrawnPart:
    """The nodes the paper view draws (sorted), the edges among them as (source, target,
    relation, data) sorted by the first three, and each node's degree among them."""

    nodes: list[str]
    edges: list[tuple[str, str, str, dict]]
    degree: dict[str, int]

    @classmethod
    def of(cls, graph: nx.MultiDiGraph, nodes: list[str]) -> DrawnPart:
        """The part of `graph` among `nodes` (sorted ids), read from the adjacency dicts: a
        subgraph view filters a hub's every neighbour at each look."""
        kept = set(nodes)
        successors = graph._succ
        edges = []
        degree = dict.fromkeys(nodes, 0)
        for source in nodes:
            for target in sorted(other for other in successors[source] if other in kept):
                keyed = successors[source][target]
                for relation in sorted(keyed):
                    edges.append((source, target, relation, keyed[relation]))
                    degree[source] += 1
                    degree[target] += 1
        return cls(nodes, edges, degree)


def page_fields(
    graph: nx.MultiDiGraph,
    drawn: DrawnPart,
    summary: HtmlSummary,
    overview: Overview,
    map_positions: Callable[[], Positions],
) -> dict[str, Any]:
    """What the page's template shows but the charts, for the `drawn` part of the graph
    (`map_positions` gives the entity map's layout)."""
    nodes = [
        vis_node(graph, node_id, drawn.degree[node_id], overview.links) for node_id in drawn.nodes
    ]
    large = summary.truncated or len(nodes) > LARGE_GRAPH
    if large:
        positions = seed_positions(graph, drawn)
        for node in nodes:
            node["x"], node["y"] = positions[node["id"]]
    edges = [vis_edge(index, *edge) for index, edge in enumerate(drawn.edges)]
    type_counts = Counter(node["type"] for node in nodes)
    relation_counts = Counter(edge["relation"] for edge in edges)
    views = view_data(graph, overview, map_positions)
    page_data = {
        "nodes": nodes,
        "edges": edges,
        "styles": {name: {"shape": s, "color": c} for name, (s, c) in NODE_STYLES.items()},
        "relationColors": RELATION_COLORS,
        "options": vis_options(len(nodes), len(edges), large=large),
    }
    return dict(
        summary=summary,
        counts_text=counts_text(summary),
        node_types=[(name, *NODE_STYLES[name], type_counts[name]) for name in NODE_STYLES],
        relations=[
            (name, RELATION_COLORS[name], relation_counts[name]) for name in RELATION_COLORS
        ],
        totals_text=totals_text(views["totals"]),
        map_text=map_text(views["map"]),
        trend_note=trend_note(views["totals"]),
        views_data=script_json(views),
        vis_css=inline_safe(_vis_asset("vis-network.css"), "style"),
        vis_js=inline_safe(_vis_asset("vis-network.min.js"), "script"),
        page_css=inline_safe((TEMPLATES / "graph.css").read_text(encoding="utf-8"), "style"),
        page_js=inline_safe(
            "\n".join((TEMPLATES / name).read_text(encoding="utf-8") for name in SCRIPTS),
            "script",
        ),
        page_data=script_json(page_data),
    )


# The page's largest parts (megabytes at field size), written into the file as they are:
# through the template, each would be copied several times (escaped as safe, joined).
LARGE_PARTS = ("vis_css", "page_css", "views_data", "page_data", "vis_js", "page_js")


def write_page(handle: IO[bytes], fields: dict[str, Any], svgs: dict[str, str]) -> None:
    """Write the page, UTF-8, into `handle`: `page_fields` and the charts' SVG in its
    template."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    # The template gets a mark for each large part; jinja yields every `{{ ... }}` as a
    # chunk of its own, so a chunk equal to a mark is where that part goes.
    marks = {f"\x00{name}\x00": name for name in LARGE_PARTS}
    small = {name: value for name, value in fields.items() if name not in LARGE_PARTS}
    placed = []
    text: list[str] = []
    for chunk in environment.get_template("graph.html.j2").generate(
        svgs=svgs, **small, **{name: mark for mark, name in marks.items()}
    ):
        name = marks.get(chunk)
        if name is None:
            text.append(chunk)
            continue
        handle.write("".join(text).encode("utf-8"))
        text.clear()
        part = fields[name]
        if isinstance(part, str):
            handle.write(part.encode("utf-8"))
        else:
            handle.writelines(part)  # `script_json`'s parts
        placed.append(name)
    handle.write("".join(text).encode("utf-8"))
    if sorted(placed) != sorted(LARGE_PARTS):
        raise RuntimeError(f"the page's template placed {placed}, not each of {LARGE_PARTS} once")


def totals_text(totals: dict[str, Any]) -> str:
    """The overview's headline: what the graph holds."""
    years = totals["years"]
    if years is None:
        span = "no paper has a year"
    elif years[0] == years[1]:
        span = f"{totals['papersWithYear']:,} with a year, all {years[0]}"
    else:
        span = f"{totals['papersWithYear']:,} with a year, {years[0]}\u2013{years[1]}"
    return (
        f"{totals['papers']:,} papers ({span}); {totals['models']:,} models, of which"
        f" {totals['baseModels']:,} are built on; {totals['datasets']:,} datasets;"
        f" {totals['modalities']:,} modalities."
    )


def map_text(entity_map: dict[str, Any]) -> str:
    """What the entity map draws, out of how much."""
    return (
        f"The main cluster of the entities most papers link to: {len(entity_map['nodes']):,}"
        f" of the top {entity_map['candidates']:,} (of {entity_map['entitiesTotal']:,} entities)."
        " A line joins two entities papers share, thicker for more papers; colours are"
        f" {entity_map['communities']:,} communities (Louvain). Labels: the hubs that fit;"
        " zoom for more. Click an entity for its papers."
    )


def trend_note(totals: dict[str, Any]) -> str:
    """A caveat under the trend chart when years cannot show a trend."""
    years = totals["years"]
    if years is None:
        return "No paper has a year, so there is no trend to draw."
    if years[0] == years[1]:
        return f"Every dated paper is from {years[0]}: a trend needs papers from several years."
    return "Click a point for the papers of that year."


def counts_text(summary: HtmlSummary) -> str:
    """The line that says how much of the graph is drawn."""
    if summary.truncated:
        return (
            f"showing {summary.nodes_drawn:,} of {summary.nodes_total:,} nodes, the most connected"
            f" that link to each other ({summary.edges_drawn:,} of {summary.edges_total:,} edges);"
            " zoom in for labels. The search box at the top finds every entity and linked paper."
        )
    return f"{summary.nodes_drawn:,} nodes, {summary.edges_drawn:,} edges"


def vis_node(
    graph: nx.MultiDiGraph, node_id: str, degree: int, links: PaperLinks
) -> dict[str, Any]:
    """A vis-network node with the fields the page's tooltips and search read (`links`: the
    graph's paper links)."""
    data = graph.nodes[node_id]
    name = data.get("label") or node_id
    node: dict[str, Any] = {
        "id": node_id,
        "label": shorten(name, CANVAS_LABEL_CHARS),
        "name": name,
        "type": display_type(data),
        "value": degree,
    }
    if data.get("kind") == "Paper":
        for field in ("year", "url", "doi"):
            if data.get(field) is not None:
                node[field] = data[field]
        if data.get("authors"):
            node["authors"] = list(data["authors"])
        if data.get("abstract"):
            node["abstract"] = shorten(data["abstract"], TOOLTIP_ABSTRACT_CHARS)
        if data.get("code_urls"):
            node["codeUrls"] = list(data["code_urls"])
    else:
        if data.get("aliases"):
            node["aliases"] = list(data["aliases"])
        used_by = links.by_entity.get(node_id, {})  # relation -> the papers linking by it
        node["usedBy"] = {relation: len(used_by[relation]) for relation in sorted(used_by)}
    return node


def vis_edge(index: int, source: str, target: str, relation: str, data: dict) -> dict[str, Any]:
    """A vis-network edge with its relation and evidence for the tooltip."""
    edge: dict[str, Any] = {
        "id": f"e{index}",
        "from": source,
        "to": target,
        "relation": data.get("relation", relation),
    }
    for field in ("sentence", "rule", "confidence", "via"):
        if data.get(field) is not None:
            edge[field] = data[field]
    return edge


def seed_positions(graph: nx.MultiDiGraph, drawn: DrawnPart) -> dict[str, tuple[float, float]]:
    """Starting positions that let a large layout settle in few physics iterations.

    vis-network's physics costs about 0.1 s an iteration at 5,000 nodes, too slow
    to untangle random positions. So: entities on a sunflower spiral, most
    connected in the middle; each paper beside the mean of its entities.
    """
    node_data, successors, predecessors = graph._node, graph._succ, graph._pred
    ranked = sorted(drawn.nodes, key=lambda node: (-drawn.degree[node], node))
    entities = [node for node in ranked if node_data[node].get("kind") != "Paper"]
    positions = {node: _spiral(rank) for rank, node in enumerate(entities)}
    placed_entities = set(entities)
    loose = []
    for node in ranked:
        if node in positions:
            continue
        # Its drawn neighbours in networkx's order (predecessors, then successors), which
        # decides the order of the float sums below.
        anchors = [
            positions[n]
            for n in itertools.chain(predecessors[node], successors[node])
            if n in placed_entities
        ]
        if not anchors:
            loose.append(node)
            continue
        x = sum(a[0] for a in anchors) / len(anchors)
        y = sum(a[1] for a in anchors) / len(anchors)
        # A fixed offset per paper (from its id) keeps papers of the same entities apart.
        turn = zlib.crc32(node.encode("utf-8"))
        angle, distance = (turn % 3600) / 3600 * 2 * math.pi, 20 + (turn // 3600) % 60
        positions[node] = (
            round(x + distance * math.cos(angle), 1),
            round(y + distance * math.sin(angle), 1),
        )
    for rank, node in enumerate(loose, start=len(entities)):
        positions[node] = _spiral(rank)
    return positions


def _spiral(rank: int) -> tuple[float, float]:
    radius = SPIRAL_SPACING * math.sqrt(rank)
    angle = rank * GOLDEN_ANGLE
    return round(radius * math.cos(angle), 1), round(radius * math.sin(angle), 1)


def vis_options(node_count: int, edge_count: int = 0, *, large: bool = False) -> dict[str, Any]:
    """Physics that settles and then stops; cheaper settings for large graphs, whose labels
    show only once zoomed in enough to read them."""
    return {
        "layout": {"randomSeed": 7, "improvedLayout": not large},
        "physics": {
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -2500,
                "centralGravity": 0.8,
                "springLength": 80,
                "springConstant": 0.05,
                "damping": 0.5,
                "avoidOverlap": 0 if large else 0.6,
                # A coarser Barnes-Hut approximation halves the cost of an iteration.
                "theta": 1.0 if large else 0.5,
            },
            "minVelocity": 1.0,
            "stabilization": {
                "enabled": True,
                # An iteration costs about as much per edge as per node.
                "iterations": max(
                    50, min(1000, STABILIZATION_BUDGET // max(node_count + edge_count, 1))
                ),
                "updateInterval": 25,
                "fit": True,
            },
        },
        "nodes": {
            "scaling": {
                "min": 8,
                "max": 36,
                "label": {
                    "enabled": True,
                    "min": 14,
                    "max": 28,
                    # On-screen pixels below which vis-network leaves a label out.
                    "drawThreshold": LARGE_LABEL_PIXELS if large else 5,
                },
            },
            "font": {"face": "sans-serif", "size": 13, "strokeWidth": 3, "strokeColor": "#ffffff"},
            "borderWidth": 1,
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "smooth": False if large else {"type": "continuous", "roundness": 0.3},
            "width": 1.2,
            "hoverWidth": 1.5,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": large,
            "navigationButtons": False,
        },
    }


def script_json(data: Any) -> list[bytes | memoryview]:
    """JSON, UTF-8, safe inside a `<script>` element: `<`, `>` and `&` written as unicode
    escapes (replaced in the bytes: several times faster than in a text of wide characters,
    and the bytes of these three are never part of another character's).

    In parts, the bytes of one encoding once written one after the other: a dict is encoded
    a value at a time, and a long list among them a slice at a time, and the parts are never
    joined. One emoji makes a whole text four bytes a character: at once, the views' text
    alone was some 70 MB of fresh memory (tens of thousands of page faults, dearer still in
    a forked writer); joined, their bytes were another 18 MB at field size."""
    if not isinstance(data, dict) or not all(isinstance(key, str) for key in data):
        return [_script_json(data)]
    parts: list[bytes | memoryview] = [b"{"]
    for key, value in data.items():
        if len(parts) > 1:
            parts.append(b",")
        parts += (_script_json(key), b":")
        if isinstance(value, list) and len(value) > JSON_SLICE:
            parts.append(b"[")
            for start in range(0, len(value), JSON_SLICE):
                if start:
                    parts.append(b",")
                # The slice's items, without its brackets (a view: not copied).
                parts.append(memoryview(_script_json(value[start : start + JSON_SLICE]))[1:-1])
            parts.append(b"]")
        else:
            parts.append(_script_json(value))
    parts.append(b"}")
    return parts


def _script_json(data: Any) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    escaped = text.encode("utf-8").replace(b"<", b"\\u003c").replace(b">", b"\\u003e")
    return escaped.replace(b"&", b"\\u0026")


def inline_safe(text: str, tag: str) -> str:
    """`text` for inlining in a `<tag>` element; fail rather than let it close the element."""
    if f"</{tag}" in text.lower():
        raise ValueError(f"cannot inline text containing </{tag}")
    return text


def _vis_asset(name: str) -> str:
    # Found, not imported: importing pyvis loads its Network class and more (0.2 s).
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("pyvis is not installed: the page needs its vis-network files")
    folder = Path(spec.submodule_search_locations[0])
    return (folder / "lib" / VIS_VERSION / name).read_text(encoding="utf-8")
