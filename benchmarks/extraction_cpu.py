"""Where extraction's time goes: CPU seconds of spaCy's tokenizer alone and of each step of
our extraction, over the first N corpus papers, in this one process.

    .venv/bin/python benchmarks/extraction_cpu.py             # the first 2,000 papers
    .venv/bin/python benchmarks/extraction_cpu.py --papers 5000 --rounds 3

CPU seconds (user + system of this process), not wall: the machine is shared, and
CPU time moves far less with its load. Each round tokenizes the titles and abstracts
with `spacy.blank('en').tokenizer` (the benchmark's yardstick), then runs our pipeline
one component at a time over the same texts, then assembles each paper; the round
with the smallest extraction total is printed (the least disturbed by other work).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
from pathlib import Path

import spacy

from kg.extract import build_pipeline
from kg.extract.paper import PaperAssembler
from kg.extract.text import make_doc
from kg.extract.vocabulary import default_vocabulary
from kg.ingest import ingest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import write_input  # noqa: E402  (the benchmark's own choice of papers)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def one_round(papers: list) -> tuple[float, dict[str, float]]:
    """The tokenizer's seconds, and each extraction step's, from a fresh pipeline."""
    texts = [text for paper in papers for text in (paper.abstract, paper.title or "")]
    tokenizer = spacy.blank("en").tokenizer
    started = cpu_seconds()
    for _ in tokenizer.pipe(texts, batch_size=256):
        pass
    tokenizer_seconds = cpu_seconds() - started

    nlp = build_pipeline()
    steps: dict[str, float] = {}
    started = cpu_seconds()
    docs = [make_doc(nlp, text) for text in texts]
    steps["tokenizer (ours)"] = cpu_seconds() - started
    for name, component in nlp.pipeline:
        started = cpu_seconds()
        docs = [component(doc) for doc in docs]
        steps[name] = cpu_seconds() - started
    assembler = PaperAssembler(default_vocabulary())
    started = cpu_seconds()
    for index, paper in enumerate(papers):
        title = docs[2 * index + 1] if paper.title else None
        assembler.assemble(paper, title, docs[2 * index])
    steps["paper assembly"] = cpu_seconds() - started
    return tokenizer_seconds, steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-extraction-cpu-") as work:
        source = Path(work) / "papers.jsonl"
        write_input(source, args.papers)
        papers = ingest([source]).papers
    default_vocabulary()
    rounds = [one_round(papers) for _ in range(args.rounds)]
    tokenizer_seconds, steps = min(rounds, key=lambda r: sum(r[1].values()))
    total = sum(steps.values())
    print(f"{len(papers):,} papers, CPU seconds (best of {args.rounds} rounds):")
    print(f"  spaCy tokenizer alone: {tokenizer_seconds:.2f}")
    print(f"  extraction: {total:.2f} ({tokenizer_seconds / total:.2f} of the tokenizer's speed)")
    for name, seconds in steps.items():
        print(f"    {name}: {seconds:.2f} ({100 * seconds / total:.0f}%)")


if __name__ == "__main__":
    main()
