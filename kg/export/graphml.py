"""GraphML export for Gephi, Cytoscape, networkx and igraph.

The file carries the attributes of docs/graph-schema.md as typed GraphML keys
(`attr.type` string, int, double or boolean), each key's id equal to its
`attr.name`. Node ids are the graph's node ids. Choices a reader should know:

- List attributes (`authors`, `sources`, `code_urls`, `aliases`, `broader`)
  are one string, items joined by `|`; a `\\` or `|` inside an item is
  written `\\\\` or `\\|`. `split_list` reverses it.
- An attribute the node or edge lacks (a paper without `year`) and an empty
  list are left out, never written as "None" or 0; readers see them absent
  (igraph: NaN for numbers, "" for strings). An empty string stays "".
- Edges carry no GraphML id: a `(source, target, relation)` triple is
  unique, and the `relation` key names the edge.
- Characters XML 1.0 forbids (control characters, lone surrogates) are
  dropped; a carriage return is kept as `&#13;`.
- Drawing attributes under the names Gephi's importer maps to its own
  colour, size and weight (Cytoscape can map them too): nodes carry `r`,
  `g`, `b` (the HTML view's colour for the node's type) and `size` (8 to 36
  by degree, as the HTML scales nodes); edges carry `r`, `g`, `b` (the
  relation's colour, under key ids `edge_r`... since node keys hold `r`) and
  `weight` (the evidence's confidence, 1.0 when it has none). `VIZ_KEYS`
  lists them; readers that do not draw can ignore them.

Nodes are written sorted by id and edges by (source, target, relation), so
the same graph always gives the same bytes. The writer streams text instead
of building an XML tree, which keeps a 150k-node graph within seconds.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx

from kg.export.atomic import atomic_write
from kg.export.fragments import CachedWriting, ExportCache, PieceWriter, Warn
from kg.export.style import NODE_STYLES, RELATION_COLORS, display_type, rgb

# (attribute name, GraphML attr.type), in the order they are declared and written.
NODE_KEYS: tuple[tuple[str, str], ...] = (
    ("kind", "string"),
    ("label", "string"),
    ("title", "string"),
    ("abstract", "string"),
    ("year", "int"),
    ("url", "string"),
    ("doi", "string"),
    ("arxiv_id", "string"),
    ("authors", "string"),
    ("sources", "string"),
    ("code_urls", "string"),
    ("aliases", "string"),
    ("concept", "string"),
    ("is_base_model", "boolean"),
    ("broader", "string"),
)
EDGE_KEYS: tuple[tuple[str, str], ...] = (
    ("relation", "string"),
    ("sentence", "string"),
    ("start", "int"),
    ("end", "int"),
    ("rule", "string"),
    ("confidence", "double"),
    ("via", "string"),
)
# (key id, domain, attribute name, GraphML attr.type) of the drawing attributes.
VIZ_KEYS: tuple[tuple[str, str, str, str], ...] = (
    ("r", "node", "r", "int"),
    ("g", "node", "g", "int"),
    ("b", "node", "b", "int"),
    ("size", "node", "size", "double"),
    ("edge_r", "edge", "r", "int"),
    ("edge_g", "edge", "g", "int"),
    ("edge_b", "edge", "b", "int"),
    ("weight", "edge", "weight", "double"),
)
# A node's text is cached without its `sources` (they name the input file): the keys
# written before and after them.
_SOURCES_AT = [name for name, _ in NODE_KEYS].index("sources")
_NODE_KEYS_BEFORE_SOURCES = NODE_KEYS[:_SOURCES_AT]
_NODE_KEYS_AFTER_SOURCES = NODE_KEYS[_SOURCES_AT + 1 :]
SIZE_RANGE = (8.0, 36.0)
DEFAULT_EDGE_COLOR = "#999999"
LIST_ATTRIBUTES = frozenset({"authors", "sources", "code_urls", "aliases", "broader"})
LIST_SEPARATOR = "|"

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What `_text` changes: markup characters, CR, and what `_XML_FORBIDDEN` drops.
_TEXT_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPED_ITEM = re.compile(r"\\(.)|\|")
# What a one-item list's `join_list` or `_text` changes.
_SOURCE_SPECIAL = re.compile("[\\\\|&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
    ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)


def write_graphml(
    graph: nx.MultiDiGraph,
    path: Path,
    *,
    cache: ExportCache | None = None,
    warn: Warn = lambda message: None,
) -> None:
    """Write `graph` to `path` as GraphML with typed attributes, atomically. With `cache`,
    the elements of nodes written before are taken from it (`kg.export.fragments`)."""
    with atomic_write(path, "wb") as handle:
        _write_body(graph, handle, cache, warn)


def join_list(items: Iterable[str]) -> str:
    """Join list items with `|`, escaping `\\` and `|` inside an item."""
    return LIST_SEPARATOR.join(
        item.replace("\\", "\\\\").replace(LIST_SEPARATOR, "\\" + LIST_SEPARATOR) for item in items
    )


def split_list(value: str) -> list[str]:
    """Split a `join_list` string back into its items."""
    items: list[str] = []
    current: list[str] = []
    position = 0
    for match in _ESCAPED_ITEM.finditer(value):
        current.append(value[position : match.start()])
        if match.group(1) is None:
            items.append("".join(current))
            current = []
        else:
            current.append(match.group(1))
        position = match.end()
    current.append(value[position:])
    items.append("".join(current))
    return items


def _write_body(
    graph: nx.MultiDiGraph, handle: BinaryIO, cache: ExportCache | None, warn: Warn
) -> None:
    """Write the file, a node's element at a time: its attributes before `sources`, its
    sources, its attributes after them, and its drawing attributes (by degree); its edges
    come after all nodes. All but the sources and the drawing are taken from the cache
    when it holds the node's key."""
    lines = [_HEADER]
    for name, attr_type in NODE_KEYS:
        lines.append(_key_line(name, "node", name, attr_type))
    for name, attr_type in EDGE_KEYS:
        lines.append(_key_line(name, "edge", name, attr_type))
    for key_id, domain, name, attr_type in VIZ_KEYS:
        lines.append(_key_line(key_id, domain, name, attr_type))
    lines.append('  <graph id="kg" edgedefault="directed">\n')
    handle.write("".join(lines).encode())
    degrees = _degrees(graph)
    fewest, most = min(degrees.values(), default=0), max(degrees.values(), default=0)
    # Most nodes share a colour and a size: each drawing block (and end tag) is made once.
    node_viz: dict[tuple[str, int], bytes] = {}
    cached = CachedWriting(cache, "graphml", graph, warn)
    keys, used, fresh, index = cached.keys, cached.used, cached.fresh, cached.index
    bounds, split = index.bounds, index.split
    node_data = graph._node  # the dict behind graph.nodes
    out = PieceWriter(handle)
    pieces = out.pieces
    append = pieces.append
    batch = out.BATCH
    edges: list[tuple[memoryview, int, int]] = []  # each node's edges' elements, in a file
    order = sorted(node_data)
    node_keys = [keys.get(node_id) for node_id in order]
    places = list(map(index.position.get, node_keys))  # None where the cache lacks the key
    for node_id, key, place in zip(order, node_keys, places, strict=True):
        data = node_data[node_id]
        kind = data.get("kind", "Paper")  # `display_type`, written out: a call costs more
        if kind == "Model" and data.get("is_base_model"):
            kind = "BaseModel"
        look = (kind, degrees[node_id])
        viz = node_viz.get(look)
        if viz is None:
            viz = node_viz[look] = (
                _node_viz(data, look[1], fewest, most) + "    </node>\n"
            ).encode()
        sources = data.get("sources")
        if place is None:
            parts = _node_parts(graph, node_id, data)
            before, after, node_edges = (part.encode() for part in parts)
            if key is not None:
                fresh[key] = (before, after, node_edges, 0)
                used.append(key)
            append(before)
            if sources:
                append(_sources_line(sources))
            append(after)
            append(viz)
            if node_edges:
                edges.append((memoryview(node_edges), 0, len(node_edges)))
        else:
            texts = index.base if place < split else index.added
            first = 3 * place
            start, middle, end, stop = bounds[first : first + 4]
            if sources:
                append(texts[start:middle])
                append(_sources_line(sources))
                append(texts[middle:end])
            else:
                append(texts[start:end])
            append(viz)
            if stop > end:
                edges.append((texts, end, stop))
            used.append(key)
        if len(pieces) >= batch:
            out.flush()
    # The edges' elements, a slice per run of them that follow one another in a file.
    run: memoryview | None = None
    run_start = run_stop = 0
    for texts, start, stop in edges:
        if texts is not run or start != run_stop:
            if run is not None:
                append(run[run_start:run_stop])
                if len(pieces) >= batch:
                    out.flush()
            run, run_start = texts, start
        run_stop = stop
    if run is not None:
        append(run[run_start:run_stop])
    append(b"  </graph>\n</graphml>\n")
    out.flush()
    cached.save()


def _sources_line(sources: list[str]) -> bytes:
    if len(sources) == 1 and not _SOURCE_SPECIAL.search(sources[0]):
        # Most papers: one record read, nothing to escape in the list or the XML.
        return f'      <data key="sources">{sources[0]}</data>\n'.encode()
    return _data_line("sources", _text(join_list(sources))).encode()


def _degrees(graph: nx.MultiDiGraph) -> dict[str, int]:
    """`dict(graph.degree)`, counted from the edges (most nodes have none of their own)."""
    degrees = dict.fromkeys(graph._node, 0)
    for source, by_target in graph._succ.items():
        for target, by_relation in by_target.items():
            count = len(by_relation)
            degrees[source] += count
            degrees[target] += count
    return degrees


def _node_parts(graph: nx.MultiDiGraph, node_id: str, data: dict[str, Any]) -> tuple[str, str, str]:
    """A node's element up to its `sources` and after them (without the drawing attributes
    and end tag), and its outgoing edges' elements, sorted by target and relation."""
    head = f'    <node id="{_attribute(node_id)}">\n'
    before = head + _data_lines(data, _NODE_KEYS_BEFORE_SOURCES)
    after = _data_lines(data, _NODE_KEYS_AFTER_SOURCES)
    by_target = graph._succ[node_id]  # the dict behind graph.succ[node_id]
    if not by_target:
        return before, after, ""
    source = _attribute(node_id)
    out_edges = sorted(
        (target, relation, attrs)
        for target, by_relation in by_target.items()
        for relation, attrs in by_relation.items()
    )
    edges = [
        _element(
            "edge",
            f'source="{source}" target="{_attribute(target)}"',
            attrs,
            EDGE_KEYS,
            _edge_viz(relation, attrs),
        )
        for target, relation, attrs in out_edges
    ]
    return before, after, "".join(edges)


def node_size(degree: int, fewest: int, most: int) -> float:
    """A node's drawn size: `SIZE_RANGE` spread linearly over the graph's degrees."""
    low, high = SIZE_RANGE
    if most == fewest:
        return low
    return round(low + (high - low) * (degree - fewest) / (most - fewest), 2)


def _node_viz(data: dict[str, Any], degree: int, fewest: int, most: int) -> str:
    red, green, blue = rgb(NODE_STYLES[display_type(data)][1])
    size = node_size(degree, fewest, most)
    return _viz_data(("r", red), ("g", green), ("b", blue), ("size", repr(size)))


def _edge_viz(key: str, data: dict[str, Any]) -> str:
    color = RELATION_COLORS.get(data.get("relation", key), DEFAULT_EDGE_COLOR)
    weight = float(data["confidence"]) if data.get("confidence") is not None else 1.0
    return _edge_color(color) + _viz_data(("weight", repr(weight)))


@functools.lru_cache(maxsize=64)
def _edge_color(color: str) -> str:
    red, green, blue = rgb(color)
    return _viz_data(("edge_r", red), ("edge_g", green), ("edge_b", blue))


def _viz_data(*pairs: tuple[str, object]) -> str:
    return "".join(f'      <data key="{key}">{value}</data>\n' for key, value in pairs)


def _key_line(key_id: str, domain: str, name: str, attr_type: str) -> str:
    return f'  <key id="{key_id}" for="{domain}" attr.name="{name}" attr.type="{attr_type}"/>\n'


def _element(
    tag: str, head: str, data: dict[str, Any], keys: tuple[tuple[str, str], ...], viz: str
) -> str:
    return f"    <{tag} {head}>\n" + _data_lines(data, keys) + viz + f"    </{tag}>\n"


def _data_lines(data: dict[str, Any], keys: tuple[tuple[str, str], ...]) -> str:
    """The `<data>` lines of `data`'s attributes among `keys`, in their order; absent
    values and empty lists are left out (written inline: a call per attribute costs)."""
    lines = []
    get = data.get
    for name, attr_type in keys:
        value = get(name)
        if value is None:
            continue
        if attr_type == "string":
            if name in LIST_ATTRIBUTES:
                if not value:
                    continue
                value = join_list(value)
            text = _text(value if type(value) is str else str(value))
        else:
            text = _typed_text(name, attr_type, value)
        lines.append(f'      <data key="{name}">{text}</data>\n')
    return "".join(lines)


def _data_line(name: str, text: str | None) -> str:
    return f'      <data key="{name}">{text}</data>\n'


def _typed_text(name: str, attr_type: str, value: Any) -> str | None:
    if attr_type == "boolean":
        return "true" if value else "false"
    if attr_type == "int":
        return str(int(value))
    if attr_type == "double":
        return repr(float(value))
    if name in LIST_ATTRIBUTES:
        if not value:
            return None
        value = join_list(value)
    return _text(str(value))


def _clean(value: str) -> str:
    if _XML_FORBIDDEN.search(value):
        return _XML_FORBIDDEN.sub("", value)
    return value


def _text(value: str) -> str:
    if not _TEXT_SPECIAL.search(value):  # most values: one scan, no copy
        return value
    value = _clean(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value.replace("\r", "&#13;")


def _attribute(value: str) -> str:
    value = _text(value).replace('"', "&quot;")
    return value.replace("\n", "&#10;").replace("\t", "&#9;")
