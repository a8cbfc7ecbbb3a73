"""Europe PMC REST search results (`resultList.result`, `resultType=core` for abstracts)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kg.ingest.csl_json import jats_text
from kg.ingest.files import InputFile
from kg.ingest.json_records import read_json
from kg.ingest.record import (
    RawRecord,
    arxiv_id_from_doi,
    list_field,
    normalise_doi,
    normalise_pmcid,
    normalise_pmid,
    parse_year,
    pubmed_title,
    split_authors,
    text_field,
)
from kg.records import Problem, SourceRef

_ARTICLE_URL = "https://europepmc.org/article/{source}/{id}"


def looks_like(head: str) -> bool:
    """Europe PMC pages hold `resultList`."""
    return head.lstrip()[:1] == "{" and '"resultList"' in head


def read(file: InputFile) -> Iterator[RawRecord | Problem]:
    """Every result of a Europe PMC search answer."""
    return read_json(file, record)


def is_record(obj: dict[str, Any]) -> bool:
    """Results name their `source` (MED, PMC, PPR) and write `pubYear`, `authorString`."""
    return "source" in obj and ("pubYear" in obj or "authorString" in obj or "abstractText" in obj)


def record(obj: dict[str, Any], source: SourceRef) -> RawRecord:
    """A record from one Europe PMC result."""
    doi = normalise_doi(text_field(obj.get("doi")))
    author_list = obj.get("authorList") if isinstance(obj.get("authorList"), dict) else {}
    full_names = tuple(
        name
        for author in list_field(author_list.get("author"))
        if isinstance(author, dict) and (name := text_field(author.get("fullName")))
    )
    result_source, result_id = text_field(obj.get("source")), text_field(obj.get("id"))
    return RawRecord(
        source,
        abstract=jats_text(text_field(obj.get("abstractText"))),
        title=pubmed_title(jats_text(text_field(obj.get("title")))),
        url=_ARTICLE_URL.format(source=result_source, id=result_id)
        if result_source and result_id
        else None,
        year=parse_year(obj.get("pubYear")),
        authors=full_names
        or split_authors((text_field(obj.get("authorString")) or "").rstrip(".")),
        doi=doi,
        arxiv_id=arxiv_id_from_doi(doi),
        pmid=normalise_pmid(obj.get("pmid")),
        pmcid=normalise_pmcid(obj.get("pmcid")),
    )
