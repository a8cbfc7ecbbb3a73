"""Which records are the same paper, and the one Paper each group of records becomes.

Records are the same paper when they share an arXiv id, a DOI or a normalised
abstract; the groups are the connected components of that relation (union-find).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence

from kg.ingest.record import RawRecord, fold_whitespace
from kg.records import Paper


def normalised_abstract(abstract: str) -> str:
    """NFKC, casefolded, whitespace folded: equal for the same abstract typed twice."""
    if abstract.isascii():
        # NFKC leaves ASCII as it is and casefold is lower: skip both, for speed.
        return fold_whitespace(abstract).lower()
    return " ".join(unicodedata.normalize("NFKC", abstract).casefold().split())


def abstract_key(abstract: str) -> str:
    """First 16 hex digits of the SHA-256 of the normalised abstract."""
    return hashlib.sha256(normalised_abstract(abstract).encode("utf-8")).hexdigest()[:16]


def paper_id(arxiv_id: str | None, doi: str | None, abstract_hash: str) -> str:
    """`arxiv:<id>`, else `doi:<doi>`, else `abstract:<hash>`: the most stable identity known."""
    if arxiv_id:
        return f"arxiv:{arxiv_id}"
    if doi:
        return f"doi:{doi}"
    return f"abstract:{abstract_hash}"


def merge_records(records: Sequence[RawRecord]) -> tuple[list[Paper], int]:
    """One Paper per group of records of the same paper, sorted by id; and how many were merged.

    Records must be cleaned (abstract non-empty, DOI and arXiv id normalised).
    """
    parent = list(range(len(records)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    hashes = [abstract_key(record.abstract or "") for record in records]
    first_with_key: dict[tuple[str, str], int] = {}
    for index, record in enumerate(records):
        keys = [("abstract", hashes[index])]
        if record.arxiv_id:
            keys.append(("arxiv", record.arxiv_id))
        if record.doi:
            keys.append(("doi", record.doi))
        for key in keys:
            other = first_with_key.setdefault(key, index)
            parent[root(index)] = root(other)

    groups: dict[int, list[int]] = {}
    for index in range(len(records)):
        groups.setdefault(root(index), []).append(index)
    papers = []
    for group in groups.values():
        # Source order, not input order, decides which record's fields win, so that
        # the paths' order on the command line cannot change the result.
        group.sort(key=lambda index: records[index].source)
        papers.append(_merge_group([records[index] for index in group], hashes[group[0]]))
    papers.sort(key=lambda paper: paper.id)
    return papers, len(records) - len(groups)


def _merge_group(ordered: list[RawRecord], abstract_hash: str) -> Paper:
    """One Paper from records in source order: the first known value of each field wins."""
    first = ordered[0]
    if len(ordered) == 1:
        return Paper(
            id=paper_id(first.arxiv_id, first.doi, abstract_hash),
            title=first.title,
            abstract=first.abstract or "",
            sources=(first.source,),
            url=first.url,
            year=first.year,
            authors=first.authors,
            doi=first.doi,
            arxiv_id=first.arxiv_id,
        )

    def first_known(field: str) -> object:
        return next((value for r in ordered if (value := getattr(r, field))), None)

    arxiv_id = first_known("arxiv_id")
    doi = first_known("doi")
    return Paper(
        id=paper_id(arxiv_id, doi, abstract_hash),
        title=first_known("title"),
        abstract=first.abstract or "",
        sources=tuple(sorted({record.source for record in ordered})),
        url=first_known("url"),
        year=first_known("year"),
        authors=first_known("authors") or (),
        doi=doi,
        arxiv_id=arxiv_id,
    )
