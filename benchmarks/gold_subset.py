"""Cut a gold set's papers out of a large export, to score extraction at corpus scale.

python benchmarks/gold_subset.py EXPORT.ttl GOLD.jsonl OUT.nt
python ../shared/tools/score.py OUT.nt GOLD.jsonl

The development sets are scored on builds of their own 60-91 papers, where linking meets almost
no homonyms. Built inside the full corpus (random-dev's papers are in it; seeds can be built
with it: `kg build seeds CORPUS ... --cache DIR`), the same papers lose links to corpus-level
decisions (audit of 2026-11-29: random-dev micro F1 0.921 -> 0.911, seeds 0.902 -> 0.891).
score.py parses the whole file with rdflib, which takes minutes on a 170 MB export; this keeps
each gold paper's triples, the names of what it links to, and its links to other gold papers
(a link to a paper outside the gold set is dropped: score.py could only count it as a wrong
entity, and a build of the gold set alone cannot have it). Papers are found as score.py finds
them, by the first 60 characters of the abstract; when two papers share them, the one with the
gold title is taken.
"""

from __future__ import annotations

import json
import sys

import pyoxigraph as ox

ABSTRACT = ox.NamedNode("http://purl.org/dc/terms/abstract")
TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
NAMES = [
    ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
    ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
    ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel"),
]
KEY_LENGTH = 60  # as score.py


def abstract_key(abstract: str) -> str:
    return " ".join(abstract.split())[:KEY_LENGTH].rstrip()


def gold_papers(store: ox.Store, records: list[dict]) -> set[ox.NamedNode]:
    """The export's paper node of each gold record found in it."""
    titles = {abstract_key(r["key"]): (r.get("title") or "").strip().lower() for r in records}
    found: dict[str, ox.NamedNode] = {}
    for quad in store.quads_for_pattern(None, ABSTRACT, None):
        key = abstract_key(quad.object.value)
        if key not in titles:
            continue
        own = [
            q.object.value.strip().lower()
            for q in store.quads_for_pattern(quad.subject, TITLE, None)
        ]
        if key not in found or titles[key] in own:
            found[key] = quad.subject
    return set(found.values())


def gold_triples(store: ox.Store, papers: set[ox.NamedNode]) -> set[ox.Triple]:
    """Each paper's own triples and the names of what it links to; links to papers outside
    `papers` are left out."""
    triples = set()
    for paper in papers:
        for quad in store.quads_for_pattern(paper, None, None):
            target = quad.object
            node = isinstance(target, ox.NamedNode)
            if node and target not in papers and _is_paper(store, target):
                continue  # a paper outside the gold set
            triples.add(ox.Triple(quad.subject, quad.predicate, target))
            for name in NAMES if node else ():
                for named in store.quads_for_pattern(target, name, None):
                    triples.add(ox.Triple(named.subject, named.predicate, named.object))
    return triples


def _is_paper(store: ox.Store, node: ox.NamedNode) -> bool:
    return next(store.quads_for_pattern(node, ABSTRACT, None), None) is not None


def main() -> None:
    if len(sys.argv) != 4:
        sys.exit(__doc__.splitlines()[2])
    export, gold, out = sys.argv[1:]
    with open(gold, encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    store = ox.Store()
    store.bulk_load(path=export, format=ox.RdfFormat.TURTLE)
    papers = gold_papers(store, records)
    triples = gold_triples(store, papers)
    with open(out, "wb") as handle:
        ox.serialize(sorted(triples, key=str), handle, ox.RdfFormat.N_TRIPLES)
    print(
        f"{len(papers)}/{len(records)} gold papers found; {len(triples)} triples", file=sys.stderr
    )


if __name__ == "__main__":
    main()
