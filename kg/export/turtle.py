"""Write the knowledge graph as RDF/Turtle, with one evidence node per link.

A small streaming writer of our own rather than rdflib's or pyoxigraph's serializer: it
writes straight from the networkx graph (no intermediate RDF graph), in a fixed order, and
is several times faster (figures in docs/sparql.md). Every IRI is written absolute and
every literal as a short quoted string, escaped, so that any title or id parses.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

import networkx as nx
import rdflib

from kg.export.atomic import atomic_write
from kg.export.fragments import CachedWriting, Entry, ExportCache, PieceWriter
from kg.namespace import KG, RESOURCE_BASE, SCHEMA, is_iri, node_path, web_iri
from kg.paths import ONTOLOGY_DIR

PREFIXES = {
    "kg": str(KG),
    "rdfs": str(rdflib.RDFS),
    "xsd": str(rdflib.XSD),
    "skos": str(rdflib.SKOS),
    "dcterms": str(rdflib.DCTERMS),
    "schema": str(SCHEMA),
}

_KIND_CLASSES = {
    "Paper": "kg:Paper",
    "Model": "kg:Model",
    "Dataset": "kg:Dataset",
    "Modality": "kg:Modality",
}

# Turtle short strings may not hold `"`, `\`, CR or LF raw; other control characters are
# legal but escaped so that no reader (or terminal) trips on them. Lone surrogates cannot be
# written as UTF-8 at all, and C-based readers (rapper) cut a string at U+0000: both become
# U+FFFD, the only characters the export does not keep.
_COMMON_ESCAPES = (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"))
_RARE_ESCAPES = {chr(c): f"\\u{c:04X}" for c in [*range(1, 0x20), 0x7F] if c not in (9, 10, 13)}
_RARE_ESCAPES.update({chr(c): "\\uFFFD" for c in [0, *range(0xD800, 0xE000)]})
_NEEDS_ESCAPE = re.compile('[\\x00-\\x1f\\x7f"\\\\\\ud800-\\udfff]')
_RARE = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\ud800-\\udfff]")
# Characters a Turtle IRIREF may not contain: percent-encoded in IRIs taken from the input.
_IRI_FORBIDDEN = re.compile('[\\x00-\\x20<>"{}|^`\\\\\\ud800-\\udfff]')

Warn = Callable[[str], None]


def literal(text: str) -> str:
    """`text` as a Turtle string literal, escaped."""
    if _NEEDS_ESCAPE.search(text):
        # str.replace per common character is far faster than str.translate on long abstracts.
        for raw, escaped in _COMMON_ESCAPES:
            text = text.replace(raw, escaped)
        if _RARE.search(text):
            text = _RARE.sub(lambda m: _RARE_ESCAPES[m.group()], text)
    return f'"{text}"'


def iri_ref(iri: str) -> str:
    """`iri` as a Turtle IRI reference; characters an IRI may not hold are percent-encoded."""
    if _IRI_FORBIDDEN.search(iri):
        iri = _IRI_FORBIDDEN.sub(lambda m: quote(m.group(), safe="", errors="replace"), iri)
    return f"<{iri}>"


def web_reference(url: str, paper_id: str, warn: Warn) -> str:
    """A URL from the input as an IRI reference when it makes a valid http(s) IRI
    (`kg.namespace.web_iri`); else as a string literal, with a warning naming the paper."""
    iri = web_iri(url)
    if iri is not None:
        return f"<{iri}>"
    warn(f"paper {paper_id}: {url!r} is not a valid web IRI; written as a literal")
    return literal(url)


@functools.lru_cache(maxsize=4096)
def decimal(value: float) -> str:
    """`value` as a Turtle decimal (never in exponent form, which would make it a double)."""
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"not a finite number: {value!r}")
    text = format(Decimal(repr(number)), "f")
    return text if "." in text else f"{text}.0"


def evidence_iri(source: str, relation: str, target: str) -> str:
    """The IRI of the evidence node of one edge, derived from the edge itself."""
    key = "\x1f".join((source, relation, target)).encode("utf-8", "surrogatepass")
    return f"{RESOURCE_BASE}evidence/{hashlib.blake2b(key, digest_size=10).hexdigest()}"


def _lines(statements: list[tuple[str, list[str]]]) -> tuple[list[str], int]:
    """The predicate-object lines of the statements that have objects, and their triples."""
    lines = []
    count = 0
    for predicate, objects in statements:
        if objects:
            lines.append(f"    {predicate} {', '.join(objects)}")
            count += len(objects)
    return lines, count


def _block(subject: str, statements: list[tuple[str, list[str]]]) -> tuple[str, int]:
    """One subject with its predicate-object lists, and the number of triples written."""
    lines, count = _lines(statements)
    return f"{subject}\n" + " ;\n".join(lines) + " .\n\n", count


# Where each identifier scheme resolves, and the characters its value keeps unquoted.
_SAME_AS = {
    "arxiv": ("https://arxiv.org/abs/", "/:"),
    "doi": ("https://doi.org/", "/:;()"),
    "pmc": ("https://www.ncbi.nlm.nih.gov/pmc/articles/", ""),
    "pmid": ("https://pubmed.ncbi.nlm.nih.gov/", ""),
}


def _paper_text(
    graph: nx.MultiDiGraph, node_id: str, data: dict, iris: dict[str, str], warn: Warn
) -> tuple[str, str, int]:
    """A paper's block and its evidence blocks, as the text before and the text after its
    `dcterms:source` line (`_sources_line`), and their triple count."""
    paper_id = node_id.removeprefix("paper/")
    # Every identifier the paper's merged records carried (ingest keeps them all).
    identifiers = {paper_id, *data.get("identifiers", ())}
    if data.get("doi"):
        identifiers.add(f"doi:{data['doi']}")
    if data.get("arxiv_id"):
        identifiers.add(f"arxiv:{data['arxiv_id']}")
    same_as = []
    for scheme, _, value in (identifier.partition(":") for identifier in sorted(identifiers)):
        if scheme in _SAME_AS:
            base, safe = _SAME_AS[scheme]
            # A DOI may hold `?`, `#` or `%`: quoted, it stays one path (and lone surrogates pass).
            path = quote(value, safe=safe, errors="surrogatepass")
            same_as.append(web_reference(f"{base}{path}", paper_id, warn))
    year = data.get("year")
    edges = sorted(
        (
            (target, relation, attrs)
            for target, by_relation in graph.succ[node_id].items()
            for relation, attrs in by_relation.items()
        ),
        key=lambda e: (e[1], e[0]),
    )
    links: dict[str, list[str]] = {}
    for target, relation, _ in edges:
        links.setdefault(f"kg:{relation}", []).append(iris[target])
    evidence = [evidence_iri(node_id, relation, target) for target, relation, _ in edges]
    before, count = _lines(
        [
            ("a", ["kg:Paper"]),
            ("rdfs:label", [literal(data["label"])]),
            ("dcterms:title", [literal(data["title"])] if data.get("title") else []),
            ("dcterms:abstract", [literal(data["abstract"])]),
            ("dcterms:date", [f'"{year:04d}"^^xsd:gYear'] if year is not None else []),
            ("dcterms:identifier", sorted(literal(i) for i in identifiers)),
            ("dcterms:creator", sorted({literal(a) for a in data.get("authors", ())})),
        ]
    )
    url = data.get("url")
    after, after_count = _lines(
        [
            ("schema:url", [web_reference(url, paper_id, warn)] if url else []),
            ("schema:sameAs", same_as),
            (
                "schema:codeRepository",
                sorted({web_reference(u, paper_id, warn) for u in data.get("code_urls", ())}),
            ),
            *sorted(links.items()),
            ("kg:hasEvidence", sorted(f"<{iri}>" for iri in evidence)),
        ]
    )
    texts = [" ;\n" + " ;\n".join(after) if after else "", " .\n\n"]
    for (target, relation, attrs), iri in zip(edges, evidence, strict=True):
        text, evidence_count = _evidence_block(iri, relation, target, attrs, iris)
        texts.append(text)
        after_count += evidence_count
    return f"{iris[node_id]}\n" + " ;\n".join(before), "".join(texts), count + after_count


def _evidence_block(
    iri: str, relation: str, target: str, attrs: dict, iris: dict[str, str]
) -> tuple[str, int]:
    """The evidence node of one edge; one template, as most of the export is evidence."""
    via = f"    kg:via {iris[attrs['via']]} ;\n" if attrs.get("via") else ""
    text = (
        f"<{iri}>\n    a kg:Evidence ;\n    kg:relation kg:{relation} ;\n"
        f"    kg:target {iris[target]} ;\n{via}"
        f"    kg:sentence {literal(attrs['sentence'])} ;\n"
        f"    kg:start {int(attrs['start'])} ;\n    kg:end {int(attrs['end'])} ;\n"
        f"    kg:rule {literal(attrs['rule'])} ;\n"
        f"    kg:confidence {decimal(attrs['confidence'])} .\n\n"
    )
    return text, 9 if via else 8


def _entity_block(node_id: str, data: dict, iris: dict[str, str], warn: Warn) -> tuple[str, int]:
    kind = data["kind"]
    concept = data.get("concept")
    if concept and not is_iri(concept):
        warn(f"entity {node_id}: concept {concept!r} is not a valid IRI; left out")
        concept = None
    classes = [_KIND_CLASSES[kind]]
    if kind == "Model" and data.get("is_base_model"):
        classes.append("kg:BaseModel")
    statements = [
        ("a", classes),
        ("rdfs:label", [literal(data["label"])]),
        ("skos:altLabel", sorted({literal(a) for a in data.get("aliases", ())})),
        ("skos:exactMatch", [f"<{concept}>"] if concept else []),
        ("skos:broader", sorted(iris[b] for b in data.get("broader", ()))),
    ]
    return _block(iris[node_id], statements)


class _Iris(dict):
    """Node id -> IRI reference, made on first use: the same text as node_iri's, without
    making an rdflib term per node."""

    def __missing__(self, node_id: str) -> str:
        iri = self[node_id] = f"<{RESOURCE_BASE}{node_path(node_id)}>"
        return iri


def _write_nodes(
    graph: nx.MultiDiGraph, handle: BinaryIO, warn: Warn, cache: ExportCache | None
) -> int:
    """Write each node's Turtle, in node id order, and return its triples: from the export
    cache when it holds the node's key, else written (and then kept in the cache, unless
    writing it warned)."""
    iris = _Iris()
    cached = CachedWriting(cache, "turtle", graph, warn)
    keys, used, index = cached.keys, cached.used, cached.index
    bounds, numbers, split = index.bounds, index.numbers, index.split
    node_data = graph._node  # the dict behind graph.nodes
    out = PieceWriter(handle)
    pieces = out.pieces
    append = pieces.append
    order = sorted(node_data)
    node_keys = [keys.get(node_id) for node_id in order]
    places = list(map(index.position.get, node_keys))  # None where the cache lacks the key
    total = 0
    node, nodes = 0, len(order)
    while node < nodes:
        place = places[node]
        if place is None:
            total += _write_node(graph, order[node], node_keys[node], iris, warn, append, cached)
            node += 1
        else:
            # The run of nodes whose entries follow one another in a file: one slice of it,
            # cut at each paper's sources (which are not cached), written between the cuts.
            last = place
            end = node + 1
            while end < nodes and places[end] == last + 1:
                last += 1
                end += 1
            texts = index.base if place < split else index.added
            middles = bounds[3 * place + 1 : 3 * last + 2 : 3]
            ends = bounds[3 * place + 2 : 3 * last + 3 : 3]
            # A cached paper's text goes on after its sources; an entity's holds nothing more.
            papers = [
                at
                for at, (middle, after) in enumerate(zip(middles, ends, strict=True))
                if middle != after
            ]
            cuts = [bounds[3 * place], *(middles[at] for at in papers), ends[-1]]
            for at, paper in enumerate(papers):
                append(texts[cuts[at] : cuts[at + 1]])
                sources, count = _sources_text(node_data[order[node + paper]])
                if sources:
                    append(sources)
                total += count
            append(texts[cuts[-2] : cuts[-1]])
            total += sum(numbers[place : last + 1])
            used += node_keys[node:end]
            node = end
        if len(pieces) >= out.BATCH:
            out.flush()
    out.flush()
    cached.save()
    return total


def _write_node(
    graph: nx.MultiDiGraph,
    node_id: str,
    key: bytes | None,
    iris: dict[str, str],
    warn: Warn,
    append: Callable[[bytes], None],
    cached: CachedWriting,
) -> int:
    """Append the Turtle of a node the cache lacks, to be kept under `key` unless writing
    it warned; return its triples."""
    data = graph._node[node_id]
    warnings: list[str] = []
    before, after, count = _node_text(graph, node_id, data, iris, warnings.append)
    for warning in warnings:
        warn(warning)
    entry = (before.encode(), after.encode(), b"", count)
    if key is not None and not warnings:  # else written afresh each time, and its warning
        cached.fresh[key] = entry
        cached.used.append(key)
    append(entry[0])
    if data.get("kind") == "Paper":
        sources, sources_count = _sources_text(data)
        if sources:
            append(sources)
        count += sources_count
    if entry[1]:
        append(entry[1])
    return count


def _sources_text(data: dict) -> tuple[bytes, int]:
    """A paper's `dcterms:source` line, with the separator before it, and its triples."""
    sources = data.get("sources", ())
    if len(sources) == 1:  # most papers: one record read
        return f" ;\n    dcterms:source {literal(sources[0])}".encode(), 1
    objects = sorted({literal(s) for s in sources})
    if objects:
        return f" ;\n    dcterms:source {', '.join(objects)}".encode(), len(objects)
    return b"", 0


def _node_text(
    graph: nx.MultiDiGraph, node_id: str, data: dict, iris: dict[str, str], warn: Warn
) -> tuple[str, str, int]:
    """A node's Turtle but a paper's sources: the text before and after them, and triples."""
    kind = data.get("kind")
    if kind not in _KIND_CLASSES:
        raise ValueError(f"node {node_id!r} has no known kind: {kind!r}")
    if kind == "Paper":
        return _paper_text(graph, node_id, data, iris, warn)
    text, count = _entity_block(node_id, data, iris, warn)
    return text, "", count


def _prefix_lines(prefixes: dict[str, str]) -> str:
    return "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in prefixes.items()) + "\n"


def write_turtle(
    graph: nx.MultiDiGraph,
    path: Path,
    *,
    with_ontology: bool = True,
    warn: Warn = lambda message: None,
    cache: ExportCache | None = None,
) -> int:
    """Write `graph` (see docs/graph-schema.md) to `path` as Turtle; return the triple count.

    With `with_ontology`, the ontology it uses (kg.ttl, the vocabularies, the alignments) is
    written beside it as `ontology.ttl`, so the export can be read on its own. Every IRI is
    checked; a URL that makes no valid IRI is written as a literal and reported to `warn`.
    With `cache`, the text of nodes (and the ontology) written before is taken from it.
    """
    with atomic_write(path, "wb") as handle:
        handle.write(_prefix_lines(PREFIXES).encode())
        total = _write_nodes(graph, handle, warn, cache)
    if with_ontology:
        write_ontology(Path(path).with_name("ontology.ttl"), cache=cache, warn=warn)
    return total


def ontology_files(directory: Path = ONTOLOGY_DIR) -> list[Path]:
    """The Turtle files that make up the shipped ontology: kg.ttl, alignments, vocabularies."""
    parts = [directory / "kg.ttl", directory / "alignments.ttl"]
    parts += sorted((directory / "vocab").glob("*.ttl"))
    return [p for p in parts if p.exists()]


def load_ontology(files: Iterable[Path] | None = None) -> rdflib.Graph:
    """The ontology files merged into one rdflib graph."""
    merged = rdflib.Graph()
    for part in ontology_files() if files is None else files:
        merged.parse(part, format="turtle")
    return merged


def write_ontology(
    path: Path, *, cache: ExportCache | None = None, warn: Warn = lambda message: None
) -> int:
    """Write the merged ontology (kg.ttl + alignments + vocabularies) to `path`; return its
    number of triples."""
    text, _, _, triples = ontology_entry(cache, warn)
    with atomic_write(path, "wb") as handle:
        handle.write(text)
    return triples


def ontology_entry(cache: ExportCache | None, warn: Warn) -> Entry:
    """The merged ontology's text and triple count; with `cache`, read from there, or
    kept there."""
    key = ontology_key()
    entry = cache.load("ontology", warn).get(key) if cache is not None else None
    if entry is None:
        entry = merged_ontology()
        if cache is not None:
            cache.save("ontology", [(key, entry)], warn)
    return entry


def ontology_key() -> bytes:
    """The merged ontology's key in the export cache: a digest of the ontology files."""
    key = hashlib.blake2b(digest_size=16)
    for part in ontology_files():
        data = part.read_bytes()
        key.update(f"{part.name}\0{len(data)}\0".encode() + data)
    return key.digest()


def merged_ontology() -> Entry:
    """rdflib parses the ontology files and writes them as one (a quarter of a second)."""
    merged = load_ontology()
    return merged.serialize(format="turtle", encoding="utf-8"), b"", b"", len(merged)
