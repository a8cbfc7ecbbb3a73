"""Check a Turtle export against the SHACL shapes of `ontology/shapes.ttl`.

Two engines give the same report. "oxigraph" (the default) compiles each constraint of
the shapes into one SPARQL query that selects the nodes breaking it, and runs them on
Oxigraph, in threads (the 88k-paper export in under a minute: see
benchmarks/results.md). It knows the SHACL Core
constraints the shapes use, and SHACL-SPARQL constraints on a `sh:targetNode`; shapes
with anything else are refused with an error naming it, never half-checked. "pyshacl" is
the reference SHACL implementation, on rdflib: exact for any shapes, slow on big graphs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD

from kg.export.store import StoreError, open_store, store_for
from kg.paths import ONTOLOGY_DIR

DEFAULT_SHAPES = ONTOLOGY_DIR / "shapes.ttl"
ENGINES = ("oxigraph", "pyshacl")
# The focus node of the shapes' whole-export checks; their offending node is the sh:value.
EXPORT_NODE = rdflib.URIRef("https://w3id.org/kg/shapes#export")


class ValidationError(Exception):
    """The export or the shapes could not be read, or the engine cannot check the shapes."""


@dataclass(frozen=True)
class ValidationResult:
    """One violation: the node that breaks a shape, the property path, the value, and why."""

    focus_node: str
    path: str | None
    message: str
    value: str | None = None
    severity: str = "Violation"

    def __str__(self) -> str:
        where = f"{self.focus_node} {self.path}" if self.path else self.focus_node
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.severity}: {where}: {self.message}{value}"


@dataclass(frozen=True)
class ValidationReport:
    """Whether the export conforms, and every violation, sorted."""

    conforms: bool
    results: tuple[ValidationResult, ...]

    @property
    def text(self) -> str:
        """A report to print: a verdict line, then one line per result."""
        if self.conforms:
            return "conforms: yes"
        lines = [f"conforms: no ({len(self.results)} results)"]
        lines += [str(result) for result in self.results]
        return "\n".join(lines)


def _read(path: Path, what: str) -> rdflib.Graph:
    if not Path(path).is_file():
        raise ValidationError(f"{what} not found: {path}")
    graph = rdflib.Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as error:  # rdflib raises many types for bad syntax
        raise ValidationError(f"cannot read {what} {path}: {error}") from error
    return graph


def _path_text(names: rdflib.Graph, path: rdflib.term.Node | None) -> str | None:
    if path is None:
        return None
    inverse = names.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{inverse.n3(names.namespace_manager)}"
    return path.n3(names.namespace_manager)


def _value_text(names: rdflib.Graph, value: rdflib.term.Node | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, rdflib.Literal) and value.datatype == XSD.decimal:
        # Canonical (`2.0` -> `2`): Oxigraph keeps a decimal's value, not its spelling.
        with suppress(InvalidOperation):
            canonical = format(Decimal(str(value)).normalize(), "f")
            value = rdflib.Literal(canonical, datatype=XSD.decimal)
    text = value.n3(names.namespace_manager)
    return text if len(text) <= 80 else text[:79] + "…"


def _sort_key(result: ValidationResult) -> tuple[str, ...]:
    return (result.focus_node, result.path or "", result.message, result.value or "")


def _report(conforms: bool, results: list[ValidationResult]) -> ValidationReport:
    return ValidationReport(conforms, tuple(sorted(set(results), key=_sort_key)))


def validate(
    export: Path, shapes: Path | None = None, *, engine: str = "oxigraph"
) -> ValidationReport:
    """Validate the Turtle file `export` against `shapes` (default: ontology/shapes.ttl)."""
    if engine not in ENGINES:
        raise ValidationError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    shapes_graph = _read(shapes or DEFAULT_SHAPES, "shapes")
    if engine == "pyshacl":
        return _validate_pyshacl(_read(export, "export"), shapes_graph, shapes)
    checks = compile_shapes(shapes_graph)  # unsupported shapes fail before a long load
    return _validate_oxigraph(_load(Path(export)), shapes_graph, checks)


def _validate_pyshacl(
    data: rdflib.Graph, shapes_graph: rdflib.Graph, shapes: Path | None
) -> ValidationReport:
    import pyshacl  # here: every kg command imports this module, only this engine needs it

    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=shapes_graph, inference="none", advanced=True, allow_warnings=True
    )
    if not isinstance(report, rdflib.Graph):
        raise ValidationError(f"cannot validate with {shapes or DEFAULT_SHAPES}: {report}")
    results = []
    for node in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        severity = report.value(node, SH.resultSeverity)
        focus, value = report.value(node, SH.focusNode), report.value(node, SH.value)
        if focus == EXPORT_NODE:
            focus, value = value, None
        results.append(
            ValidationResult(
                focus_node=str(focus),
                path=_path_text(report, report.value(node, SH.resultPath)),
                message=str(report.value(node, SH.resultMessage) or ""),
                value=_value_text(report, value),
                severity=severity.split("#")[-1] if severity else "Violation",
            )
        )
    return _report(bool(conforms), results)


# --- SHACL as SPARQL --------------------------------------------------------------------

_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_SUBCLASS_OF = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
# SHACL's "instance of": typed C or a subclass of C, by rdfs:subClassOf in the data graph.
_SUBCLASS = f"{_TYPE}/{_SUBCLASS_OF}*"
_NODE_KIND_TESTS = {
    SH.IRI: "isIRI({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNode: "isBlank({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
# What a shape may say for the compiler to check it exactly; anything else is refused.
_SHAPE_TERMS = {RDF.type, SH.targetClass, SH.targetNode, SH.property, SH.sparql, SH.message}
_SHAPE_TERMS |= {SH.nodeKind, SH["class"], SH.severity}
_PROPERTY_TERMS = {SH.path, SH.message, SH.severity, SH.minCount, SH.maxCount, SH.datatype}
_PROPERTY_TERMS |= {SH.minLength, SH["class"], SH["or"], SH.nodeKind, SH.disjoint, SH["in"]}
_PROPERTY_TERMS |= {SH.minInclusive, SH.maxInclusive, SH.lessThanOrEquals, SH.name}
_SPARQL_TERMS = {RDF.type, SH.message, SH.prefixes, SH.select, SH.severity}
_TEMPLATE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")
_THIS = re.compile(r"\$this\b")


@dataclass(frozen=True)
class Check:
    """One constraint as a SPARQL SELECT of ?this (and ?value, and any variables its message
    names) for every node that breaks it."""

    query: str
    message: str
    path: rdflib.term.Node | None
    severity: str
    focus: rdflib.term.Node | None = None  # SHACL-SPARQL: the target node bound to $this
    value_is_focus: bool = False  # node-level constraints report the focus node as value


def _term(node: rdflib.term.Node) -> str:
    return node.n3()


def _refuse(what: str) -> ValidationError:
    return ValidationError(
        f"the oxigraph engine cannot check {what}; use --engine pyshacl for these shapes"
    )


def _check_terms(shapes: rdflib.Graph, node: rdflib.term.Node, allowed: set, what: str) -> None:
    for predicate in set(shapes.predicates(node)):
        if predicate not in allowed:
            name = predicate.n3(shapes.namespace_manager)
            raise _refuse(f"{name} in {what} {node.n3(shapes.namespace_manager)}")


def _focus_pattern(shapes: rdflib.Graph, shape: rdflib.term.Node) -> str:
    targets = [f"{{ ?this {_SUBCLASS} {_term(c)} }}" for c in shapes.objects(shape, SH.targetClass)]
    nodes = list(shapes.objects(shape, SH.targetNode))
    if nodes:
        targets.append(f"{{ VALUES ?this {{ {' '.join(_term(n) for n in nodes)} }} }}")
    return " UNION ".join(targets)


def _path(shapes: rdflib.Graph, path: rdflib.term.Node) -> str:
    if isinstance(path, rdflib.URIRef):
        return _term(path)
    inverse = shapes.value(path, SH.inversePath)
    if isinstance(inverse, rdflib.URIRef) and len(set(shapes.predicates(path))) == 1:
        return f"^{_term(inverse)}"
    raise _refuse(f"the property path {path.n3(shapes.namespace_manager)}")


def _severity(shapes: rdflib.Graph, node: rdflib.term.Node) -> str:
    severity = shapes.value(node, SH.severity)
    return severity.split("#")[-1] if severity else "Violation"


def _qname(shapes: rdflib.Graph, node: rdflib.term.Node) -> str:
    return node.n3(shapes.namespace_manager)


def _or_classes(shapes: rdflib.Graph, members: rdflib.term.Node) -> list[rdflib.term.Node]:
    classes = []
    for member in Collection(shapes, members):
        if set(shapes.predicates(member)) != {SH["class"]}:
            raise _refuse("an sh:or whose members are not single sh:class shapes")
        classes.append(shapes.value(member, SH["class"]))
    return classes


def _property_checks(
    shapes: rdflib.Graph, shape: rdflib.term.Node, prop: rdflib.term.Node, focus: str
) -> Iterator[Check]:
    _check_terms(shapes, prop, _PROPERTY_TERMS, "the property shape of")
    path_node = shapes.value(prop, SH.path)
    path = _path(shapes, path_node)
    severity = _severity(shapes, prop)
    given = shapes.value(prop, SH.message)

    def check(body: str, default: str, *, counted: str = "") -> Check:
        message = str(given) if given is not None else default
        if counted:
            query = f"SELECT ?this WHERE {{ {focus} {body} }} GROUP BY ?this {counted}"
        else:
            query = f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {body} }}"
        return Check(query, message, path_node, severity)

    values = f"?this {path} ?value ."
    min_count = shapes.value(prop, SH.minCount)
    if min_count is not None:
        body = f"OPTIONAL {{ ?this {path} ?value }}"
        default = f"Less than {min_count} values on {_qname(shapes, shape)}->{path}"
        yield check(body, default, counted=f"HAVING (COUNT(DISTINCT ?value) < {min_count})")
    max_count = shapes.value(prop, SH.maxCount)
    if max_count is not None:
        default = f"More than {max_count} values on {_qname(shapes, shape)}->{path}"
        body = f"OPTIONAL {{ ?this {path} ?value }}"  # the focus nodes first, then their values
        yield check(body, default, counted=f"HAVING (COUNT(DISTINCT ?value) > {max_count})")
    datatype = shapes.value(prop, SH.datatype)
    if datatype is not None:
        test = f"!isLiteral(?value) || DATATYPE(?value) != {_term(datatype)}"
        default = f"Value is not Literal with datatype {_qname(shapes, datatype)}"
        yield check(f"{values} FILTER ({test})", default)
    min_length = shapes.value(prop, SH.minLength)
    if min_length is not None:
        test = f"isBlank(?value) || STRLEN(STR(?value)) < {min_length}"
        yield check(f"{values} FILTER ({test})", f"String length not >= {min_length}")
    classes = list(shapes.objects(prop, SH["class"]))
    for members in shapes.objects(prop, SH["or"]):
        classes_of_or = _or_classes(shapes, members)
        tests = " ".join(
            f"FILTER NOT EXISTS {{ ?value {_SUBCLASS} {_term(c)} }}" for c in classes_of_or
        )
        yield check(f"{values} {tests}", "Node does not conform to one or more shapes in sh:or")
    for cls in classes:
        test = f"FILTER NOT EXISTS {{ ?value {_SUBCLASS} {_term(cls)} }}"
        yield check(f"{values} {test}", f"Value does not have class {_qname(shapes, cls)}")
    kind = shapes.value(prop, SH.nodeKind)
    if kind is not None:
        if kind not in _NODE_KIND_TESTS:
            raise _refuse(f"sh:nodeKind {_qname(shapes, kind)}")
        test = _NODE_KIND_TESTS[kind].format(v="?value")
        yield check(
            f"{values} FILTER (!{test})", f"Value is not of Node Kind {_qname(shapes, kind)}"
        )
    for other in shapes.objects(prop, SH.disjoint):
        body = f"{values} ?this {_term(other)} ?value ."
        default = f"Value node {{?value}} is also in {_qname(shapes, other)}"
        yield check(body, default)
    for members in shapes.objects(prop, SH["in"]):
        allowed = " || ".join(f"sameTerm(?value, {_term(m)})" for m in Collection(shapes, members))
        yield check(f"{values} FILTER (!({allowed}))", "Value is not in the given list")
    for bound, operator, name in (
        (SH.minInclusive, ">=", "minInclusive"),
        (SH.maxInclusive, "<=", "maxInclusive"),
    ):
        limit = shapes.value(prop, bound)
        if limit is not None:
            test = f"!COALESCE(?value {operator} {_term(limit)}, false)"
            yield check(f"{values} FILTER ({test})", f"Value is not {name} {limit}")
    for other in shapes.objects(prop, SH.lessThanOrEquals):
        body = f"{values} ?this {_term(other)} ?other . FILTER (!COALESCE(?value <= ?other, false))"
        yield check(body, f"Value is not <= value of {_qname(shapes, other)}")


def _sparql_checks(
    shapes: rdflib.Graph, shape: rdflib.term.Node, constraint: rdflib.term.Node
) -> Iterator[Check]:
    _check_terms(shapes, constraint, _SPARQL_TERMS, "the SPARQL constraint of")
    if list(shapes.objects(shape, SH.targetClass)):
        raise _refuse("SHACL-SPARQL constraints on shapes with sh:targetClass")
    prefixes = []
    for declarer in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(declarer, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            prefixes.append(f"PREFIX {prefix}: <{namespace}>")
    select = str(shapes.value(constraint, SH.select))
    query = "\n".join(prefixes) + "\n" + _THIS.sub("?this", select)
    for focus in shapes.objects(shape, SH.targetNode):
        yield Check(
            query,
            str(shapes.value(constraint, SH.message) or ""),
            None,
            _severity(shapes, constraint),
            focus=focus,
        )


def _focus_check(
    focus: str, condition: str, given: rdflib.term.Node | None, default: str, severity: str
) -> Check:
    """A constraint on the focus node itself (sh:nodeKind, sh:class): the nodes of `focus`
    that meet `condition` break it; the shape's own message, else `default`."""
    return Check(
        f"SELECT DISTINCT ?this WHERE {{ {focus} {condition} }}",
        str(given) if given is not None else default,
        None,
        severity,
        value_is_focus=True,
    )


def compile_shapes(shapes: rdflib.Graph) -> list[Check]:
    """Every constraint of the node shapes in `shapes` as a SPARQL check.

    ValidationError names the first construct the compiler does not know.
    """
    checks: list[Check] = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape))):
        _check_terms(shapes, shape, _SHAPE_TERMS, "the shape")
        focus = _focus_pattern(shapes, shape)
        if not focus:
            continue
        severity = _severity(shapes, shape)
        given = shapes.value(shape, SH.message)
        kind = shapes.value(shape, SH.nodeKind)
        if kind is not None:
            if kind not in _NODE_KIND_TESTS:
                raise _refuse(f"sh:nodeKind {_qname(shapes, kind)}")
            test = _NODE_KIND_TESTS[kind].format(v="?this")
            default = f"Value is not of Node Kind {_qname(shapes, kind)}"
            checks.append(_focus_check(focus, f"FILTER (!{test})", given, default, severity))
        for cls in shapes.objects(shape, SH["class"]):
            test = f"FILTER NOT EXISTS {{ ?this {_SUBCLASS} {_term(cls)} }}"
            default = f"Value does not have class {_qname(shapes, cls)}"
            checks.append(_focus_check(focus, test, given, default, severity))
        for prop in shapes.objects(shape, SH.property):
            checks.extend(_property_checks(shapes, shape, prop, focus))
        for constraint in shapes.objects(shape, SH.sparql):
            checks.extend(_sparql_checks(shapes, shape, constraint))
    return checks


def _load(export: Path) -> pyoxigraph.Store:
    if not export.is_file():
        raise ValidationError(f"export not found: {export}")
    store = store_for(export)
    if store is not None:
        try:
            return open_store(store)
        except StoreError:
            pass  # read the file instead
    data = pyoxigraph.Store()
    try:
        data.bulk_load(path=str(export), format=pyoxigraph.RdfFormat.TURTLE)
    except (SyntaxError, ValueError, OSError) as error:
        raise ValidationError(f"cannot read export {export}: {error}") from error
    return data


def _to_rdflib(term) -> rdflib.term.Node | None:
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def _breaches(data: pyoxigraph.Store, check: Check) -> list[dict[str, rdflib.term.Node]]:
    """The solutions of one check: its variables' values, for each breaking node."""
    substitutions = None
    if check.focus is not None:
        substitutions = {pyoxigraph.Variable("this"): pyoxigraph.NamedNode(str(check.focus))}
    try:
        solutions = data.query(check.query, substitutions=substitutions)
        names = [v.value for v in solutions.variables]
        return [
            dict(zip(names, (_to_rdflib(t) for t in solution), strict=True))
            for solution in solutions
        ]
    except (SyntaxError, OSError, RuntimeError) as error:
        raise ValidationError(f"cannot run the check {check.message!r}: {error}") from error


def _validate_oxigraph(
    data: pyoxigraph.Store, shapes: rdflib.Graph, checks: list[Check]
) -> ValidationReport:
    if not data.query(f"ASK {{ ?class {_SUBCLASS_OF} ?super }}"):
        # No class hierarchy in the data (an export has none): an instance of C is what
        # is typed C, and the path is a plain lookup.
        checks = [replace(c, query=c.query.replace(_SUBCLASS, _TYPE)) for c in checks]
    # Oxigraph lets go of the GIL while it evaluates: the checks run side by side.
    with ThreadPoolExecutor(max_workers=len(os.sched_getaffinity(0))) as pool:
        breaches = list(pool.map(lambda check: _breaches(data, check), checks))
    results = []
    for check, solutions in zip(checks, breaches, strict=True):
        for bound in solutions:
            focus = bound.get("this")
            value = focus if check.value_is_focus else bound.get("value")
            if focus == EXPORT_NODE:
                focus, value = value, None
            message = _TEMPLATE.sub(
                lambda m, bound=bound: str(bound.get(m.group(1), m.group())), check.message
            )
            results.append(
                ValidationResult(
                    focus_node=str(focus),
                    path=_path_text(shapes, check.path),
                    message=message,
                    value=_value_text(shapes, value),
                    severity=check.severity,
                )
            )
    return _report(not results, results)
