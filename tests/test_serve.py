"""`kg serve`: Oxigraph's SPARQL 1.1 Protocol endpoint over the seeds' export, asked with
a plain HTTP client on 127.0.0.1."""

from __future__ import annotations

import csv
import io
import json
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest
import rdflib

from kg.query import resolve_query, run_query
from kg.serve import ServeError, check_port, endpoint

SPARQL_RESULTS = "{http://www.w3.org/2005/sparql-results#}"
COUNT_PAPERS = "SELECT (COUNT(?p) AS ?papers) WHERE { ?p a <https://w3id.org/kg/ontology#Paper> }"
BUILDS_ON = (
    "CONSTRUCT { ?p <https://w3id.org/kg/ontology#buildsOn> ?m } "
    "WHERE { ?p <https://w3id.org/kg/ontology#buildsOn> ?m }"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ask(url: str, query: str, accept: str, *, post: bool = False) -> tuple[str, str]:
    """The response's content type and body for `query`, by GET or by a form POST."""
    encoded = urllib.parse.urlencode({"query": query})
    if post:
        request = urllib.request.Request(url, data=encoded.encode(), headers={"Accept": accept})
    else:
        request = urllib.request.Request(f"{url}?{encoded}", headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers["Content-Type"], response.read().decode("utf-8")


@pytest.fixture(scope="module")
def seeds_endpoint(seeds_export):
    with endpoint([seeds_export], port=free_port()) as running:
        yield running


def test_select_answers_in_every_sparql_results_format(seeds_endpoint, seeds_export):
    papers = int(run_query(COUNT_PAPERS, seeds_export).rows[0][0].value)
    assert papers > 50
    kind, body = ask(seeds_endpoint.url, COUNT_PAPERS, "application/sparql-results+json")
    assert kind.startswith("application/sparql-results+json")
    assert json.loads(body)["results"]["bindings"][0]["papers"]["value"] == str(papers)
    kind, body = ask(seeds_endpoint.url, COUNT_PAPERS, "application/sparql-results+xml", post=True)
    assert kind.startswith("application/sparql-results+xml")
    assert ET.fromstring(body).find(f".//{SPARQL_RESULTS}literal").text == str(papers)
    kind, body = ask(seeds_endpoint.url, COUNT_PAPERS, "text/csv")
    assert kind.startswith("text/csv")
    assert list(csv.reader(io.StringIO(body))) == [["papers"], [str(papers)]]
    kind, body = ask(seeds_endpoint.url, COUNT_PAPERS, "text/tab-separated-values")
    assert body.splitlines()[0] == "?papers" and str(papers) in body.splitlines()[1]


def test_bundled_query_over_http_matches_kg_query(seeds_endpoint, seeds_export):
    text = resolve_query("builds-on")
    _, body = ask(seeds_endpoint.url, text, "application/sparql-results+json", post=True)
    over_http = [row["paper"]["value"] for row in json.loads(body)["results"]["bindings"]]
    local = run_query("builds-on", seeds_export)
    assert over_http and over_http == [row[0].value for row in local.rows]


def test_construct_answers_as_turtle_and_ntriples(seeds_endpoint, seeds_export):
    expected = {
        tuple(rdflib.URIRef(term.value) for term in triple)
        for triple in run_query(BUILDS_ON, seeds_export).triples
    }
    assert expected
    for accept, rdflib_format in (("text/turtle", "turtle"), ("application/n-triples", "nt")):
        kind, body = ask(seeds_endpoint.url, BUILDS_ON, accept)
        assert kind.startswith(accept)
        assert set(rdflib.Graph().parse(data=body, format=rdflib_format)) == expected


def test_the_endpoint_is_read_only(seeds_endpoint):
    update = urllib.parse.urlencode({"update": "CLEAR ALL"}).encode()
    base = seeds_endpoint.url.rsplit("/", 1)[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(urllib.request.Request(f"{base}/update", data=update), timeout=30)
    assert refused.value.code in (403, 404, 405)
    _, body = ask(seeds_endpoint.url, COUNT_PAPERS, "text/csv")
    assert int(body.splitlines()[1]) > 50


def test_a_port_in_use_is_a_clear_error(seeds_endpoint, seeds_export):
    port = int(seeds_endpoint.url.rsplit(":", 1)[1].split("/")[0])
    with pytest.raises(ServeError, match=f"cannot listen on 127.0.0.1:{port}.*--port"):
        check_port("127.0.0.1", port)
    command = [sys.executable, "-m", "kg", "serve", "--graph", str(seeds_export)]
    taken = subprocess.run(
        [*command, "--port", str(port)], capture_output=True, text=True, timeout=60
    )
    assert taken.returncode == 2
    assert "kg: error: cannot listen on 127.0.0.1" in taken.stderr
    assert "Traceback" not in taken.stderr


def test_sigterm_stops_the_server_and_frees_the_port(seeds_export):
    port = free_port()
    command = [sys.executable, "-m", "kg", "serve", "--graph", str(seeds_export)]
    server = subprocess.Popen([*command, "--port", str(port)], stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        while not any("SPARQL endpoint" in line for line in lines):
            line = server.stderr.readline()
            assert line, f"kg serve ended early: {''.join(lines)}"
            lines.append(line)
        _, body = ask(f"http://127.0.0.1:{port}/query", COUNT_PAPERS, "text/csv")
        assert int(body.splitlines()[1]) > 50
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
        assert "endpoint stopped" in server.stderr.read()
    finally:
        if server.poll() is None:
            server.kill()
    check_port("127.0.0.1", port)  # the Oxigraph server is gone with kg
