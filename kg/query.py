"""SPARQL over a Turtle export: ad-hoc text, `.rq` files, or the named queries of `queries/`.

Two engines give the same answers: rdflib (pure Python, quick to start, slow on big graphs)
and pyoxigraph (Rust, loads and queries a million triples in seconds). "auto" picks
pyoxigraph for files above `OXIGRAPH_THRESHOLD` bytes.

Parameters: a query marks each parameter by writing it `$name` (SPARQL's other spelling of a
variable). Before parsing, every `$name` is replaced by the value given for it, as a string
literal (or as an IRI when the value is written `<...>`); `?name` stays an ordinary variable,
so a parameter may not also be written `?name`. A named query documents its parameters in
comment lines `# @param name: what it is`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph
import rdflib
from rdflib.term import BNode, Literal, Node, URIRef

from kg.export.turtle import iri_ref, literal
from kg.namespace import KG, RESOURCE_BASE, SCHEMA
from kg.paths import QUERIES_DIR

OXIGRAPH_THRESHOLD = 20 * 1024 * 1024
ENGINES = ("auto", "rdflib", "oxigraph")
FORMATS = ("table", "csv", "tsv", "json")
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

_XSD_STRING = str(rdflib.XSD.string)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# Comments, strings and IRIs are matched so that a `$` or `?` inside them is left alone.
_TOKENS = re.compile(
    r"""(?P<comment>\#[^\n]*)
    |(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<variable>[$?][A-Za-z_][A-Za-z0-9_]*)""",
    re.VERBOSE,
)
_PARAM_DOC = re.compile(r"^#\s*@param\s+\$?([A-Za-z_][A-Za-z0-9_]*)\s*:?\s*(.*)$")


class QueryError(Exception):
    """A query that cannot run: bad SPARQL, unknown name, missing graph or parameter."""


@dataclass(frozen=True)
class Parameter:
    """A parameter of a query: its name and what to pass."""

    name: str
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    """A bundled query: `queries/<name>.rq`, its description and its parameters."""

    name: str
    description: str
    parameters: tuple[Parameter, ...]
    path: Path


@dataclass(frozen=True)
class QueryResult:
    """Columns and rows of rdflib terms (None where unbound); `boolean` for ASK queries."""

    columns: list[str]
    rows: list[tuple]
    boolean: bool | None = None


def _variables(text: str) -> list[tuple[str, str]]:
    """The (sigil, name) of every variable token outside comments, strings and IRIs."""
    return [
        (m.group("variable")[0], m.group("variable")[1:])
        for m in _TOKENS.finditer(text)
        if m.group("variable")
    ]


def query_parameters(text: str) -> tuple[Parameter, ...]:
    """The `$name` parameters of a query, in order of first use, with their documentation."""
    docs = {}
    for line in text.splitlines():
        match = _PARAM_DOC.match(line.strip())
        if match:
            docs[match.group(1)] = match.group(2).strip()
    names = dict.fromkeys(name for sigil, name in _variables(text) if sigil == "$")
    return tuple(Parameter(name, docs.get(name, "")) for name in names)


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


def _term_text(value: str) -> str:
    """A parameter value as SPARQL: `<iri>` stays an IRI, anything else is a string."""
    if value.startswith("<") and value.endswith(">"):
        return iri_ref(value[1:-1])
    return literal(value)


def bind_parameters(text: str, params: dict[str, str] | None) -> str:
    """`text` with each `$name` replaced by its value; QueryError if one is missing or unknown."""
    params = params or {}
    wanted = query_parameters(text)
    names = {p.name for p in wanted}
    unknown = sorted(set(params) - names)
    if unknown:
        takes = ", ".join(sorted(names)) or "no parameters"
        raise QueryError(f"unknown parameter {unknown[0]!r}; this query takes: {takes}")
    missing = [p for p in wanted if p.name not in params]
    if missing:
        first = missing[0]
        about = f" ({first.description})" if first.description else ""
        raise QueryError(f"missing parameter: --param {first.name}=VALUE{about}")
    clashes = sorted({name for sigil, name in _variables(text) if sigil == "?"} & names)
    if clashes:
        raise QueryError(
            f"parameter ${clashes[0]} is also written ?{clashes[0]}; write ${clashes[0]}"
        )

    def substitute(match: re.Match) -> str:
        token = match.group("variable")
        if token and token[0] == "$":
            return _term_text(params[token[1:]])
        return match.group()

    return _TOKENS.sub(substitute, text)


def choose_engine(engine: str, graph: Path) -> str:
    """The engine that runs a query over `graph`: as asked, or for "auto" by the file's size."""
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine != "auto":
        return engine
    return "oxigraph" if graph.stat().st_size > OXIGRAPH_THRESHOLD else "rdflib"


def _run_rdflib(text: str, graph: Path) -> QueryResult:
    data = rdflib.Graph()
    try:
        data.parse(graph, format=rdflib.util.guess_format(str(graph)) or "turtle")
    except Exception as error:  # rdflib raises many types for bad syntax
        raise QueryError(f"cannot read graph {graph}: {error}") from error
    try:
        result = data.query(text, initNs=DEFAULT_PREFIXES)
        if result.type == "ASK":
            return QueryResult(["ask"], [], boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return QueryResult(["subject", "predicate", "object"], sorted(result))
        columns = [str(v) for v in result.vars]
        return QueryResult(columns, [tuple(_canonical(term) for term in row) for row in result])
    except Exception as error:  # pyparsing and rdflib errors have no common base
        raise QueryError(f"query failed: {error}") from error


def _canonical(term: Node | None) -> Node | None:
    """Decimals in canonical form (`1.0` -> `1`), as oxigraph gives them, whatever the engine."""
    if isinstance(term, Literal) and term.datatype == rdflib.XSD.decimal:
        try:
            value = Decimal(str(term))
        except InvalidOperation:
            return term
        return Literal(format(value.normalize(), "f"), datatype=rdflib.XSD.decimal)
    return term


def _from_oxigraph(term) -> Node | None:
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:
        return Literal(term.value)
    return _canonical(Literal(term.value, datatype=URIRef(term.datatype.value)))


def _run_oxigraph(text: str, graph: Path) -> QueryResult:
    store = pyoxigraph.Store()
    rdf_format = pyoxigraph.RdfFormat.from_extension(graph.suffix.lstrip("."))
    try:
        store.load(path=str(graph), format=rdf_format or pyoxigraph.RdfFormat.TURTLE)
    except (SyntaxError, ValueError, OSError) as error:
        raise QueryError(f"cannot read graph {graph}: {error}") from error
    try:
        result = store.query(text, prefixes=DEFAULT_PREFIXES)
    except (SyntaxError, OSError) as error:
        raise QueryError(f"query failed: {error}") from error
    if isinstance(result, pyoxigraph.QueryBoolean):
        return QueryResult(["ask"], [], boolean=bool(result))
    if isinstance(result, pyoxigraph.QueryTriples):
        rows = [
            tuple(_from_oxigraph(t) for t in (x.subject, x.predicate, x.object)) for x in result
        ]
        return QueryResult(["subject", "predicate", "object"], sorted(rows))
    columns = [v.value for v in result.variables]
    rows = [tuple(_from_oxigraph(solution[c]) for c in columns) for solution in result]
    return QueryResult(columns, rows)


def run_query(
    query: str,
    graph: Path,
    *,
    params: dict[str, str] | None = None,
    engine: str = "auto",
) -> QueryResult:
    """Run `query` (SPARQL text, a `.rq` path or a bundled query's name) over the file `graph`."""
    graph = Path(graph)
    if not graph.is_file():
        raise QueryError(f"graph file not found: {graph} (run `kg build` first)")
    text = bind_parameters(resolve_query(query), params)
    if choose_engine(engine, graph) == "oxigraph":
        return _run_oxigraph(text, graph)
    return _run_rdflib(text, graph)


_UNPRINTABLE = {c: " " for c in [*range(0x20), 0x7F]}
_SHORT_PREFIXES = ((str(KG), "kg:"), (RESOURCE_BASE, ""))


def _short(term: Node | None) -> str:
    """A term as a person reads it in a table: resources by node id, literals bare."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        for namespace, prefix in _SHORT_PREFIXES:
            if term.startswith(namespace):
                return prefix + term[len(namespace) :]
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    text = " ".join(str(term).translate(_UNPRINTABLE).split())
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


def _csv_term(term: Node | None) -> str:
    if term is None:
        return ""
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV: header of names, values as plain strings."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if result.boolean is not None:
        writer.writerows([["ask"], ["true" if result.boolean else "false"]])
        return out.getvalue()
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([_csv_term(t) for t in row])
    return out.getvalue()


def _tsv_term(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return iri_ref(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    text = literal(str(term)).replace("\t", "\\t")
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype:
        return f"{text}^^{iri_ref(str(term.datatype))}"
    return text


def _tsv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results TSV: header of ?names, values in Turtle syntax."""
    if result.boolean is not None:
        return f"?ask\n{'true' if result.boolean else 'false'}\n"
    lines = ["\t".join(f"?{c}" for c in result.columns)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    binding = {"type": "literal", "value": str(term)}
    if term.language:
        binding["xml:lang"] = term.language
    elif term.datatype:
        binding["datatype"] = str(term.datatype)
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


_FORMATTERS = {"table": _table, "csv": _csv, "tsv": _tsv, "json": _json}


def format_result(result: QueryResult, fmt: str) -> str:
    """`result` as text: "table" for people, "csv", "tsv" or "json" (SPARQL 1.1 results)."""
    if fmt not in _FORMATTERS:
        raise QueryError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return _FORMATTERS[fmt](result)
