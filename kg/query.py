"""SPARQL over Turtle exports or an Oxigraph store: ad-hoc text, `.rq` files, or `queries/`.

Two engines give the same answers: pyoxigraph (Rust; the default at every size: it parses
and queries faster than rdflib on the seeds already) and rdflib (pure Python, on request).
Given one export with an up-to-date store beside it (`kg build --store`), Oxigraph opens
the store instead of parsing the file.

Parameters: a query gives each parameter a default with a one-row `VALUES` block,
`VALUES ?model { "SAM" }`, so the file runs as it is in any SPARQL store. `--param
model=MedSAM` binds another value through that block: the value becomes one RDF term
(a literal, or an IRI when written `<...>`), serialized by pyoxigraph, which takes the
place of the default in the block; the text around it is never touched. A named query
documents its parameters in comment lines `# @param name: what it is`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph
import rdflib
from rdflib.term import BNode, URIRef

from kg.export.store import StoreError, open_store, store_for
from kg.namespace import KG, RESOURCE_BASE, SCHEMA
from kg.paths import QUERIES_DIR

ENGINES = ("oxigraph", "rdflib")
SOLUTION_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "ntriples")
FORMATS = SOLUTION_FORMATS + GRAPH_FORMATS
TABLE_CELL_WIDTH = 100
# Declared for every query, so ad-hoc SPARQL can write kg:buildsOn without a PREFIX line.
DEFAULT_PREFIXES = {
    "kg": str(KG),
    "rdf": str(rdflib.RDF),
    "rdfs": str(rdflib.RDFS),
    "owl": str(rdflib.OWL),
    "xsd": str(rdflib.XSD),
    "skos": str(rdflib.SKOS),
    "dcterms": str(rdflib.DCTERMS),
    "prov": str(rdflib.PROV),
    "schema": str(SCHEMA),
}

Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal

_XSD_STRING = str(rdflib.XSD.string)
_XSD_DECIMAL = str(rdflib.XSD.decimal)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# Comments, strings and IRIs, whose text is not SPARQL syntax.
_OPAQUE = re.compile(
    r"""\#[^\n]*
    |\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
    |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'
    |<[^<>"{}|^`\\\x00-\x20]*>""",
    re.VERBOSE,
)
# A parameter's default: a VALUES block of one variable and one value.
_PARAMETER_ROW = re.compile(
    r"""\bVALUES\s+[?$](?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\{\s*
    (?P<value>"(?:[^"\\\n]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^<>\s]*>)?
             |'(?:[^'\\\n]|\\.)*'(?:@[A-Za-z0-9-]+|\^\^<[^<>\s]*>)?
             |<[^<>"{}|^`\\\x00-\x20]*>
             |[^\s{}()]+)
    \s*\}""",
    re.VERBOSE | re.IGNORECASE,
)
_PARAM_DOC = re.compile(r"^#\s*@param\s+[?$]?([A-Za-z_][A-Za-z0-9_]*)\s*:?\s*(.*)$")


class QueryError(Exception):
    """A query that cannot run: bad SPARQL, unknown name, missing graph or parameter."""


@dataclass(frozen=True)
class Parameter:
    """A parameter of a query: its name, what to pass, and the value used when none is."""

    name: str
    description: str = ""
    default: str = ""


@dataclass(frozen=True)
class NamedQuery:
    """A bundled query: `queries/<name>.rq`, its description and its parameters."""

    name: str
    description: str
    parameters: tuple[Parameter, ...]
    path: Path


@dataclass(frozen=True)
class QueryResult:
    """Columns and rows of pyoxigraph terms (None where unbound); `boolean` for ASK;
    `triples` (sorted) for CONSTRUCT and DESCRIBE."""

    columns: list[str]
    rows: list[tuple]
    boolean: bool | None = None
    triples: list[pyoxigraph.Triple] | None = None


@dataclass(frozen=True)
class _ParameterRow:
    name: str
    value_start: int
    value_end: int
    default: str


def _parameter_rows(text: str) -> list[_ParameterRow]:
    """Every one-variable, one-value VALUES block outside comments, strings and IRIs."""
    opaque = [m.span() for m in _OPAQUE.finditer(text)]
    rows = []
    for match in _PARAMETER_ROW.finditer(text):
        start = match.start()
        if any(low <= start < high for low, high in opaque):
            continue
        rows.append(
            _ParameterRow(match["name"], match.start("value"), match.end("value"), match["value"])
        )
    return rows


def query_parameters(text: str) -> tuple[Parameter, ...]:
    """The parameters of a query (its one-row VALUES blocks), in order, with their documentation."""
    docs = {}
    for line in text.splitlines():
        match = _PARAM_DOC.match(line.strip())
        if match:
            docs[match.group(1)] = match.group(2).strip()
    rows = {row.name: row for row in reversed(_parameter_rows(text))}
    return tuple(Parameter(name, docs.get(name, ""), rows[name].default) for name in reversed(rows))


def _description(text: str) -> str:
    """The first sentence of the query's leading comment."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#") or _PARAM_DOC.match(line):
            break
        lines.append(line.lstrip("#").strip())
    comment = " ".join(line for line in lines if line)
    end = comment.find(". ")
    return comment if end < 0 else comment[: end + 1]


def _named_query(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    return NamedQuery(path.stem, _description(text), query_parameters(text), path)


def list_named_queries() -> list[NamedQuery]:
    """The bundled queries of `queries/`, by name."""
    return [_named_query(path) for path in sorted(QUERIES_DIR.glob("*.rq"))]


def _is_file(text: str) -> bool:
    try:
        return "\n" not in text and Path(text).is_file()
    except OSError:  # SPARQL text too long to be a file name
        return False


def resolve_query(query: str) -> str:
    """The SPARQL text of `query`: a bundled query's name, a `.rq` file, or SPARQL itself."""
    if query.endswith(".rq") or _is_file(query):
        if not _is_file(query):
            raise QueryError(f"query file not found: {query}")
        return Path(query).read_text(encoding="utf-8")
    if _NAME.match(query):
        named = QUERIES_DIR / f"{query}.rq"
        if not named.is_file():
            names = ", ".join(q.name for q in list_named_queries())
            raise QueryError(f"unknown query {query!r}; bundled queries: {names}")
        return named.read_text(encoding="utf-8")
    return query


def _parameter_term(name: str, value: str) -> Term:
    """A parameter value as an RDF term: `<iri>` an IRI, anything else a string literal."""
    if value.startswith("<") and value.endswith(">"):
        try:
            return pyoxigraph.NamedNode(value[1:-1])
        except ValueError as error:
            raise QueryError(f"--param {name}: not a valid IRI: {value} ({error})") from error
    return pyoxigraph.Literal(value)


def bind_parameters(text: str, params: dict[str, str] | None) -> str:
    """`text` with the VALUES row of each parameter in `params` holding the given value."""
    params = params or {}
    rows = _parameter_rows(text)
    names = {row.name for row in rows}
    unknown = sorted(set(params) - names)
    if unknown:
        takes = ", ".join(sorted(names)) or "no parameters"
        raise QueryError(
            f"unknown parameter {unknown[0]!r}; this query takes: {takes} "
            f"(a parameter is a variable given one value by `VALUES ?name {{ value }}`)"
        )
    bound = text
    for row in reversed(rows):  # from the end, so earlier offsets stay valid
        if row.name in params:
            term = str(_parameter_term(row.name, params[row.name]))
            bound = bound[: row.value_start] + term + bound[row.value_end :]
    return bound


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")


def _rdf_format(graph: Path) -> pyoxigraph.RdfFormat:
    return pyoxigraph.RdfFormat.from_extension(graph.suffix.lstrip(".")) or (
        pyoxigraph.RdfFormat.TURTLE
    )


def load_graphs(graphs: Sequence[Path]) -> pyoxigraph.Store:
    """An in-memory Oxigraph store holding every triple of the files `graphs`."""
    store = pyoxigraph.Store()
    for graph in graphs:
        try:
            store.bulk_load(path=str(graph), format=_rdf_format(graph))
        except (SyntaxError, ValueError, OSError) as error:
            raise QueryError(f"cannot read graph {graph}: {error}") from error
    return store


def _oxigraph_store(graphs: Sequence[Path], store: Path | None) -> pyoxigraph.Store:
    if store is None and len(graphs) == 1:
        store = store_for(graphs[0])
    if store is None:
        return load_graphs(graphs)
    try:
        return open_store(store)
    except StoreError as error:
        raise QueryError(str(error)) from error


def _canonical(term: Term) -> Term:
    """Decimals in canonical form (`1.0` -> `1`), as Oxigraph gives them, whatever the engine."""
    if isinstance(term, pyoxigraph.Literal) and term.datatype.value == _XSD_DECIMAL:
        try:
            value = Decimal(term.value)
        except InvalidOperation:
            return term
        return pyoxigraph.Literal(format(value.normalize(), "f"), datatype=term.datatype)
    return term


def _from_rdflib(term) -> Term | None:
    if term is None:
        return None
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if term.language:
        return pyoxigraph.Literal(str(term), language=term.language)
    datatype = pyoxigraph.NamedNode(str(term.datatype or _XSD_STRING))
    return _canonical(pyoxigraph.Literal(str(term), datatype=datatype))


def _triple_key(triple: pyoxigraph.Triple) -> tuple[str, str, str]:
    return (str(triple.subject), str(triple.predicate), str(triple.object))


def _run_rdflib(text: str, graphs: Sequence[Path]) -> QueryResult:
    data = rdflib.Graph()
    for graph in graphs:
        try:
            data.parse(graph, format=rdflib.util.guess_format(str(graph)) or "turtle")
        except Exception as error:  # rdflib raises many types for bad syntax
            raise QueryError(f"cannot read graph {graph}: {error}") from error
    try:
        result = data.query(text, initNs=DEFAULT_PREFIXES)
        if result.type == "ASK":
            return QueryResult(["ask"], [], boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            triples = [pyoxigraph.Triple(*(_from_rdflib(t) for t in triple)) for triple in result]
            return QueryResult([], [], triples=sorted(triples, key=_triple_key))
        columns = [str(v) for v in result.vars]
        return QueryResult(columns, [tuple(_from_rdflib(term) for term in row) for row in result])
    except Exception as error:  # pyparsing and rdflib errors have no common base
        raise QueryError(f"query failed: {error}") from error


def _run_oxigraph(text: str, store: pyoxigraph.Store) -> QueryResult:
    try:
        result = store.query(text, prefixes=DEFAULT_PREFIXES)
        if isinstance(result, pyoxigraph.QueryBoolean):
            return QueryResult(["ask"], [], boolean=bool(result))
        if isinstance(result, pyoxigraph.QueryTriples):
            return QueryResult([], [], triples=sorted(result, key=_triple_key))
        columns = [v.value for v in result.variables]
        return QueryResult(columns, [tuple(solution) for solution in result])
    except (SyntaxError, OSError) as error:
        raise QueryError(f"query failed: {error}") from error


def run_query(
    query: str,
    graphs: Path | Sequence[Path] = (),
    *,
    params: dict[str, str] | None = None,
    engine: str = "oxigraph",
    store: Path | None = None,
) -> QueryResult:
    """Run `query` (SPARQL text, a `.rq` path or a bundled query's name) over the files
    `graphs` together, or over the Oxigraph `store` (a folder written by `kg build --store`)."""
    _check_engine(engine)
    graphs = [Path(graphs)] if isinstance(graphs, str | Path) else [Path(g) for g in graphs]
    if store is None and not graphs:
        raise QueryError("nothing to query: give a graph file or a store")
    if store is not None and engine == "rdflib":
        raise QueryError("a store is read by the oxigraph engine only")
    for graph in graphs:
        if not graph.is_file():
            raise QueryError(f"graph file not found: {graph} (run `kg build` first)")
    text = bind_parameters(resolve_query(query), params)
    if engine == "rdflib":
        return _run_rdflib(text, graphs)
    return _run_oxigraph(text, _oxigraph_store(graphs, Path(store) if store else None))


_UNPRINTABLE = {c: " " for c in [*range(0x20), 0x7F]}
_SHORT_PREFIXES = ((str(KG), "kg:"), (RESOURCE_BASE, ""))


def _short(term: Term | None) -> str:
    """A term as a person reads it in a table: resources by node id, literals bare."""
    if term is None:
        return ""
    if isinstance(term, pyoxigraph.NamedNode):
        for namespace, prefix in _SHORT_PREFIXES:
            if term.value.startswith(namespace):
                return prefix + term.value[len(namespace) :]
        return term.value
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    text = " ".join(term.value.translate(_UNPRINTABLE).split())
    return text if len(text) <= TABLE_CELL_WIDTH else text[: TABLE_CELL_WIDTH - 1] + "…"


def _table(result: QueryResult) -> str:
    if result.boolean is not None:
        return "yes\n" if result.boolean else "no\n"
    cells = [[_short(term) for term in row] for row in result.rows]
    widths = [len(c) for c in result.columns]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(result.columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.append(f"({len(cells)} row{'' if len(cells) == 1 else 's'})")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _plain(term: Term | None) -> str:
    if term is None:
        return ""
    return f"_:{term.value}" if isinstance(term, pyoxigraph.BlankNode) else term.value


def _csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV: header of names, values as plain strings."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if result.boolean is not None:
        writer.writerows([["ask"], ["true" if result.boolean else "false"]])
        return out.getvalue()
    writer.writerow(result.columns)
    writer.writerows([_plain(t) for t in row] for row in result.rows)
    return out.getvalue()


def _tsv_term(term: Term | None) -> str:
    """A term in Turtle syntax (pyoxigraph's N-Triples form), tabs escaped."""
    return "" if term is None else str(term).replace("\t", "\\t")


def _tsv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results TSV: header of ?names, values in Turtle syntax."""
    if result.boolean is not None:
        return f"?ask\n{'true' if result.boolean else 'false'}\n"
    lines = ["\t".join(f"?{c}" for c in result.columns)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    binding = {"type": "literal", "value": term.value}
    if term.language:
        binding["xml:lang"] = term.language
    elif term.datatype.value != _XSD_STRING:
        binding["datatype"] = term.datatype.value
    return binding


def _json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if result.boolean is not None:
        document: dict = {"head": {}, "boolean": result.boolean}
    else:
        bindings = [
            {c: _json_term(t) for c, t in zip(result.columns, row, strict=True) if t is not None}
            for row in result.rows
        ]
        document = {"head": {"vars": result.columns}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# XML 1.0 cannot hold these characters at all, escaped or not.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return escape(_NOT_XML.sub("\ufffd", text))


def _xml_term(term: Term) -> str:
    if isinstance(term, pyoxigraph.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, pyoxigraph.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if term.language:
        attribute = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype.value != _XSD_STRING:
        attribute = f" datatype={quoteattr(term.datatype.value)}"
    else:
        attribute = ""
    return f"<literal{attribute}>{_xml_text(term.value)}</literal>"


def _xml(result: QueryResult) -> str:
    """SPARQL Query Results XML Format (second edition)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    lines.append('<sparql xmlns="http://www.w3.org/2005/sparql-results#">')
    if result.boolean is not None:
        lines += ["  <head/>", f"  <boolean>{'true' if result.boolean else 'false'}</boolean>"]
    else:
        lines.append("  <head>")
        lines += [f"    <variable name={quoteattr(c)}/>" for c in result.columns]
        lines += ["  </head>", "  <results>"]
        for row in result.rows:
            bindings = "".join(
                f"<binding name={quoteattr(c)}>{_xml_term(t)}</binding>"
                for c, t in zip(result.columns, row, strict=True)
                if t is not None
            )
            lines.append(f"    <result>{bindings}</result>")
        lines.append("  </results>")
    lines.append("</sparql>")
    return "\n".join(lines) + "\n"


def _graph_text(triples: Iterable[pyoxigraph.Triple], fmt: str) -> str:
    if fmt == "ntriples":
        return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES).decode()
    text = pyoxigraph.serialize(
        triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=DEFAULT_PREFIXES
    )
    return text.decode()


_FORMATTERS = {"table": _table, "csv": _csv, "tsv": _tsv, "json": _json, "xml": _xml}


def format_result(result: QueryResult, fmt: str) -> str:
    """`result` as text. Solutions and ASK: "table" for people, or the SPARQL 1.1 result
    formats "csv", "tsv", "json", "xml". CONSTRUCT and DESCRIBE: "turtle" (also what
    "table" gives) or "ntriples"."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if result.triples is not None:
        if fmt not in (*GRAPH_FORMATS, "table"):
            raise QueryError(
                f"a CONSTRUCT or DESCRIBE answer is a graph: write it as turtle or ntriples, "
                f"not {fmt}"
            )
        return _graph_text(result.triples, "turtle" if fmt == "table" else fmt)
    if fmt in GRAPH_FORMATS:
        raise QueryError(
            f"{fmt} is for CONSTRUCT and DESCRIBE answers; choose one of "
            f"{', '.join(SOLUTION_FORMATS)}"
        )
    return _FORMATTERS[fmt](result)
