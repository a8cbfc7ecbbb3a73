"""Introduction claims that extraction makes and the link stage deletes, by reason.

python benchmarks/lost_introductions.py CORPUS ... [--cache DIR] [--jobs N] [--examples N]

A paper's `introduces` claim on a name can end without any introduces edge from that paper:
the name was merged with another paper's artifact of the same spelling and that paper's claim
won (earlier, same year or later), the node kept no introducer at all, or no node of that
spelling survived (a generic term, a sense or a type decided elsewhere). The counts measure
how much credit the "one name, one thing" assumption of kg/link costs (audit of the 88k
build, 2026-11-29: 3,435 of 30,179 claims, 2,033 lost to another paper). With the cache of
a full build (`kg build ... --cache DIR`) nothing is re-extracted.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter, defaultdict

from kg.cache import ExtractionCache
from kg.engine import extract
from kg.extract.vocabulary import default_vocabulary
from kg.ingest import ingest
from kg.link import resolve
from kg.link.linked import Linked, spelling_key
from kg.records import INTRODUCES, Paper, PaperExtraction


def extractions_of(papers: list[Paper], cache_dir: str | None, jobs: int) -> list[PaperExtraction]:
    """Every paper's extraction: from the cache where it has one, else extracted now."""
    found: list[PaperExtraction | None] = [None] * len(papers)
    if cache_dir:
        with ExtractionCache.for_pipeline(cache_dir) as cache:
            found = cache.lookup(papers)
    missing = [i for i, extraction in enumerate(found) if extraction is None]
    slots = iter(missing)
    for _, shard_extractions in extract([papers[i] for i in missing], jobs=jobs):
        for extraction in shard_extractions:
            found[next(slots)] = extraction
    return found  # type: ignore[return-value]  # every slot is filled above


def lost_claims(
    extractions: list[PaperExtraction], linked: Linked, years: dict[str, int | None]
) -> list[tuple[str, str, str, list[str]]]:
    """(reason, paper id, claimed name, winning papers) for each claim left without an edge."""
    nodes_by_spelling: dict[str, set[str]] = defaultdict(set)
    for entity in linked.entities.values():
        for form in (entity.label, *entity.aliases):
            nodes_by_spelling[spelling_key(form)].add(entity.node_id)
    introducers: dict[str, set[str]] = defaultdict(set)
    for edge in linked.entity_edges:
        if edge.relation == INTRODUCES:
            introducers[edge.node_id].add(edge.paper_id)
    lost = []
    for extraction in extractions:
        paper_id = extraction.paper_id
        for relation in extraction.relations:
            if relation.relation != INTRODUCES:
                continue
            nodes = nodes_by_spelling.get(spelling_key(relation.target.name), set())
            if any(paper_id in introducers[node] for node in nodes):
                continue
            winners = sorted({p for node in nodes for p in introducers[node]} - {paper_id})
            lost.append(
                (_reason(paper_id, nodes, winners, years), paper_id, relation.target.name, winners)
            )
    return lost


def _reason(
    paper_id: str, nodes: set[str], winners: list[str], years: dict[str, int | None]
) -> str:
    if not nodes:
        return "no node of that spelling (generic, sense or type)"
    if not winners:
        return "node kept, nobody introduces it"
    year, first = years.get(paper_id), min((years.get(w) or 9999) for w in winners)
    if year is None or first == 9999:
        return "another paper's claim won (undated)"
    if first < year:
        return "an earlier paper's claim won"
    return "a same-year paper's claim won" if first == year else "a later paper's claim won"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="+")
    parser.add_argument("--cache", help="extraction cache folder of a build of the same corpus")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--examples", type=int, default=5, help="examples per reason (seeded)")
    args = parser.parse_args()

    papers = ingest(args.corpus).papers
    extractions = extractions_of(papers, args.cache, args.jobs)
    linked = resolve(extractions, default_vocabulary(), papers)
    by_id = {paper.id: paper for paper in papers}
    years = {paper.id: paper.year for paper in papers}
    claims = sum(r.relation == INTRODUCES for x in extractions for r in x.relations)
    lost = lost_claims(extractions, linked, years)
    print(f"{len(papers)} papers; {claims} introduces claims; {len(lost)} left without an edge")
    reasons = Counter(reason for reason, *_ in lost)
    for reason, count in reasons.most_common():
        print(f"{count:>8}  {reason}")
    rng = random.Random(0)
    for reason in sorted(reasons) if args.examples > 0 else ():
        cases = [case for case in lost if case[0] == reason]
        print(f"\n{reason}:")
        for _, paper_id, name, winners in rng.sample(cases, min(args.examples, len(cases))):
            won = (
                f" <- {by_id[winners[0]].title or winners[0]} ({years[winners[0]]})"
                if winners
                else ""
            )
            print(f"  {name}: {by_id[paper_id].title or paper_id} ({years[paper_id]}){won}")


if __name__ == "__main__":
    main()
