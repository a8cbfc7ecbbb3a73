"""`kg stats`: the figures that tell whether a graph can be trusted, as a plain dict.

Counts by node kind and relation; the top entities per relation; entities that
several papers claim to introduce; paper -> paper edges against year order;
acronyms with several senses; the modality distribution. `graph_stats` works on
the in-memory graph (`KnowledgeGraph.graph`); `read_graphml` loads an export's
GraphML lean enough for an 88k-paper graph in seconds.

"Top entities per relation" ranks entities by the number of DISTINCT papers with
a paper -> entity edge of that relation (paper -> paper edges not counted), ties
by label: the definition the HTML report and the README share.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ElementTree
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import networkx as nx

from kg.export.graphml import LIST_ATTRIBUTES, split_list
from kg.records import ENTITY_TYPES, INTRODUCES, PAPER, RELATIONS, USES_MODALITY

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
# Only what the statistics read: abstracts and evidence sentences stay on disk.
NODE_ATTRIBUTES = frozenset({"kind", "label", "year", "aliases", "concept", "broader"})
EDGE_ATTRIBUTES = frozenset({"relation", "rule", "via"})


class StatsError(Exception):
    """The export cannot be read (missing, not GraphML, malformed)."""


def read_graphml(path: str | os.PathLike) -> nx.MultiDiGraph:
    """The graph of a `graph.graphml` export, with the attributes the statistics use."""
    graph = nx.MultiDiGraph()
    try:
        for _, element in ElementTree.iterparse(path, events=("end",)):
            if element.tag == GRAPHML + "node":
                graph.add_node(element.get("id"), **_data(element, NODE_ATTRIBUTES))
                element.clear()
            elif element.tag == GRAPHML + "edge":
                data = _data(element, EDGE_ATTRIBUTES)
                graph.add_edge(
                    element.get("source"), element.get("target"), key=data.get("relation"), **data
                )
                element.clear()
    except (OSError, ElementTree.ParseError) as error:
        raise StatsError(f"{path}: cannot read the GraphML export: {error}") from error
    return graph


def _data(element: ElementTree.Element, wanted: frozenset[str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for child in element:
        key = child.get("key")
        if key not in wanted:
            continue
        text = child.text or ""
        if key == "year":
            data[key] = int(text)
        elif key in LIST_ATTRIBUTES:
            data[key] = split_list(text) if text else []
        else:
            data[key] = text
    return data


def export_graphml(path: str | os.PathLike) -> Path:
    """The GraphML file of an export given as its folder, graph.graphml or graph.ttl."""
    given = Path(path)
    if not given.exists():
        raise StatsError(f"{given}: no such file or folder")
    path = given / "graph.graphml" if given.is_dir() else given
    if path.suffix != ".graphml":
        path = path.with_name("graph.graphml")
    if not path.is_file():
        raise StatsError(f"{path}: no GraphML export here (kg build writes it beside graph.ttl)")
    return path


def _is_paper(graph: nx.MultiDiGraph, node: str) -> bool:
    return graph.nodes[node].get("kind") == PAPER


def _label(graph: nx.MultiDiGraph, node: str) -> str:
    return graph.nodes[node].get("label", node)


def top_entities(graph: nx.MultiDiGraph, relation: str, n: int) -> list[dict[str, Any]]:
    """The `n` entities with the most distinct papers linking to them by `relation`."""
    return ranked_entities(graph, linking_counts(graph, [relation])[relation], n)


def linking_counts(graph: nx.MultiDiGraph, relations: list[str]) -> dict[str, dict[str, int]]:
    """For each of `relations`: entity -> how many nodes link to it by that relation (what
    `top_entities` ranks by), counted for all of them in one pass over the edges."""
    # networkx's dicts behind graph.nodes and graph.pred: its edge views cost more than this.
    node_data = graph._node
    counts: dict[str, dict[str, int]] = {relation: {} for relation in relations}
    for target, sources in graph._pred.items():
        if not sources or node_data[target].get("kind") == PAPER:
            continue
        for keyed in sources.values():
            for relation in keyed:  # a source's edges to a target have distinct relations
                tally = counts.get(relation)
                if tally is not None:
                    tally[target] = tally.get(target, 0) + 1
    return counts


def ranked_entities(graph: nx.MultiDiGraph, papers: dict[str, int], n: int) -> list[dict[str, Any]]:
    """The `n` entities of most `papers` (a `linking_counts` tally), ties by label and id."""
    node_data = graph._node  # networkx's dict behind graph.nodes
    ranked = sorted(
        papers, key=lambda node: (-papers[node], node_data[node].get("label", node), node)
    )
    return [
        {"node": node, "label": node_data[node].get("label", node), "papers": papers[node]}
        for node in ranked[:n]
    ]


def introductions(graph: nx.MultiDiGraph, top: int) -> dict[str, Any]:
    """How many entities several papers claim to introduce, and the worst ones."""
    introducers = Counter(target for _, target, key in graph.edges(keys=True) if key == INTRODUCES)
    worst = sorted(introducers, key=lambda node: (-introducers[node], _label(graph, node), node))
    return {
        "introduced_entities": len(introducers),
        "more_than_1": sum(1 for c in introducers.values() if c > 1),
        "at_least_3": sum(1 for c in introducers.values() if c >= 3),
        "more_than_5": sum(1 for c in introducers.values() if c > 5),
        "worst": [
            {"node": node, "label": _label(graph, node), "papers": introducers[node]}
            for node in worst[:top]
            if introducers[node] > 1
        ],
    }


def paper_edges_in_time(graph: nx.MultiDiGraph, top: int) -> dict[str, Any]:
    """Paper -> paper edges against year order: B builds on A should not precede A."""
    total = dated = backwards = same_year = 0
    by_relation: Counter = Counter()
    backwards_via: Counter = Counter()
    via_count: Counter = Counter()
    for source, target, key, via in graph.edges(keys=True, data="via"):
        if not (_is_paper(graph, source) and _is_paper(graph, target)):
            continue
        total += 1
        by_relation[key] += 1
        via_count[via] += 1
        source_year = graph.nodes[source].get("year")
        target_year = graph.nodes[target].get("year")
        if source_year is None or target_year is None:
            continue
        dated += 1
        if source_year < target_year:
            backwards += 1
            backwards_via[via] += 1
        elif source_year == target_year:
            same_year += 1
    return {
        "edges": total,
        "by_relation": dict(sorted(by_relation.items())),
        "dated": dated,
        "backwards": backwards,
        "backwards_percent": round(100 * backwards / dated, 2) if dated else 0.0,
        "same_year": same_year,
        "top_via": [
            {"node": node, "label": _label(graph, node), "edges": count}
            for node, count in sorted(via_count.items(), key=lambda item: (-item[1], item[0]))[:top]
        ],
        "top_backwards_via": [
            {"node": node, "label": _label(graph, node), "edges": count}
            for node, count in sorted(backwards_via.items(), key=lambda item: (-item[1], item[0]))[
                :top
            ]
        ],
    }


def acronym_senses(graph: nx.MultiDiGraph, top: int) -> dict[str, Any]:
    """Short forms with several senses: entities whose aliases spell out different long
    forms (mixed senses, wrong), and short forms kept apart as several entities (split)."""
    # Imported here: the vocabulary's package loads spaCy, which the HTML export (through
    # kg.analysis) and kg query do not need.
    from kg.extract.vocabulary import name_key
    from kg.link.senses import abbreviates, is_long_form_of, is_short_form, sense_groups

    mixed = []
    by_short_form: dict[str, list[str]] = defaultdict(list)
    for node, data in graph.nodes(data=True):
        if data.get("kind") not in ENTITY_TYPES:
            continue
        label = data.get("label", "")
        if not is_short_form(label):
            continue
        by_short_form[name_key(label)].append(node)
        long_forms = [
            a
            for a in data.get("aliases", [])
            if is_long_form_of(a, label) and abbreviates(label, a)
        ]
        senses = sense_groups(long_forms)
        if len(senses) > 1:
            mixed.append({"node": node, "label": label, "senses": senses})
    mixed.sort(key=lambda item: (-len(item["senses"]), item["label"], item["node"]))
    split = sorted(
        (
            {"short_form": _label(graph, nodes[0]), "nodes": sorted(nodes)}
            for nodes in by_short_form.values()
            if len(nodes) > 1
        ),
        key=lambda item: (-len(item["nodes"]), item["short_form"]),
    )
    return {
        "mixed_entities": len(mixed),
        "mixed": mixed[:top],
        "split_short_forms": len(split),
        "split": split[:top],
    }


def concept_twins(graph: nx.MultiDiGraph, top: int) -> dict[str, Any]:
    """Names split between a vocabulary concept's node and nodes without a concept (a bare
    "COCO" kept apart from dataset/coco): each twin with the papers linking to it."""
    from kg.extract.vocabulary import name_key  # loads spaCy: see acronym_senses

    papers: dict[str, set[str]] = defaultdict(set)
    for source, target in graph.edges():
        if not _is_paper(graph, target):
            papers[target].add(source)
    by_name: dict[str, list[str]] = defaultdict(list)
    for node, data in graph.nodes(data=True):
        if data.get("kind") in ENTITY_TYPES:
            by_name[name_key(data.get("label", ""))].append(node)
    twins = []
    for nodes in by_name.values():
        known = [n for n in nodes if graph.nodes[n].get("concept")]
        apart = [n for n in nodes if not graph.nodes[n].get("concept")]
        if known and apart:
            twins.append(
                {
                    "label": _label(graph, known[0]),
                    "concept_papers": sum(len(papers[n]) for n in known),
                    "apart": [{"node": n, "papers": len(papers[n])} for n in sorted(apart)],
                }
            )
    twins.sort(key=lambda t: (-sum(a["papers"] for a in t["apart"]), t["label"]))
    return {"names": len(twins), "worst": twins[:top]}


def modality_distribution(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Every modality with the number of papers using it, most used first."""
    return top_entities(graph, USES_MODALITY, graph.number_of_nodes())


def graph_stats(graph: nx.MultiDiGraph, top: int = 20) -> dict[str, Any]:
    """Everything `kg stats` prints, as a plain dict (JSON-ready, deterministic)."""
    nodes = Counter(kind for _, kind in graph.nodes(data="kind"))
    entity_edges: Counter = Counter()
    paper_edges: Counter = Counter()
    for source, target, key in graph.edges(keys=True):
        both_papers = _is_paper(graph, source) and _is_paper(graph, target)
        (paper_edges if both_papers else entity_edges)[key] += 1
    papers = [n for n, kind in graph.nodes(data="kind") if kind == PAPER]
    linking = linking_counts(graph, list(RELATIONS))
    return {
        "nodes": {kind: nodes.get(kind, 0) for kind in (PAPER, *ENTITY_TYPES)},
        "papers_with_year": sum(1 for n in papers if graph.nodes[n].get("year") is not None),
        "entity_edges": {relation: entity_edges.get(relation, 0) for relation in RELATIONS},
        "paper_edges": dict(sorted(paper_edges.items())),
        "top": {relation: ranked_entities(graph, linking[relation], top) for relation in RELATIONS},
        "introductions": introductions(graph, top),
        "paper_edges_in_time": paper_edges_in_time(graph, top),
        "acronym_senses": acronym_senses(graph, top),
        "concept_twins": concept_twins(graph, top),
        "modalities": modality_distribution(graph),
    }


def format_json(stats: dict[str, Any]) -> str:
    return json.dumps(stats, indent=2, ensure_ascii=False) + "\n"


def format_table(stats: dict[str, Any]) -> str:
    """The statistics as plain text sections, one ranked list per relation."""
    lines: list[str] = []

    def section(title: str) -> None:
        lines.extend(["", title, "-" * len(title)])

    section("Nodes")
    lines += [f"{count:>9}  {kind}" for kind, count in stats["nodes"].items()]
    lines.append(f"{stats['papers_with_year']:>9}  papers with a year")
    section("Paper -> entity edges")
    lines += [f"{count:>9}  {relation}" for relation, count in stats["entity_edges"].items()]
    section("Paper -> paper edges")
    lines += [f"{count:>9}  {relation}" for relation, count in stats["paper_edges"].items()]
    for relation, entries in stats["top"].items():
        section(f"Top {relation} (distinct papers)")
        lines += [
            f"{rank:>4}. {e['papers']:>6}  {e['label']}  [{e['node']}]"
            for rank, e in enumerate(entries, 1)
        ]
    intro = stats["introductions"]
    section("Entities introduced by several papers")
    lines += [
        f"{intro['introduced_entities']:>9}  entities introduced",
        f"{intro['more_than_1']:>9}  with more than 1 introducing paper",
        f"{intro['at_least_3']:>9}  with 3 or more",
        f"{intro['more_than_5']:>9}  with more than 5",
    ]
    lines += [f"    {e['papers']:>6}  {e['label']}  [{e['node']}]" for e in intro["worst"]]
    time = stats["paper_edges_in_time"]
    section("Paper -> paper edges against year order")
    lines += [
        f"{time['edges']:>9}  paper -> paper edges",
        f"{time['dated']:>9}  with both years known",
        f"{time['backwards']:>9}  pointing at a later paper"
        f" ({time['backwards_percent']}% of the dated ones)",
        f"{time['same_year']:>9}  within one year",
        "  most paper -> paper edges via:",
    ]
    lines += [f"    {e['edges']:>6}  {e['label']}  [{e['node']}]" for e in time["top_via"]]
    lines.append("  most backwards edges via:")
    lines += [
        f"    {e['edges']:>6}  {e['label']}  [{e['node']}]" for e in time["top_backwards_via"]
    ]
    senses = stats["acronym_senses"]
    section("Acronyms with several senses")
    lines += [
        f"{senses['mixed_entities']:>9}  entities carrying long forms of different senses",
        f"{senses['split_short_forms']:>9}  short forms kept apart as several entities",
    ]
    for entry in senses["mixed"]:
        spelled = " | ".join(" / ".join(group) for group in entry["senses"])
        lines.append(f"    mixed  {entry['label']}  [{entry['node']}]: {spelled}")
    for entry in senses["split"]:
        lines.append(f"    split  {entry['short_form']}: {', '.join(entry['nodes'])}")
    twins = stats["concept_twins"]
    section("Known names also kept apart from their concept")
    lines.append(f"{twins['names']:>9}  names with a concept node and nodes without one")
    for entry in twins["worst"]:
        apart = ", ".join(f"{a['node']} ({a['papers']})" for a in entry["apart"])
        lines.append(f"    {entry['label']} ({entry['concept_papers']} papers): {apart}")
    section("Modalities (papers)")
    lines += [f"{e['papers']:>9}  {e['label']}" for e in stats["modalities"]]
    return "\n".join(lines[1:]) + "\n"
