"""The export cache (kg/export/fragments.py): exports written with it, cold or warm, after
papers change, or from a corrupt or foreign cache file, are the bytes of an export
without it."""

from __future__ import annotations

import hashlib
import json
import marshal
from pathlib import Path

import networkx as nx
import pytest
from rdf_sample import sample_graph

import kg
from kg.export import fragments

# The writers that use the cache (the HTML page, which does not, only where it says so).
CACHED = [exporter for exporter in kg.EXPORTERS if exporter.name in ("turtle", "graphml")]


def exported(
    graph: nx.MultiDiGraph,
    out: Path,
    cache: Path | None = None,
    jobs: int = 1,
    exporters: list[kg.Exporter] = CACHED,
) -> tuple[dict[str, bytes], tuple[str, ...]]:
    paths = kg.export(
        kg.KnowledgeGraph(graph=graph), out, jobs=jobs, cache=cache, exporters=exporters
    )
    names = kg.export_entries(exporters)
    return {name: (out / name).read_bytes() for name in names}, paths.warnings


def cache_warnings(warnings: tuple[str, ...]) -> list[str]:
    return [warning for warning in warnings if "export cache" in warning]


def test_a_cold_then_warm_cache_exports_the_bytes_of_no_cache(tmp_path):
    graph = sample_graph()
    graph.nodes["paper/title:esp"]["url"] = "JavaScript:alert(1)"
    every = kg.EXPORTERS
    expected, expected_warnings = exported(graph, tmp_path / "plain", exporters=every)
    assert expected_warnings  # a URL that makes no IRI: written afresh, warned each time
    assert set(expected) == {"graph.ttl", "ontology.ttl", "graph.graphml", "graph.html"}
    cache = tmp_path / "cache"
    for run, jobs in enumerate((1, 1, 2)):
        assert exported(graph, tmp_path / f"run{run}", cache, jobs, every) == (
            expected,
            expected_warnings,
        )
    names = {path.name for path in cache.iterdir()}
    assert {"export-turtle.kgx", "export-graphml.kgx", "export-ontology.kgx"} <= names


def changed(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """`graph` with edges of papers changed, added and removed, a paper read from another
    file, and an entity renamed."""
    graph = graph.copy()
    source, target, relation, attrs = next(iter(graph.edges(keys=True, data=True)))
    graph.edges[source, target, relation]["confidence"] = attrs["confidence"] / 2
    graph.add_edge(
        "paper/title:cc",
        "model/medsam",
        key="comparesWith",
        relation="comparesWith",
        sentence="We compare with MedSAM.",
        start=0,
        end=23,
        rule="test",
        confidence=0.5,
    )
    papers = [node for node, kind in graph.nodes(data="kind") if kind == "Paper"]
    removed = next(edge for edge in graph.out_edges(papers[-1], keys=True))
    graph.remove_edge(*removed)
    graph.nodes[papers[0]]["sources"] = ["elsewhere.jsonl:7"]
    graph.nodes["model/sam"]["aliases"] = ["SAM-1"]
    return graph


def test_changed_papers_are_written_afresh(tmp_path):
    cache = tmp_path / "cache"
    before, _ = exported(sample_graph(), tmp_path / "before", cache)
    graph = changed(sample_graph())
    expected, _ = exported(graph, tmp_path / "plain")
    assert expected["graph.ttl"] != before["graph.ttl"]
    assert expected["graph.graphml"] != before["graph.graphml"]
    base = (cache / "export-turtle.kgx").read_bytes()
    assert exported(graph, tmp_path / "after", cache)[0] == expected
    # what changed is written beside the base, which stays as it was
    assert (cache / "export-turtle.kgx").read_bytes() == base
    assert (cache / "export-turtle.added.kgx").is_file()
    assert exported(graph, tmp_path / "warm", cache)[0] == expected
    # and back: the texts of the first graph are found again
    assert exported(sample_graph(), tmp_path / "again", cache)[0] == before


def test_the_index_finds_the_base_and_the_additions_texts(tmp_path):
    keys = [bytes([letter]) * fragments.KEY_BYTES for letter in b"abcdefghi"]
    entries = [
        (key, (key[:1] * 2, key[:1] * 3, key[:1], number)) for number, key in enumerate(keys)
    ]
    cache = fragments.ExportCache(tmp_path)
    cache.save("turtle", entries[:8], print)
    cache.load("turtle", print)
    cache.save("turtle", entries, print)  # one new entry: kept beside the base
    assert cache.path("turtle", fragments.ADDED).is_file()
    index = cache.load("turtle", print).index()
    places = [index.position[key] for key in keys]
    assert places[:8] == list(range(8)) and places[8] >= index.split
    for (_, (first, second, third, number)), place in zip(entries, places, strict=True):
        texts = index.base if place < index.split else index.added
        start, middle, end, stop = index.bounds[3 * place : 3 * place + 4]
        assert (texts[start:middle], texts[middle:end], texts[end:stop]) == (first, second, third)
        assert index.numbers[place] == number


def test_corrupt_additions_are_reported_and_rebuilt(tmp_path):
    cache = tmp_path / "cache"
    exported(sample_graph(), tmp_path / "before", cache)
    graph = changed(sample_graph())
    expected, _ = exported(graph, tmp_path / "plain")
    exported(graph, tmp_path / "after", cache)
    added = cache / "export-graphml.added.kgx"
    data = added.read_bytes()
    added.write_bytes(data[:-10] + b"0123456789")
    files, warnings = exported(graph, tmp_path / "damaged", cache)
    assert files == expected
    assert [w for w in cache_warnings(warnings) if "corrupt" in w and str(added) in w]
    files, warnings = exported(graph, tmp_path / "rebuilt", cache)
    assert files == expected and not cache_warnings(warnings)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: data[:-40] + bytes(b ^ 0x55 for b in data[-40:]),  # texts changed
        lambda data: b"not a cache\n" + data,
        lambda data: data.replace(b'"entries": ', b'"entries": 1', 1),
        lambda data: b"\x00" * 100,
        lambda data: b"",  # an empty file cannot be mapped
    ],
)
def test_a_corrupt_cache_is_reported_and_rebuilt(tmp_path, damage):
    graph = sample_graph()
    expected, _ = exported(graph, tmp_path / "plain")
    cache = tmp_path / "cache"
    exported(graph, tmp_path / "first", cache)
    for name in ("turtle", "graphml", "ontology"):
        path = cache / f"export-{name}.kgx"
        path.write_bytes(damage(path.read_bytes()))
    files, warnings = exported(graph, tmp_path / "damaged", cache)
    assert files == expected
    reported = cache_warnings(warnings)
    assert len(reported) == 3 and all("corrupt" in warning for warning in reported)
    files, warnings = exported(graph, tmp_path / "rebuilt", cache)
    assert files == expected and not cache_warnings(warnings)


def test_a_cache_of_other_export_code_is_rebuilt_silently(tmp_path, monkeypatch):
    graph = sample_graph()
    expected, _ = exported(graph, tmp_path / "plain")
    cache = tmp_path / "cache"
    monkeypatch.setattr(fragments, "export_fingerprint", lambda: "older export code")
    exported(graph, tmp_path / "older", cache)
    monkeypatch.undo()
    files, warnings = exported(graph, tmp_path / "newer", cache)
    assert files == expected and not cache_warnings(warnings)
    header = (cache / "export-turtle.kgx").read_bytes().split(b"\n", 1)[0]
    assert json.loads(header)["fingerprint"] == fragments.export_fingerprint()


def test_a_cache_that_cannot_be_written_is_a_warning(tmp_path):
    graph = sample_graph()
    expected, _ = exported(graph, tmp_path / "plain")
    in_the_way = tmp_path / "cache"
    in_the_way.write_text("a file where the cache folder would be")
    files, warnings = exported(graph, tmp_path / "out", in_the_way)
    assert files == expected
    assert any("cannot write the export cache" in warning for warning in warnings)


def test_keys_ignore_sources_only():
    graph = sample_graph()
    keys = fragments.node_keys(graph)
    assert len(set(keys.values())) == graph.number_of_nodes()
    graph.nodes["paper/title:cc"]["sources"] = ["other.jsonl:1"]
    assert fragments.node_keys(graph) == keys
    graph.nodes["paper/title:cc"]["year"] = 1999
    assert fragments.node_keys(graph)["paper/title:cc"] != keys["paper/title:cc"]


def test_keys_are_those_of_the_attributes_without_sources():
    graph = sample_graph()
    data = graph.nodes["paper/title:cc"]
    # An abstract holding the bytes marshal writes for the sources entry: cut where?
    entry = marshal.dumps("sources", 2) + marshal.dumps(data["sources"], 2)
    data["abstract"] = "before " + entry.decode("ascii") + " after"
    for node_id, data in graph.nodes(data=True):
        without = {name: value for name, value in data.items() if name != "sources"}
        material = marshal.dumps((node_id, without, graph._succ[node_id]), 2)
        expected = hashlib.sha256(material).digest()[: fragments.KEY_BYTES]
        assert fragments.node_keys(graph)[node_id] == expected


def test_pieces_are_written_in_order_after_a_short_write(tmp_path, monkeypatch):
    texts = memoryview(b"0123456789")
    calls = []
    real_writev = fragments.os.writev

    def short_writev(fd: int, buffers: list) -> int:  # the kernel takes part of a batch
        calls.append([bytes(buffer) for buffer in buffers])
        return real_writev(fd, buffers[:1])

    monkeypatch.setattr(fragments.os, "writev", short_writev)
    path = tmp_path / "out"
    with path.open("wb") as handle:
        handle.write(b"<")
        out = fragments.PieceWriter(handle)
        out.pieces += [texts[0:5], b"|", texts[7:8], texts[9:10]]
        out.flush()
        assert out.pieces == []
        out.pieces.append(b">")
        out.flush()
    assert path.read_bytes() == b"<01234|79>"
    assert calls == [[b"01234", b"|", b"7", b"9"], [b">"]]
