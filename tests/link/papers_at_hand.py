"""Hand-made extractions for the link stage tests: papers as extraction hands them over."""

from __future__ import annotations

from kg.records import Evidence, Mention, Paper, PaperExtraction, Relation, SourceRef


def evidence(
    sentence: str = "A sentence.", rule: str = "test", confidence: float = 0.8
) -> Evidence:
    return Evidence(sentence, 0, len(sentence), rule, confidence)


def extraction(paper_id: str, *relations: tuple[str, Mention, Evidence]) -> PaperExtraction:
    return PaperExtraction(
        paper_id=paper_id,
        label=paper_id,
        relations=tuple(Relation(kind, target, ev) for kind, target, ev in relations),
    )


def paper(paper_id: str, abstract: str, year: int | None = None, title: str | None = None) -> Paper:
    return Paper(
        id=paper_id, title=title, abstract=abstract, sources=(SourceRef("t.jsonl", 1),), year=year
    )


def introducers(linked) -> dict[str, set[str]]:
    """Node id -> the papers with an introduces edge to it, in a link stage's result."""
    found: dict[str, set[str]] = {}
    for edge in linked.entity_edges:
        if edge.relation == "introduces":
            found.setdefault(edge.node_id, set()).add(edge.paper_id)
    return found
