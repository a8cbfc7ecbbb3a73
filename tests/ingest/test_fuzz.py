"""Fuzzing the readers: real samples of every format, damaged the ways files get damaged
(truncated, bytes flipped, NULs, bytes that are not UTF-8, a giant or deeply nested field,
a gzip bomb), must never raise, must read every record the damage did not touch, and must
keep memory bounded.

A record is untouched when the damage lies after the start of the record that follows it
(the damaged region can reach at most into the record before it, whose end it may break).
"""

import functools
import gzip
import tracemalloc
import zlib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.ingest import ingest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
SAMPLES = sorted(
    path
    for folder in (FIXTURES, FIXTURES / "formats")
    for path in folder.iterdir()
    if path.is_file() and path.name != "plain.txt"  # prose: a damaged line may join paragraphs
)
# Memory any one damaged sample may take while read (the bomb inflates to 80 MiB; the
# whole-file readers stop at 64 MiB).
PEAK_BYTES = 200 * 2**20
BOMB_BYTES = 80 * 2**20


@functools.cache
def clean_read(path: Path) -> tuple[list[int], dict[int, str]]:
    """The start lines of the sample's records, and the title read from each record."""
    result = ingest([path])
    assert result.problems == [] or path.name.startswith(("scopus", "daily"))
    starts = sorted({source.line for p in result.papers for source in p.sources})
    titles = {source.line: p.title for p in result.papers for source in p.sources}
    return starts, titles


def untouched(path: Path, damaged_line: int) -> dict[int, str]:
    """Records (start line -> title) that end before `damaged_line`'s record begins."""
    starts, titles = clean_read(path)
    return {
        start: titles[start]
        for start, following in zip(starts, [*starts[1:], None], strict=True)
        if following is not None and following < damaged_line
    }


def line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


@functools.cache
def bomb(path: Path) -> bytes:
    """The sample followed by 80 MiB of spaces, gzipped (about 80 KB)."""
    deflate = zlib.compressobj(6, zlib.DEFLATED, 31)
    parts = [deflate.compress(path.read_bytes())]
    blank = b" " * 2**20
    parts += [deflate.compress(blank) for _ in range(BOMB_BYTES // len(blank))]
    return b"".join([*parts, deflate.flush()])


damage = st.sampled_from(["truncate", "flip", "nul", "bad-utf8", "giant", "nested"])


@settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    sample=st.sampled_from(SAMPLES),
    kind=damage,
    where=st.floats(min_value=0, max_value=1, exclude_max=True),
    gzipped=st.booleans(),
)
def test_damaged_samples_never_raise_and_keep_untouched_records(
    tmp_path, in_repo, sample, kind, where, gzipped
):
    data = sample.read_bytes()
    offset = int(where * len(data))
    insert = {
        "nul": b"\x00",
        "bad-utf8": b"\xff\xfe\xc3",
        "giant": b"x" * 300_000,
        "nested": b"[{" * 20_000,
    }
    if kind == "truncate":
        damaged = data[:offset]
    elif kind == "flip":
        damaged = data[:offset] + bytes([data[offset] ^ 0xFF]) + data[offset + 1 :]
    else:
        damaged = data[:offset] + insert[kind] + data[offset:]
    name = sample.name + (".gz" if gzipped else "")
    path = tmp_path / name
    path.write_bytes(gzip.compress(damaged, 1) if gzipped else damaged)

    tracemalloc.start()
    try:
        result = ingest([path])  # nothing may escape
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert result.records_read == len(result.papers) + result.merged + len(result.problems)
    assert peak < PEAK_BYTES
    read = {source.line: paper.title for paper in result.papers for source in paper.sources}
    for start, title in untouched(sample, line_of(data, offset)).items():
        assert read.get(start) == title, f"{name}: the record at line {start} was lost"


@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sample=st.sampled_from(SAMPLES))
def test_a_gzip_bomb_of_any_sample_stays_bounded(tmp_path, in_repo, sample):
    path = tmp_path / (sample.name + ".gz")
    path.write_bytes(bomb(sample))
    tracemalloc.start()
    try:
        result = ingest([path])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.records_read == len(result.papers) + result.merged + len(result.problems)
    assert peak < PEAK_BYTES
    if result.papers:  # a streamed format (JSON Lines, XML) reads every record before it
        assert sorted(p.title for p in result.papers) == sorted(clean_read(sample)[1].values())
    else:  # a whole-file format refuses the file, and says why
        assert any("over 64 MiB" in p.message for p in result.problems)
