"""MEDLINE / PubMed `.nbib` ("Save > PubMed format"): `TAG - value` lines, records split by
blank lines. See https://www.nlm.nih.gov/bsd/mms/medlineelements.html."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.ingest.files import InputFile, read_text
from kg.ingest.record import (
    RawRecord,
    arxiv_id_from_doi,
    normalise_doi,
    normalise_pmcid,
    normalise_pmid,
    parse_year,
    pubmed_title,
)
from kg.ingest.tagged import TaggedRecord, TagSyntax, bracketed_id, tagged_records
from kg.records import Problem, SourceRef

SYNTAX = TagSyntax(tag_line=re.compile(r"^([A-Z][A-Z0-9]{1,3}) {0,3}- ?(.*)$"), indent="      ")
_PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
_START = re.compile(r"^PMID- ", re.MULTILINE)


def looks_like(head: str) -> bool:
    """A line starting `PMID- `."""
    return bool(_START.search(head))


def read(file: InputFile) -> Iterator[RawRecord | Problem]:
    """Every citation of the file."""
    for tagged in tagged_records(read_text(file), SYNTAX):
        yield citation_record(tagged, SourceRef(file.shown, tagged.line))


def citation_record(tagged: TaggedRecord, source: SourceRef) -> RawRecord:
    """A record from one MEDLINE citation."""
    pmid = normalise_pmid(tagged.first("PMID"))
    ids = tagged.all("LID") + tagged.all("AID")
    doi = normalise_doi(bracketed_id(ids, "doi"))
    return RawRecord(
        source,
        abstract=tagged.first("AB"),
        title=pubmed_title(tagged.first("TI")),
        url=_PUBMED_URL.format(pmid=pmid) if pmid else None,
        year=parse_year(tagged.first("DP")),
        authors=tuple(tagged.all("FAU") or tagged.all("AU")),
        doi=doi,
        arxiv_id=arxiv_id_from_doi(doi),
        pmid=pmid,
        pmcid=normalise_pmcid(tagged.first("PMC")),
    )
