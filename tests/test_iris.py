"""Every IRI the export writes is valid: strict parsers (Oxigraph, rapper, rdflib) load a
build of abstracts whose URLs are wrapped, mistyped or broken, and whatever cannot be an
IRI is a literal with a warning naming its paper."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pyoxigraph
import pytest
import rdflib

import kg

SCHEMA = "https://schema.org/"

# Abstracts as they occur in the 88k corpus (the first four shapes are quoted from it, the
# names changed), with the hostile cases of the fault report.
PAPERS = [
    {
        "title": "FormaNet: formal reasoning with rewards",
        "abstract": "We propose FormaNet, trained on ProofBank. Code is available at "
        "[https://github.com/lab/FormaNet](https://github.com/lab/FormaNet).",
    },
    {
        "title": "ConvoKit: an education toolkit",
        "abstract": "We release ConvoKit, evaluated on NCTE. Documentation: "
        "https://convokit.readthedocs.io/en/latest/[4] and the package "
        "https://pypi.org/project/convokit/[3]; see "
        "https://github.com/lab/convokit?tab=readme-ov-file#datasets[5].",
    },
    {
        "title": "SAL: shared adaptive learning",
        "abstract": "We introduce SAL, which builds on ResNet. Code: https://github:com/lab/SAL.",
    },
    {
        "title": "UploadSeg: segmentation from uploads",
        "abstract": "UploadSeg is evaluated on ISIC. The demo takes files at "
        "https://lab.org/upload.php?files[]=a.png&files[]=b.png and an old mirror at "
        "http://[zz::1/x which no longer works.",
        "url": " JavaScript:alert(1)",
    },
    {
        "title": "BrokenHost: a paper whose own URL is broken",
        "abstract": "We propose BrokenHost for CT denoising, evaluated on LDCT.",
        "url": "http://[zz::1/x",
        "doi": "10.1002/(SICI)1097-4636(199601)30:1<1::AID-JBM1>3.0.CO;2-[X]",
    },
]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, tuple[str, ...]]:
    folder = tmp_path_factory.mktemp("iris")
    source = folder / "papers.jsonl"
    source.write_text("".join(json.dumps(p) + "\n" for p in PAPERS), encoding="utf-8")
    knowledge_graph = kg.build([source], jobs=1)
    written = kg.export(knowledge_graph, folder / "out")
    return folder / "out" / "graph.ttl", written.warnings


def test_oxigraph_loads_the_export_strictly(built):
    graph, _ = built
    store = pyoxigraph.Store()
    store.load(path=str(graph), format=pyoxigraph.RdfFormat.TURTLE)  # raises on any bad IRI
    assert len(store) > 50


def test_rdflib_loads_the_export(built):
    graph, _ = built
    assert len(rdflib.Graph().parse(graph, format="turtle")) > 50


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper is not installed")
def test_rapper_loads_the_export_without_a_warning(built):
    graph, _ = built
    result = subprocess.run(
        ["rapper", "-i", "turtle", "-c", str(graph)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr.lower() and "error" not in result.stderr.lower()


def objects(graph: Path, predicate: str) -> set[str]:
    parsed = rdflib.Graph().parse(graph, format="turtle")
    return {
        f"<{o}>" if isinstance(o, rdflib.URIRef) else str(o)
        for o in parsed.objects(None, rdflib.URIRef(SCHEMA + predicate))
    }


def test_code_urls_are_cleaned_and_written_as_iris(built):
    graph, _ = built
    code = objects(graph, "codeRepository")
    assert {
        "<https://github.com/lab/FormaNet>",
        "<https://convokit.readthedocs.io/en/latest/>",
        "<https://pypi.org/project/convokit/>",
        "<https://github.com/lab/convokit?tab=readme-ov-file#datasets>",
        "<https://github.com/lab/SAL>",
        "<https://lab.org/upload.php?files%5B%5D=a.png&files%5B%5D=b.png>",
    } <= code
    # The one URL whose host is broken stays a string.
    assert "http://[zz::1/x" in code


def test_what_makes_no_iri_is_a_literal_with_a_warning_naming_the_paper(built):
    graph, warnings = built
    urls = {url.strip() for url in objects(graph, "url")}  # ingest may trim the field
    assert {"JavaScript:alert(1)", "http://[zz::1/x"} <= urls
    assert len(warnings) == 3
    assert all(w.startswith("paper ") and "not a valid web IRI" in w for w in warnings)
    assert any("JavaScript:alert(1)" in w for w in warnings)


def test_a_doi_with_brackets_is_one_iri(built):
    graph, _ = built
    assert (
        "<https://doi.org/10.1002/(sici)1097-4636(199601)30:1%3C1::aid-jbm1%3E3.0.co;2-%5Bx%5D>"
        in objects(graph, "sameAs")  # DOIs are case-insensitive; ingest writes them lower-case
    )
