"""Which records are the same paper, and the one Paper each group of records becomes.

Records are the same paper when they share an identifier (arXiv id, DOI, PMID,
PMC id), or when they have the same normalised abstract, or the same title (of at least
four words, case and punctuation aside) and year, and neither carries an identifier that
conflicts with the other's (two DOIs: two works that share an abstract, such as an
erratum). The merged Paper keeps every identifier of its
records; each other field comes from the most complete record that has it, so
neither the order of the input nor the names of the files decide.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from kg.ingest.record import RawRecord, arxiv_id_from_doi, fold_whitespace
from kg.records import Paper

# Words a title needs before two records sharing it (and a year) are taken for one paper.
MIN_TITLE_WORDS = 4
_WORD = re.compile(r"\w+")


def normalised_abstract(abstract: str) -> str:
    """NFKC, casefolded, whitespace folded: equal for the same abstract typed twice."""
    if abstract.isascii():
        # NFKC leaves ASCII as it is and casefold is lower: skip both, for speed.
        return fold_whitespace(abstract).lower()
    return fold_whitespace(unicodedata.normalize("NFKC", abstract).casefold())


def abstract_key(abstract: str) -> str:
    """First 16 hex digits of the SHA-256 of the normalised abstract."""
    return hashlib.sha256(normalised_abstract(abstract).encode("utf-8")).hexdigest()[:16]


def title_key(title: str | None) -> str | None:
    """A title's words, case, accents and punctuation aside; None for titles too short to
    name one paper ("Introduction", "Workshops and Tutorials")."""
    if not title:
        return None
    words = _WORD.findall(unicodedata.normalize("NFKC", title).casefold())
    return " ".join(words) if len(words) >= MIN_TITLE_WORDS else None


def record_keys(record: RawRecord) -> tuple[str, str | None]:
    """A cleaned record's `abstract_key` and `title_key`: what `merge_records` compares
    besides identifiers (kept with the record by the parsed-input cache)."""
    abstract = record.abstract or ""
    if abstract.isascii():
        # A cleaned abstract is folded already: the normalised form is just lower case.
        key = hashlib.sha256(abstract.lower().encode("ascii")).hexdigest()[:16]
    else:
        key = abstract_key(abstract)
    return key, title_key(record.title)


def cached_record_keys(record: RawRecord) -> tuple[str, str | None, bytes]:
    """`record_keys`, and the `paper_key` of the record's paper when it is merged with no
    other (most are): what the parsed-input cache keeps with the record, so that a re-build
    looks up the extraction cache without hashing every paper again."""
    key, title = record_keys(record)
    return key, title, paper_key(single_paper(record, record.identifiers(), key))


def paper_key(paper: Paper) -> bytes:
    """A digest of everything extraction reads from a paper (the extraction cache's key)."""
    parts = []
    for part in (paper.id, paper.title if paper.title is not None else "\0none", paper.abstract):
        data = part.encode("utf-8", "surrogatepass")
        parts += (len(data).to_bytes(8, "big"), data)
    return hashlib.sha256(b"".join(parts)).digest()


def paper_id(record: RawRecord, abstract_hash: str) -> str:
    """`arxiv:<id>`, else `doi:<doi>`, `pmid:<id>`, `pmc:<id>`, else `abstract:<hash>`:
    the most stable identity known."""
    return next(iter(record.identifiers()), f"abstract:{abstract_hash}")


Merged = tuple[list[Paper], int, list[bytes | None]]


@dataclass(frozen=True)
class MergedRecords:
    """What `merge_records` made of a run of records (papers, how many merged, paper keys),
    and the `shared_key_hashes` of those records: what tells whether records after them
    merge with one of them."""

    papers: list[Paper]
    merged: int
    paper_keys: list[bytes | None]
    key_hashes: frozenset[int]


def shared_key_hashes(records: Iterable[RawRecord], keys: Iterable[tuple]) -> set[int]:
    """64-bit hashes of what two records must share to be merged: an identifier, an abstract
    key, a title key with a year (tagged by kind). Records whose hashes do not meet never
    merge; records whose hashes meet may (or collide)."""
    hashes: set[int] = set()
    for record, (abstract_hash, title, *_) in zip(records, keys, strict=True):
        shared = [f"i\0{identifier}" for identifier in record.identifiers()]
        shared.append(f"a\0{abstract_hash}")
        if title and record.year is not None:
            shared.append(f"t\0{title}\0{record.year}")
        for text in shared:
            digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8)
            hashes.add(int.from_bytes(digest.digest(), "little"))
    return hashes


def merge_after(
    before: MergedRecords, records: Sequence[RawRecord], keys: Sequence[tuple]
) -> Merged | None:
    """`merge_records` of the records `before` stands for followed by `records` (with their
    cached keys), from `before`'s result; None when a record of `records` may merge with
    one before (then only merging them all tells).

    When none shares a key with those before, no group joins records of both runs, and
    every group's paper is what it is in either run alone; merge_records orders the papers
    by their first record, then (stably) by id: the papers before, then these, sorted by
    id, is that order."""
    if not shared_key_hashes(records, keys).isdisjoint(before.key_hashes):
        return None
    papers, merged, paper_keys = merge_records(records, keys)
    joined = before.papers + papers
    joined_keys = before.paper_keys + paper_keys
    order = sorted(range(len(joined)), key=[paper.id for paper in joined].__getitem__)
    return (
        [joined[index] for index in order],
        before.merged + merged,
        [joined_keys[index] for index in order],
    )


def merge_records(records: Sequence[RawRecord], keys: Sequence[tuple] | None = None) -> Merged:
    """One Paper per group of records of the same paper, sorted by id; how many were merged;
    and each paper's `paper_key` when `keys` hold it and the paper is one record alone,
    else None.

    Records must be cleaned (abstract non-empty and folded, identifiers normalised);
    `keys` are their `record_keys` or `cached_record_keys`, computed here when not given.
    """
    if keys is None:
        keys = [record_keys(record) for record in records]
    parent = list(range(len(records)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    first_with: dict[str, int] = {}
    own = [record.identifiers() for record in records]
    for index, record_identifiers in enumerate(own):
        for identifier in record_identifiers:
            first = first_with.setdefault(identifier, index)
            if first != index:
                parent[root(index)] = root(first)
    # The identifiers of each group, taken when a group is first compared (most never are).
    joined = _members(parent, root)
    identifiers: dict[int, set[str]] = {}

    def identifiers_of(group: int) -> set[str]:
        if group not in identifiers:
            identifiers[group] = {i for index in joined.get(group, (group,)) for i in own[index]}
        return identifiers[group]

    def merge_compatible(roots: set[int]) -> None:
        # A root may have been merged since its key's roots were taken (a record of the
        # same paper shares another abstract): its group's root stands for it now.
        current = {root(group) for group in roots}
        if len(current) > 1:
            ranked = sorted(current, key=lambda group: _richness(identifiers_of(group)))
            _merge_compatible(ranked, identifiers, parent)

    # Records of one abstract (then of one title and year) in groups of different roots are
    # merged unless their identifiers conflict; keys in the order first met.
    for roots in _shared_roots([record_key[0] for record_key in keys], root):
        merge_compatible(roots)

    # One paper published twice (a workshop and a conference version) carries one title
    # with two abstracts: same title (case, accents and punctuation aside) and year, and
    # no conflicting identifier, is the same paper.
    titles = [
        (record_key[1], record.year) if record_key[1] and record.year is not None else None
        for record, record_key in zip(records, keys, strict=True)
    ]
    for roots in _shared_roots(titles, root):
        merge_compatible(roots)

    groups = _members(parent, root)
    papers = []
    known_keys: list[bytes | None] = []
    cached = bool(keys) and len(keys[0]) > 2  # `cached_record_keys`, with the paper's key
    for index, record in enumerate(records):
        group = groups.get(root(index))
        if group is None:
            papers.append(single_paper(record, own[index], keys[index][0]))
            known_keys.append(keys[index][2] if cached else None)
        elif group[0] == index:  # a group's paper, where its first record stands
            ordered = sorted(group, key=lambda member: _completeness(records[member]))
            merged = [records[member] for member in ordered]
            papers.append(_merge_group(merged, keys[ordered[0]][0]))
            known_keys.append(None)
    order = sorted(range(len(papers)), key=[paper.id for paper in papers].__getitem__)
    return (
        [papers[index] for index in order],
        sum(len(group) - 1 for group in groups.values()),
        [known_keys[index] for index in order],
    )


def _members(parent: list[int], root: Callable[[int], int]) -> dict[int, list[int]]:
    """The records of each group of more than one, in order, by the group's root."""
    members: dict[int, list[int]] = {}
    for index in [index for index, up in enumerate(parent) if up != index]:
        members.setdefault(root(index), []).append(index)
    for group, found in members.items():
        found.append(group)
        found.sort()
    return members


def _shared_roots(keys: list, root: Callable[[int], int]) -> list[set[int]]:
    """The roots of the records of each key (None: no key) that more than one record holds,
    keys in the order first met; taken before any of them is merged."""
    counts = Counter(keys)
    shared: dict[object, set[int]] = {}
    if len(counts) < len(keys):  # most keys are one record's: those are never looked at
        for index, key in enumerate(keys):
            if key is not None and counts[key] > 1:
                shared.setdefault(key, set()).add(root(index))
    return [roots for roots in shared.values() if len(roots) > 1]


def _merge_compatible(
    roots: list[int], identifiers: dict[int, set[str]], parent: list[int]
) -> None:
    """Join groups of one abstract unless their identifiers conflict; groups of different
    identifier roots never share an identifier, so any scheme both carry is a conflict."""
    kept: list[int] = []
    for candidate in roots:
        for target in kept:
            if not _schemes(identifiers[target]) & _schemes(identifiers[candidate]):
                parent[candidate] = target
                identifiers[target] |= identifiers.pop(candidate)
                break
        else:
            kept.append(candidate)


def _schemes(identifiers: set[str]) -> set[str]:
    """The identifier schemes, an arXiv DOI counted as the arXiv id it names."""
    return {
        "arxiv" if scheme == "doi" and arxiv_id_from_doi(value) else scheme
        for scheme, _, value in (identifier.partition(":") for identifier in identifiers)
    }


def _richness(identifiers: set[str]) -> tuple[int, list[str]]:
    return -len(identifiers), sorted(identifiers)


def _completeness(record: RawRecord) -> tuple:
    """Most complete first: the most fields known, the longest abstract; ties by identifier."""
    known = sum(
        1
        for value in (
            record.title,
            record.url,
            record.year,
            record.authors,
            record.doi,
            record.arxiv_id,
            record.pmid,
            record.pmcid,
        )
        if value
    )
    return (
        -known,
        -len(record.abstract or ""),
        record.identifiers(),
        record.title or "",
        record.abstract or "",
        record.source,
    )


def single_paper(record: RawRecord, identifiers: tuple[str, ...], abstract_hash: str) -> Paper:
    """The Paper of a record merged with no other; `identifiers` are the record's, and
    `abstract_hash` its `abstract_key`."""
    # Positional, and the id as `paper_id` makes it: this runs for almost every record.
    return Paper(
        identifiers[0] if identifiers else f"abstract:{abstract_hash}",
        record.title,
        record.abstract or "",
        (record.source,),
        record.url,
        record.year,
        record.authors,
        record.doi,
        record.arxiv_id,
        tuple(sorted(identifiers)),
    )


def _merge_group(ordered: list[RawRecord], abstract_hash: str) -> Paper:
    """One Paper from records, most complete first: the first known value of each field;
    `abstract_hash` is the first record's `abstract_key`."""
    first = ordered[0]
    if len(ordered) == 1:
        return single_paper(first, first.identifiers(), abstract_hash)

    def first_known(field: str) -> object:
        return next((value for r in ordered if (value := getattr(r, field))), None)

    best = RawRecord(
        first.source,
        first.abstract,
        doi=first_known("doi"),
        arxiv_id=first_known("arxiv_id"),
        pmid=first_known("pmid"),
        pmcid=first_known("pmcid"),
    )
    return Paper(
        id=paper_id(best, abstract_hash),
        title=first_known("title"),
        abstract=first.abstract or "",
        sources=tuple(sorted({record.source for record in ordered})),
        url=first_known("url"),
        year=first_known("year"),
        authors=first_known("authors") or (),
        doi=best.doi,
        arxiv_id=best.arxiv_id,
        identifiers=tuple(sorted({i for record in ordered for i in record.identifiers()})),
    )
