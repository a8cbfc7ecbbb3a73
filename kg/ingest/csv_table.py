"""CSV with a header row naming the columns (case-insensitive); `abstract` is required."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from kg.ingest.files import UnreadableFile
from kg.ingest.jsonl import plain_record
from kg.ingest.record import RawRecord
from kg.records import Problem, SourceRef


def parse_csv(text: str, path: str) -> Iterator[RawRecord | Problem]:
    """One record per data row; a row with the wrong number of columns is a Problem."""
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    next_line = 1
    while True:
        start = next_line
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as error:
            # The reader cannot resynchronise after a quoting error: what follows is unknowable.
            yield Problem(path, start, f"malformed CSV ({error}); rest of file skipped")
            break
        finally:
            next_line = rows.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [name.strip().lower() for name in row]
            if "abstract" not in header:
                raise UnreadableFile(
                    f"CSV header has no 'abstract' column (columns: {', '.join(header)}); "
                    "file skipped",
                    start,
                )
            continue
        if len(row) != len(header):
            yield Problem(
                path,
                start,
                f"CSV row has {len(row)} column{'s' if len(row) != 1 else ''}, "
                f"the header has {len(header)}; record skipped",
            )
            continue
        yield plain_record(dict(zip(header, row, strict=True)), SourceRef(path, start))
