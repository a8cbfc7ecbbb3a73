"""Check a Turtle export against the SHACL shapes of `ontology/shapes.ttl`, with pySHACL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyshacl
import rdflib
from rdflib.namespace import SH

from kg.paths import ONTOLOGY_DIR

DEFAULT_SHAPES = ONTOLOGY_DIR / "shapes.ttl"
# The focus node of the shapes' whole-export checks; their offending node is the sh:value.
EXPORT_NODE = rdflib.URIRef("https://w3id.org/kg/shapes#export")


class ValidationError(Exception):
    """The export or the shapes could not be read."""


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


def _path_text(report: rdflib.Graph, path: rdflib.term.Node | None) -> str | None:
    if path is None:
        return None
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{inverse.n3(report.namespace_manager)}"
    return path.n3(report.namespace_manager)


def _value_text(report: rdflib.Graph, value: rdflib.term.Node | None) -> str | None:
    if value is None:
        return None
    text = value.n3(report.namespace_manager)
    return text if len(text) <= 80 else text[:79] + "…"


def _sort_key(result: ValidationResult) -> tuple[str, ...]:
    return (result.focus_node, result.path or "", result.message, result.value or "")


def validate(export: Path, shapes: Path | None = None) -> ValidationReport:
    """Validate the Turtle file `export` against `shapes` (default: ontology/shapes.ttl)."""
    data = _read(export, "export")
    shapes_graph = _read(shapes or DEFAULT_SHAPES, "shapes")
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
    return ValidationReport(
        conforms=bool(conforms), results=tuple(sorted(set(results), key=_sort_key))
    )
