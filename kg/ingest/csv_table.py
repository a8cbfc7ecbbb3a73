"""Tables with a header row: CSV and TSV from Excel, Scopus, Zotero, Web of Science.

The separator (`,` `;` tab `|`) is found by `csv.Sniffer` on the header line; a BOM
is dropped; quoted fields may hold newlines; column names are matched in any case,
by the names these tools write (`Abstract Note`, `AB`, `Article Title`, `PubMed ID`).
An `abstract` column is required.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from kg.ingest.files import MAX_TEXT_BYTES, InputFile, UnreadableFile, read_text
from kg.ingest.jsonl import plain_record
from kg.ingest.record import RawRecord
from kg.records import Problem, SourceRef

# Each field plain_record reads, and the column names that hold it, preferred first.
COLUMNS = {
    "abstract": ("abstract", "abstract note", "ab"),
    "title": ("title", "article title", "document title", "ti"),
    "doi": ("doi", "di"),
    "year": ("year", "publication year", "py"),
    "authors": ("authors", "author", "author full names", "af", "au"),
    "url": ("url", "link", "ur"),
    "pmid": ("pmid", "pubmed id", "pm"),
    "pmcid": ("pmcid", "pmc id"),
    "arxiv": ("arxiv", "arxiv id", "arxiv_id"),
    "id": ("id",),
}
_SEPARATORS = ",;\t|"
_KNOWN = {name for names in COLUMNS.values() for name in names}
_WOS_HEADER = {"pt", "au", "ti"}
# The whole file is bounded by MAX_TEXT_BYTES, so no field can be larger: never the
# csv module's own 131,072-character limit, which skipped the rest of the file.
csv.field_size_limit(MAX_TEXT_BYTES)


def looks_like(head: str) -> bool:
    """A first line of separated cells, one of them a column name kg knows."""
    first = head.lstrip("\ufeff\r\n").split("\n", 1)[0]
    cells = re.split(r"[,;\t|]", first.lower())
    return len(cells) > 1 and any(cell.strip().strip('"').strip() in _KNOWN for cell in cells)


def read(file: InputFile) -> Iterator[RawRecord | Problem]:
    """One record per data row; a malformed row is a Problem and the next row is read."""
    text = read_text(file)
    header_line = text.lstrip("\r\n").split("\n", 1)[0]
    try:
        separator = csv.Sniffer().sniff(header_line, delimiters=_SEPARATORS).delimiter
    except csv.Error:
        separator = ","
    header_cells = {cell.strip().lower() for cell in header_line.split(separator)}
    # Web of Science tab-delimited exports never quote: a leading `"` there is text.
    quoting = (
        csv.QUOTE_NONE if separator == "\t" and header_cells >= _WOS_HEADER else csv.QUOTE_MINIMAL
    )
    rows = csv.reader(
        io.StringIO(text, newline=""), delimiter=separator, quoting=quoting, strict=True
    )
    header: list[str] | None = None
    next_line = 1
    while True:
        start = next_line
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as error:
            yield Problem(file.shown, start, f"malformed CSV ({error}); record skipped")
            continue
        finally:
            next_line = rows.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [name.strip().lower() for name in row]
            if not set(COLUMNS["abstract"]) & set(header):
                raise UnreadableFile(
                    f"table header has no abstract column (columns: {', '.join(header)}); "
                    "file skipped",
                    start,
                )
            continue
        if len(row) != len(header) and not (len(row) == len(header) + 1 and not row[-1]):
            yield Problem(
                file.shown,
                start,
                f"row has {len(row)} column{'s' if len(row) != 1 else ''}, "
                f"the header has {len(header)}; record skipped",
            )
            continue
        yield plain_record(_fields(header, row), SourceRef(file.shown, start))


def _fields(header: list[str], row: list[str]) -> dict[str, str]:
    cells = dict(zip(header, row, strict=False))
    return {
        field: next(value for name in names if (value := cells.get(name, "").strip()))
        for field, names in COLUMNS.items()
        if any(cells.get(name, "").strip() for name in names)
    }
